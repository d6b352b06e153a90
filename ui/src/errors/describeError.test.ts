import { describe, expect, it } from "vitest";
import { describeError } from "./describeError.ts";

describe("describeError", () => {
  it.each([
    ["a string from Tauri", "command not found", "command not found"],
    ["an Error", new Error("network down"), "network down"],
    ["a command error", { code: "invalid", message: "Token is too short" }, "Token is too short"],
  ])("uses the message of %s", (_kind, error, expected) => {
    expect(describeError(error)).toBe(expected);
  });

  it.each([undefined, null, "", "  ", 42, {}, { message: 7 }])(
    "falls back to a plain sentence for %j",
    (error) => {
      expect(describeError(error)).toBe("Something went wrong, and the app did not say what.");
    },
  );
});
