import { useId } from "react";
import type { FieldProblem, Mapping, MappingRowView, VariableOption } from "../../backend/panel.ts";
import { Icon } from "../common/Icon.tsx";
import { ProblemList, problemAttributes } from "./ProblemList.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

const SOURCE_NOTE: Record<VariableOption["source"], string> = {
  built_in: "built-in",
  bot: "bot variable",
  new_here: "new",
};

/**
 * Save in variables: rows of Data (a path into the request body) to Set Variable (a bot
 * variable, or a new one created on submit).
 */
export function MappingsTable({
  rows,
  saved,
  variables,
  problemsOf,
  onChange,
}: {
  rows: readonly Mapping[];
  /** The rows as Rust read them when last saved: which Set Variable creates a variable. */
  saved: readonly MappingRowView[];
  variables: readonly VariableOption[];
  /** The problems shown now under a row's field (`mappingData:2`, `mappingVariable:2`). */
  problemsOf: (key: string) => FieldProblem[];
  onChange: (rows: Mapping[]) => void;
}) {
  const id = useId();
  // A read-only file: the rows can be read (and their text selected), not changed.
  const readOnly = useReadOnly();
  const listId = `${id}-variables`;
  const setRow = (index: number, patch: Partial<Mapping>) => {
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  };
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (row !== undefined) {
      next.splice(index + by, 0, row);
      onChange(next);
    }
  };

  return (
    <section className="panel-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="section-title">
        Save in variables
      </h3>
      <datalist id={listId}>
        {variables.map((v) => (
          <option key={v.name} value={v.name} label={`${v.name} (${SOURCE_NOTE[v.source]})`} />
        ))}
      </datalist>
      {rows.length === 0 ? (
        <p className="field-hint">
          {readOnly ? "No rows." : "No rows yet. Add one, or pick a field of the sample body below."}
        </p>
      ) : (
        <div className="mapping-head" aria-hidden="true">
          <span>Data</span>
          <span>Set Variable</span>
        </div>
      )}
      <ol className="mapping-rows">
        {rows.map((row, i) => {
          const n = String(i + 1);
          const dataKey = `mappingData:${String(i)}`;
          const varKey = `mappingVariable:${String(i)}`;
          const dataProblems = problemsOf(dataKey);
          const varProblems = problemsOf(varKey);
          const isNew = saved.some((m) => m.createsVariable && m.setVariable === row.set_variable);
          return (
            <li key={i} role="group" aria-label={`Row ${n}`} className="mapping-row">
              <div className="mapping-inputs">
                <input
                  className="input mono"
                  aria-label="Data"
                  placeholder="data.name"
                  spellCheck={false}
                  data-field={dataKey}
                  readOnly={readOnly}
                  value={row.data}
                  onChange={(e) => {
                    setRow(i, { data: e.target.value });
                  }}
                  {...problemAttributes(`${id}-d${n}`, dataProblems)}
                />
                <span className="mapping-arrow" aria-hidden="true">
                  <Icon name="arrow-right" size={14} />
                </span>
                <span className="variable-input">
                  <input
                    className="input mono"
                    aria-label="Set Variable"
                    placeholder="customer_name"
                    spellCheck={false}
                    list={listId}
                    data-field={varKey}
                    readOnly={readOnly}
                    value={row.set_variable}
                    onChange={(e) => {
                      setRow(i, { set_variable: e.target.value });
                    }}
                    {...problemAttributes(`${id}-v${n}`, varProblems)}
                  />
                  {isNew && <span className="badge badge-new">new</span>}
                </span>
              </div>
              <div className="mapping-tools">
                <label className="checkbox">
                  <input
                    type="checkbox"
                    disabled={readOnly}
                    checked={row.optional ?? false}
                    onChange={(e) => {
                      setRow(i, { optional: e.target.checked });
                    }}
                  />
                  Optional
                </label>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move row ${n} up`}
                  disabled={readOnly || i === 0}
                  onClick={() => {
                    move(i, -1);
                  }}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move row ${n} down`}
                  disabled={readOnly || i === rows.length - 1}
                  onClick={() => {
                    move(i, 1);
                  }}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove row ${n}`}
                  disabled={readOnly}
                  onClick={() => {
                    onChange(rows.filter((_, j) => j !== i));
                  }}
                >
                  ×
                </button>
              </div>
              <ProblemList
                id={`${id}-d${n}`}
                problems={dataProblems}
                onUse={(s) => {
                  setRow(i, { data: s });
                }}
              />
              <ProblemList
                id={`${id}-v${n}`}
                problems={varProblems}
                onUse={(s) => {
                  setRow(i, { set_variable: s });
                }}
              />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button"
        disabled={readOnly}
        onClick={() => {
          onChange([...rows, { data: "", set_variable: "", optional: false }]);
        }}
      >
        Add row
      </button>
    </section>
  );
}
