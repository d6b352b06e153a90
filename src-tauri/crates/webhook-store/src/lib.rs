//! The embedded store of Webhook Studio: every bot and every draft in one SQLite file.
//!
//! What it guarantees:
//! - A write is one transaction (`BEGIN IMMEDIATE`), with `synchronous = FULL` in WAL mode: once a
//!   method returns `Ok`, the change survives `kill -9` and a power cut.
//! - Every write says where it came from ([`UpdateSource`]) and lands, in the same transaction, in
//!   the `changes` log; a local one (any source but sync) also queues, in `sync_outbox`, the whole
//!   body of each sync entity it changed, so an edit made offline is sent once back online, even
//!   after a crash. See the `sync` methods of [`Store`].
//! - A file written by a newer Webhook Studio is opened read-only and every write is refused with
//!   [`Error::NewerVersion`]; it is never migrated down or overwritten. A file that is not SQLite,
//!   or is cut short, is refused with an error naming it; it is never overwritten either.
//!
//! Reads take `&self` and writes `&mut self`; the SQL of each table lives in `table`'s modules,
//! where reading functions take a `&Connection` and writing ones a `&Transaction`.
#![deny(missing_docs)]

pub mod aside;
mod document;
mod error;
mod migrations;
mod store;
mod sync;
mod table;

pub use document::import_problems;
pub use error::{Error, ImportProblem, Result};
pub use migrations::SCHEMA_VERSION;
pub use store::{BotOverview, BotSummary, CapturedRequest, ChannelSummary, Options, Store, UpdateSource};
pub use sync::{ApplyReport, OutboxEntry, SyncConflict, SyncRejection};
pub use table::changes::Change;

use std::path::PathBuf;

/// The environment variable that overrides the data folder (tests and portable installs use it).
pub const DATA_DIR_ENV: &str = "WEBHOOK_STUDIO_DATA_DIR";
/// The database's file name inside the data folder.
pub const DATABASE_FILE: &str = "studio.db";
/// How many form edits of a block can be undone.
pub const UNDO_KEPT: usize = 500;
/// How many captured requests are kept per block.
pub const CAPTURES_KEPT: usize = 50;

/// The folder of the app's data: `$WEBHOOK_STUDIO_DATA_DIR` when set and not empty, else the
/// platform's app-data folder, the app's own (`~/.local/share/studio.webhook.desktop` on Linux,
/// `~/Library/Application Support/studio.webhook.desktop` on macOS,
/// `%APPDATA%\studio.webhook.desktop` on Windows).
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    // The same folder Tauri's `app_data_dir()` gives the app: the platform's data folder and
    // the app's identifier. The CLI and the app must open the same `studio.db`.
    directories::BaseDirs::new()
        .map(|dirs| dirs.data_dir().join(APP_IDENTIFIER))
        .ok_or(Error::NoDataDir)
}

/// The desktop app's identifier (`identifier` in src-tauri/tauri.conf.json), which names its
/// data folder.
pub const APP_IDENTIFIER: &str = "studio.webhook.desktop";
