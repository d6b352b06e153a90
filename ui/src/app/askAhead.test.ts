import { afterEach, describe, expect, it, vi } from "vitest";
import { askAhead } from "./askAhead.ts";

describe("a read asked for by the click, taken by the component it mounts", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("hands the taker the call already under way, once", async () => {
    const call = vi.fn((bot: string, block: string) => Promise.resolve(`${bot}/${block} #${String(call.mock.calls.length)}`));
    const ahead = askAhead(call);
    ahead.ask("acme", "signup");
    expect(call).toHaveBeenCalledTimes(1);
    await expect(ahead.take("acme", "signup")).resolves.toBe("acme/signup #1");
    expect(call).toHaveBeenCalledTimes(1);
    // Taken: the next reader asks Rust again and sees what is current.
    await expect(ahead.take("acme", "signup")).resolves.toBe("acme/signup #2");
  });

  it("asked twice for the same thing in one task (two handlers of one click), makes one call", async () => {
    const call = vi.fn((bot: string) => Promise.resolve(bot));
    const ahead = askAhead(call);
    ahead.ask("acme");
    ahead.ask("acme");
    await expect(ahead.take("acme")).resolves.toBe("acme");
    expect(call).toHaveBeenCalledTimes(1);
  });

  it("never hands one block's answer to another", async () => {
    const call = vi.fn((bot: string, block: string) => Promise.resolve(`${bot}/${block}`));
    const ahead = askAhead(call);
    ahead.ask("acme", "signup");
    await expect(ahead.take("acme", "welcome")).resolves.toBe("acme/welcome");
    expect(call).toHaveBeenCalledTimes(2);
  });

  it("is not taken by a component that mounts later (its answer may be stale by then)", async () => {
    vi.useFakeTimers();
    const call = vi.fn(() => Promise.resolve(call.mock.calls.length));
    const ahead = askAhead(call);
    ahead.ask();
    await vi.advanceTimersByTimeAsync(0);
    await expect(ahead.take()).resolves.toBe(2);
  });

  it("leaves a failure to the taker, who shows it; nobody taking it is no unhandled rejection", async () => {
    const ahead = askAhead((): Promise<string> => Promise.reject(new Error("The bot is gone")));
    ahead.ask();
    await expect(ahead.take()).rejects.toThrow("The bot is gone");
    const thrown = askAhead((): Promise<string> => {
      throw new Error("no Tauri around the page");
    });
    thrown.ask();
    await expect(thrown.take()).rejects.toThrow("no Tauri around the page");
  });
});
