//! [`EditorError`]: what went wrong, in words the window shows as is.

use serde::Serialize;
use specta::Type;

/// What the window branches on. The message beside it is shown as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum EditorErrorCode {
    /// What was typed breaks a rule; `field` names where.
    InvalidInput,
    /// The bot or block no longer exists (deleted in another window, or by an import).
    NotFound,
    /// The store refuses writes: a newer or write-protected file.
    ReadOnly,
    /// Another program holds the database's write lock.
    Locked,
    /// The disk is full.
    DiskFull,
    /// The store is not available, or failed in another way.
    Store,
    /// The system clipboard refused a copy.
    Clipboard,
    /// A teammate changed the block while it was being edited: the edit was not written but kept
    /// in Sync conflicts; the panel reads the block again and does not retry.
    ChangedElsewhere,
}

/// Why an edit was not made. Nothing was changed, and what the designer typed stays in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct EditorError {
    /// What kind of failure.
    pub code: EditorErrorCode,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The field it belongs to, when it belongs to one (`name`, `api_base`, `alias`...).
    pub field: Option<String>,
}

/// The result of an editor call.
pub type Result<T> = std::result::Result<T, EditorError>;

impl EditorError {
    /// Something typed into `field` breaks a rule.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: EditorErrorCode::InvalidInput,
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    /// The thing asked for does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            code: EditorErrorCode::NotFound,
            message: message.into(),
            field: None,
        }
    }
}

impl From<webhook_store::Error> for EditorError {
    fn from(error: webhook_store::Error) -> Self {
        use webhook_store::Error as E;
        let code = match &error {
            E::NoSuchBot(_) | E::NoSuchBlock { .. } => EditorErrorCode::NotFound,
            E::ReadOnly { .. } | E::NewerVersion { .. } => EditorErrorCode::ReadOnly,
            E::Locked { .. } => EditorErrorCode::Locked,
            E::DiskFull { .. } => EditorErrorCode::DiskFull,
            E::ChangedElsewhere { .. } => EditorErrorCode::ChangedElsewhere,
            _ => EditorErrorCode::Store,
        };
        let message = error.to_string();
        Self {
            code,
            message: capitalise(&message),
            field: None,
        }
    }
}

impl From<webhook_block::token::TokenError> for EditorError {
    fn from(error: webhook_block::token::TokenError) -> Self {
        Self {
            code: EditorErrorCode::Store,
            message: capitalise(&error.to_string()),
            field: None,
        }
    }
}

/// The store's and the rules' messages are written to follow a colon; the window shows them
/// as sentences.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
