import type { AppInfoState } from "../../app/useAppInfo.ts";

/** The line along the bottom of the window: is the app ready, which version, where its data is. */
export function StatusBar({ appInfo }: { appInfo: AppInfoState }) {
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
          <span className="status-state status-state-ready">Ready</span>
          <span className="status-item" data-testid="status-version">
            Version {appInfo.info.version}
          </span>
          <span className="status-item status-item-path" title={appInfo.info.dataDir}>
            Data folder <code data-testid="status-data-dir">{appInfo.info.dataDir}</code>
          </span>
        </>
      )}
    </footer>
  );
}
