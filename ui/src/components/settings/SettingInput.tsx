import { useState } from "react";
import { TextField } from "../common/TextField.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * One setting, saved when the field loses focus or on Enter. `save` is the Rust call; its error
 * shows under the field and the typed value stays until it is fixed.
 */
export function SettingInput({
  label,
  saved,
  hint,
  error,
  inputMode,
  onSave,
}: {
  label: string;
  saved: string;
  hint: string;
  error: string | undefined;
  inputMode?: "text" | "numeric" | "url";
  onSave: (typed: string) => void;
}) {
  // A read-only file keeps its settings: shown, not changed.
  const readOnly = useReadOnly();
  const [typed, setTyped] = useState(saved);
  const [lastSaved, setLastSaved] = useState(saved);
  // A new value from Rust (after a save, or normalised) replaces what is shown.
  if (saved !== lastSaved) {
    setLastSaved(saved);
    setTyped(saved);
  }

  const commit = () => {
    if (typed !== saved || error !== undefined) onSave(typed);
  };

  return (
    <TextField
      label={label}
      value={typed}
      onChange={setTyped}
      error={error}
      hint={hint}
      inputProps={{
        inputMode,
        readOnly,
        onBlur: commit,
        onKeyDown: (event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            commit();
          }
        },
      }}
    />
  );
}
