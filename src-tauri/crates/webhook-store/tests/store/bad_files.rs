//! Each bad file with a real file: nothing is overwritten, and the error names the file and the fix.

use std::os::unix::fs::PermissionsExt as _;
use std::time::{Duration, Instant};

use webhook_store::{Error, Options, Store, UpdateSource};

use crate::{db_path, example, store_with_examples};

#[test]
fn a_database_from_a_newer_version_opens_read_only_refuses_writes_and_stays_byte_for_byte() {
    let (dir, store) = store_with_examples();
    drop(store);
    let path = db_path(&dir);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", webhook_store::SCHEMA_VERSION + 7)
        .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();

    let mut store = Store::open(&path).unwrap();
    assert!(store.is_read_only());
    assert!(matches!(store.write_refusal(), Some(Error::NewerVersion { .. })));
    // Reading still works, so the designer can see (and export) what is there.
    assert_eq!(store.load_bot("shop-orders").unwrap(), example("order-received-alert"));
    let error = store
        .set_setting("api_base", "https://x.example", UpdateSource::Window)
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::NewerVersion { found, supported, .. }
                if found == webhook_store::SCHEMA_VERSION + 7 && supported == webhook_store::SCHEMA_VERSION
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("written by a newer Webhook Studio"), "{message}");
    assert!(message.contains(path.to_str().unwrap()), "{message}");
    let error = store
        .save_bot(&example("abandoned-cart"), UpdateSource::Window)
        .unwrap_err();
    assert!(matches!(error, Error::NewerVersion { .. }));
    let error = store.delete_bot("shop-orders", UpdateSource::Window).unwrap_err();
    assert!(matches!(error, Error::NewerVersion { .. }));
    drop(store);

    assert!(std::fs::read(&path).unwrap() == before, "the newer file was changed");
}

#[test]
fn random_bytes_are_refused_naming_the_file_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    // A fixed xorshift stream: noise that is the same on every run, so a failure reproduces.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&path, &bytes).unwrap();

    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, Error::NotADatabase { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(path.to_str().unwrap()), "{message}");
    assert!(message.contains("move it aside"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(!dir.path().join("studio.db-wal").exists());
}

#[test]
fn a_short_text_file_is_refused_as_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    std::fs::write(&path, "hello\n").unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, Error::NotADatabase { .. }), "{error:?}");
    assert_eq!(std::fs::read(&path).unwrap(), b"hello\n");
}

