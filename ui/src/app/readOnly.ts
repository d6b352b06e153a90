import { createContext, useContext } from "react";
import type { StoreState } from "./useStore.ts";

/**
 * Why the store refuses every write (a file written by a newer Webhook Studio, or one this user
 * may not write), or `null` when it takes edits. Rust decides and words it (`readOnlyReason` in
 * the store's status); the window then offers no control that would only be refused: the bots
 * stay open to read, copy and export, and the banner above every page says why.
 */
export const ReadOnlyContext = createContext<string | null>(null);

/** Whether the store refuses edits (the banner above the page says why). */
export function useReadOnly(): boolean {
  return useContext(ReadOnlyContext) !== null;
}

/** The reason in the store's status, when it has one. */
export function readOnlyReason(store: StoreState): string | null {
  return store.status === "ready" && store.store.state === "open" ? (store.store.readOnlyReason ?? null) : null;
}
