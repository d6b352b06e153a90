import { afterEach, describe, expect, it, vi } from "vitest";
import { loadFonts } from "./fonts.ts";

function withFonts(load: (face: string) => Promise<unknown>) {
  Object.defineProperty(document, "fonts", { value: { load }, configurable: true });
}

describe("loading the window's fonts before the first render", () => {
  afterEach(() => {
    Reflect.deleteProperty(document, "fonts");
    vi.useRealTimers();
  });

  it("asks for the Latin faces of both typefaces and resolves once they are loaded", async () => {
    const asked: string[] = [];
    withFonts((face) => {
      asked.push(face);
      return Promise.resolve([]);
    });
    await loadFonts(10_000);
    expect(asked).toEqual(['400 14px "Inter Variable"', '400 13px "JetBrains Mono Variable"']);
  });

  it("does not hold the first render longer than the limit when a face is slow", async () => {
    vi.useFakeTimers();
    withFonts(() => new Promise(() => undefined));
    let done = false;
    void loadFonts(250).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it("goes on when a face cannot load (the generic family stands in)", async () => {
    withFonts(() => Promise.reject(new Error("the font file is damaged")));
    await expect(loadFonts(10_000)).resolves.toBeUndefined();
  });
});
