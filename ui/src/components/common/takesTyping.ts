/**
 * Whether `target` is (or is inside) something the designer types into: a text field, a text
 * area, a select or an editable region. A key pressed there is a character, not a command, and
 * what is typed there must not scroll away from under the caret. Inputs that are pressed, not
 * typed into (buttons, checkboxes, radios), are not.
 */
export function takesTyping(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest(TYPING) !== null;
}

const TYPING = [
  "textarea",
  "select",
  "[contenteditable]:not([contenteditable='false'])",
  "input:not([type='button'], [type='checkbox'], [type='radio'], [type='submit'], [type='reset'])",
].join(", ");
