import { useId, useState } from "react";

import type { FieldProblem } from "../../backend/panel.ts";
import { ProblemList, problemAttributes } from "./ProblemList.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * Authorization Token: masked, with a reveal toggle, copy and rotate (after a confirmation,
 * since the old token stops working at once).
 */
export function TokenField({
  masked,
  problems,
  onReveal,
  onCopy,
  onRotate,
}: {
  masked: string | null;
  problems: readonly FieldProblem[];
  /** Resolves with the token itself, or null when it could not be read. */
  onReveal: () => Promise<string | null>;
  onCopy: () => void;
  onRotate: () => Promise<void>;
}) {
  const id = useId();
  const readOnly = useReadOnly();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const shown = revealed ?? masked ?? "";

  return (
    <div className="panel-field">
      <label className="field-label" htmlFor={`${id}-token`}>
        Authorization Token
      </label>
      <div className="input-row">
        <input
          id={`${id}-token`}
          className="input mono"
          readOnly
          value={shown}
          placeholder="No token: rotate to issue one"
          spellCheck={false}
          {...problemAttributes(`${id}-problems`, problems)}
        />
        <button
          type="button"
          className="button"
          aria-pressed={revealed !== null}
          disabled={masked === null}
          onClick={() => {
            if (revealed !== null) {
              setRevealed(null);
              return;
            }
            void onReveal().then(setRevealed);
          }}
        >
          Reveal
        </button>
      </div>
      <div className="token-tools">
        <button type="button" className="button" disabled={masked === null} onClick={onCopy}>
          Copy token
        </button>
        <button
          type="button"
          className="button"
          disabled={readOnly}
          onClick={() => {
            setConfirming(true);
          }}
        >
          Rotate token
        </button>
        <p className="field-hint">
          Sent as <code>Authorization: Bearer &lt;token&gt;</code>
        </p>
      </div>
      <ProblemList id={`${id}-problems`} problems={problems} />
      {confirming && (
        <div
          className="confirm"
          role="alertdialog"
          aria-modal="false"
          aria-labelledby={`${id}-confirm-title`}
          aria-describedby={`${id}-confirm-text`}
        >
          <p id={`${id}-confirm-title`} className="confirm-title">
            Rotate the token?
          </p>
          <p id={`${id}-confirm-text`}>
            The old token stops working at once. Any service using it must be updated with the new
            token.
          </p>
          <div className="confirm-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                setConfirming(false);
              }}
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                setConfirming(false);
                setRevealed(null);
                void onRotate();
              }}
            >
              Rotate now
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
