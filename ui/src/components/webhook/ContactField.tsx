import { useId } from "react";

import type { ContactHint, FieldProblem } from "../../backend/panel.ts";
import { ProblemList, problemAttributes } from "./ProblemList.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * Contact Reference ID: who the bot reaches. Rust says what it expects (a phone number for
 * WhatsApp and SMS), the number in its normal form, and the variables that may stand for it.
 */
export function ContactField({
  value,
  hint,
  problems,
  onChange,
}: {
  value: string;
  hint: ContactHint;
  problems: readonly FieldProblem[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  const readOnly = useReadOnly();
  const offeredByProblem = problems.some((p) => p.suggestion === hint.normalised);
  return (
    <div className="panel-field">
      <label className="field-label" htmlFor={`${id}-input`}>
        Contact Reference ID
      </label>
      <input
        id={`${id}-input`}
        className="input mono"
        placeholder={hint.placeholder}
        spellCheck={false}
        data-field="contactReferenceId"
        readOnly={readOnly}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
        {...problemAttributes(`${id}-problems`, problems)}
      />
      <p className="field-hint">
        {hint.expectsPhone
          ? "The contact's mobile number with its country code, or a variable holding it."
          : "A contact id, or a variable such as {sys_contact_reference_id}."}
      </p>
      <ProblemList id={`${id}-problems`} problems={problems} onUse={onChange} />
      {hint.normalised !== null && !offeredByProblem && !readOnly && (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            if (hint.normalised !== null) {
              onChange(hint.normalised);
            }
          }}
        >
          Use {hint.normalised}
        </button>
      )}
      {hint.offers.length > 0 && !readOnly && (
        <div className="chips" aria-label="Variables for Contact Reference ID" role="group">
          {hint.offers.map((offer) => (
            <button
              key={offer}
              type="button"
              className="chip"
              onClick={() => {
                onChange(offer);
              }}
            >
              {offer}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
