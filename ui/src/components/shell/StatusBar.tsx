import type { AppInfoState } from "../../app/useAppInfo.ts";
import { fileName, type StoreState } from "../../app/useStore.ts";
import { countOf } from "../common/countOf.ts";

/** The line along the bottom of the window: is the app ready, which version, where its data is. */
export function StatusBar({ appInfo, store }: { appInfo: AppInfoState; store: StoreState }) {
  return (
    <footer className="status-bar" role="contentinfo">
      {appInfo.status === "loading" && <span className="status-state">Starting…</span>}
      {appInfo.status === "failed" && (
        <span className="status-state status-state-error" role="alert">
          Could not read the app’s details: {appInfo.message}
        </span>
      )}
      {appInfo.status === "ready" && (
        <>
          <StateItem store={store} />
          <span className="status-item" data-testid="status-version">
            Version {appInfo.info.version}
          </span>
          <span className="status-item status-item-path" title={appInfo.info.dataDir}>
            Data folder <code data-testid="status-data-dir">{appInfo.info.dataDir}</code>
          </span>
          <StoreItem store={store} />
        </>
      )}
    </footer>
  );
}

/** Ready, or what keeps the designer from working as usual: a store not opened, or opened read-only. */
function StateItem({ store }: { store: StoreState }) {
  const status = store.status === "ready" ? store.store : undefined;
  if (status?.state === "unavailable") {
    return <span className="status-state status-state-warning">Needs attention</span>;
  }
  if (status?.state === "open" && status.readOnlyReason !== null) {
    return (
      <span className="status-state status-state-warning" title={status.readOnlyReason}>
        Read-only
      </span>
    );
  }
  return <span className="status-state status-state-ready">Ready</span>;
}

function StoreItem({ store }: { store: StoreState }) {
  if (store.status === "loading") return null;
  if (store.status === "failed") {
    return (
      <span className="status-item" data-testid="status-store">
        Store unknown: {store.message}
      </span>
    );
  }
  const status = store.store;
  const name = fileName(status.path);
  if (status.state === "unavailable") {
    return (
      <span className="status-item status-item-warning" data-testid="status-store" title={status.path}>
        {name} · not opened
      </span>
    );
  }
  const bots = countOf(status.bots, "bot", "bots");
  return (
    <span className="status-item" data-testid="status-store" title={status.path}>
      {name} · {bots}
      {status.readOnlyReason !== null && " · read-only"}
    </span>
  );
}
