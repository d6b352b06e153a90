import { useState } from "react";
import { changeSetting, isEditorError, type SettingsView } from "../../backend/builder.ts";
import { saveSync, testConnection, type ConnectionView, type SyncTarget, type SyncView } from "../../backend/sync.ts";
import { describeError } from "../../errors/describeError.ts";
import { TextField } from "../common/TextField.tsx";
import { useToast } from "../toast/useToast.ts";
import { useReadOnly } from "../../app/readOnly.ts";

type Errors = { baseUrl?: string | undefined; apiKey?: string | undefined };
type Answer = { status: "idle" } | { status: "testing" } | { status: "done"; view: ConnectionView };

/**
 * The Sync section of Settings: local only, or a team server (its address and API key). Rust
 * checks what is typed, tests the connection and saves; an error shows under its field and what
 * was typed stays. Once saved, the key is only ever shown masked: a new one replaces it.
 */
export function SyncSettings({ view, onSaved }: { view: SyncView; onSaved: (settings: SettingsView) => void }) {
  const toast = useToast();
  // A read-only file keeps its sync settings: shown, and the connection can be tested.
  const readOnly = useReadOnly();
  const [target, setTarget] = useState<SyncTarget>(view.target);
  const [baseUrl, setBaseUrl] = useState(view.baseUrl);
  const [newKey, setNewKey] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [answer, setAnswer] = useState<Answer>({ status: "idle" });
  const [saving, setSaving] = useState(false);
  const [lastSaved, setLastSaved] = useState(view);
  // A changed view from Rust (after this section was saved) replaces what is shown; another
  // setting's save leaves what is typed here alone.
  if (JSON.stringify(view) !== JSON.stringify(lastSaved)) {
    setLastSaved(view);
    setTarget(view.target);
    setBaseUrl(view.baseUrl);
  }

  const fieldErrors = (error: unknown): boolean => {
    if (!isEditorError(error) || (error.field !== "baseUrl" && error.field !== "apiKey")) return false;
    setErrors({ [error.field]: error.message });
    return true;
  };

  const test = () => {
    setAnswer({ status: "testing" });
    setErrors({});
    testConnection(baseUrl, newKey).then(
      (result) => {
        setAnswer({ status: "done", view: result });
      },
      (error: unknown) => {
        setAnswer({ status: "idle" });
        if (!fieldErrors(error)) toast.show(describeError(error), "error");
      },
    );
  };

  const save = () => {
    setSaving(true);
    saveSync({ target, baseUrl, newKey }).then(
      (settings) => {
        setSaving(false);
        setErrors({});
        setNewKey("");
        setAnswer({ status: "idle" });
        onSaved(settings);
        toast.show(target === "remote" ? "Saved: syncing with the team server" : "Saved: bots stay on this computer");
      },
      (error: unknown) => {
        setSaving(false);
        if (!fieldErrors(error)) toast.show(describeError(error), "error");
      },
    );
  };

  const useServerForUrls = (url: string) => {
    changeSetting({ key: "apiBase", value: url }).then(
      (settings) => {
        onSaved(settings);
        toast.show("Production URLs now start with the team server's address");
      },
      (error: unknown) => {
        toast.show(describeError(error), "error");
      },
    );
  };

  const choose = (next: SyncTarget) => {
    setTarget(next);
    setAnswer({ status: "idle" });
  };

  return (
    <form
      className="form-stack sync-settings"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <fieldset className="radio-group" disabled={readOnly}>
        <legend className="field-label">Sync target</legend>
        <label className="radio">
          <input
            type="radio"
            name="sync-target"
            value="local"
            checked={target === "local"}
            onChange={() => {
              choose("local");
            }}
          />
          <span>
            Local only
            <span className="field-hint">Bots stay in this computer’s database.</span>
          </span>
        </label>
        <label className="radio">
          <input
            type="radio"
            name="sync-target"
            value="remote"
            checked={target === "remote"}
            onChange={() => {
              choose("remote");
            }}
          />
          <span>
            Remote API
            <span className="field-hint">
              Every change is also sent to your team’s server, and theirs come here. Edits made offline are sent
              when the server is back.
            </span>
          </span>
        </label>
      </fieldset>

      {target === "remote" && (
        <div className="sync-remote">
          <TextField
            label="Server address"
            value={baseUrl}
            onChange={(typed) => {
              setBaseUrl(typed);
              // An answer about another address would mislead.
              setAnswer({ status: "idle" });
            }}
            error={errors.baseUrl}
            hint="The team server’s base URL, like https://studio.example.com (http only for this computer, 127.0.0.1)."
            inputProps={{ inputMode: "url", placeholder: "https://studio.example.com", readOnly }}
          />
          <TextField
            label={view.keyMasked === null ? "API key" : "Replace key"}
            value={newKey}
            onChange={(typed) => {
              setNewKey(typed);
              setAnswer({ status: "idle" });
            }}
            error={errors.apiKey}
            hint={
              view.keyMasked === null ? (
                "The team’s key, starting with whsk_. It is kept in this computer’s studio.db, like the webhook tokens."
              ) : (
                <>
                  Saved key <code className="sync-key-masked">{view.keyMasked}</code>. Leave this empty to keep it.
                </>
              )
            }
            inputProps={{ type: "password", placeholder: view.keyMasked === null ? "whsk_…" : "A new key", readOnly }}
          />
          <div className="sync-actions">
            <button type="button" className="button" onClick={test} disabled={answer.status === "testing"}>
              {answer.status === "testing" ? "Testing…" : "Test connection"}
            </button>
          </div>
          <div className="sync-answer-slot" role="status" data-testid="connection-answer">
            {answer.status === "done" && <ConnectionAnswer view={answer.view} />}
          </div>
        </div>
      )}

      <div className="sync-actions">
        <button type="submit" className="button button-primary" disabled={saving || readOnly}>
          {saving ? "Saving…" : "Save"}
        </button>
      </div>

      {view.suggestedApiBase !== null && !readOnly && (
        <SuggestedApiBase url={view.suggestedApiBase} onUse={useServerForUrls} />
      )}
    </form>
  );
}

function ConnectionAnswer({ view }: { view: ConnectionView }) {
  const ok = view.check === "connected";
  return (
    <div className={ok ? "sync-answer sync-answer-ok" : "sync-answer sync-answer-failed"} data-check={view.check}>
      <p className="sync-answer-headline">{view.headline}</p>
      <p className="sync-answer-message">{view.message}</p>
    </div>
  );
}

function SuggestedApiBase({ url, onUse }: { url: string; onUse: (url: string) => void }) {
  return (
    <div className="sync-suggestion" role="note">
      <p>
        Production webhook URLs still start with the default address. Use <code>{url}</code> instead, so a copied
        production cURL reaches the team server?
      </p>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          onUse(url);
        }}
      >
        Use the server’s address
      </button>
    </div>
  );
}
