//! [`Store`]: opening the file safely, and the operations the app, the CLI and sync call.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior, ffi::ErrorCode};
use serde_json::Value;
use webhook_block::validate::Submitted;
use webhook_block::{Bot, BotDocument, ChannelKind, Id, WebhookForm};
use webhook_sync::entity::{Entities, EntityBody, EntityKey, decompose};

use crate::error::{Error, Result};
use crate::migrations::{SCHEMA_VERSION, migrations};
use crate::table::{blocks, bots, captures, changes, settings, sync};

/// Where a write came from, recorded in the `changes` log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateSource {
    /// The designer, in the app's window.
    Window,
    /// An imported bot document.
    Import,
    /// Remote sync.
    Sync,
    /// The `webhook-studio` command line.
    Cli,
}

impl UpdateSource {
    /// Whether a write from here is the designer's own and goes to the team server: every source
    /// but [`UpdateSource::Sync`], whose writes came from the server.
    pub fn is_local(self) -> bool {
        !matches!(self, Self::Sync)
    }

    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Window => "window",
            Self::Import => "import",
            Self::Sync => "sync",
            Self::Cli => "cli",
        }
    }
}

/// How a store is opened.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long a write waits for another connection's write lock before giving up with
    /// [`Error::Locked`].
    pub busy_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// A bot as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotSummary {
    /// Its id.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// A bot as the dashboard's card shows it: its summary, its channels and its blocks counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotOverview {
    /// Its id, name and last change.
    pub summary: BotSummary,
    /// The channels it is integrated with, in the bot's order.
    pub channels: Vec<ChannelSummary>,
    /// How many webhook blocks it has.
    pub webhook_blocks: u32,
    /// How many of them serve a submitted version (submitted, or edited since).
    pub submitted_blocks: u32,
}

/// A channel of a bot as the dashboard lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelSummary {
    /// Which channel.
    pub channel: ChannelKind,
    /// Active with at least one account (as [`ChannelConnection::is_connected`]).
    ///
    /// [`ChannelConnection::is_connected`]: webhook_block::model::ChannelConnection::is_connected
    pub connected: bool,
}

/// One request the development receiver answered, kept so the designer can look back at it,
/// replay it through an edited form, or keep its body as the block's sample.
///
/// Holds no secret: the receiver masks the Authorization header before a request gets here.
#[derive(Debug, Clone, PartialEq)]
pub struct CapturedRequest {
    /// The store's id for it, unique across blocks. Given by [`Store::record_request`]; the value
    /// passed in is ignored.
    pub id: i64,
    /// The block it was sent to.
    pub block_id: Id,
    /// When it arrived (RFC 3339).
    pub received_at: String,
    /// The HTTP status answered.
    pub status: u16,
    /// The request's headers in the order received, names in lower case, secrets masked.
    pub headers: Vec<(String, String)>,
    /// The request body; `null` when there was none or it was not JSON.
    pub body: Value,
    /// The variables extracted from it (an empty object unless accepted).
    pub variables: Value,
    /// The refusal's code (`wrong_token`, `missing_data`...), when refused.
    pub code: Option<String>,
    /// The refusal's message, when refused.
    pub message: Option<String>,
}

/// Why writes are refused on this store, if they are.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Writable,
    /// Written by a newer build: opened read-only.
    Newer(i64),
    /// The file cannot be written (permissions).
    ReadOnlyFile,
}

/// The path and timeout, for errors.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    path: Arc<Path>,
    busy_ms: u64,
}

impl Context {
    /// Names the file in an error and classifies SQLite's codes into causes a person can act on.
    pub(crate) fn locate(&self, error: Error) -> Error {
        let path = self.path.to_path_buf();
        match error {
            Error::Sqlite { source, .. } => match source.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Locked {
                    path,
                    waited_ms: self.busy_ms,
                },
                Some(ErrorCode::ReadOnly) => Error::ReadOnly { path },
                Some(ErrorCode::NotADatabase) => Error::NotADatabase { path },
                Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt {
                    path,
                    detail: source.to_string(),
                },
                Some(ErrorCode::DiskFull) => Error::DiskFull { path },
                Some(ErrorCode::CannotOpen) => Error::CannotOpen { path },
                _ => Error::Sqlite { path, source },
            },
            Error::Stored { what, detail, .. } => Error::Stored { path, what, detail },
            Error::Migration { source, .. } => match source {
                rusqlite_migration::Error::RusqliteError { err, .. } => self.locate(err.into()),
                source => Error::Migration { path, source },
            },
            other => other,
        }
    }
}

