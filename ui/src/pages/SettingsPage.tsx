import { useEffect, useState } from "react";
import type { AppInfoState } from "../app/useAppInfo.ts";
import { changeSetting, isEditorError, readSettings, type SettingChange, type SettingsView } from "../backend/builder.ts";
import { PageHeader } from "../components/common/PageHeader.tsx";
import { SettingInput } from "../components/settings/SettingInput.tsx";
import { SyncSettings } from "../components/settings/SyncSettings.tsx";
import { RefusedChanges } from "../components/sync/RefusedChanges.tsx";
import { SyncStateLine } from "../components/sync/SyncStateLine.tsx";
import type { SyncStatusView } from "../backend/sync.ts";
import { useToast } from "../components/toast/useToast.ts";
import { describeError } from "../errors/describeError.ts";

type Loaded = { status: "loading" } | { status: "ready"; view: SettingsView } | { status: "failed"; message: string };

export function SettingsPage({
  appInfo,
  sync,
  onOpenConflicts,
}: {
  appInfo: AppInfoState;
  /** The sync state, for the line under the Sync heading when something needs a look. */
  sync?: SyncStatusView | undefined;
  onOpenConflicts?: () => void;
}) {
  const toast = useToast();
  const [settings, setSettings] = useState<Loaded>({ status: "loading" });
  const [errors, setErrors] = useState<Partial<Record<SettingChange["key"], string>>>({});

  useEffect(() => {
    readSettings().then(
      (view) => {
        setSettings({ status: "ready", view });
      },
      (error: unknown) => {
        setSettings({ status: "failed", message: describeError(error) });
      },
    );
  }, []);

  const save = (change: SettingChange) => {
    changeSetting(change).then(
      (view) => {
        setSettings({ status: "ready", view });
        setErrors((all) => ({ ...all, [change.key]: undefined }));
        toast.show("Saved");
      },
      (error: unknown) => {
        if (isEditorError(error) && error.field !== null) {
          setErrors((all) => ({ ...all, [change.key]: error.message }));
        } else {
          toast.show(describeError(error), "error");
        }
      },
    );
  };

  return (
    <div className="page">
      <PageHeader title="Settings" lead="How this copy of Webhook Studio is set up. Each setting is saved when you leave its field; the sync target when you press Save." />
      <section className="panel" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Webhook URLs</h2>
        {settings.status === "loading" && <p className="muted">Reading…</p>}
        {settings.status === "failed" && <p className="inline-error">Could not read the settings: {settings.message}</p>}
        {settings.status === "ready" && (
          <div className="form-stack">
            <SettingInput
              label="API base URL"
              saved={settings.view.apiBase}
              hint="Production webhook URLs start with this address, the server your team runs."
              error={errors.apiBase}
              inputMode="url"
              onSave={(value) => {
                save({ key: "apiBase", value });
              }}
            />
            <SettingInput
              label="Development receiver port"
              saved={String(settings.view.receiverPort)}
              hint="Development URLs point at the test receiver on this computer (127.0.0.1) on this port."
              error={errors.receiverPort}
              inputMode="numeric"
              onSave={(value) => {
                save({ key: "receiverPort", value });
              }}
            />
            <SettingInput
              label="Clear a copied token after (seconds)"
              saved={String(settings.view.clipboardClearSeconds)}
              hint="A copied token is removed from the clipboard after this long. 0 keeps it."
              error={errors.clipboardClearSeconds}
              inputMode="numeric"
              onSave={(value) => {
                save({ key: "clipboardClearSeconds", value });
              }}
            />
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="sync-title" data-testid="sync-settings">
        <h2 id="sync-title">Sync</h2>
        {sync !== undefined && <SyncStateLine status={sync} onOpenConflicts={onOpenConflicts} />}
        {sync !== undefined && sync.state !== "local" && <RefusedChanges status={sync} />}
        {settings.status === "ready" && (
          <SyncSettings
            view={settings.view.sync}
            onSaved={(view) => {
              setSettings({ status: "ready", view });
            }}
          />
        )}
      </section>
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
          <p className="muted">{appInfo.status === "loading" ? "Reading…" : appInfo.message}</p>
        )}
      </section>
    </div>
  );
}
