import type { SyncStatusView } from "../../backend/sync.ts";

/**
 * Under the Sync heading: how sync stands and, when something needs a look (offline, an error,
 * conflicts), Rust's sentence saying why and what to do. The pill only has room for a few words.
 */
export function SyncStateLine({
  status,
  onOpenConflicts,
}: {
  status: SyncStatusView;
  onOpenConflicts?: (() => void) | undefined;
}) {
  if (status.state === "local") return null;
  const attention = status.state === "offline" || status.state === "error" || status.state === "conflict";
  return (
    <div
      className={attention ? `sync-state-line sync-state-line-${status.state}` : "sync-state-line"}
      data-testid="sync-state-line"
    >
      <span className="sync-state-label">{status.label}</span>
      {status.detail !== null && <span className="sync-state-detail">{status.detail}</span>}
      {status.state === "conflict" && onOpenConflicts !== undefined && (
        <button type="button" className="button button-small" onClick={onOpenConflicts}>
          Open the conflicts
        </button>
      )}
    </div>
  );
}
