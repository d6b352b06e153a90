import { useEffect, useState } from "react";

import { dismissSyncRejection, syncRejections, type RejectionView, type SyncStatusView } from "../../backend/sync.ts";
import { describeError } from "../../errors/describeError.ts";
import { useToast } from "../toast/useToast.ts";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * Under the Sync state line: each change the team server refused, with the server's reason and
 * what to do, and Dismiss once it is dealt with. The data on this computer is never touched:
 * dismissing only stops the warning. Read again when the sync state or its count changes (not at
 * each tick of the offline countdown).
 */
export function RefusedChanges({ status }: { status: SyncStatusView }) {
  const toast = useToast();
  const readOnly = useReadOnly();
  const [refused, setRefused] = useState<RejectionView[]>([]);
  const [readError, setReadError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    syncRejections().then(
      (list) => {
        if (!current) return;
        setRefused(list);
        setReadError(null);
      },
      (error: unknown) => {
        if (current) setReadError(describeError(error));
      },
    );
    return () => {
      current = false;
    };
  }, [status.state, status.count]);

  if (readError !== null) {
    return <p className="inline-error">Could not read the refused changes: {readError}</p>;
  }
  if (refused.length === 0) return null;

  const dismiss = (rejection: RejectionView) => {
    dismissSyncRejection(rejection.id).then(
      (left) => {
        setRefused(left);
        toast.show(`Dismissed: ${rejection.title} stays as it is on this computer`);
      },
      (error: unknown) => {
        toast.show(describeError(error), "error");
      },
    );
  };

  return (
    <section className="refused-changes" aria-labelledby="refused-changes-title">
      <h3 id="refused-changes-title" className="section-title">
        Refused by the server
      </h3>
      <ul className="refused-list">
        {refused.map((rejection) => (
          <li key={rejection.id} className="refused-item" aria-label={rejection.title}>
            <div className="refused-text">
              <p className="refused-title">{rejection.title}</p>
              <p className="refused-reason">{rejection.reason}</p>
              <p className="field-hint">{rejection.fix}</p>
            </div>
            <button
              type="button"
              className="button button-small"
              disabled={readOnly}
              onClick={() => {
                dismiss(rejection);
              }}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
