import type { SyncStatusView } from "../../backend/sync.ts";

/**
 * The sync state at a glance, in the shell's header on every page: Rust's words as they are
 * ("Synced", "3 pending", "Offline — retrying in 8 s", "1 conflict"). Conflicts make it a
 * button that opens them; an error one opens Settings, where the server is set.
 */
export function SyncPill({
  status,
  onOpenConflicts,
  onOpenSettings,
}: {
  status: SyncStatusView | undefined;
  onOpenConflicts: () => void;
  onOpenSettings: () => void;
}) {
  if (status === undefined) return <span className="sync-pill-slot" aria-hidden="true" />;
  const className = `sync-pill sync-pill-${status.state}`;
  const title = status.detail ?? undefined;
  const content = (
    <>
      <span className="sync-pill-dot" aria-hidden="true" />
      <span className="sync-pill-label">{status.label}</span>
    </>
  );
  return (
    <div className="sync-pill-slot" aria-live="polite" data-testid="sync-pill" data-state={status.state}>
      {status.state === "conflict" ? (
        <button type="button" className={className} title={title} onClick={onOpenConflicts}>
          {content}
        </button>
      ) : status.state === "error" ? (
        <button type="button" className={className} title={title} onClick={onOpenSettings}>
          {content}
        </button>
      ) : (
        <span className={className} title={title}>
          {content}
        </span>
      )}
    </div>
  );
}
