import { useState } from "react";
import { exportBot, importBot, type BotCard, type ImportAnswer } from "../../backend/builder.ts";
import { describeError } from "../../errors/describeError.ts";
import { ConfirmDialog, Dialog } from "../common/Dialog.tsx";
import { useToast } from "../toast/useToast.ts";

/**
 * Export of one bot: asks whether the tokens go into the file (they do not by default: an
 * export is meant to be shared or kept in git), then Rust asks where to save it.
 */
export function ExportDialog({ bot, onClose }: { bot: BotCard; onClose: () => void }) {
  const toast = useToast();
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const run = () => {
    setBusy(true);
    setError(undefined);
    exportBot(bot.id, includeSecrets).then(
      (receipt) => {
        setBusy(false);
        if (receipt.path !== null) toast.show(receipt.message);
        onClose();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(describeError(failure));
      },
    );
  };

  return (
    <Dialog title={`Export ${bot.name}`} onClose={onClose}>
      <div className="dialog-body">
        <p>
          The bot is saved as a bot document (JSON): its flow, channels, variables and every block, ready
          to import on another computer or keep in git.
        </p>
        <label className="checkbox-row">
          <input
            type="checkbox"
            checked={includeSecrets}
            onChange={(event) => {
              setIncludeSecrets(event.target.checked);
            }}
          />
          Include the tokens
        </label>
        <p className="muted">
          {includeSecrets
            ? "Anyone with the file can send data to this bot's webhooks: keep it private."
            : "Without them, an import gives each webhook block a new token."}
        </p>
      </div>
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button-primary" onClick={run} disabled={busy}>
          Export…
        </button>
      </div>
    </Dialog>
  );
}

type Step =
  | { kind: "replace"; path: string; name: string }
  | { kind: "refused"; message: string; problems: string[] }
  | null;

/**
 * "Import bot…": Rust asks for the file and checks it whole. An existing bot is replaced only
 * after the designer agrees; a refused document lists every problem with its JSON pointer.
 */
export function useImport(onImported: (botId: string) => void) {
  const toast = useToast();
  const [step, setStep] = useState<Step>(null);
  const [busy, setBusy] = useState(false);

  const handle = (answer: ImportAnswer | null) => {
    setBusy(false);
    if (answer === null) return;
    const { outcome } = answer;
    switch (outcome.outcome) {
      case "imported":
        setStep(null);
        toast.show(outcome.message);
        onImported(outcome.botId);
        break;
      case "alreadyExists":
        setStep({ kind: "replace", path: answer.path, name: outcome.existingName });
        break;
      case "refused":
        setStep({ kind: "refused", message: outcome.message, problems: outcome.problems });
        break;
    }
  };
  const fail = (failure: unknown) => {
    setBusy(false);
    toast.show(describeError(failure), "error");
  };
  const start = () => {
    setBusy(true);
    importBot(null, false).then(handle, fail);
  };

  const dialogs =
    step?.kind === "replace" ? (
      <ConfirmDialog
        title={`Replace ${step.name}?`}
        confirmLabel="Replace bot"
        busy={busy}
        onCancel={() => {
          setStep(null);
        }}
        onConfirm={() => {
          setBusy(true);
          importBot(step.path, true).then(handle, fail);
        }}
      >
        <p>
          The file holds a bot that is already here: {step.name}. Replacing it overwrites its flow, channels
          and blocks with the file&apos;s.
        </p>
      </ConfirmDialog>
    ) : step?.kind === "refused" ? (
      <Dialog
        title="Nothing was imported"
        onClose={() => {
          setStep(null);
        }}
      >
        <div className="dialog-body">
          <p>{step.message}</p>
          <ul className="problem-list">
            {step.problems.map((problem) => (
              <li key={problem}>
                <code>{problem}</code>
              </li>
            ))}
          </ul>
        </div>
        <div className="dialog-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setStep(null);
            }}
          >
            Close
          </button>
        </div>
      </Dialog>
    ) : null;

  return { start, busy, dialogs };
}
