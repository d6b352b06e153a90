/**
 * Names a moment of the window's start in the page's performance timeline (`performance.mark`),
 * where the WebKit inspector shows it and `make bench` reads it to say where a cold start goes.
 * Costs next to nothing; a test environment without the API just skips it.
 */
export function markStep(name: string): void {
  if (typeof performance !== "undefined" && typeof performance.mark === "function") performance.mark(name);
}
