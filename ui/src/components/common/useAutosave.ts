import { useCallback, useEffect, useRef, useState } from "react";
import type { EditorErrorCode } from "../../backend/builder.ts";
import { describeError } from "../../errors/describeError.ts";

/** The code Rust answers a save with when the block was changed elsewhere since its base. */
export const CHANGED_ELSEWHERE: EditorErrorCode = "changed_elsewhere";

/** Whether a failed save was refused because a teammate changed the block meanwhile. */
export function isChangedElsewhere(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === CHANGED_ELSEWHERE;
}

/** Saved this long after the last keystroke (and at once on blur, navigation and close). */
export const AUTOSAVE_DELAY_MS = 300;
/** A failed save is tried again after this long, then twice as long each time... */
export const RETRY_FIRST_MS = 2_000;
/** ...up to this. */
export const RETRY_LONGEST_MS = 30_000;

export type Autosave<V> = {
  /** Records a new value as typed; it is saved after a pause in typing. */
  change: (value: V) => void;
  /** Saves the pending value now; resolves when saved (or the save failed). */
  flush: () => Promise<void>;
  /** Whether a typed value is not saved yet. */
  hasPending: () => boolean;
  /** Says that everything typed so far is what is stored (after an undo, a fresh load...). */
  markSaved: (value: V) => void;
  /** Why the last save failed; cleared by the next save that works. */
  saveError: string | null;
};

/**
 * Autosave of what a panel's fields hold, shared by the webhook and message panels: debounced,
 * one save at a time and in order, never answered by an older save, tried again by itself after
 * a failure (a locked or read-only store may come back without another keystroke), and saved
 * once more when the panel closes or the window goes away. A last save that fails after the
 * panel closed is reported through `onLostAfterClose`, since nothing shows `saveError` then.
 */
export function useAutosave<V>(
  initial: V,
  save: (value: V, base: V) => Promise<void>,
  onLostAfterClose: (message: string) => void,
  onChangedElsewhere?: (error: unknown) => void,
): Autosave<V> {
  const [saveError, setSaveError] = useState<string | null>(null);
  const value = useRef(initial);
  /**
   * What the store holds as far as this window knows: the value of the last save that worked
   * (saves go one at a time, in order), or the last one marked saved. Each save is based on it,
   * so Rust can tell a change made elsewhere meanwhile from this window's own earlier saves.
   */
  const base = useRef(initial);
  /** Counts local edits; `savedSeq` is the last one the store has. */
  const editSeq = useRef(0);
  const savedSeq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const retryDelay = useRef(RETRY_FIRST_MS);
  const mounted = useRef(true);
  const saveRef = useRef(save);
  const lostRef = useRef(onLostAfterClose);
  const elsewhereRef = useRef(onChangedElsewhere);
  const flushRef = useRef<() => Promise<void>>(() => Promise.resolve());
  useEffect(() => {
    saveRef.current = save;
    lostRef.current = onLostAfterClose;
    elsewhereRef.current = onChangedElsewhere;
  });

  const flush = useCallback(async (): Promise<void> => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    while (inFlight.current !== null) {
      await inFlight.current;
    }
    const seq = editSeq.current;
    if (seq === savedSeq.current) return;
    const sent = value.current;
    const saving = saveRef.current(sent, base.current).then(
      () => {
        savedSeq.current = Math.max(savedSeq.current, seq);
        base.current = sent;
        retryDelay.current = RETRY_FIRST_MS;
        setSaveError(null);
      },
      (error: unknown) => {
        if (isChangedElsewhere(error)) {
          // Kept by Rust in Sync conflicts, not written: trying again would meet the same
          // change. Whoever owns the value reads the stored one again.
          savedSeq.current = Math.max(savedSeq.current, seq);
          setSaveError(null);
          if (mounted.current) elsewhereRef.current?.(error);
          else lostRef.current(describeError(error));
          return;
        }
        if (!mounted.current) {
          lostRef.current(`What you last typed was not saved: ${describeError(error)}`);
          return;
        }
        setSaveError(describeError(error));
        if (timer.current === null) {
          const wait = retryDelay.current;
          retryDelay.current = Math.min(wait * 2, RETRY_LONGEST_MS);
          timer.current = setTimeout(() => {
            timer.current = null;
            void flushRef.current();
          }, wait);
        }
      },
    );
    inFlight.current = saving.finally(() => {
      inFlight.current = null;
    });
    await inFlight.current;
  }, []);

  useEffect(() => {
    flushRef.current = flush;
  }, [flush]);

  const change = useCallback(
    (next: V) => {
      value.current = next;
      editSeq.current += 1;
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        timer.current = null;
        void flush();
      }, AUTOSAVE_DELAY_MS);
    },
    [flush],
  );

  const hasPending = useCallback(() => editSeq.current !== savedSeq.current, []);
  const markSaved = useCallback((stored: V) => {
    value.current = stored;
    base.current = stored;
    savedSeq.current = editSeq.current;
  }, []);

  // Leaving the panel (another block, another page, closing the window) saves what is typed.
  useEffect(() => {
    mounted.current = true;
    const onLeave = () => {
      void flush();
    };
    window.addEventListener("pagehide", onLeave);
    window.addEventListener("beforeunload", onLeave);
    return () => {
      window.removeEventListener("pagehide", onLeave);
      window.removeEventListener("beforeunload", onLeave);
      mounted.current = false;
      onLeave();
    };
  }, [flush]);

  return { change, flush, hasPending, markSaved, saveError };
}
