import { useCallback, useEffect, useRef, useState } from "react";

import {
  editWebhookForm,
  webhookPanel,
  type WebhookForm,
  type WebhookPanel,
} from "../../backend/panel.ts";
import { describeError } from "../../errors/describeError.ts";
import { useAutosave } from "../common/useAutosave.ts";

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
 * The webhook panel's state: the form as typed (autosaved through `useAutosave`) and the panel
 * Rust computes from what is saved. An answer to a save updates problems, options and cURL, never
 * the text being typed.
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
  const onSavedRef = useRef(onSaved);
  const onActionErrorRef = useRef(onActionError);
  useEffect(() => {
    onSavedRef.current = onSaved;
    onActionErrorRef.current = onActionError;
  });

  // Nothing is typed (and so nothing saved) before the first panel arrives with the stored form.
  const autosave = useAutosave<WebhookForm | null>(
    null,
    async (typed) => {
      if (typed === null) return;
      setPanel(await editWebhookForm(botId, blockId, typed));
      onSavedRef.current();
    },
    (message) => {
      onActionErrorRef.current(`A webhook block: ${message}`);
    },
  );
  const { flush, markSaved, hasPending } = autosave;

  const applyWhole = useCallback(
    (next: WebhookPanel) => {
      setPanel(next);
      markSaved(next.form);
      setForm(next.form);
    },
    [markSaved],
  );

  const change = useCallback(
    (next: WebhookForm) => {
      setForm(next);
      autosave.change(next);
    },
    [autosave],
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
      if (hasPending()) setPanel(next);
      else applyWhole(next);
    } catch (error) {
      onActionErrorRef.current(describeError(error));
    }
  }, [botId, blockId, flush, hasPending, applyWhole]);

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
        if (live) setLoadError(describeError(error));
      },
    );
    return () => {
      live = false;
    };
  }, [botId, blockId, applyWhole]);

  return { panel, loadError, form, saveError: autosave.saveError, change, flush, replaceWith, reload };
}
