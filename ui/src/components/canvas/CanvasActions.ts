import { createContext } from "react";

/** A sequence a block can be moved to, as a card's "Move to" menu lists it. */
export type SequenceChoice = { id: string; name: string; blocks: number };

/** What a node's own buttons do; given by the canvas so node data stays plain and memoised. */
export type CanvasActions = {
  /**
   * Moves a block to position `to` of a sequence (counted without the block). Resolves true once
   * Rust saved it, false when it was refused (the builder has said why).
   */
  move: (blockId: string, sequenceId: string, to: number) => Promise<boolean>;
  selectSequence: (sequenceId: string) => void;
  /** Asks for a new name for a sequence. */
  renameSequence: (sequenceId: string, name: string) => void;
  /** The bot's sequences in order, for the "Move to" menus. */
  sequences: readonly SequenceChoice[];
  /** Shows a block that was moved out of sight and puts the keyboard focus on it (the canvas). */
  reveal?: (blockId: string) => void;
};

export const CanvasActionsContext = createContext<CanvasActions>({
  move: () => Promise.resolve(false),
  selectSequence: () => undefined,
  renameSequence: () => undefined,
  sequences: [],
});
