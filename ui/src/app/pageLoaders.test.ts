import { afterEach, describe, expect, it, vi } from "vitest";
import { FRAME_WAIT_MS, whenIdle } from "./pageLoaders.tsx";

describe("waiting for the page to be idle before fetching the other pages' code", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  function track(promise: Promise<void>) {
    const state = { done: false };
    void promise.then(() => {
      state.done = true;
    });
    return state;
  }

  it("goes ahead right after the next frame, without waiting out the limit", async () => {
    vi.useFakeTimers();
    let paint: FrameRequestCallback | undefined;
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => {
      paint = callback;
      return 1;
    });
    const idle = track(whenIdle());
    await vi.advanceTimersByTimeAsync(2);
    expect(idle.done).toBe(false);
    paint?.(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.done).toBe(true);
  });

  it("goes ahead when no frame comes in time (the compositor is busy, the main thread is not)", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("requestAnimationFrame", () => 1);
    const idle = track(whenIdle());
    await vi.advanceTimersByTimeAsync(FRAME_WAIT_MS - 1);
    expect(idle.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(idle.done).toBe(true);
  });
});