#[test]
fn a_truncated_database_is_refused_as_damaged_and_left_untouched() {
    let (dir, mut store) = store_with_examples();
    // Enough rows for many pages, so that half the file loses some.
    for i in 0..200 {
        let mut bot = example("order-received-alert");
        bot.id = webhook_block::Id::parse(&format!("bot-{i}")).unwrap();
        for block in bot
            .flows
            .iter_mut()
            .flat_map(|f| &mut f.sequences)
            .flat_map(|s| &mut s.blocks)
        {
            match block {
                webhook_block::Block::Webhook(w) => w.id = webhook_block::Id::parse(&format!("wh-{i}")).unwrap(),
                webhook_block::Block::Message(m) => m.id = webhook_block::Id::parse(&format!("msg-{i}")).unwrap(),
            }
        }
        store.save_bot(&bot, UpdateSource::Import).unwrap();
    }
    drop(store);
    let path = db_path(&dir);
    let whole = std::fs::read(&path).unwrap();
    assert!(whole.len() > 64 * 1024, "{}", whole.len());
    let cut = &whole[..whole.len() / 2];
    std::fs::write(&path, cut).unwrap();

    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, Error::Corrupt { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(path.to_str().unwrap()) && message.contains("cut short"),
        "{message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), cut);

    // Cut inside the header: not recognisable as SQLite at all.
    std::fs::write(&path, &whole[..50]).unwrap();
    assert!(matches!(Store::open(&path).unwrap_err(), Error::NotADatabase { .. }));
}

#[test]
fn a_chmod_0444_file_gives_the_read_only_error_or_as_root_stays_writable() {
    let (dir, store) = store_with_examples();
    drop(store);
    let path = db_path(&dir);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    // Root ignores file modes: probe whether this process can still open the file for writing.
    let writable_anyway = std::fs::OpenOptions::new().write(true).open(&path).is_ok();

    let mut store = Store::open(&path).unwrap();
    let result = store.set_setting("api_base", "https://x.example", UpdateSource::Window);
    if writable_anyway {
        // Honest behaviour as root: the mode does not protect the file, so the write succeeds.
        // The SQLITE_READONLY path itself is covered by the `query_only` unit test in store.rs.
        result.unwrap();
        assert!(!store.is_read_only());
        assert_eq!(store.setting("api_base").unwrap().as_deref(), Some("https://x.example"));
    } else {
        assert!(store.is_read_only());
        let error = result.unwrap_err();
        assert!(matches!(error, Error::ReadOnly { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains(path.to_str().unwrap()) && message.contains("read-only"),
            "{message}"
        );
        // Reading still works.
        assert_eq!(store.load_bot("shop-orders").unwrap(), example("order-received-alert"));
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// Clears the immutable flag again, so the temporary folder can be removed even if a test fails.
struct Immutable<'a>(&'a std::path::Path);

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr").arg("-i").arg(self.0).status();
    }
}

#[test]
fn an_immutable_file_gives_the_read_only_error_even_to_root_and_reads_still_work() {
    // What chmod 0444 cannot show as root: `chattr +i` stops root's writes too (ext4 and most
    // Linux file systems). Where chattr is missing or refused, the test says so and passes.
    let (dir, store) = store_with_examples();
    drop(store);
    let path = db_path(&dir);
    let flagged = std::process::Command::new("chattr")
        .arg("+i")
        .arg(&path)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !flagged {
        eprintln!("note: chattr +i is not available here; the immutable-file case was not exercised");
        return;
    }
    let _guard = Immutable(&path);
    let before = std::fs::read(&path).unwrap();

    let mut store = Store::open(&path).unwrap();
    assert!(matches!(store.write_refusal(), Some(Error::ReadOnly { .. })));
    assert_eq!(store.load_bot("shop-orders").unwrap(), example("order-received-alert"));
    let error = store
        .update_webhook_form("shop-orders", "order-webhook", Default::default(), UpdateSource::Window)
        .unwrap_err();
    assert!(matches!(error, Error::ReadOnly { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(path.to_str().unwrap()) && message.contains("read-only"),
        "{message}"
    );
    drop(store);
    assert!(std::fs::read(&path).unwrap() == before);
}

#[test]
fn a_held_write_lock_gives_the_locked_error_after_the_busy_timeout_and_the_edit_saves_once_released() {
    let (dir, store) = store_with_examples();
    drop(store);
    let path = db_path(&dir);
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();

    let timeout = Duration::from_millis(150);
    let mut store = Store::open_with(&path, Options { busy_timeout: timeout }).unwrap();
    let bot = example("order-received-alert");
    let mut form = bot.webhook("order-webhook").unwrap().form.clone();
    form.contact_reference_id = "{customer_phone}".into();
    let started = Instant::now();
    let error = store
        .update_webhook_form("shop-orders", "order-webhook", form.clone(), UpdateSource::Window)
        .unwrap_err();
    assert!(started.elapsed() >= timeout, "gave up after {:?}", started.elapsed());
    assert!(matches!(error, Error::Locked { waited_ms: 150, .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("locked") && message.contains(path.to_str().unwrap()),
        "{message}"
    );

    // The form still holds what was typed; once the lock is gone the same save succeeds.
    holder.execute_batch("COMMIT").unwrap();
    store
        .update_webhook_form("shop-orders", "order-webhook", form.clone(), UpdateSource::Window)
        .unwrap();
    let saved = store.load_bot("shop-orders").unwrap();
    assert_eq!(saved.webhook("order-webhook").unwrap().form, form);
}

#[test]
fn a_missing_folder_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("studio.db");
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, Error::CannotOpen { .. }), "{error:?}");
    assert!(error.to_string().contains("no-such-folder"), "{error}");
    assert!(!path.exists());
}

#[test]
fn an_sqlite_database_of_another_program_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, Error::Foreign { .. }), "{error:?}");
    assert!(error.to_string().contains("another program"), "{error}");
    assert!(std::fs::read(&path).unwrap() == before);
}

#[test]
fn two_stores_on_one_file_see_each_others_edits() {
    // A second app instance on the same file is safe: WAL lets both read, writes take turns.
    let (dir, mut first) = store_with_examples();
    let mut second = Store::open(db_path(&dir)).unwrap();
    first.set_setting("a", "1", UpdateSource::Window).unwrap();
    second.set_setting("b", "2", UpdateSource::Window).unwrap();
    assert_eq!(first.setting("b").unwrap().as_deref(), Some("2"));
    assert_eq!(second.setting("a").unwrap().as_deref(), Some("1"));
}
