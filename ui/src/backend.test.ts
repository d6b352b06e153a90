import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { appInfo, moveAsideAndStartFresh, storeStatus } from "./backend.ts";

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

  it("asks Rust for store_status and passes the tagged status on", async () => {
    const status = { state: "open", path: "/tmp/studio/studio.db", schemaVersion: 2, bots: 0, readOnlyReason: null };
    mockIPC((command) => (command === "store_status" ? status : null));

    await expect(storeStatus()).resolves.toEqual(status);
  });

  it("resolves move_aside_and_start_fresh with where the file went, and rejects with its problem", async () => {
    const moved = { keptAt: "/tmp/studio/studio.db.broken-1", status: { state: "open" } };
    mockIPC(() => moved);
    await expect(moveAsideAndStartFresh()).resolves.toEqual(moved);

    const problem = {
      code: "move_aside_failed",
      message: "could not be moved aside",
      path: "/tmp/studio/studio.db",
      mayMoveAside: false,
    };
    mockIPC(() => {
      // Tauri rejects with the command's serialized error value.
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- that is what Tauri does
      throw problem;
    });
    await expect(moveAsideAndStartFresh()).rejects.toEqual(problem);
  });
});