impl From<rusqlite::Error> for Error {
    /// Without a path: the store adds it (and names the cause) before the error reaches a caller.
    fn from(source: rusqlite::Error) -> Self {
        Error::Sqlite {
            path: PathBuf::new(),
            source,
        }
    }
}

/// The store: one open SQLite file.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    context: Context,
    mode: Mode,
}

impl Store {
    /// Opens (creating if missing) the database at `path`, upgrading its schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, Options::default())
    }

    /// Opens `dir/studio.db`, creating the folder if needed.
    pub fn open_in(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Self::open(dir.join(crate::DATABASE_FILE))
    }

    /// Opens with explicit options.
    pub fn open_with(path: impl AsRef<Path>, options: Options) -> Result<Self> {
        let path = path.as_ref();
        let context = Context {
            path: Arc::from(path),
            busy_ms: u64::try_from(options.busy_timeout.as_millis()).unwrap_or(u64::MAX),
        };
        check_header(path)?;
        let open = |flags: OpenFlags| -> Result<Connection> {
            let conn = Connection::open_with_flags(path, flags).map_err(|e| context.locate(e.into()))?;
            conn.busy_timeout(options.busy_timeout)
                .map_err(|e| context.locate(e.into()))?;
            Ok(conn)
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = open(flags)?;
        // Read before anything writes: even switching to WAL would change a newer file's header.
        let found = user_version(&conn).map_err(|e| context.locate(e))?;
        if found > SCHEMA_VERSION {
            drop(conn);
            let conn = open(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
            return Ok(Self {
                conn,
                context,
                mode: Mode::Newer(found),
            });
        }
        if found < 0 || (found == 0 && has_tables(&conn).map_err(|e| context.locate(e))?) {
            // Someone else's database: adding our tables to it would be overwriting it.
            return Err(Error::Foreign {
                path: path.to_path_buf(),
            });
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(|e| context.locate(e.into()))?;
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            // SQLite fell back to read-only: the file is write-protected. Reads still work, unless
            // the schema is older than this build reads and cannot be upgraded in place.
            if found < SCHEMA_VERSION {
                return Err(Error::ReadOnly {
                    path: path.to_path_buf(),
                });
            }
            return Ok(Self {
                conn,
                context,
                mode: Mode::ReadOnlyFile,
            });
        }
        let mut setup = || -> Result<()> {
            // WAL: readers never block the writer. FULL: an acknowledged edit survives power loss,
            // not only a killed process; an autosave is small, so the extra fsync is affordable.
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            let list = migrations();
            let current = usize::try_from(found).unwrap_or(0);
            let latest = usize::try_from(SCHEMA_VERSION).unwrap_or(0);
            for version in current + 1..=latest {
                // One transaction per migration: a failure keeps every earlier upgrade.
                list.to_version(&mut conn, version).map_err(|source| Error::Migration {
                    path: PathBuf::new(),
                    source,
                })?;
            }
            Ok(())
        };
        setup().map_err(|e| context.locate(e))?;
        Ok(Self {
            conn,
            context,
            mode: Mode::Writable,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.context.path
    }

    /// The file's schema version.
    pub fn schema_version(&self) -> Result<i64> {
        user_version(&self.conn).map_err(|e| self.context.locate(e))
    }

    /// Whether writes are refused (a newer file, or a write-protected one).
    pub fn is_read_only(&self) -> bool {
        !matches!(self.mode, Mode::Writable)
    }

    /// Why every write will be refused, if it will: what the window shows as soon as the file is
    /// open, before the designer types anything.
    pub fn write_refusal(&self) -> Option<Error> {
        let path = self.context.path.to_path_buf();
        match self.mode {
            Mode::Writable => None,
            Mode::Newer(found) => Some(Error::NewerVersion {
                path,
                found,
                supported: SCHEMA_VERSION,
            }),
            Mode::ReadOnlyFile => Some(Error::ReadOnly { path }),
        }
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits; on any error nothing is written.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        if let Some(refusal) = self.write_refusal() {
            return Err(refusal);
        }
        let context = self.context.clone();
        let run = || -> Result<T> {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run().map_err(|e| context.locate(e))
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn).map_err(|e| self.context.locate(e))
    }

    // ----- bots -----

    /// Creates an empty bot and returns its id.
    pub fn create_bot(&mut self, name: &str, source: UpdateSource) -> Result<Id> {
        let bot = Bot {
            id: Id::generate("bot"),
            name: name.to_owned(),
            channels: Vec::new(),
            variables: Vec::new(),
            flows: Vec::new(),
        };
        let id = bot.id.clone();
        self.write(|tx| {
            bots::save(tx, &bot)?;
            if source.is_local() {
                sync::queue_diff(tx, &Entities::new(), &decompose(&bot))?;
            }
            changes::record(tx, source, "bot", bot.id.as_str(), "create")
        })?;
        Ok(id)
    }

    /// Every bot, by name: ids, names and last changes only (cheap: sync lists them around each
    /// of its writes to see which bots changed).
    pub fn list_bots(&self) -> Result<Vec<BotSummary>> {
        self.read(bots::list)
    }

    /// Every bot, by name, as the dashboard shows it: one query, the blocks counted, not loaded.
    pub fn bot_overviews(&self) -> Result<Vec<BotOverview>> {
        self.read(bots::overviews)
    }

    /// Renames a bot.
    pub fn rename_bot(&mut self, id: &str, name: &str, source: UpdateSource) -> Result<()> {
        self.write(|tx| {
            let before = source.is_local().then(|| bots::load(tx, id)).transpose()?;
            bots::rename(tx, id, name)?;
            if let Some(before) = before {
                let mut after = before.clone();
                after.name = name.to_owned();
                sync::queue_diff(tx, &decompose(&before), &decompose(&after))?;
            }
            changes::record(tx, source, "bot", id, "rename")
        })
    }

    /// Copies a bot under a new id and name (see [`Bot::become_new`]): its blocks get new ids and
    /// new tokens, and its webhook blocks are drafts until submitted.
    pub fn duplicate_bot(&mut self, id: &str, source: UpdateSource) -> Result<Id> {
        let mut copy = self.load_bot(id)?;
        let name = format!("{} (copy)", copy.name);
        copy.become_new(name)?;
        let new_id = copy.id.clone();
        self.write(|tx| {
            bots::save(tx, &copy)?;
            if source.is_local() {
                sync::queue_diff(tx, &Entities::new(), &decompose(&copy))?;
            }
            changes::record(tx, source, "bot", copy.id.as_str(), "duplicate")
        })?;
        Ok(new_id)
    }

    /// Deletes a bot and everything it owns (blocks, history, captured requests).
    pub fn delete_bot(&mut self, id: &str, source: UpdateSource) -> Result<()> {
        self.write(|tx| {
            let before = source.is_local().then(|| bots::load(tx, id)).transpose()?;
            bots::delete(tx, id)?;
            if let Some(before) = before {
                sync::queue_diff(tx, &decompose(&before), &Entities::new())?;
            }
            changes::record(tx, source, "bot", id, "delete")
        })
    }

    /// Saves a whole bot: creates it, or makes the stored one equal to it. Blocks that remain keep
    /// their undo history and captured requests.
    pub fn save_bot(&mut self, bot: &Bot, source: UpdateSource) -> Result<()> {
        self.write(|tx| {
            bots::check_ids_free(tx, bot)?;
            let before = before_save(tx, source, bot)?;
            bots::save(tx, bot)?;
            if let Some(before) = before {
                sync::queue_diff(tx, &before, &decompose(bot))?;
            }
            changes::record(tx, source, "bot", bot.id.as_str(), "save")
        })
    }

    /// Loads a whole bot, equal to the one last saved.
    pub fn load_bot(&self, id: &str) -> Result<Bot> {
        self.read(|conn| bots::load(conn, id))
    }

    // ----- webhook blocks -----

    /// Autosave of a draft edit: stores the form as typed and records the edit for undo, in one
    /// small transaction that touches only this block. A submitted block keeps serving its
    /// submitted version (see [`WebhookBlock::edit`]).
    pub fn update_webhook_form(
        &mut self,
        bot: &str,
        block: &str,
        form: WebhookForm,
        source: UpdateSource,
    ) -> Result<()> {
        self.save_form(bot, block, None, form, source)
    }

    /// [`Store::update_webhook_form`] for an edit made on `base`, the form the panel last saw
    /// (the one it last sent to be saved, or the one it loaded). When the stored form is `base`
    /// (or already `form`) it is that same write. When it is neither, someone else (a teammate,
    /// through sync) changed the block since: the form is not written; a sync conflict keeps
    /// `mine` (the block with `form`) and `theirs` (the block as stored, at the known revision),
    /// and [`Error::ChangedElsewhere`] is returned, in one transaction. Nothing is lost: the
    /// designer chooses in the Sync conflicts view ([`Store::resolve_conflict`]).
    pub fn update_webhook_form_from(
        &mut self,
        bot: &str,
        block: &str,
        base: &WebhookForm,
        form: WebhookForm,
        source: UpdateSource,
    ) -> Result<()> {
        self.save_form(bot, block, Some(base), form, source)
    }

    fn save_form(
        &mut self,
        bot: &str,
        block: &str,
        base: Option<&WebhookForm>,
        form: WebhookForm,
        source: UpdateSource,
    ) -> Result<()> {
        let outcome = self.write(|tx| {
            let mut state = blocks::webhook_state(tx, bot, block)?;
            let before = state.form.clone();
            if let Some(base) = base
                && before != *base
                && before != form
            {
                keep_both(tx, source, bot, block, form)?;
                return Ok(false);
            }
            state.edit(|f| *f = form);
            if state.form == before {
                return Ok(true);
            }
            blocks::write_state(tx, &state)?;
            blocks::push_edit(tx, block, &before, &state.form)?;
            queue_block(tx, source, bot, block)?;
            changes::record(tx, source, "block", block, "edit")?;
            Ok(true)
        })?;
        if outcome {
            Ok(())
        } else {
            Err(Error::ChangedElsewhere {
                block: block.to_owned(),
            })
        }
    }

    /// Undoes the last form edit of a block; returns the restored form, or `None` when there is
    /// nothing to undo. The history lives in the database, so undo works after a restart.
    pub fn undo_webhook_form(&mut self, bot: &str, block: &str, source: UpdateSource) -> Result<Option<WebhookForm>> {
        self.step(bot, block, source, blocks::Direction::Undo)
    }

    /// Re-applies the last undone form edit; `None` when there is nothing to redo.
    pub fn redo_webhook_form(&mut self, bot: &str, block: &str, source: UpdateSource) -> Result<Option<WebhookForm>> {
        self.step(bot, block, source, blocks::Direction::Redo)
    }

    fn step(
        &mut self,
        bot: &str,
        block: &str,
        source: UpdateSource,
        direction: blocks::Direction,
    ) -> Result<Option<WebhookForm>> {
        self.write(|tx| {
            let mut state = blocks::webhook_state(tx, bot, block)?;
            let Some(target) = blocks::take_step(tx, block, direction)? else {
                return Ok(None);
            };
            state.edit(|f| *f = target);
            blocks::write_state(tx, &state)?;
            let action = match direction {
                blocks::Direction::Undo => "undo",
                blocks::Direction::Redo => "redo",
            };
            queue_block(tx, source, bot, block)?;
            changes::record(tx, source, "block", block, action)?;
            Ok(Some(state.form))
        })
    }

    /// Submits a webhook block under [`Bot::submit_webhook`]'s rules: on success the form becomes
    /// the version its URL serves and the variables its mappings create are added to the bot.
    pub fn submit_webhook(&mut self, bot: &str, block: &str, source: UpdateSource) -> Result<Submitted> {
        self.write(|tx| {
            let mut whole = bots::load(tx, bot)?;
            if whole.webhook(block).is_none() {
                return Err(Error::NoSuchBlock {
                    bot: bot.to_owned(),
                    block: block.to_owned(),
                });
            }
            let submitted = whole.submit_webhook(block)?;
            let state = blocks::webhook_state(tx, bot, block)?;
            let after = whole.webhook(block).cloned().unwrap_or(state);
            blocks::write_state(tx, &after)?;
            bots::append_variables(tx, bot, &submitted.created_variables)?;
            queue_block(tx, source, bot, block)?;
            if source.is_local() && !submitted.created_variables.is_empty() {
                // The variables live in the bot entity: queue it as the tables now hold it.
                let key = EntityKey::bot(&whole.id);
                let stored = bots::load(tx, bot)?;
                if let Some(body) = decompose(&stored).get(&key) {
                    sync::queue(tx, &key, Some(&body.to_value()))?;
                }
            }
            changes::record(tx, source, "block", block, "submit")?;
            Ok(submitted)
        })
    }

    // ----- settings -----

    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|conn| settings::get(conn, key))
    }

    /// Sets a setting.
    pub fn set_setting(&mut self, key: &str, value: &str, source: UpdateSource) -> Result<()> {
        self.set_settings(&[(key, value)], source)
    }

    /// Sets several settings in one transaction: all of them are saved, or none (a form whose
    /// fields belong together, like a server's address and its key, is never half saved).
    pub fn set_settings(&mut self, pairs: &[(&str, &str)], source: UpdateSource) -> Result<()> {
        self.write(|tx| {
            for &(key, value) in pairs {
                settings::set(tx, key, value)?;
                changes::record(tx, source, "setting", key, "set")?;
            }
            Ok(())
        })
    }

    // ----- captured requests -----

    /// Keeps a request the receiver answered and returns its id; only the last
    /// [`crate::CAPTURES_KEPT`] per block are kept.
    pub fn record_request(&mut self, request: &CapturedRequest, source: UpdateSource) -> Result<i64> {
        self.write(|tx| {
            let id = captures::insert(tx, request)?;
            changes::record(tx, source, "captured_request", &id.to_string(), "record")?;
            Ok(id)
        })
    }

    /// The block's captured requests, newest first.
    pub fn captured_requests(&self, block: &str) -> Result<Vec<CapturedRequest>> {
        self.read(|conn| captures::list(conn, block))
    }

    /// One captured request of the block, by id; `None` when it is not (or no longer) kept.
    pub fn captured_request(&self, block: &str, id: i64) -> Result<Option<CapturedRequest>> {
        self.read(|conn| captures::get(conn, block, id))
    }

    /// Sets (or, with `None`, clears) the block's sample payload: the body its sample cURL is
    /// built from. It is not a form edit: the draft, its status and its undo history are kept.
    pub fn set_sample_payload(
        &mut self,
        bot: &str,
        block: &str,
        sample: Option<Value>,
        source: UpdateSource,
    ) -> Result<()> {
        self.write(|tx| {
            blocks::set_sample_payload(tx, bot, block, sample.as_ref())?;
            queue_block(tx, source, bot, block)?;
            changes::record(tx, source, "block", block, "sample")
        })
    }

    // ----- export and import -----

    /// The bot as a document. Tokens are left out unless `include_secrets`.
    pub fn export_bot(&self, id: &str, include_secrets: bool) -> Result<BotDocument> {
        let mut bot = self.load_bot(id)?;
        if !include_secrets {
            for block in bot
                .flows
                .iter_mut()
                .flat_map(|f| &mut f.sequences)
                .flat_map(|s| &mut s.blocks)
            {
                if let webhook_block::Block::Webhook(w) = block {
                    w.token = None;
                }
            }
        }
        Ok(BotDocument::new(bot))
    }

    /// Imports a document as one transaction. Drafts may break rules; structural problems
    /// (duplicate ids, an existing bot without `replace`, a block id used by another bot) are all
    /// listed in [`Error::Invalid`] and nothing is imported. A webhook block without a token gets
    /// a fresh one.
    pub fn import_document(&mut self, document: &BotDocument, replace: bool, source: UpdateSource) -> Result<Id> {
        let mut bot = document.bot.clone();
        for block in bot
            .flows
            .iter_mut()
            .flat_map(|f| &mut f.sequences)
            .flat_map(|s| &mut s.blocks)
        {
            if let webhook_block::Block::Webhook(w) = block
                && w.token.is_none()
            {
                w.rotate_token()?;
            }
        }
        self.write(|tx| {
            let mut problems = crate::document::import_problems(document);
            if !replace && bots::exists(tx, bot.id.as_str())? {
                problems.push(crate::ImportProblem {
                    pointer: "/bot/id".into(),
                    message: format!(
                        "a bot with the id {} already exists; replace it (--replace) or change the id",
                        bot.id
                    ),
                });
            }
            problems.extend(bots::ids_taken(tx, &bot)?);
            if !problems.is_empty() {
                return Err(Error::Invalid(problems));
            }
            let before = before_save(tx, source, &bot)?;
            bots::save(tx, &bot)?;
            if let Some(before) = before {
                sync::queue_diff(tx, &before, &decompose(&bot))?;
            }
            changes::record(tx, source, "bot", bot.id.as_str(), "import")
        })?;
        Ok(document.bot.id.clone())
    }

    // ----- the change log -----

    /// The change log, oldest first: every write with where it came from.
    pub fn changes(&self) -> Result<Vec<changes::Change>> {
        self.read(changes::list)
    }

    /// How many outbox entries wait for remote sync (the same as [`Store::pending_count`]).
    pub fn outbox_len(&self) -> Result<i64> {
        self.pending_count()
    }

    /// Whether the block has an edit to undo, and one to redo.
    pub fn undo_state(&self, block: &str) -> Result<(bool, bool)> {
        self.read(|conn| blocks::history_state(conn, block))
    }

    /// Every form a block's undo history reached, oldest first.
    pub fn form_history(&self, block: &str) -> Result<Vec<WebhookForm>> {
        self.read(|conn| blocks::edited_forms(conn, block))
    }

    /// The raw connection, for tests in this crate.
    #[cfg(test)]
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Queues one block's whole body after a local write to it: the autosave path reads that block's
/// row only. The body holds the token: the team server needs it to answer the production URL, and
/// the outbox lives in the same file as the token itself (the sync client strips it before
/// sending it anywhere but https or loopback).
fn queue_block(tx: &Transaction<'_>, source: UpdateSource, bot: &str, block: &str) -> Result<()> {
    if !source.is_local() {
        return Ok(());
    }
    if let Some(body) = bots::load_block(tx, bot, block)? {
        let key = EntityKey::block(&crate::table::decode_str("bot id", bot)?, body.id());
        sync::queue(tx, &key, Some(&EntityBody::Block(body).to_value()))?;
    }
    Ok(())
}

/// A form edit met a block changed elsewhere since its base: a sync conflict keeps the block as it
/// would be with `form` (`mine`) and as stored (`theirs`, at the known revision), and the block's
/// queued changes leave the outbox (the version chosen is sent), as [`Store::record_conflict`]
/// does. A conflict already open for the block keeps its server version and revision.
fn keep_both(tx: &Transaction<'_>, source: UpdateSource, bot: &str, block: &str, form: WebhookForm) -> Result<()> {
    let Some(stored) = bots::load_block(tx, bot, block)? else {
        return Err(Error::NoSuchBlock {
            bot: bot.to_owned(),
            block: block.to_owned(),
        });
    };
    let key = EntityKey::block(&crate::table::decode_str("bot id", bot)?, stored.id());
    let mut mine = stored.clone();
    if let webhook_block::Block::Webhook(webhook) = &mut mine {
        webhook.edit(|f| *f = form);
    }
    let mine = EntityBody::Block(mine).to_value();
    let (theirs, their_revision) = match sync::conflict(tx, &key)? {
        Some(open) => (open.theirs, open.their_revision),
        None => (
            Some(EntityBody::Block(stored).to_value()),
            sync::known_revision(tx, &key)?.unwrap_or(0),
        ),
    };
    sync::put_conflict(tx, &key, Some(&mine), theirs.as_ref(), their_revision)?;
    sync::drop_pending(tx, &key)?;
    changes::record(tx, source, "block", block, "conflict")
}

/// A bot's entities before a local save replaces it (none when it is new); `None` for a write
/// from sync, which queues nothing.
fn before_save(tx: &Transaction<'_>, source: UpdateSource, bot: &Bot) -> Result<Option<Entities>> {
    if !source.is_local() {
        return Ok(None);
    }
    if bots::exists(tx, bot.id.as_str())? {
        Ok(Some(decompose(&bots::load(tx, bot.id.as_str())?)))
    } else {
        Ok(Some(Entities::new()))
    }
}

fn has_tables(conn: &Connection) -> Result<bool> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
        [],
        |r| r.get(0),
    )?;
    Ok(count > 0)
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Refuses a file that is not SQLite or is shorter than its header says, before SQLite touches it.
fn check_header(path: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e)),
    };
    let len = file.metadata().map_err(io)?.len();
    if len == 0 {
        // SQLite's own empty database: a new store.
        return Ok(());
    }
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io)? {
            0 => break,
            n => read += n,
        }
    }
    if read < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    // The page count is valid only when it was written with the current change counter.
    let count_valid = header[24..28] == header[92..96];
    // A checkpoint cut short by a crash may leave the file shorter until the WAL is replayed.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal_pending = std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0);
    if count_valid && !wal_pending && pages * page_size > len {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            detail: format!(
                "it is {len} bytes long but its header says {}; it was probably cut short by a copy or a full disk",
                pages * page_size
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_only_connection_gives_the_read_only_error_naming_the_file() {
        // Tests run as root, where chmod 0444 does not stop writes; `query_only` makes SQLite
        // refuse writes with the same SQLITE_READONLY code a write-protected file gives.
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        store.connection().pragma_update(None, "query_only", true).unwrap();
        let error = store
            .set_setting("api_base", "https://x.example", UpdateSource::Cli)
            .unwrap_err();
        assert!(matches!(error, Error::ReadOnly { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains("studio.db") && message.contains("read-only"),
            "{message}"
        );
    }

    #[test]
    fn autosave_touches_only_the_block_its_history_and_the_log_not_the_whole_bot() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let text = include_str!("../../../../assets/examples/order-received-alert.bot.json");
        let bot = BotDocument::from_json(text).unwrap().bot;
        store.save_bot(&bot, UpdateSource::Import).unwrap();
        let mut form = bot.webhook("order-webhook").unwrap().form.clone();
        form.contact_reference_id = "{someone}".into();
        let before = store.connection().total_changes();
        store
            .update_webhook_form("shop-orders", "order-webhook", form, UpdateSource::Window)
            .unwrap();
        // The block's row, one history row, one change-log row and one outbox row.
        assert_eq!(store.connection().total_changes() - before, 4);
    }

    #[test]
    fn a_full_disk_gives_the_disk_full_error_and_keeps_the_previous_state() {
        // `max_page_count` makes SQLite answer SQLITE_FULL, the code a full disk gives, without
        // filling a real disk.
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let text = include_str!("../../../../assets/examples/order-received-alert.bot.json");
        let mut bot = BotDocument::from_json(text).unwrap().bot;
        store.save_bot(&bot, UpdateSource::Import).unwrap();
        let pages: i64 = store
            .connection()
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap();
        store.connection().pragma_update(None, "max_page_count", pages).unwrap();
        let saved = store.load_bot("shop-orders").unwrap();
        bot.name = "x".repeat(64 * 1024);
        let error = store.save_bot(&bot, UpdateSource::Window).unwrap_err();
        assert!(matches!(error, Error::DiskFull { .. }), "{error:?}");
        assert!(error.to_string().contains("disk is full"), "{error}");
        assert_eq!(store.load_bot("shop-orders").unwrap(), saved);
    }
}
