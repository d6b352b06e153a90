//! Everything that can go wrong in the store, each said in words that name the cause and the fix.
//!
//! No variant carries a token or a form's content: errors are logged and shown, secrets are not.

use std::path::PathBuf;

/// The store's result.
pub type Result<T> = std::result::Result<T, Error>;

/// One structural problem of an imported document, at its JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Where in the document (`/bot/flows/0/sequences/1/blocks/2/webhook/id`).
    pub pointer: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file exists but is not SQLite at all.
    #[error(
        "{} is not a Webhook Studio database (it is not an SQLite file). It was left untouched: move it aside or choose another file, and a fresh database will be created.",
        path.display()
    )]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The file is an SQLite database of another program (it has tables but no Webhook Studio
    /// schema version).
    #[error(
        "{} is an SQLite database of another program, not of Webhook Studio. It was left untouched: choose another file.",
        path.display()
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// The file cannot be opened at all.
    #[error(
        "{} cannot be opened: check that its folder exists and that you may read and write in it.",
        path.display()
    )]
    CannotOpen {
        /// The file.
        path: PathBuf,
    },
    /// The file is SQLite but shorter than its own header says, or damaged inside.
    #[error(
        "{} is damaged ({detail}). It was left untouched: move it aside to start fresh, or restore it from a backup.",
        path.display()
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is damaged.
        detail: String,
    },
    /// The file was written by a newer build; it is open read-only and this write was refused.
    #[error(
        "{} was written by a newer Webhook Studio (schema version {found}; this build knows up to {supported}). It is open read-only and was not changed: update Webhook Studio to edit it.",
        path.display()
    )]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// The file or its folder cannot be written.
    #[error(
        "{} cannot be written: the file or its folder is read-only. Your edit was not saved; make both writable (or choose another folder) and try again.",
        path.display()
    )]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// Another connection held the write lock for longer than the busy timeout.
    #[error(
        "{} is locked: another program (perhaps a second Webhook Studio) held its write lock for more than {waited_ms} ms. Your edit was not saved; close the other program and try again.",
        path.display()
    )]
    Locked {
        /// The file.
        path: PathBuf,
        /// How long the store waited.
        waited_ms: u64,
    },
    /// The disk is full.
    #[error("{} cannot grow: the disk is full. Your edit was not saved; free some space and try again.", path.display())]
    DiskFull {
        /// The file.
        path: PathBuf,
    },
    /// A file or folder could not be read or created.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// No folder for the app's data could be found.
    #[error("cannot find the app-data folder (no home folder?); set WEBHOOK_STUDIO_DATA_DIR to a folder")]
    NoDataDir,
    /// SQLite failed for another reason.
    #[error("{}: {source}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// A migration failed; the database keeps its previous version.
    #[error("{}: upgrading the database failed and it was left at its previous version: {source}", path.display())]
    Migration {
        /// The file.
        path: PathBuf,
        /// The migration's reason.
        source: rusqlite_migration::Error,
    },
    /// A value in the database cannot be read back.
    #[error("{}: a stored {what} cannot be read ({detail}); the file may have been edited by hand", path.display())]
    Stored {
        /// The file.
        path: PathBuf,
        /// What kind of value.
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// No bot has that id.
    #[error("there is no bot {0}")]
    NoSuchBot(String),
    /// No webhook block with that id in that bot.
    #[error("there is no webhook block {block} in bot {bot}")]
    NoSuchBlock {
        /// The bot.
        bot: String,
        /// The block.
        block: String,
    },
    /// A bot cannot be saved: a structural problem (duplicate ids, an id taken by another bot).
    #[error("{} problem(s):\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ImportProblem>),
    /// A submit broke rules; nothing changed.
    #[error(transparent)]
    Submit(#[from] webhook_block::validate::SubmitError),
    /// No open sync conflict for that entity (already resolved, or never there).
    #[error("there is no open conflict for {0}; it may have been resolved already")]
    NoSuchConflict(String),
    /// A version of a synced entity does not fit its kind (a chosen or pulled body).
    #[error("the version of {key} cannot be used: {source}")]
    EntityBody {
        /// Which entity.
        key: String,
        /// What is wrong, at which JSON path.
        source: webhook_sync::entity::BodyError,
    },
    /// A form edit was based on a version of the block that is no longer stored: a teammate
    /// changed it meanwhile. The edit is kept as the `mine` of a sync conflict.
    #[error(
        "This block was changed by a teammate while you were editing; your version is kept in Sync conflicts — choose there what to keep."
    )]
    ChangedElsewhere {
        /// The block.
        block: String,
    },
    /// A token could not be drawn.
    #[error(transparent)]
    Token(#[from] webhook_block::token::TokenError),
}
