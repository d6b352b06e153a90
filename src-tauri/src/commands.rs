//! The IPC commands the window can call. Each one adapts a library call to Tauri: it takes
//! managed state and typed arguments, and returns a typed answer. No rules live here.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};

use crate::DataDir;
use crate::store_state::{MovedAside, StoreProblem, StoreState, StoreStatus};

/// What the status line shows about this installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version, from the workspace's `Cargo.toml`.
    pub version: String,
    /// The folder that holds the app's files (the store's `studio.db` among them).
    pub data_dir: String,
}

/// Describes this installation: its version and where it keeps its data.
#[tauri::command]
#[specta::specta]
pub fn app_info(app: AppHandle, data_dir: State<'_, DataDir>) -> AppInfo {
    AppInfo {
        version: app.package_info().version.to_string(),
        data_dir: data_dir.path().display().to_string(),
    }
}

/// Whether the store is open (and what it holds), or why it could not be opened.
#[tauri::command]
#[specta::specta]
pub fn store_status(store: State<'_, StoreState>) -> StoreStatus {
    store.status()
}

/// Moves a file that is not a database, or is damaged, aside (it is kept, never deleted) and
/// opens a fresh store in its place.
#[tauri::command]
#[specta::specta]
pub fn move_aside_and_start_fresh(store: State<'_, StoreState>) -> Result<MovedAside, StoreProblem> {
    store.move_aside_and_start_fresh()
}
