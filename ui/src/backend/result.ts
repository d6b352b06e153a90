/** A command's answer, as tauri-specta types every command that returns a `Result`. */
export type Answer<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

/**
 * The data of a command's answer. Rejects with the error value Rust returned (an `EditorError`,
 * a `LiveProblem`...), so that a caller shows its message by its field or branches on its code.
 */
export async function unwrap<T, E>(answer: Promise<Answer<T, E>>): Promise<T> {
  const result = await answer;
  if (result.status === "error") {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- callers read `.code`, `.message`, `.field`
    throw result.error;
  }
  return result.data;
}
