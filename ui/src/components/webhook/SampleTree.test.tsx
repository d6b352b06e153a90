import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { SampleNode } from "../../backend/panel.ts";
import { SampleTree } from "./SampleTree.tsx";

function leaf(key: string, path: string, preview: string, mappedTo: string | null = null): SampleNode {
  return { key, path, kind: "string", preview, suggestedVariable: key, mappedTo, children: [], more: 0 };
}

function branch(key: string, path: string | null, kind: "object" | "array", children: SampleNode[], more = 0): SampleNode {
  return { key, path, kind, preview: null, suggestedVariable: null, mappedTo: null, children, more };
}

const ROOT = branch("", null, "object", [
  branch("data", "data", "object", [
    leaf("name", "data.name", '"Ada"', "customer_name"),
    branch("items", "data.items", "array", [branch("[0]", "data.items[0]", "object", [leaf("sku", "data.items[0].sku", '"A-1"')])], 11),
  ]),
]);

describe("SampleTree", () => {
  it("says what each branch holds in words, counting what is left out", () => {
    const { container } = render(<SampleTree root={ROOT} onMap={vi.fn()} />);
    const summaries = [...container.querySelectorAll("summary")].map((el) => el.textContent);
    expect(summaries).toEqual(["data 2 fields", "items 12 items", "[0] 1 field"]);
  });

  it("maps a leaf's path with +, and shows the variable a mapped one goes to", () => {
    const onMap = vi.fn();
    render(<SampleTree root={ROOT} onMap={onMap} />);
    fireEvent.click(screen.getByRole("button", { name: "Map data.items[0].sku" }));
    expect(onMap).toHaveBeenCalledWith("data.items[0].sku");
    expect(screen.queryByRole("button", { name: "Map data.name" })).not.toBeInTheDocument();
    expect(screen.getByTitle("Saved in this variable")).toHaveTextContent("customer_name");
  });
});
