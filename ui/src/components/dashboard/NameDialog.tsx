import { useState } from "react";
import { errorFor } from "../../backend/builder.ts";
import { describeError } from "../../errors/describeError.ts";
import { Dialog } from "../common/Dialog.tsx";
import { TextField } from "../common/TextField.tsx";

/**
 * Asks for a name and hands it to `onSubmit` (a Rust command). Rust's error for the name shows
 * under the field; any other error shows above the buttons. What was typed stays either way.
 */
export function NameDialog({
  title,
  label,
  initial = "",
  submitLabel,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  initial?: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const fieldError = errorFor(error, "name");
  const otherError = error !== undefined && fieldError === undefined ? describeError(error) : undefined;

  return (
    <Dialog title={title} onClose={onClose}>
      <form
        className="dialog-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          onSubmit(name).then(
            () => {
              setBusy(false);
            },
            (failure: unknown) => {
              setError(failure);
              setBusy(false);
            },
          );
        }}
      >
        <TextField label={label} value={name} onChange={setName} error={fieldError} />
        {otherError !== undefined && (
          <p className="field-error" role="alert">
            {otherError}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
