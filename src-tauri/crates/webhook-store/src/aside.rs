//! Moving a bad database out of the way so that a fresh one can be created, without losing it.
//!
//! The app offers this when `studio.db` is not a database or is damaged: the file is renamed to
//! `studio.db.broken-<unix seconds>` in the same folder (its `-wal` and `-shm` companions with
//! it), so the designer or a support engineer can still look at it. Nothing is ever deleted.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::Error;

/// The companions SQLite keeps next to a database in WAL mode.
const COMPANIONS: [&str; 2] = ["-wal", "-shm"];

/// A bad database could not be moved aside. Nothing was deleted.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} could not be moved aside to {} ({source}). Nothing was deleted: move or rename the file yourself, then start Webhook Studio again.",
    from.display(),
    to.display()
)]
pub struct MoveAsideError {
    /// The file that should have been moved.
    pub from: PathBuf,
    /// Where it should have gone.
    pub to: PathBuf,
    /// The operating system's reason.
    pub source: io::Error,
}

/// Whether the store's refusal to open a file may be answered by moving the file aside and
/// starting fresh: only for a file that is not a database or is damaged. A file of another
/// program, one from a newer version, or one that cannot be read for another reason is not
/// the store's to move.
pub fn may_move_aside(error: &Error) -> bool {
    matches!(error, Error::NotADatabase { .. } | Error::Corrupt { .. })
}

/// Renames the database at `path` to `<name>.broken-<unix seconds>` in the same folder, with
/// its `-wal` and `-shm` files when they exist, and returns the new path of the database.
///
/// An existing file is never replaced: when the name is taken, `-2`, `-3`, … is appended. If a
/// companion cannot be moved, the database is moved back so that the set stays together.
pub fn move_aside(path: impl AsRef<Path>) -> Result<PathBuf, MoveAsideError> {
    let path = path.as_ref();
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let target = free_name(path, seconds);
    rename(path, &target)?;
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    for suffix in COMPANIONS {
        let from = with_suffix(path, suffix);
        if from.symlink_metadata().is_err() {
            continue;
        }
        let to = with_suffix(&target, suffix);
        if let Err(error) = rename(&from, &to) {
            // Put back what was moved: a fresh database next to an old -wal would read it.
            for (from, to) in moved.iter().rev() {
                let _ = std::fs::rename(to, from);
            }
            let _ = std::fs::rename(&target, path);
            return Err(error);
        }
        moved.push((from, to));
    }
    Ok(target)
}

fn rename(from: &Path, to: &Path) -> Result<(), MoveAsideError> {
    let fail = |source| MoveAsideError {
        from: from.to_path_buf(),
        to: to.to_path_buf(),
        source,
    };
    if to.symlink_metadata().is_ok() {
        return Err(fail(io::Error::new(io::ErrorKind::AlreadyExists, "that name is taken")));
    }
    std::fs::rename(from, to).map_err(fail)
}

/// `<path>.broken-<seconds>`, or with `-2`, `-3`, … when that name (or a companion of it) exists.
fn free_name(path: &Path, seconds: u64) -> PathBuf {
    let taken = |candidate: &Path| {
        candidate.symlink_metadata().is_ok()
            || COMPANIONS
                .iter()
                .any(|suffix| with_suffix(candidate, suffix).symlink_metadata().is_ok())
    };
    let base = with_suffix(path, &format!(".broken-{seconds}"));
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = with_suffix(&base, &format!("-{n}"));
        n += 1;
    }
    candidate
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}
