import { useEffect, useState } from "react";
import { onSyncStatus, syncStatus, type SyncStatusView } from "../backend/sync.ts";
import { release, settledAnswer } from "./firstScreen.ts";
import { sameAnswer } from "./sameAnswer.ts";

/**
 * The sync state as Rust last sent it: read once when the shell mounts, then kept up to date by
 * the sync status event. `undefined` until the first answer.
 */
export function useSyncStatus(): SyncStatusView | undefined {
  // The answer main.tsx asked for before the first render, when it has come.
  const [early] = useState(() => settledAnswer("syncStatus"));
  const [status, setStatus] = useState<SyncStatusView | undefined>(early?.ok ? early.value : undefined);

  useEffect(() => {
    let current = true;
    let unlisten: (() => void) | undefined;
    // Subscribe first, so that a change between the read and the subscription is not missed.
    onSyncStatus((next) => {
      if (current) setStatus((seen) => (sameAnswer(seen, next) ? seen : next));
    }).then(
      (stop) => {
        if (current) unlisten = stop;
        else stop();
      },
      () => {
        // Without the event the pill still shows the state read below; it just goes stale.
      },
    );
    // Read again even with an early answer (which only fills the first frame): the state may have
    // changed before the subscription above existed.
    release("syncStatus");
    syncStatus().then(
      (now) => {
        if (!current) return;
        setStatus((seen) => {
          const next = early?.ok && seen === early.value ? now : (seen ?? now);
          return sameAnswer(seen, next) ? seen : next;
        });
      },
      () => {
        // The event, when it comes, fills it in.
      },
    );
    return () => {
      current = false;
      unlisten?.();
    };
  }, [early]);

  return status;
}
