import { describe, expect, it } from "vitest";
import { countOf } from "./countOf.ts";

describe("countOf", () => {
  it("says one thing in the singular and any other count, none included, in the plural", () => {
    expect(countOf(1, "field", "fields")).toBe("1 field");
    expect(countOf(3, "webhook block", "webhook blocks")).toBe("3 webhook blocks");
    expect(countOf(0, "bot", "bots")).toBe("0 bots");
  });
});
