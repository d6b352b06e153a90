import { useEffect, useRef } from "react";
import { onRemoteChanges } from "../backend/sync.ts";

/**
 * Calls `handler` with the ids of the bots sync changed here with the team's changes, so a page
 * reads them again. Without the event (a test, a failed subscription) nothing is called.
 */
export function useRemoteChanges(handler: (bots: string[]) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });

  useEffect(() => {
    let current = true;
    let unlisten: (() => void) | undefined;
    onRemoteChanges((bots) => {
      if (current) latest.current(bots);
    }).then(
      (stop) => {
        if (current) unlisten = stop;
        else stop();
      },
      () => {
        // No event: the page still shows what it read, and reads again when opened.
      },
    );
    return () => {
      current = false;
      unlisten?.();
    };
  }, []);
}
