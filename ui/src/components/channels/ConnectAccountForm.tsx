import { useState } from "react";
import {
  errorFor,
  isEditorError,
  type AccountInput,
  type ChannelRow,
  type ChannelsView,
} from "../../backend/builder.ts";
import { describeError } from "../../errors/describeError.ts";
import { TextField } from "../common/TextField.tsx";

/**
 * "Connect account" for one channel. Rust checks the name, alias and number; its error shows by
 * the field it names, and what was typed stays until it is fixed.
 */
export function ConnectAccountForm({
  channel,
  onConnect,
  onCancel,
}: {
  channel: ChannelRow;
  onConnect: (input: AccountInput) => Promise<ChannelsView>;
  onCancel: () => void;
}) {
  const [name, setName] = useState("");
  const [alias, setAlias] = useState("");
  const [phoneNumber, setPhoneNumber] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const byField = isEditorError(error) && ["name", "alias", "phoneNumber"].includes(error.field ?? "");
  const otherError = error !== undefined && !byField ? describeError(error) : undefined;

  return (
    <form
      className="connect-form"
      aria-label={`Connect a ${channel.label} account`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        onConnect({ name, alias, phoneNumber }).then(
          () => {
            setBusy(false);
          },
          (failure: unknown) => {
            setBusy(false);
            setError(failure);
          },
        );
      }}
    >
      <div className="connect-form-fields">
        <TextField
          label="Account name"
          value={name}
          onChange={setName}
          error={errorFor(error, "name")}
        />
        <TextField
          label="Alias"
          value={alias}
          onChange={setAlias}
          error={errorFor(error, "alias")}
          hint="Optional. Requests name the account by its alias; left empty, it is made from the name."
        />
        {channel.usesPhoneNumbers && (
          <TextField
            label="Phone number"
            value={phoneNumber}
            onChange={setPhoneNumber}
            error={errorFor(error, "phoneNumber")}
            hint="The account’s own number, with its country code."
            inputProps={{ inputMode: "tel", placeholder: "+14155550123" }}
          />
        )}
      </div>
      {otherError !== undefined && (
        <p className="field-error" role="alert">
          {otherError}
        </p>
      )}
      <div className="connect-form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          Connect account
        </button>
      </div>
    </form>
  );
}
