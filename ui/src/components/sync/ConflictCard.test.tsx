import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { EditorError } from "../../backend/builder.ts";
import type { ConflictView } from "../../backend/sync.ts";
import { ConflictCard } from "./ConflictCard.tsx";

// A conflict as Rust computes it: which fields differ is Rust's answer, not the card's.
const CONFLICT: ConflictView = {
  key: { bot: "shop", kind: "block", id: "order-hook" },
  title: "Block 'Order received' in bot 'Shop'",
  fields: [
    { path: "/webhook/name", label: "Name", mine: "Order received", theirs: "New order", differs: true },
    { path: "/webhook/form/channel", label: "Form › Channel", mine: "telegram", theirs: "telegram", differs: false },
    {
      path: "/webhook/form/contact_reference_id",
      label: "Form › Contact reference id",
      mine: "+14155550100",
      theirs: "(empty)",
      differs: true,
    },
  ],
  differing: 2,
  detectedAt: "2026-11-25T21:00:00Z",
};

describe("a conflict", () => {
  it("shows both versions side by side, the differing rows with a choice each", async () => {
    render(<ConflictCard conflict={CONFLICT} onResolve={vi.fn()} />);
    expect(screen.getByRole("heading", { name: CONFLICT.title })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "On this computer" })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "On the server" })).toBeInTheDocument();

    const name = screen.getByRole("row", { name: /^Name/ });
    expect(within(name).getByText("Order received")).toBeInTheDocument();
    expect(within(name).getByText("New order")).toBeInTheDocument();
    expect(within(name).getAllByRole("radio")).toHaveLength(2);

    // The fields both sides agree on are one click away, without a choice.
    expect(screen.queryByRole("row", { name: /Form › Channel/ })).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Show the 1 field that is the same on both" }));
    const channel = screen.getByRole("row", { name: /Form › Channel/ });
    expect(within(channel).queryByRole("radio")).not.toBeInTheDocument();
    expect(within(channel).getByText("same on both")).toBeInTheDocument();
  });

  it("sends one choice per differing field, and shows Rust's refusal on its row", async () => {
    const user = userEvent.setup();
    const refused: EditorError = {
      code: "invalid_input",
      message: "Choose which version of Form › Contact reference id to keep",
      field: "/webhook/form/contact_reference_id",
    };
    const onResolve = vi.fn().mockRejectedValueOnce(refused).mockResolvedValueOnce(undefined);
    render(<ConflictCard conflict={CONFLICT} onResolve={onResolve} />);

    await user.click(screen.getByRole("radio", { name: "Name: keep the value on the server" }));
    await user.click(screen.getByRole("button", { name: "Resolve" }));
    expect(onResolve).toHaveBeenLastCalledWith([{ path: "/webhook/name", side: "theirs" }]);
    expect(await screen.findByRole("alert")).toHaveTextContent(refused.message);

    await user.click(
      screen.getByRole("radio", { name: "Form › Contact reference id: keep the value on this computer" }),
    );
    await user.click(screen.getByRole("button", { name: "Resolve" }));
    expect(onResolve).toHaveBeenLastCalledWith([
      { path: "/webhook/name", side: "theirs" },
      { path: "/webhook/form/contact_reference_id", side: "mine" },
    ]);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("keeps all mine or takes all theirs in one click", async () => {
    const user = userEvent.setup();
    const onResolve = vi.fn().mockResolvedValue(undefined);
    render(<ConflictCard conflict={CONFLICT} onResolve={onResolve} />);

    await user.click(screen.getByRole("button", { name: "Take all theirs" }));
    expect(screen.getByRole("radio", { name: "Name: keep the value on the server" })).toBeChecked();
    expect(screen.getByText("2 of 2 differing fields chosen")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Keep all mine" }));
    await user.click(screen.getByRole("button", { name: "Resolve" }));
    expect(onResolve).toHaveBeenCalledWith([
      { path: "/webhook/name", side: "mine" },
      { path: "/webhook/form/contact_reference_id", side: "mine" },
    ]);
  });
});
