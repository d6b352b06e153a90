import { appInfo, storeStatus, type AppInfo, type StoreStatus } from "../backend.ts";
import { listBots, listTemplates, type BotCard, type TemplateCard } from "../backend/builder.ts";
import { syncStatus, type SyncStatusView } from "../backend/sync.ts";

/**
 * What the first screen (the shell and the dashboard) reads from Rust, asked for as soon as the
 * page's script has run (`askEarly`, from main.tsx) instead of from the components' effects,
 * which run only after React's first render and the browser's first frame. main.tsx waits a
 * moment for the answers (`answered`), so the window's first frame is the dashboard with its
 * bots rather than a frame of "Loading…" followed at once by another: one page of style, layout
 * and paint instead of two, and the calls to Rust overlap the rest of the start.
 *
 * Each hook takes its first answer from here (`firstAnswer`, once) and asks Rust itself after
 * that; when nothing was asked early (a test, a component mounted later) it simply asks.
 */
type Answers = {
  appInfo: AppInfo;
  storeStatus: StoreStatus;
  syncStatus: SyncStatusView;
  bots: BotCard[];
  templates: TemplateCard[];
};
type Key = keyof Answers;
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
type Early<T> = { promise: Promise<T>; settled: Settled<T> | undefined; taken: boolean };

// Looked up when called, not when this module loads (a test may mock only some of them).
const CALLS: { [K in Key]: () => Promise<Answers[K]> } = {
  appInfo: () => appInfo(),
  storeStatus: () => storeStatus(),
  syncStatus: () => syncStatus(),
  bots: () => listBots(),
  templates: () => listTemplates(),
};

let early: { [K in Key]?: Early<Answers[K]> } = {};

function start<K extends Key>(key: K): Early<Answers[K]> {
  // A call that throws at once (no Tauri around the page) becomes a rejection, as a later one would.
  const entry: Early<Answers[K]> = { promise: Promise.resolve().then(CALLS[key]), settled: undefined, taken: false };
  entry.promise.then(
    (value) => {
      entry.settled = { ok: true, value };
    },
    (error: unknown) => {
      entry.settled = { ok: false, error };
    },
  );
  return entry;
}

/** Asks Rust for everything the first screen shows, all at once. */
export function askEarly(): void {
  early = {
    appInfo: start("appInfo"),
    storeStatus: start("storeStatus"),
    syncStatus: start("syncStatus"),
    bots: start("bots"),
    templates: start("templates"),
  };
}

/** Resolves when every early answer has come (or failed), or after `limitMs`, whichever is first. */
export function answered(limitMs: number): Promise<void> {
  const all = Object.values(early).map((entry) => entry.promise.catch(() => undefined));
  return Promise.race([
    Promise.all(all).then(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, limitMs)),
  ]);
}

/**
 * The early answer if it has already come and nobody has used it yet, for a hook's first state.
 * Reading it takes nothing: the hook's effect then calls `release` (a state initialiser must not
 * have side effects).
 */
export function settledAnswer<K extends Key>(key: K): Settled<Answers[K]> | undefined {
  const entry = early[key];
  return entry !== undefined && !entry.taken ? entry.settled : undefined;
}

/** Marks the early answer as used: later readers ask Rust again and see what is current. */
export function release(key: Key): void {
  const entry = early[key];
  if (entry !== undefined) entry.taken = true;
}

/**
 * Marks every early answer as used: the store they were read from has been replaced (moved aside
 * and started fresh), so a page mounted from now on must ask Rust, not show what the old one said.
 */
export function releaseAll(): void {
  for (const entry of Object.values(early)) entry.taken = true;
}

/** The early call's promise the first time it is asked for; afterwards (or without one) a new call. */
export function firstAnswer<K extends Key>(key: K): Promise<Answers[K]> {
  const entry = early[key];
  if (entry !== undefined && !entry.taken) {
    entry.taken = true;
    return entry.promise;
  }
  return CALLS[key]();
}
