import type { KeyboardEvent } from "react";
import { takesTyping } from "../common/takesTyping.ts";

/** Whether a key press asks to delete the selected block (and not a character in a field). */
export function isDeleteKey(event: KeyboardEvent): boolean {
  if (event.key !== "Delete" && event.key !== "Backspace") return false;
  return !takesTyping(event.target);
}
