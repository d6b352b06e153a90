import { useCallback, useEffect, useState } from "react";
import { moveAsideAndStartFresh, storeStatus, type StoreStatus } from "../backend.ts";
import { describeError } from "../errors/describeError.ts";
import { firstAnswer, release, releaseAll, settledAnswer } from "./firstScreen.ts";
import { sameAnswer } from "./sameAnswer.ts";

export type StoreState =
  | { status: "loading" }
  | { status: "ready"; store: StoreStatus; keptAt?: string }
  | { status: "failed"; message: string };

export type MoveAside = () => Promise<void>;

/**
 * Reads the store's status when the shell mounts (and again on `refresh`), and moves a bad file
 * aside on request.
 */
export function useStore(): { store: StoreState; moveAside: MoveAside; refresh: () => void } {
  // The answer main.tsx asked for before the first render, when it has come.
  const [early] = useState(() => settledAnswer("storeStatus"));
  const [store, setStore] = useState<StoreState>(() => {
    if (early === undefined) return { status: "loading" };
    return early.ok ? { status: "ready", store: early.value } : { status: "failed", message: describeError(early.error) };
  });

  useEffect(() => {
    if (early !== undefined) {
      release("storeStatus");
      return;
    }
    let current = true;
    firstAnswer("storeStatus").then(
      (status) => {
        if (current) setStore({ status: "ready", store: status });
      },
      (error: unknown) => {
        if (current) setStore({ status: "failed", message: describeError(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [early]);

  // Errors reach the caller, which shows them next to the button that was pressed.
  const moveAside = useCallback(async () => {
    const moved = await moveAsideAndStartFresh();
    // The dashboard mounts next; what was read from the old file at start must not be its first state.
    releaseAll();
    setStore({ status: "ready", store: moved.status, keptAt: moved.keptAt });
  }, []);

  // Re-reads the counts (bots) after the pages changed them. A failure says so in the status
  // line rather than leaving an old count there as if it were current.
  const refresh = useCallback(() => {
    storeStatus().then(
      (status) => {
        setStore((before) =>
          before.status === "ready" && sameAnswer(before.store, status)
            ? before
            : { ...before, status: "ready", store: status },
        );
      },
      (error: unknown) => {
        setStore({ status: "failed", message: describeError(error) });
      },
    );
  }, []);

  return { store, moveAside, refresh };
}

/** The last part of a path, whichever separator the platform uses. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
