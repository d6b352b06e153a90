//! The store as the window sees it: opened once at start-up, kept (or the reason it could not
//! be opened) in Tauri's managed state, and reported as a [`StoreStatus`].
//!
//! Which files may be moved aside and how is the store's rule (`webhook_store::aside`); this
//! module only holds the outcome and translates the store's errors into codes the UI branches on.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use specta::Type;
use webhook_store::{DATABASE_FILE, Error, Store};

/// The open store, or why it could not be opened, and the database file either way.
#[derive(Debug)]
pub struct StoreState {
    path: PathBuf,
    dir: PathBuf,
    opened: Mutex<Result<Store, Error>>,
    queued: QueuedHook,
}

/// Called after a call through [`StoreState`] queued changes for the team server: every write
/// passes here, so sync hears of each without a line in each command.
pub type Queued = Arc<dyn Fn() + Send + Sync>;

#[derive(Default)]
struct QueuedHook(Mutex<Option<Queued>>);

impl std::fmt::Debug for QueuedHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QueuedHook")
    }
}

/// What the UI branches on when the store is unavailable. The message beside it is the store's
/// own text and is shown as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum StoreProblemCode {
    /// The file is not an SQLite database; it may be moved aside.
    NotADatabase,
    /// The file is damaged; it may be moved aside.
    Damaged,
    /// The file is another program's SQLite database.
    Foreign,
    /// The file was written by a newer Webhook Studio.
    NewerVersion,
    /// The file or its folder cannot be written.
    ReadOnly,
    /// Another program holds the file's write lock.
    Locked,
    /// The file or its folder cannot be opened.
    CannotOpen,
    /// Moving the file aside failed; nothing was deleted.
    MoveAsideFailed,
    /// The file may not be moved aside (it is open, or not the kind of problem that allows it).
    NotAllowed,
    /// Anything else.
    Other,
}

/// Why the store is not available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StoreProblem {
    /// What kind of problem, for the UI to branch on.
    pub code: StoreProblemCode,
    /// The store's own words: the cause and what to do.
    pub message: String,
    /// The database file.
    pub path: String,
    /// Whether the store allows answering this by moving the file aside (its rule, not the UI's).
    pub may_move_aside: bool,
}

/// The open store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenStore {
    /// The database file.
    pub path: String,
    /// Its schema version.
    pub schema_version: i32,
    /// How many bots it holds.
    pub bots: u32,
    /// Why every write will be refused (a newer or write-protected file), if it will.
    pub read_only_reason: Option<String>,
}

/// Whether the store is open, and what it holds or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum StoreStatus {
    /// The store is open.
    Open(OpenStore),
    /// The store could not be opened; the app runs without it.
    Unavailable(StoreProblem),
}

/// What moving a bad file aside did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MovedAside {
    /// Where the old file is kept now.
    pub kept_at: String,
    /// The store after a fresh start.
    pub status: StoreStatus,
}

impl StoreState {
    /// Opens `studio.db` in `dir`. Never fails: a store that cannot be opened is kept as its error.
    pub fn open_in(dir: &Path) -> Self {
        let opened = Store::open_in(dir);
        if let Err(error) = &opened {
            eprintln!("webhook-studio-app: the store is unavailable: {error}");
        }
        Self {
            path: dir.join(DATABASE_FILE),
            dir: dir.to_path_buf(),
            opened: Mutex::new(opened),
            queued: QueuedHook::default(),
        }
    }

    /// Sets what to call after a write queued changes for the team server (`None`: nothing).
    pub fn on_queued(&self, hook: Option<Queued>) {
        *self.queued.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = hook;
    }

    /// Runs `f` on the open store under its lock, then calls the [`Self::on_queued`] hook (with
    /// the lock released) when the outbox grew (a local write always adds a row to it) or a sync
    /// conflict was opened (an edit based on a form a teammate changed since), so the sync status
    /// shows it at once.
    fn run<T>(&self, f: impl FnOnce(&mut Result<Store, Error>) -> T) -> T {
        let (answer, grew) = {
            let mut opened = self.opened.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let count = |opened: &Result<Store, Error>| {
                opened
                    .as_ref()
                    .ok()
                    .and_then(|s| Some((s.pending_count().ok()?, s.conflict_count().ok()?)))
            };
            let before = count(&opened);
            let answer = f(&mut opened);
            let after = count(&opened);
            let grew = match (before, after) {
                (Some((pending, conflicts)), Some((pending_after, conflicts_after))) => {
                    pending_after > pending || conflicts_after > conflicts
                }
                (None, Some(_)) => true,
                _ => false,
            };
            (answer, grew)
        };
        if grew {
            let hook = self
                .queued
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            if let Some(hook) = hook {
                hook();
            }
        }
        answer
    }

