import type { AppInfoState } from "../app/useAppInfo.ts";
import { PageHeader } from "../components/common/PageHeader.tsx";

export function SettingsPage({ appInfo }: { appInfo: AppInfoState }) {
  return (
    <div className="page">
      <PageHeader title="Settings" lead="How this copy of Webhook Studio is set up." />
      <section className="panel" aria-labelledby="installation-title">
        <h2 id="installation-title">This installation</h2>
        {appInfo.status === "ready" ? (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{appInfo.info.version}</dd>
            <dt>Data folder</dt>
            <dd>
              <code>{appInfo.info.dataDir}</code>
              <span className="fact-note">
                Your bots and drafts are kept here, in studio.db. Set WEBHOOK_STUDIO_DATA_DIR before
                starting the app to use another folder.
              </span>
            </dd>
          </dl>
        ) : (
          <p className="muted">
            {appInfo.status === "loading" ? "Reading…" : appInfo.message}
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="sync-title">
        <h2 id="sync-title">Sync</h2>
        <p className="muted">
          The API base and the sync target are set here once sync arrives. Until then, everything
          stays on this computer.
        </p>
      </section>
    </div>
  );
}
