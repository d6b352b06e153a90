import { createContext, useContext } from "react";

/**
 * Opens the Sync conflicts view, for a component deep in a page (a panel's toast after an edit
 * was kept as a conflict). Without a provider (a unit test of a lone component) it is `null`.
 */
export const OpenConflictsContext = createContext<(() => void) | null>(null);

/** The way to the Sync conflicts view, when the window has one. */
export function useOpenConflicts(): (() => void) | null {
  return useContext(OpenConflictsContext);
}
