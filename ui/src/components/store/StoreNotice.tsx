import { useState } from "react";
import type { StoreProblem } from "../../backend.ts";
import type { MoveAside } from "../../app/useStore.ts";
import { describeError } from "../../errors/describeError.ts";
import { Icon } from "../common/Icon.tsx";

function title(code: StoreProblem["code"]): string {
  switch (code) {
    case "not_a_database":
      return "Your bots file is not a Webhook Studio database";
    case "damaged":
      return "Your bots file is damaged";
    case "newer_version":
      return "Your bots file is from a newer Webhook Studio";
    case "foreign":
      return "Your bots file belongs to another program";
    default:
      return "Your bots file could not be opened";
  }
}

function explanation(code: StoreProblem["code"]): string {
  switch (code) {
    case "not_a_database":
    case "damaged":
      return "Nothing was changed or deleted. You can move the file aside and start with an empty database; the old file stays in the same folder under a new name, so it can still be restored or sent to support.";
    case "newer_version":
      return "It was written by a newer version of Webhook Studio, so this version only reads it and never changes it. Update Webhook Studio to keep editing; nothing was changed.";
    default:
      return "Nothing was changed or deleted. Fix the cause below, then start Webhook Studio again.";
  }
}

/** The full-page notice shown instead of the pages when the store could not be opened. */
export function StoreNotice({ problem, onMoveAside }: { problem: StoreProblem; onMoveAside: MoveAside }) {
  const [moving, setMoving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const moveAside = () => {
    setMoving(true);
    setFailure(null);
    onMoveAside().catch((error: unknown) => {
      setFailure(describeError(error));
      setMoving(false);
    });
  };

  return (
    <div className="page store-notice-page">
      <section className="store-notice" role="alert" aria-labelledby="store-notice-title">
        <div className="store-notice-icon">
          <Icon name="database" size={26} />
        </div>
        <h1 id="store-notice-title">{title(problem.code)}</h1>
        <p className="store-notice-lead">{explanation(problem.code)}</p>
        <dl className="facts store-notice-facts">
          <dt>File</dt>
          <dd>
            <code data-testid="store-notice-path">{problem.path}</code>
          </dd>
          <dt>Details</dt>
          <dd data-testid="store-notice-message">{problem.message}</dd>
        </dl>
        {problem.mayMoveAside && (
          <div className="store-notice-actions">
            <button type="button" className="button button-primary" onClick={moveAside} disabled={moving}>
              Move it aside and start fresh
            </button>
          </div>
        )}
        {failure !== null && (
          <p className="store-notice-failure" data-testid="store-notice-failure">
            {failure}
          </p>
        )}
      </section>
    </div>
  );
}
