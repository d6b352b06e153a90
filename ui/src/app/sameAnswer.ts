/**
 * Whether two answers from Rust say the same thing. They are plain JSON values serialized by
 * serde, whose fields always come in the same order, so comparing their JSON is exact. A hook
 * that is handed an answer equal to the one it holds keeps the old value, and React skips the
 * re-render: the status line's store count, read again on every navigation, would otherwise
 * re-render the whole window (the page being opened with it) for nothing.
 */
export function sameAnswer(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
