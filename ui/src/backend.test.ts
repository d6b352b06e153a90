import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { appInfo } from "./backend.ts";

// These go through the generated bindings down to Tauri's IPC layer, so they check the
// contract with Rust: the command names and argument shapes the bindings send.
describe("backend", () => {
  afterEach(() => {
    clearMocks();
  });

  it("asks Rust for app_info without arguments and passes its answer on", async () => {
    const calls: { command: string; args: unknown }[] = [];
    mockIPC((command, args) => {
      calls.push({ command, args });
      return { version: "0.1.0", dataDir: "/tmp/studio" };
    });

    await expect(appInfo()).resolves.toEqual({ version: "0.1.0", dataDir: "/tmp/studio" });
    expect(calls).toEqual([{ command: "app_info", args: {} }]);
  });

  it("passes a failed call on as a rejection", async () => {
    mockIPC(() => {
      throw new Error("window closed");
    });

    await expect(appInfo()).rejects.toThrow("window closed");
  });
});
