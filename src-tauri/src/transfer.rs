//! Export and import from the window: native save and open dialogs (opened from Rust, so the
//! window needs no file-system or dialog permission), and the store's checks through
//! `webhook_editor::transfer`.

use std::path::PathBuf;

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use webhook_editor::transfer::{self, ImportOutcome};
use webhook_editor::{EditorError, EditorErrorCode};

use crate::StoreState;

/// What an export did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportReceipt {
    /// Where the document was written; none when the designer cancelled the dialog.
    pub path: Option<String>,
    /// What happened, in one sentence.
    pub message: String,
}

fn file_error(path: &std::path::Path, action: &str, error: &std::io::Error) -> EditorError {
    EditorError {
        code: EditorErrorCode::Store,
        message: format!(
            "Could not {action} {}: {error}. Choose another place or check its permissions.",
            path.display()
        ),
        field: None,
    }
}

/// Asks where to save the bot, then writes it as a bot document. Tokens are left out unless
/// `include_secrets` (an export is meant to be shared or kept in git).
#[tauri::command]
#[specta::specta]
pub async fn export_bot(
    app: AppHandle,
    store: State<'_, StoreState>,
    bot: String,
    include_secrets: bool,
) -> Result<ExportReceipt, EditorError> {
    let exported = store.editor(|s| transfer::export(s, &bot, include_secrets))?;
    let chosen = app
        .dialog()
        .file()
        .set_title("Export bot")
        .set_file_name(&exported.file_name)
        .add_filter("Bot document", &["json"])
        .blocking_save_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(ExportReceipt {
            path: None,
            message: "Export cancelled; nothing was written.".to_owned(),
        });
    };
    std::fs::write(&path, &exported.text).map_err(|e| file_error(&path, "write", &e))?;
    let tokens = if include_secrets {
        "It contains the tokens: keep it private."
    } else {
        "Tokens were left out; an import gives each webhook block a new one."
    };
    Ok(ExportReceipt {
        path: Some(path.display().to_string()),
        message: format!("Exported to {}. {tokens}", path.display()),
    })
}

/// Imports a bot document. Without `path` a dialog asks for the file; the answer
/// `alreadyExists` carries the path so that the window can ask, then import again with
/// `replace`. Nothing is imported on any problem.
#[tauri::command]
#[specta::specta]
pub async fn import_bot(
    app: AppHandle,
    store: State<'_, StoreState>,
    path: Option<String>,
    replace: bool,
) -> Result<Option<ImportAnswer>, EditorError> {
    let path = match path {
        Some(path) => PathBuf::from(path),
        None => {
            let chosen = app
                .dialog()
                .file()
                .set_title("Import bot")
                .add_filter("Bot document", &["json"])
                .blocking_pick_file();
            match chosen.and_then(|p| p.into_path().ok()) {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| file_error(&path, "read", &e))?;
    let outcome = store.editor(|s| transfer::import(s, &text, replace))?;
    Ok(Some(ImportAnswer {
        path: path.display().to_string(),
        outcome,
    }))
}

/// An import's outcome, with the file it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportAnswer {
    /// The file.
    pub path: String,
    /// What happened.
    pub outcome: ImportOutcome,
}
