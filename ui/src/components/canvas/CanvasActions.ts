import { createContext } from "react";

/** What a node's own buttons do; given by the canvas so node data stays plain and memoised. */
export type CanvasActions = {
  move: (blockId: string, sequenceId: string, to: number) => void;
  selectSequence: (sequenceId: string) => void;
  /** Asks for a new name for a sequence. */
  renameSequence: (sequenceId: string, name: string) => void;
};

export const CanvasActionsContext = createContext<CanvasActions>({
  move: () => undefined,
  selectSequence: () => undefined,
  renameSequence: () => undefined,
});
