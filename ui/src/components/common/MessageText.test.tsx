import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MessageText } from "./MessageText.tsx";

function shown(text: string) {
  const { container } = render(
    <p>
      <MessageText text={text} />
    </p>,
  );
  const paragraph = container.querySelector("p");
  return {
    text: paragraph?.textContent,
    code: [...(paragraph?.querySelectorAll("code") ?? [])].map((c) => c.textContent),
  };
}

describe("MessageText", () => {
  it("shows what Rust quotes in backticks as code, without the backticks", () => {
    expect(shown("`data.items[` is not a valid path (a [ is never closed); write it like data.items[0].sku")).toEqual({
      text: "data.items[ is not a valid path (a [ is never closed); write it like data.items[0].sku",
      code: ["data.items["],
    });
  });

  it("quotes several values in one message", () => {
    expect(shown("`a` and `b`").code).toEqual(["a", "b"]);
  });

  it("keeps a sentence with no quoting, and a lone backtick, as they are", () => {
    expect(shown("Saved")).toEqual({ text: "Saved", code: [] });
    expect(shown("a ` b")).toEqual({ text: "a ` b", code: [] });
  });
});
