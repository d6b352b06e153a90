import { useEffect, useState } from "react";
import { onSyncStatus, syncStatus, type SyncStatusView } from "../backend/sync.ts";

/**
 * The sync state as Rust last sent it: read once when the shell mounts, then kept up to date by
 * the sync status event. `undefined` until the first answer.
 */
export function useSyncStatus(): SyncStatusView | undefined {
  const [status, setStatus] = useState<SyncStatusView | undefined>(undefined);

  useEffect(() => {
    let current = true;
    let unlisten: (() => void) | undefined;
    // Subscribe first, so that a change between the read and the subscription is not missed.
    onSyncStatus((next) => {
      if (current) setStatus(next);
    }).then(
      (stop) => {
        if (current) unlisten = stop;
        else stop();
      },
      () => {
        // Without the event the pill still shows the state read below; it just goes stale.
      },
    );
    syncStatus().then(
      (now) => {
        if (current) setStatus((seen) => seen ?? now);
      },
      () => {
        // The event, when it comes, fills it in.
      },
    );
    return () => {
      current = false;
      unlisten?.();
    };
  }, []);

  return status;
}
