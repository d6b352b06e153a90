/**
 * Turns anything a failed call can reject with into one sentence for the user.
 *
 * Tauri rejects with a plain string for framework failures (unknown command, denied
 * permission); commands will reject with `{ code, message }`; code that throws gives an
 * `Error`. The UI shows all of them the same way and never branches on the text.
 */
export function describeError(error: unknown): string {
  if (typeof error === "string" && error.trim() !== "") {
    return error;
  }
  if (error instanceof Error && error.message !== "") {
    return error.message;
  }
  if (
    typeof error === "object" &&
    error !== null &&
    "message" in error &&
    typeof error.message === "string" &&
    error.message !== ""
  ) {
    return error.message;
  }
  return "Something went wrong, and the app did not say what.";
}
