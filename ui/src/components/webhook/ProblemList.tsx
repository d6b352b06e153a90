import type { FieldProblem } from "../../backend/panel.ts";
import { MessageText } from "../common/MessageText.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * A field's problems, right under it, each with its one-click fix when Rust offers one.
 * `id` is what the field's `aria-describedby` points at.
 */
export function ProblemList({
  id,
  problems,
  onUse,
}: {
  id: string;
  problems: readonly FieldProblem[];
  onUse?: (suggestion: string) => void;
}) {
  // A read-only file takes no fix: the problem is still said.
  const fixable = !useReadOnly();
  if (problems.length === 0) {
    return null;
  }
  return (
    <ul className="field-problems" id={id}>
      {problems.map((problem, i) => (
        <li key={`${problem.code}-${String(i)}`}>
          <span>
            <MessageText text={problem.message} />
          </span>
          {problem.suggestion !== null && onUse !== undefined && fixable && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                if (problem.suggestion !== null) {
                  onUse(problem.suggestion);
                }
              }}
            >
              Use {problem.suggestion}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The attributes a control takes from its shown problems. */
export function problemAttributes(id: string, problems: readonly FieldProblem[]) {
  return problems.length > 0
    ? { "aria-invalid": true as const, "aria-describedby": id }
    : { "aria-invalid": false as const };
}
