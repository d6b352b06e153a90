import type { KeyboardEvent } from "react";

/** Whether a key press asks to delete the selected block (and not a character in a field). */
export function isDeleteKey(event: KeyboardEvent): boolean {
  if (event.key !== "Delete" && event.key !== "Backspace") return false;
  const target = event.target as HTMLElement;
  return target.closest("input, textarea, select, [contenteditable='true']") === null;
}
