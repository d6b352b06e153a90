//! Moving a bad `studio.db` aside with real files: kept byte for byte, never deleted, never
//! overwriting another file, and a fresh store opens in its place.

use std::os::unix::fs::PermissionsExt as _;

use webhook_store::aside::{may_move_aside, move_aside};
use webhook_store::{Error, Store};

use crate::db_path;

fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect()
}

fn name_of(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn a_file_of_random_bytes_is_moved_aside_intact_and_a_fresh_store_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let bytes = noise(8192);
    std::fs::write(&path, &bytes).unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(may_move_aside(&error), "{error:?}");

    let kept = move_aside(&path).unwrap();

    assert_eq!(kept.parent(), path.parent());
    let name = name_of(&kept);
    let seconds = name
        .strip_prefix("studio.db.broken-")
        .unwrap_or_else(|| panic!("{name}"));
    assert!(seconds.parse::<u64>().unwrap() > 1_700_000_000, "{name}");
    assert!(std::fs::read(&kept).unwrap() == bytes, "the moved file changed");
    assert!(!path.exists());

    let mut store = Store::open_in(dir.path()).unwrap();
    assert!(store.list_bots().unwrap().is_empty());
    store
        .create_bot("After the move", webhook_store::UpdateSource::Window)
        .unwrap();
    assert!(
        std::fs::read(&kept).unwrap() == bytes,
        "the fresh store touched the old file"
    );
}

#[test]
fn the_wal_and_shm_files_move_with_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    std::fs::write(&path, noise(4096)).unwrap();
    std::fs::write(dir.path().join("studio.db-wal"), b"old wal").unwrap();
    std::fs::write(dir.path().join("studio.db-shm"), b"old shm").unwrap();

    let kept = move_aside(&path).unwrap();

    let kept_name = name_of(&kept);
    assert_eq!(
        std::fs::read(dir.path().join(format!("{kept_name}-wal"))).unwrap(),
        b"old wal"
    );
    assert_eq!(
        std::fs::read(dir.path().join(format!("{kept_name}-shm"))).unwrap(),
        b"old shm"
    );
    assert!(!dir.path().join("studio.db-wal").exists());
    assert!(!dir.path().join("studio.db-shm").exists());
}

#[test]
fn moving_aside_twice_in_the_same_second_keeps_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    std::fs::write(&path, b"first").unwrap();
    let first = move_aside(&path).unwrap();
    std::fs::write(&path, b"second").unwrap();
    let second = move_aside(&path).unwrap();
    // Usually the same second; either way neither file replaced the other.
    assert_ne!(first, second);
    assert_eq!(std::fs::read(&first).unwrap(), b"first");
    assert_eq!(std::fs::read(&second).unwrap(), b"second");
}

#[test]
fn a_missing_file_gives_an_error_that_says_nothing_was_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let error = move_aside(&path).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("could not be moved aside"), "{message}");
    assert!(message.contains(path.to_str().unwrap()), "{message}");
    assert!(message.contains("Nothing was deleted"), "{message}");
}

#[test]
fn a_folder_that_cannot_be_written_leaves_the_file_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    std::fs::write(&path, b"keep me").unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let outcome = move_aside(&path);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();

    match outcome {
        // Root may rename in a read-only folder; the file is then kept under its new name.
        Ok(kept) => assert_eq!(std::fs::read(kept).unwrap(), b"keep me"),
        Err(error) => {
            assert!(error.to_string().contains("could not be moved aside"), "{error}");
            assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
        }
    }
}

#[test]
fn only_files_that_are_not_databases_or_are_damaged_may_be_moved_aside() {
    let path = std::path::PathBuf::from("/data/studio.db");
    assert!(may_move_aside(&Error::NotADatabase { path: path.clone() }));
    assert!(may_move_aside(&Error::Corrupt {
        path: path.clone(),
        detail: "cut short".into()
    }));
    assert!(!may_move_aside(&Error::Foreign { path: path.clone() }));
    assert!(!may_move_aside(&Error::NewerVersion {
        path: path.clone(),
        found: 9,
        supported: 2
    }));
    assert!(!may_move_aside(&Error::ReadOnly { path: path.clone() }));
    assert!(!may_move_aside(&Error::CannotOpen { path }));
}
