//! The IPC commands the window can call. Each one adapts a library call to Tauri: it takes
//! managed state and typed arguments, and returns a typed answer. No rules live here.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};

use crate::DataDir;

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
