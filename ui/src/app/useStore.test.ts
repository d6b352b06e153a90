import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { storeStatus, type StoreStatus } from "../backend.ts";
import { useStore } from "./useStore.ts";

vi.mock("../backend.ts", () => ({ storeStatus: vi.fn(), moveAsideAndStartFresh: vi.fn() }));

const OPEN: StoreStatus = {
  state: "open",
  path: "/data/studio.db",
  schemaVersion: 2,
  bots: 1,
  readOnlyReason: null,
};

describe("the store's status, read again on every navigation", () => {
  beforeEach(() => {
    vi.mocked(storeStatus).mockResolvedValue(OPEN);
  });

  async function ready() {
    const hook = renderHook(() => useStore());
    await waitFor(() => {
      expect(hook.result.current.store.status).toBe("ready");
    });
    return { hook };
  }

  // The same object, so React skips the window's children (the page being opened) on this update.
  it("keeps the same state when Rust answers the same", async () => {
    const { hook } = await ready();
    const before = hook.result.current.store;
    vi.mocked(storeStatus).mockResolvedValue({ ...OPEN });
    await act(async () => {
      hook.result.current.refresh();
      await Promise.resolve();
    });
    expect(hook.result.current.store).toBe(before);
  });

  it("takes the new answer when the store changed", async () => {
    const { hook } = await ready();
    vi.mocked(storeStatus).mockResolvedValue({ ...OPEN, bots: 2 });
    await act(async () => {
      hook.result.current.refresh();
      await Promise.resolve();
    });
    expect(hook.result.current.store).toEqual({ status: "ready", store: { ...OPEN, bots: 2 } });
  });
});