    /// The store's current status.
    pub fn status(&self) -> StoreStatus {
        let opened = self.opened.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        status_of(&self.path, &opened)
    }

    /// Runs `f` on the open store, holding its lock for the call. When the store could not be
    /// opened, the reason comes back as a [`StoreProblem`] (the window already shows it).
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> Result<T, Error>) -> Result<T, StoreProblem> {
        self.run(|opened| match opened {
            Ok(store) => f(store).map_err(|error| self.problem_of(&error)),
            Err(error) => Err(self.problem_of(error)),
        })
    }

    /// Runs `f` on the store or its error under the lock, with no other bookkeeping: the sync
    /// engine's way in (its writes come from the server and queue nothing).
    pub fn with_opened<T>(&self, f: impl FnOnce(&mut Result<Store, Error>) -> T) -> T {
        f(&mut self.opened.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Runs an editor call on the open store. When the store could not be opened, the answer is
    /// an error that says so (the window shows why and what to do on its own notice).
    pub fn editor<T>(&self, f: impl FnOnce(&mut Store) -> webhook_editor::Result<T>) -> webhook_editor::Result<T> {
        self.run(|opened| match opened {
            Ok(store) => f(store),
            Err(error) => Err(webhook_editor::EditorError {
                code: webhook_editor::EditorErrorCode::Store,
                message: format!("The store is not available: {error}"),
                field: None,
            }),
        })
    }

    /// The store's error as the window sees it.
    pub fn problem_of(&self, error: &Error) -> StoreProblem {
        StoreProblem {
            code: code_of(error),
            message: error.to_string(),
            path: self.path.display().to_string(),
            may_move_aside: webhook_store::aside::may_move_aside(error),
        }
    }

    /// Moves the bad file aside (when the store allows it) and opens a fresh store.
    pub fn move_aside_and_start_fresh(&self) -> Result<MovedAside, StoreProblem> {
        let mut opened = self.opened.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*opened {
            Err(error) if webhook_store::aside::may_move_aside(error) => {}
            Err(error) => {
                return Err(self.problem(
                    StoreProblemCode::NotAllowed,
                    format!("Only a file that is not a database or is damaged is moved aside. {error}"),
                ));
            }
            Ok(_) => {
                return Err(self.problem(
                    StoreProblemCode::NotAllowed,
                    format!("{} is open and working; it was not moved.", self.path.display()),
                ));
            }
        }
        let kept_at = webhook_store::aside::move_aside(&self.path)
            .map_err(|error| self.problem(StoreProblemCode::MoveAsideFailed, error.to_string()))?;
        *opened = Store::open_in(&self.dir);
        Ok(MovedAside {
            kept_at: kept_at.display().to_string(),
            status: status_of(&self.path, &opened),
        })
    }

    fn problem(&self, code: StoreProblemCode, message: String) -> StoreProblem {
        StoreProblem {
            code,
            message,
            path: self.path.display().to_string(),
            may_move_aside: false,
        }
    }
}

fn status_of(path: &Path, opened: &Result<Store, Error>) -> StoreStatus {
    let unavailable = |error: &Error| {
        StoreStatus::Unavailable(StoreProblem {
            code: code_of(error),
            message: error.to_string(),
            path: path.display().to_string(),
            may_move_aside: webhook_store::aside::may_move_aside(error),
        })
    };
    match opened {
        Err(error) => unavailable(error),
        Ok(store) => {
            let read = || -> Result<OpenStore, Error> {
                Ok(OpenStore {
                    path: store.path().display().to_string(),
                    schema_version: i32::try_from(store.schema_version()?).unwrap_or(i32::MAX),
                    bots: u32::try_from(store.list_bots()?.len()).unwrap_or(u32::MAX),
                    read_only_reason: store.write_refusal().map(|refusal| refusal.to_string()),
                })
            };
            read().map_or_else(|error| unavailable(&error), StoreStatus::Open)
        }
    }
}

fn code_of(error: &Error) -> StoreProblemCode {
    match error {
        Error::NotADatabase { .. } => StoreProblemCode::NotADatabase,
        Error::Corrupt { .. } => StoreProblemCode::Damaged,
        Error::Foreign { .. } => StoreProblemCode::Foreign,
        Error::NewerVersion { .. } => StoreProblemCode::NewerVersion,
        Error::ReadOnly { .. } => StoreProblemCode::ReadOnly,
        Error::Locked { .. } => StoreProblemCode::Locked,
        Error::CannotOpen { .. } | Error::Io { .. } | Error::NoDataDir => StoreProblemCode::CannotOpen,
        _ => StoreProblemCode::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_folder_gets_an_open_empty_store() {
        let dir = std::env::temp_dir().join(format!("webhook-studio-app-store-{}-fresh", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let state = StoreState::open_in(&dir);
        let StoreStatus::Open(open) = state.status() else {
            panic!("{:?}", state.status())
        };
        assert_eq!(open.bots, 0);
        assert_eq!(open.read_only_reason, None);
        assert!(dir.join(DATABASE_FILE).exists());
        assert_eq!(
            state.move_aside_and_start_fresh().unwrap_err().code,
            StoreProblemCode::NotAllowed
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_edit_kept_as_a_conflict_wakes_sync_so_the_status_shows_it() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = std::env::temp_dir().join(format!("webhook-studio-app-store-{}-conflict", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let state = StoreState::open_in(&dir);
        let woken = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&woken);
        state.on_queued(Some(Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })));
        let bot = state
            .editor(|s| webhook_editor::dashboard::create(s, "Sign-ups"))
            .unwrap()
            .to_string();
        let sequence = state.editor(|s| webhook_editor::canvas::view(s, &bot)).unwrap().flows[0].sequences[0]
            .id
            .clone();
        let block = state
            .editor(|s| {
                webhook_editor::canvas::add_block(s, &bot, &sequence, webhook_editor::canvas::BlockKind::Webhook)
            })
            .unwrap()
            .id;
        let loaded = state
            .editor(|s| webhook_editor::panel::view(s, &bot, &block))
            .unwrap()
            .form;
        // Everything queued was sent; then a teammate's change arrives through sync.
        state.with_opened(|opened| {
            let store = opened.as_mut().unwrap();
            for row in store.pending(usize::MAX).unwrap() {
                store.ack(row.id, 1).unwrap();
            }
            let mut theirs = loaded.clone();
            theirs.contact_reference_id = "{teammate}".into();
            store
                .update_webhook_form(&bot, &block, theirs, webhook_store::UpdateSource::Sync)
                .unwrap();
        });
        let before = woken.load(Ordering::SeqCst);
        let mut typed = loaded.clone();
        typed.contact_reference_id = "{mine}".into();
        let error = state
            .editor(|s| webhook_editor::panel::edit(s, &bot, &block, &loaded, typed))
            .unwrap_err();
        assert_eq!(error.code, webhook_editor::EditorErrorCode::ChangedElsewhere);
        assert_eq!(
            woken.load(Ordering::SeqCst),
            before + 1,
            "sync is woken to show the conflict"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn random_bytes_are_reported_then_moved_aside_for_a_fresh_store() {
        let dir = std::env::temp_dir().join(format!("webhook-studio-app-store-{}-bad", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let bytes: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(dir.join(DATABASE_FILE), &bytes).unwrap();

        let state = StoreState::open_in(&dir);
        let StoreStatus::Unavailable(problem) = state.status() else {
            panic!("{:?}", state.status())
        };
        assert_eq!(problem.code, StoreProblemCode::NotADatabase);
        assert!(problem.message.contains(&problem.path), "{}", problem.message);

        let moved = state.move_aside_and_start_fresh().unwrap();
        assert!(matches!(moved.status, StoreStatus::Open(_)), "{:?}", moved.status);
        assert!(std::fs::read(&moved.kept_at).unwrap() == bytes);
        assert!(matches!(state.status(), StoreStatus::Open(_)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_data_folder_that_cannot_be_created_is_reported_not_fatal() {
        let file = std::env::temp_dir().join(format!("webhook-studio-app-store-{}-file", std::process::id()));
        std::fs::write(&file, b"a file where the folder should be").unwrap();
        let state = StoreState::open_in(&file.join("data"));
        let StoreStatus::Unavailable(problem) = state.status() else {
            panic!("{:?}", state.status())
        };
        assert_eq!(problem.code, StoreProblemCode::CannotOpen);
        assert!(problem.message.contains(file.to_str().unwrap()), "{}", problem.message);
        assert_eq!(
            state.move_aside_and_start_fresh().unwrap_err().code,
            StoreProblemCode::NotAllowed
        );
        let _ = std::fs::remove_file(&file);
    }
}
