import { useCallback, useEffect, useRef, useState } from "react";

import {
  editWebhookForm,
  webhookPanel,
  type WebhookForm,
  type WebhookPanel,
} from "../../backend/panel.ts";
import { describeError } from "../../errors/describeError.ts";

/** How long after the last keystroke the form is saved. */
export const AUTOSAVE_DELAY_MS = 300;
/** A failed save is tried again after this long, then twice as long each time... */
export const RETRY_FIRST_MS = 2_000;
/** ...up to this. */
export const RETRY_LONGEST_MS = 30_000;

export type WebhookPanelState = {
  /** The last panel Rust computed; null until the first one arrives. */
  panel: WebhookPanel | null;
  /** Why the panel could not be read. */
  loadError: string | null;
  /** The form as typed here: newer than `panel.form` while a save is pending. */
  form: WebhookForm | null;
  /** Why the last save failed; cleared by the next save that works. */
  saveError: string | null;
  /** Changes the form; saved after a pause in typing. */
  change: (form: WebhookForm) => void;
  /** Saves pending changes now; resolves when saved (or the save failed). */
  flush: () => Promise<void>;
  /**
   * Flushes, then runs an action that answers a whole new panel (undo, rotate, submit…).
   * Resolves true when it worked; a failure was already shown.
   */
  replaceWith: (action: () => Promise<WebhookPanel>) => Promise<boolean>;
  /** Reads the panel again (after a change made elsewhere, e.g. a new sample). */
  reload: () => Promise<void>;
};

/**
 * The webhook panel's data and its autosave.
 *
 * The form is kept here as typed; every change is sent to Rust a moment after the last
 * keystroke (and at once on `flush`). Saves run one at a time, in order. An answer never
 * replaces text typed since its save was sent: only the derived parts of the panel (problems,
 * options, cURL) are taken from it.
 */
export function useWebhookPanel(
  botId: string,
  blockId: string,
  onSaved: () => void,
  onActionError: (message: string) => void,
): WebhookPanelState {
  const [panel, setPanel] = useState<WebhookPanel | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<WebhookForm | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);

  const formRef = useRef<WebhookForm | null>(null);
  /** Counts local edits; `savedSeq` is the last one Rust has. */
  const editSeq = useRef(0);
  const savedSeq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  /** After a failed save: the wait before trying again, doubled each time up to a limit. */
  const retryDelay = useRef(RETRY_FIRST_MS);
  const flushRef = useRef<() => Promise<void>>(() => Promise.resolve());
  /** Retries run while the panel is open; leaving it makes one last attempt (see below). */
  const mounted = useRef(true);
  const inFlight = useRef<Promise<void> | null>(null);
  const onSavedRef = useRef(onSaved);
  const onActionErrorRef = useRef(onActionError);
  useEffect(() => {
    onSavedRef.current = onSaved;
    onActionErrorRef.current = onActionError;
  });

  const applyWhole = useCallback((next: WebhookPanel) => {
    setPanel(next);
    formRef.current = next.form;
    savedSeq.current = editSeq.current;
    setForm(next.form);
  }, []);

  const flush = useCallback(async (): Promise<void> => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    while (inFlight.current !== null) {
      await inFlight.current;
    }
    const sent = formRef.current;
    const seq = editSeq.current;
    if (sent === null || seq === savedSeq.current) {
      return;
    }
    const saving = editWebhookForm(botId, blockId, sent).then(
      (next) => {
        savedSeq.current = Math.max(savedSeq.current, seq);
        retryDelay.current = RETRY_FIRST_MS;
        setSaveError(null);
        // Problems, options and cURL come from the answer; the text stays what is typed here.
        setPanel(next);
        onSavedRef.current();
      },
      (error: unknown) => {
        if (!mounted.current) {
          // The panel was closed while this last save failed: nothing shows `saveError` any
          // more, so the designer is told now (the toasts outlive the panel).
          onActionErrorRef.current(
            `What you last typed in a webhook block was not saved: ${describeError(error)}`,
          );
          return;
        }
        setSaveError(describeError(error));
        // The cause (a locked or read-only file, a full disk) may go away without another
        // keystroke: try again, less and less often, until it is saved or the designer edits.
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
  }, [botId, blockId]);

  useEffect(() => {
    flushRef.current = flush;
  }, [flush]);

  const change = useCallback(
    (next: WebhookForm) => {
      formRef.current = next;
      editSeq.current += 1;
      setForm(next);
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
      timer.current = setTimeout(() => {
        timer.current = null;
        void flush();
      }, AUTOSAVE_DELAY_MS);
    },
    [flush],
  );

  const replaceWith = useCallback(
    async (action: () => Promise<WebhookPanel>) => {
      await flush();
      try {
        applyWhole(await action());
        onSavedRef.current();
        return true;
      } catch (error) {
        onActionErrorRef.current(describeError(error));
        return false;
      }
    },
    [flush, applyWhole],
  );

  const reload = useCallback(async () => {
    await flush();
    try {
      const next = await webhookPanel(botId, blockId);
      if (editSeq.current === savedSeq.current) {
        applyWhole(next);
      } else {
        setPanel(next);
      }
    } catch (error) {
      onActionErrorRef.current(describeError(error));
    }
  }, [botId, blockId, flush, applyWhole]);

  useEffect(() => {
    let live = true;
    webhookPanel(botId, blockId).then(
      (first) => {
        if (live) {
          setLoadError(null);
          applyWhole(first);
        }
      },
      (error: unknown) => {
        if (live) {
          setLoadError(describeError(error));
        }
      },
    );
    return () => {
      live = false;
    };
  }, [botId, blockId, applyWhole]);

  // Leaving the panel (another block, another page, closing the window) saves what is typed.
  useEffect(() => {
    const save = () => {
      void flush();
    };
    mounted.current = true;
    window.addEventListener("pagehide", save);
    window.addEventListener("beforeunload", save);
    return () => {
      window.removeEventListener("pagehide", save);
      window.removeEventListener("beforeunload", save);
      mounted.current = false;
      save();
    };
  }, [flush]);

  return { panel, loadError, form, saveError, change, flush, replaceWith, reload };
}
