/**
 * A read from Rust asked for on the click that opens what shows it, rather than from that
 * component's commit. The click's handler calls `ask`; React then renders the page or panel it
 * opened (synchronously, as it does for a click or a key press), and its layout effect `take`s
 * the call already under way instead of starting one. The round trip to Rust overlaps that
 * render, where it used to follow it: a few milliseconds per opening of the builder or a block's
 * panel, on the cold start `make bench` times.
 *
 * An asked call is taken at most once, only with the same arguments, and only in the task that
 * asked (before any timer can run): a component that mounts later, or for something else, asks
 * Rust itself and sees what is current. Asked again for the same thing in that task (one click
 * reaches React Flow's click and selection handlers both), the call under way stands. A failure
 * is left to the taker, who shows it as its own.
 */
export type AskAhead<A extends unknown[], T> = {
  /** Starts the call now, for a component about to mount. */
  ask: (...args: A) => void;
  /** The call asked for with these arguments in this task, else a new one. */
  take: (...args: A) => Promise<T>;
};

export function askAhead<A extends unknown[], T>(call: (...args: A) => Promise<T>): AskAhead<A, T> {
  let asked: { key: string; promise: Promise<T> } | undefined;
  const keyOf = (args: A) => JSON.stringify(args);
  return {
    ask(...args) {
      const key = keyOf(args);
      if (asked?.key === key) return;
      let promise: Promise<T>;
      try {
        promise = call(...args);
      } catch (error) {
        // A call that throws at once (no Tauri around the page) is the taker's rejection.
        promise = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      // Unhandled until taken: nobody may take it, and its failure is the taker's to show.
      promise.catch(() => undefined);
      const entry = { key, promise };
      asked = entry;
      setTimeout(() => {
        if (asked === entry) asked = undefined;
      }, 0);
    },
    take(...args) {
      const entry = asked;
      asked = undefined;
      return entry?.key === keyOf(args) ? entry.promise : call(...args);
    },
  };
}
