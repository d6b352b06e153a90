import { lazy, useEffect, useState, type ComponentType } from "react";
import type * as CanvasCode from "../components/canvas/FlowCanvas.tsx";
import { markStep } from "./marks.ts";

/**
 * Channels, Settings and Sync conflicts, each in its own chunk: the window starts without their
 * code. Once the dashboard has shown the bots and the page is idle, the builder's canvas (React
 * Flow, see `useCanvas`) is fetched, and their code a moment later (`preloadPages`), so by the
 * time the designer opens one it is there and shows at once, with no loading step. A page opened
 * before that is loaded on demand, with a short "Loading…" in its place.
 *
 * The builder is not among them: it is what the designer opens next, often a moment after the
 * dashboard appears, and a page still loading then would cost the click a "Loading…" step (and
 * React's 300 ms pause before revealing what a Suspense fallback stood for).
 */
type Page<P> = { Component: ComponentType<P>; preload: () => Promise<unknown> };

function page<M, P extends object>(load: () => Promise<M>, pick: (module: M) => ComponentType<P>): Page<P> {
  let loaded: ComponentType<P> | undefined;
  const preload = () =>
    load().then((module) => {
      loaded = pick(module);
      return loaded;
    });
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  function Component(props: P) {
    // Chosen once per mount, so a page never switches between the two (that would remount it):
    // the loaded component when its code is here (rendered at once), else the lazy one.
    const [Shown] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return <Shown {...props} />;
  }
  return { Component, preload };
}

export const channelsPage = page(
  () => import("../pages/ChannelsPage.tsx"),
  (m) => m.ChannelsPage,
);
export const settingsPage = page(
  () => import("../pages/SettingsPage.tsx"),
  (m) => m.SettingsPage,
);
export const conflictsPage = page(
  () => import("../pages/ConflictsPage.tsx"),
  (m) => m.ConflictsPage,
);
type CanvasModule = typeof CanvasCode;
let canvasModule: CanvasModule | undefined;

/**
 * The builder's canvas (React Flow), in its own chunk. The builder asks for it when it opens
 * (`useCanvas`); the dashboard fetches it earlier, when idle.
 */
export function loadCanvas(): Promise<CanvasModule> {
  return import("../components/canvas/FlowCanvas.tsx").then((module) => {
    if (canvasModule === undefined) markStep("ui: canvas code loaded");
    canvasModule = module;
    return module;
  });
}

/**
 * The canvas's code for the builder: there at once when already fetched, else once it arrives
 * (the builder shows an empty canvas meanwhile), or the error that kept it from loading. Unlike
 * `lazy` and Suspense, a canvas that arrives is shown in the next frame, without React's 300 ms
 * pause before revealing what a fallback stood for.
 */
export function useCanvas(): CanvasModule | Error | undefined {
  const [canvas, setCanvas] = useState<CanvasModule | Error | undefined>(() => canvasModule);
  useEffect(() => {
    if (canvas !== undefined) return;
    let current = true;
    loadCanvas().then(
      (module) => {
        if (current) setCanvas(module);
      },
      (error: unknown) => {
        if (current) setCanvas(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return () => {
      current = false;
    };
  }, [canvas]);
  return canvas;
}

let preloading: Promise<unknown> | undefined;

/**
 * How long after the canvas's code the other pages' code waits. Opening a bot is what comes next
 * nearly every time, often within a moment: the three chunks (9 ms of the main thread on a 2-core
 * machine) then wait until that first click has been answered, instead of delaying it.
 */
export const OTHER_PAGES_DELAY_MS = 1000;

/**
 * Fetches the canvas's code once the page has nothing else to do, and the other pages' a moment
 * later. Safe to call more than once; a failure is left for the page itself to meet (and show)
 * when opened.
 */
export function preloadPages(): void {
  if (preloading !== undefined) return;
  preloading = whenIdle()
    .then(() => {
      markStep("ui: preload started");
      return loadCanvas();
    })
    .then(() => new Promise((resolve) => setTimeout(resolve, OTHER_PAGES_DELAY_MS)))
    .then(whenIdle)
    .then(() => Promise.all([channelsPage.preload(), settingsPage.preload(), conflictsPage.preload()]))
    .then(() => {
      markStep("ui: pages preloaded");
    })
    .catch(() => undefined);
}

/**
 * How long the preload waits for a frame before it goes ahead anyway. A frame that has not come
 * by then is held up off the main thread: on a machine that paints through Mesa's software
 * OpenGL, the first frames wait for shaders to compile, for a few hundred ms the first time the
 * app runs. The main thread is free meanwhile, and the designer may click Open at any moment.
 */
export const FRAME_WAIT_MS = 16;

/**
 * After the next frame has been painted and the tasks queued so far have run, or after
 * `FRAME_WAIT_MS` when no frame comes, whichever is first.
 */
export function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FRAME_WAIT_MS);
    if (typeof requestAnimationFrame !== "function") return;
    requestAnimationFrame(() => {
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0);
    });
  });
}
