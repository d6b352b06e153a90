import { useEffect, useState } from "react";
import { resolveConflict, syncConflicts, type ConflictView, type FieldChoice } from "../backend/sync.ts";
import { EmptyState } from "../components/common/EmptyState.tsx";
import { PageHeader } from "../components/common/PageHeader.tsx";
import { ConflictCard } from "../components/sync/ConflictCard.tsx";
import { useToast } from "../components/toast/useToast.ts";
import { describeError } from "../errors/describeError.ts";

type Loaded = { status: "loading" } | { status: "ready"; conflicts: ConflictView[] } | { status: "failed"; message: string };

/** Every sync conflict, each with both versions side by side and the designer's choices. */
export function ConflictsPage({ onDone }: { onDone: () => void }) {
  const toast = useToast();
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });

  useEffect(() => {
    syncConflicts().then(
      (conflicts) => {
        setLoaded({ status: "ready", conflicts });
      },
      (error: unknown) => {
        setLoaded({ status: "failed", message: describeError(error) });
      },
    );
  }, []);

  const resolve = async (conflict: ConflictView, choices: FieldChoice[]) => {
    const left = await resolveConflict(conflict.key, choices);
    setLoaded({ status: "ready", conflicts: left });
    toast.show(`Resolved: ${conflict.title} is sent to the server as you chose`);
  };

  return (
    <div className="page page-wide">
      <PageHeader
        title="Sync conflicts"
        lead="These were changed on this computer and on the team server since they last synced. Nothing is overwritten until you choose."
      />
      {loaded.status === "loading" && <p className="muted">Reading…</p>}
      {loaded.status === "failed" && <p className="inline-error">Could not read the conflicts: {loaded.message}</p>}
      {loaded.status === "ready" && loaded.conflicts.length === 0 && (
        <EmptyState icon="database" title="No conflicts">
          <p>Everything changed on both sides has been resolved.</p>
          <button type="button" className="button" onClick={onDone}>
            Back to the dashboard
          </button>
        </EmptyState>
      )}
      {loaded.status === "ready" &&
        loaded.conflicts.map((conflict) => (
          <ConflictCard
            key={`${conflict.key.kind}/${conflict.key.bot}/${conflict.key.id}`}
            conflict={conflict}
            onResolve={(choices) => resolve(conflict, choices)}
          />
        ))}
    </div>
  );
}
