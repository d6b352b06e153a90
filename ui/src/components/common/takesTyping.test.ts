import { describe, expect, it } from "vitest";
import { takesTyping } from "./takesTyping.ts";

function element(html: string): Element {
  const host = document.createElement("div");
  host.innerHTML = html;
  const found = host.querySelector("[data-here]");
  if (found === null) throw new Error(`no [data-here] in ${html}`);
  return found;
}

describe("takesTyping", () => {
  it("is true in text fields, text areas, selects and editable regions, and inside them", () => {
    expect(takesTyping(element('<input data-here type="text">'))).toBe(true);
    expect(takesTyping(element("<input data-here>"))).toBe(true);
    expect(takesTyping(element("<textarea data-here></textarea>"))).toBe(true);
    expect(takesTyping(element("<select data-here></select>"))).toBe(true);
    expect(takesTyping(element('<div contenteditable="true"><b data-here>x</b></div>'))).toBe(true);
  });

  it("is false on what is pressed rather than typed into, and on no element at all", () => {
    expect(takesTyping(element('<input data-here type="checkbox">'))).toBe(false);
    expect(takesTyping(element('<input data-here type="radio">'))).toBe(false);
    expect(takesTyping(element('<button data-here type="button">Delete</button>'))).toBe(false);
    expect(takesTyping(element('<div contenteditable="false"><b data-here>x</b></div>'))).toBe(false);
    expect(takesTyping(null)).toBe(false);
  });
});
