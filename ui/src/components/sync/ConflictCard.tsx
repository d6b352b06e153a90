import { useId, useState } from "react";
import { isEditorError } from "../../backend/builder.ts";
import type { ConflictField, ConflictSide, ConflictView, FieldChoice } from "../../backend/sync.ts";
import { describeError } from "../../errors/describeError.ts";
import { countOf } from "../common/countOf.ts";
import { useReadOnly } from "../../app/readOnly.ts";

type Choices = Record<string, ConflictSide>;

/**
 * One conflict: both versions side by side, one row per field, the rows that differ highlighted
 * with a choice each. Rust says which fields differ and merges the choices; a difference left
 * unchosen comes back as its error, shown on its row.
 */
export function ConflictCard({
  conflict,
  onResolve,
}: {
  conflict: ConflictView;
  /** Sends the choices; rejects with Rust's error when they are refused. */
  onResolve: (choices: FieldChoice[]) => Promise<void>;
}) {
  const titleId = useId();
  // A read-only file cannot take the resolution: the choices can be looked at, not sent.
  const readOnly = useReadOnly();
  const [choices, setChoices] = useState<Choices>({});
  const [error, setError] = useState<{ field: string | null; message: string } | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const [showSame, setShowSame] = useState(false);
  const differing = conflict.fields.filter((field) => field.differs);
  const same = conflict.fields.filter((field) => !field.differs);
  const sameFields = `the ${countOf(same.length, "field", "fields")} that ${same.length === 1 ? "is" : "are"} the same on both`;

  const chooseAll = (side: ConflictSide) => {
    setChoices(Object.fromEntries(differing.map((field) => [field.path, side])));
    setError(undefined);
  };

  const resolve = () => {
    setSending(true);
    setError(undefined);
    const chosen: FieldChoice[] = Object.entries(choices).map(([path, side]) => ({ path, side }));
    onResolve(chosen).then(
      () => {
        setSending(false);
      },
      (failure: unknown) => {
        setSending(false);
        setError({ field: isEditorError(failure) ? failure.field : null, message: describeError(failure) });
      },
    );
  };

  return (
    <section className="panel conflict" aria-labelledby={titleId} data-testid="conflict">
      <header className="conflict-header">
        <div>
          <h2 id={titleId}>{conflict.title}</h2>
          <p className="muted">
            Changed on this computer and on the server. Choose which version of each differing field to keep;
            nothing is overwritten until you resolve.
          </p>
        </div>
        <div className="conflict-shortcuts">
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              chooseAll("mine");
            }}
          >
            Keep all mine
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              chooseAll("theirs");
            }}
          >
            Take all theirs
          </button>
        </div>
      </header>
      <table className="conflict-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">On this computer</th>
            <th scope="col">On the server</th>
          </tr>
        </thead>
        <tbody>
          {differing.map((field) => (
            <FieldRow
              key={field.path}
              field={field}
              group={`${titleId}-${field.path}`}
              chosen={choices[field.path]}
              missing={error?.field === field.path}
              onChoose={(side) => {
                setChoices((all) => ({ ...all, [field.path]: side }));
                if (error?.field === field.path) setError(undefined);
              }}
            />
          ))}
          {showSame &&
            same.map((field) => (
              <SameRow key={field.path} field={field} />
            ))}
        </tbody>
      </table>
      {same.length > 0 && (
        <button
          type="button"
          className="link-button conflict-same-toggle"
          aria-expanded={showSame}
          onClick={() => {
            setShowSame((shown) => !shown);
          }}
        >
          {showSame ? `Hide ${sameFields}` : `Show ${sameFields}`}
        </button>
      )}
      <footer className="conflict-footer">
        <p className="muted">
          {Object.keys(choices).length} of {differing.length} differing {differing.length === 1 ? "field" : "fields"}{" "}
          chosen
        </p>
        {error !== undefined && (
          <p className="inline-error" role="alert">
            {error.message}
          </p>
        )}
        <button type="button" className="button button-primary" onClick={resolve} disabled={sending || readOnly}>
          {sending ? "Resolving…" : "Resolve"}
        </button>
      </footer>
    </section>
  );
}

function SameRow({ field }: { field: ConflictField }) {
  return (
    <tr className="conflict-row conflict-row-same">
      <th scope="row">{field.label}</th>
      <td colSpan={2}>
        <span className="conflict-value">{field.mine}</span>
        <span className="conflict-same-note">same on both</span>
      </td>
    </tr>
  );
}

function FieldRow({
  field,
  group,
  chosen,
  missing,
  onChoose,
}: {
  field: ConflictField;
  group: string;
  chosen: ConflictSide | undefined;
  missing: boolean;
  onChoose: (side: ConflictSide) => void;
}) {
  const cell = (side: ConflictSide, value: string, where: string) => (
    <td className={chosen === side ? "conflict-cell conflict-cell-chosen" : "conflict-cell"}>
      <label className="conflict-choice">
        <input
          type="radio"
          name={group}
          value={side}
          checked={chosen === side}
          aria-label={`${field.label}: keep the value ${where}`}
          onChange={() => {
            onChoose(side);
          }}
        />
        <span className="conflict-value">{value}</span>
      </label>
    </td>
  );
  return (
    <tr
      className={missing ? "conflict-row conflict-row-differs conflict-row-missing" : "conflict-row conflict-row-differs"}
      data-field={field.path}
    >
      <th scope="row">{field.label}</th>
      {cell("mine", field.mine, "on this computer")}
      {cell("theirs", field.theirs, "on the server")}
    </tr>
  );
}
