import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import {
  editWebhookForm,
  webhookPanel,
  type WebhookForm,
  type WebhookPanel,
} from "../../backend/panel.ts";
import { describeError } from "../../errors/describeError.ts";
import { useRemoteChanges } from "../../app/useRemoteChanges.ts";
import { useAutosave } from "../common/useAutosave.ts";
import { webhookPanelAhead } from "../../app/aheadOfClicks.ts";
import { markStep } from "../../app/marks.ts";

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
 * the text being typed. Each save is based on the form last saved (or loaded); when a teammate
 * changed the block meanwhile Rust keeps the edit in Sync conflicts, and the panel shows the
 * stored version and calls `onChangedElsewhere` with Rust's message. A pull that changed the bot
 * shows the team's version when nothing typed is waiting.
 */
export function useWebhookPanel(
  botId: string,
  blockId: string,
  onSaved: () => void,
  onActionError: (message: string) => void,
  onChangedElsewhere: (message: string) => void = onActionError,
): WebhookPanelState {
  const [panel, setPanel] = useState<WebhookPanel | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<WebhookForm | null>(null);
  const onSavedRef = useRef(onSaved);
  const onActionErrorRef = useRef(onActionError);
  const onChangedElsewhereRef = useRef(onChangedElsewhere);
  useEffect(() => {
    onSavedRef.current = onSaved;
    onActionErrorRef.current = onActionError;
    onChangedElsewhereRef.current = onChangedElsewhere;
  });

  // Reads the stored block again and shows it, unless something typed is waiting to be saved
  // (then only what Rust computes is refreshed; the typing is saved, or kept as a conflict).
  const showStored = useRef<() => Promise<void>>(() => Promise.resolve());

  // Nothing is typed (and so nothing saved) before the first panel arrives with the stored form.
  const autosave = useAutosave<WebhookForm | null>(
    null,
    async (typed, base) => {
      if (typed === null || base === null) return;
      setPanel(await editWebhookForm(botId, blockId, base, typed));
      onSavedRef.current();
    },
    (message) => {
      onActionErrorRef.current(`A webhook block: ${message}`);
    },
    (error) => {
      // A teammate changed the block meanwhile: the edit was kept in Sync conflicts. Show their
      // version, and say where the designer's went.
      onChangedElsewhereRef.current(describeError(error));
      void showStored.current();
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

  useEffect(() => {
    showStored.current = async () => {
      try {
        const next = await webhookPanel(botId, blockId);
        if (hasPending()) setPanel(next);
        else applyWhole(next);
      } catch (error) {
        onActionErrorRef.current(describeError(error));
      }
    };
  }, [botId, blockId, hasPending, applyWhole]);

  // A pull changed this bot: with nothing typed waiting, the panel shows the team's version.
  useRemoteChanges((bots) => {
    if (bots.includes(botId) && !hasPending()) void showStored.current();
  });

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

  // Read as the panel is committed, before its first frame is painted: the read the click that
  // selected the block started (see app/askAhead.ts), else a new one.
  useLayoutEffect(() => {
    let live = true;
    webhookPanelAhead.take(botId, blockId).then(
      (first) => {
        if (live) {
          markStep("ui: webhook panel answered");
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
