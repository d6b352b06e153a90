import type { FieldProblem, FieldRef } from "../../backend/panel.ts";

/** A stable key for a field of the form: what touched-tracking and problem lookup share. */
export function fieldKey(field: FieldRef): string {
  switch (field.kind) {
    case "mappingData":
    case "mappingVariable":
      return `${field.kind}:${String(field.row)}`;
    case "bot":
      return `bot:${field.path}`;
    default:
      return field.kind;
  }
}

/**
 * The problems to show under a field now: all of them, except that an empty required field is
 * held back until it was touched or Submit was pressed (Rust marks those `incomplete`).
 */
export function shownProblems(
  problems: readonly FieldProblem[],
  key: string,
  touched: ReadonlySet<string>,
  submitted: boolean,
): FieldProblem[] {
  return problems.filter(
    (p) => fieldKey(p.field) === key && (!p.incomplete || submitted || touched.has(key)),
  );
}
