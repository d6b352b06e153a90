//! Remote sync from the window's side: the Sync section of Settings, "Test connection", the
//! background sync task started and stopped from the settings, its state sent to the window as
//! the typed event [`SyncStatusEvent`], and the conflicts with the designer's choices.
//!
//! The sync engine is `webhook-sync-client`'s; the views and the merge of a designer's choices
//! are `webhook-editor`'s. This module only wires them to Tauri: the commands are one-line calls,
//! and [`SyncControl`] holds the running task.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event as _;
use tokio::sync::watch;
use webhook_editor::EditorError;
use webhook_editor::settings::{self, SettingsView, SyncInput};
use webhook_editor::sync::{
    self as views, ConflictKey, ConflictView, ConnectionCheck, ConnectionView, FieldChoice, RejectionView,
    SyncStatusView,
};
use webhook_store::{BotSummary, Store};
use webhook_sync_client::{ConnectionError, Remote, StoreAccess, SyncError, SyncRunner, SyncStatus};

use crate::StoreState;

type Answer<T> = Result<T, EditorError>;

/// The sync state, sent to the window whenever it changes (and each second while offline, so
/// the pill counts down to the next try).
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatusEvent {
    /// What the pill shows.
    pub status: SyncStatusView,
}

/// Checks and saves the Sync section (target, server address, a new key), then starts, restarts
/// or stops the sync task to match.
#[tauri::command]
#[specta::specta]
pub fn save_sync(app: AppHandle, store: State<'_, StoreState>, input: SyncInput) -> Answer<SettingsView> {
    let view = store.editor(|s| settings::save_sync(s, &input))?;
    app.state::<SyncControl>().apply(&app);
    Ok(view)
}

/// Tries the server as typed in the Sync section (an empty key field: the saved key) without
/// saving anything: reachable, ours, the same API version, and the key accepted.
#[tauri::command]
#[specta::specta]
pub async fn test_connection(
    store: State<'_, StoreState>,
    base_url: String,
    new_key: String,
) -> Answer<ConnectionView> {
    let typed = store.editor(|s| settings::remote_as_typed(s, &base_url, &new_key))?;
    let remote = Remote::new(typed.base_url.as_str(), typed.key.expose_secret());
    Ok(match webhook_sync_client::test_connection(&remote).await {
        Ok(connected) => ConnectionView::connected(&connected.team.name, &connected.server.version),
        Err(error) => ConnectionView::failed(check_of(&error), &error.to_string()),
    })
}

fn check_of(error: &ConnectionError) -> ConnectionCheck {
    match error {
        ConnectionError::Unreachable { .. } => ConnectionCheck::Unreachable,
        ConnectionError::NotWebhookStudio { .. } => ConnectionCheck::WrongServer,
        ConnectionError::VersionMismatch { .. } => ConnectionCheck::VersionMismatch,
        ConnectionError::BadKey => ConnectionCheck::BadKey,
        ConnectionError::InvalidUrl { .. } | ConnectionError::Http { .. } => ConnectionCheck::Failed,
    }
}

/// The sync state now (the window also hears [`SyncStatusEvent`] at every change).
#[tauri::command]
#[specta::specta]
pub fn sync_status(control: State<'_, SyncControl>) -> SyncStatusView {
    control.status()
}

/// Every open conflict, both versions field by field.
#[tauri::command]
#[specta::specta]
pub fn sync_conflicts(store: State<'_, StoreState>) -> Answer<Vec<ConflictView>> {
    store.editor(|s| views::list(s))
}

/// Keeps the version made of the designer's choices (one per differing field) and sends it;
/// returns the conflicts left.
#[tauri::command]
#[specta::specta]
pub fn resolve_conflict(
    store: State<'_, StoreState>,
    key: ConflictKey,
    choices: Vec<FieldChoice>,
) -> Answer<Vec<ConflictView>> {
    // The resolved version is queued in the store's outbox: the write path wakes the sync task.
    store.editor(|s| views::resolve(s, &key, &choices))
}

/// Every change the server refused, with its reason and what to do.
#[tauri::command]
#[specta::specta]
pub fn sync_rejections(store: State<'_, StoreState>) -> Answer<Vec<RejectionView>> {
    store.editor(|s| views::rejections(s))
}

/// Forgets a refused change (the data on this computer stays as it is); returns the ones left.
/// The sync task runs a round at once, so the pill stops showing the error when none is left.
#[tauri::command]
#[specta::specta]
pub fn dismiss_sync_rejection(
    store: State<'_, StoreState>,
    control: State<'_, SyncControl>,
    id: u32,
) -> Answer<Vec<RejectionView>> {
    let left = store.editor(|s| views::dismiss_rejection(s, id))?;
    control.notify();
    Ok(left)
}

/// The sync task as the settings want it, and the state last sent to the window.
#[derive(Debug, Default)]
pub struct SyncControl {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Bumped at every start and stop: a forwarder of an older task sends nothing more.
    generation: u64,
    runner: Option<SyncRunner>,
    status: Option<SyncStatusView>,
}

/// Bots the sync task changed here with the team's changes, so the window shows them: the
/// dashboard and an open canvas read them again.
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct RemoteChangesEvent {
    /// The ids of the bots changed, added or deleted.
    pub bots: Vec<String>,
}

/// The sync engine's way into the app's store: a short call under the store's lock each time.
/// A call that changed the bots (a pull applied the team's changes) is told to the window.
struct AppStore(AppHandle);

