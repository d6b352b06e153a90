//! The store against real SQLite files in temporary folders: round trips, autosave, undo across
//! restarts, export and import, and every bad file a designer's disk can hold.

mod aside;
mod bad_files;
mod captures;
mod crash;
mod documents;
mod edits;
mod sync;

use std::path::{Path, PathBuf};

use webhook_block::{Bot, BotDocument};
use webhook_store::{Store, UpdateSource};

pub const EXAMPLES: [&str; 3] = ["welcome-on-sign-up", "order-received-alert", "abandoned-cart"];

/// An example bot from `assets/examples`, with its tokens.
pub fn example(name: &str) -> Bot {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../../assets/examples/{name}.bot.json"));
    BotDocument::from_json(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .bot
}

/// A fresh store in a temporary folder.
pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    (dir, store)
}

/// A store holding the three examples.
pub fn store_with_examples() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = store();
    for name in EXAMPLES {
        store.save_bot(&example(name), UpdateSource::Import).unwrap();
    }
    (dir, store)
}

pub fn db_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join(webhook_store::DATABASE_FILE)
}

/// The CLI and the app must open the same `studio.db`: the store names the app's data folder
/// after the identifier in tauri.conf.json, so a renamed identifier must fail here.
#[test]
fn the_default_data_folder_is_the_apps_own() {
    let conf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tauri.conf.json");
    let conf: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(conf).unwrap()).unwrap();
    assert_eq!(conf["identifier"], webhook_store::APP_IDENTIFIER);
}