impl StoreAccess for AppStore {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> webhook_store::Result<T>) -> Result<T, SyncError> {
        let (answer, changed) = self.0.state::<StoreState>().with_opened(|opened| match opened {
            Ok(store) => {
                let before = store.list_bots().unwrap_or_default();
                let answer = f(store).map_err(SyncError::Store);
                let after = store.list_bots().unwrap_or_default();
                (answer, changed_bots(&before, &after))
            }
            Err(error) => (Err(SyncError::StoreUnavailable(error.to_string())), Vec::new()),
        });
        if !changed.is_empty() {
            if let Err(error) = (RemoteChangesEvent { bots: changed }).emit(&self.0) {
                eprintln!("webhook-studio-app: cannot show the team's changes: {error}");
            }
        }
        answer
    }
}

/// The bots added, removed, renamed or changed between two listings (each has its last change's
/// time, to the millisecond).
fn changed_bots(before: &[BotSummary], after: &[BotSummary]) -> Vec<String> {
    let mut changed: Vec<String> = before
        .iter()
        .filter(|b| !after.contains(b))
        .chain(after.iter().filter(|a| !before.contains(a)))
        .map(|b| b.id.as_str().to_owned())
        .collect();
    changed.sort();
    changed.dedup();
    changed
}

impl SyncControl {
    /// The state last sent to the window.
    pub fn status(&self) -> SyncStatusView {
        self.lock().status.clone().unwrap_or_else(SyncStatusView::local)
    }

    /// Starts, restarts or stops the sync task to match the saved settings (at start-up and
    /// after the Sync section is saved). Every write that queues a change wakes the task.
    pub fn apply(&self, app: &AppHandle) {
        let store = app.state::<StoreState>();
        let remote = store.editor(|s| settings::remote(s)).ok().flatten();
        let generation = {
            let mut inner = self.lock();
            inner.generation += 1;
            if let Some(old) = inner.runner.take() {
                old.stop();
            }
            inner.generation
        };
        let Some(remote) = remote else {
            self.show(app, generation, SyncStatusView::local());
            return;
        };
        let remote = Remote::new(remote.base_url.as_str(), remote.key.expose_secret());
        let runtime = tauri::async_runtime::handle();
        let runner = SyncRunner::spawn_on(runtime.inner(), remote, Arc::new(AppStore(app.clone())));
        let statuses = runner.status();
        self.lock().runner = Some(runner);
        let waker = app.clone();
        store.on_queued(Some(Arc::new(move || waker.state::<SyncControl>().notify())));
        self.show(app, generation, SyncStatusView::starting());
        tauri::async_runtime::spawn(forward(app.clone(), generation, statuses));
    }

    /// A local write queued a change: push it soon.
    fn notify(&self) {
        if let Some(runner) = &self.lock().runner {
            runner.notify();
        }
    }

    fn show(&self, app: &AppHandle, generation: u64, status: SyncStatusView) {
        {
            let mut inner = self.lock();
            if inner.generation != generation || inner.status.as_ref() == Some(&status) {
                return;
            }
            inner.status = Some(status.clone());
        }
        if let Err(error) = (SyncStatusEvent { status }).emit(app) {
            eprintln!("webhook-studio-app: cannot show the sync state: {error}");
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Sends the task's state to the window as it changes; while offline, once a second, so the pill
/// counts down to the next try.
async fn forward(app: AppHandle, generation: u64, mut statuses: watch::Receiver<SyncStatus>) {
    loop {
        let status = statuses.borrow_and_update().clone();
        let control = app.state::<SyncControl>();
        if let SyncStatus::Offline {
            reason, retry_in_secs, ..
        } = &status
        {
            let next_try = Instant::now() + Duration::from_secs((*retry_in_secs).into());
            loop {
                let left = next_try.saturating_duration_since(Instant::now());
                let pending = pending_count(&app);
                control.show(
                    &app,
                    generation,
                    SyncStatusView::offline(reason, left.as_secs_f64().ceil() as u64, pending),
                );
                if left.is_zero() {
                    break;
                }
                tokio::select! {
                    changed = statuses.changed() => {
                        if changed.is_err() { return; }
                        break;
                    }
                    () = tokio::time::sleep(left.min(Duration::from_secs(1))) => {}
                }
            }
            if statuses.has_changed().unwrap_or(false) {
                continue;
            }
        } else {
            control.show(&app, generation, view_of(&status));
        }
        if statuses.changed().await.is_err() {
            return;
        }
    }
}

fn pending_count(app: &AppHandle) -> u32 {
    app.state::<StoreState>()
        .with_opened(|opened| opened.as_ref().ok().and_then(|s| s.pending_count().ok()))
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

fn view_of(status: &SyncStatus) -> SyncStatusView {
    match status {
        SyncStatus::Synced => SyncStatusView::synced(),
        SyncStatus::Pending { count } => SyncStatusView::pending(*count),
        SyncStatus::Offline {
            reason, retry_in_secs, ..
        } => SyncStatusView::offline(reason, (*retry_in_secs).into(), 0),
        SyncStatus::Conflict { count } => SyncStatusView::conflict(*count),
        SyncStatus::Refused { count } => SyncStatusView::refused(*count),
        SyncStatus::Error { message, .. } => SyncStatusView::error(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use webhook_block::Id;

    fn bot(id: &str, name: &str, at: &str) -> BotSummary {
        BotSummary {
            id: Id::parse(id).unwrap(),
            name: name.to_owned(),
            updated_at: at.to_owned(),
        }
    }

    #[test]
    fn a_pull_that_changed_bots_names_each_once_and_one_that_did_not_names_none() {
        let before = [
            bot("a", "Shop", "t1"),
            bot("b", "Support", "t1"),
            bot("c", "Gone", "t1"),
        ];
        let after = [bot("a", "Shop", "t2"), bot("b", "Support", "t1"), bot("d", "New", "t2")];
        assert_eq!(changed_bots(&before, &after), ["a", "c", "d"]);
        assert!(
            changed_bots(&before, &before).is_empty(),
            "an echo of our own push changes nothing"
        );
    }
}
