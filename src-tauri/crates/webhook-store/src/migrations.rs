//! The schema, as numbered migrations embedded in the binary.
//!
//! A shipped migration is never edited: a change of schema is a new migration at the end of the
//! list. Each runs in its own transaction and bumps `PRAGMA user_version`, so a failed upgrade
//! leaves the file at the last version that completed. Ids and foreign keys are relational so that
//! deleting a bot cascades to everything it owns; a webhook block's form is stored as the JSON the
//! designer typed (a draft may break every rule, so it has no columns to satisfy).

use rusqlite_migration::{M, Migrations};

/// 1: bots and everything a bot document holds, and settings.
const BOTS: &str = r#"
CREATE TABLE bots (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE channels (
    bot_id TEXT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    position INTEGER NOT NULL,
    integration_active INTEGER NOT NULL,
    PRIMARY KEY (bot_id, channel)
) STRICT;

CREATE TABLE accounts (
    bot_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    alias TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    phone_number TEXT,
    PRIMARY KEY (bot_id, channel, alias),
    FOREIGN KEY (bot_id, channel) REFERENCES channels(bot_id, channel) ON DELETE CASCADE
) STRICT;

CREATE TABLE variables (
    bot_id TEXT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (bot_id, name)
) STRICT;

CREATE TABLE flows (
    bot_id TEXT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (bot_id, id)
) STRICT;

CREATE TABLE sequences (
    bot_id TEXT NOT NULL,
    id TEXT NOT NULL,
    flow_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (bot_id, id),
    FOREIGN KEY (bot_id, flow_id) REFERENCES flows(bot_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX sequences_by_flow ON sequences(bot_id, flow_id);

-- Block ids are part of webhook URLs, so they are unique across bots.
CREATE TABLE blocks (
    id TEXT PRIMARY KEY NOT NULL,
    bot_id TEXT NOT NULL,
    sequence_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('webhook', 'message')),
    name TEXT NOT NULL,
    text TEXT,
    FOREIGN KEY (bot_id, sequence_id) REFERENCES sequences(bot_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX blocks_by_sequence ON blocks(bot_id, sequence_id);

-- `form` is the draft as typed; `live` the submitted version while the draft differs from it.
CREATE TABLE webhook_blocks (
    block_id TEXT PRIMARY KEY NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
    token TEXT,
    form TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'edited')),
    live TEXT,
    sample_payload TEXT
) STRICT;

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
"#;

/// 2: the undo history of forms, the receiver's captured requests, the change log and the outbox.
const HISTORY: &str = r#"
-- One row per form edit: `undone = 0` rows are the undo stack, `undone = 1` the redo stack.
CREATE TABLE form_edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    block_id TEXT NOT NULL REFERENCES webhook_blocks(block_id) ON DELETE CASCADE,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX form_edits_by_block ON form_edits(block_id, undone, id);

CREATE TABLE captured_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    block_id TEXT NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
    received_at TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    variables TEXT NOT NULL
) STRICT;
CREATE INDEX captured_requests_by_block ON captured_requests(block_id, id);

-- Every write, with where it came from: a window ignores its own echo, sync reads the rest.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- What remote sync will send; written in the same transaction as the change itself.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    change TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
"#;

/// 3: what the designer sees of a captured request besides its body: the request's headers (the
/// Authorization value masked before it gets here), and the refusal's code and message.
/// Requests captured before keep no headers (`[]`) and no code.
const CAPTURE_DETAILS: &str = r#"
ALTER TABLE captured_requests ADD COLUMN headers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE captured_requests ADD COLUMN code TEXT;
ALTER TABLE captured_requests ADD COLUMN message TEXT;
"#;

/// 4: what sync with the team server needs, replacing the loose `outbox` of migration 2 (nothing
/// ever read it: its rows are dropped, and `Store::seed_outbox` queues the data they described).
///
/// - `sync_outbox`: one row per entity a local write changed, with the entity's whole body
///   (`NULL` = deleted), written in the write's own transaction and sent in `id` order.
///   AUTOINCREMENT: an id is never reused, so `<client id>:<id>` names one change forever.
/// - `sync_entities`: per entity, the last revision the server confirmed and the body it holds at
///   that revision (`NULL` = deleted there). The body lets a pulled flow find a block that was
///   pulled earlier but could not be placed yet.
/// - `sync_conflicts`: an entity both sides changed: this app's version, the server's, and the
///   server's revision, kept until a person chooses.
/// - `sync_rejections`: a change the server refused (malformed, an id another team uses), with
///   its reason, kept for the designer to see.
/// - `sync_meta`: the client id (random, made here once) and the pull cursor.
const SYNC: &str = r#"
DROP TABLE outbox;

CREATE TABLE sync_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bot_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bot', 'flow', 'block')),
    entity_id TEXT NOT NULL,
    body TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX sync_outbox_by_key ON sync_outbox(bot_id, kind, entity_id);

CREATE TABLE sync_entities (
    bot_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bot', 'flow', 'block')),
    entity_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    body TEXT,
    PRIMARY KEY (bot_id, kind, entity_id)
) STRICT;

CREATE TABLE sync_conflicts (
    bot_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bot', 'flow', 'block')),
    entity_id TEXT NOT NULL,
    mine TEXT,
    theirs TEXT,
    their_revision INTEGER NOT NULL,
    detected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (bot_id, kind, entity_id)
) STRICT;

CREATE TABLE sync_rejections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bot_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bot', 'flow', 'block')),
    entity_id TEXT NOT NULL,
    body TEXT,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    fix TEXT NOT NULL,
    rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE sync_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
INSERT INTO sync_meta (key, value) VALUES ('client_id', lower(hex(randomblob(16))));
"#;

/// Every migration, oldest first.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(BOTS), M::up(HISTORY), M::up(CAPTURE_DETAILS), M::up(SYNC)])
}

/// The schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: i64 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_counted() {
        migrations().validate().unwrap();
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    /// A real file at `version`, as an older build left it.
    fn file_at(version: usize) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("studio.db");
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, version).unwrap();
        (dir, path)
    }

    #[test]
    fn migration_1_creates_the_bot_tables_in_an_empty_file() {
        let (_dir, path) = file_at(0);
        let store = crate::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(store.list_bots().unwrap().is_empty());
    }

    #[test]
    fn migration_2_keeps_the_bots_of_version_1_and_adds_history_captures_and_outbox() {
        let (_dir, path) = file_at(1);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO bots (id, name) VALUES ('shop', 'Shop');
            INSERT INTO channels (bot_id, channel, position, integration_active) VALUES ('shop', 'telegram', 0, 1);
            INSERT INTO accounts (bot_id, channel, alias, position, name) VALUES ('shop', 'telegram', 'orders', 0, '@orders');
            INSERT INTO variables (bot_id, name, position, description) VALUES ('shop', 'order_id', 0, '');
            INSERT INTO flows (bot_id, id, position, name) VALUES ('shop', 'main', 0, 'Main');
            INSERT INTO sequences (bot_id, id, flow_id, position, name) VALUES ('shop', 'seq', 'main', 0, 'Seq');
            INSERT INTO blocks (id, bot_id, sequence_id, position, kind, name) VALUES ('wh-1', 'shop', 'seq', 0, 'webhook', 'Order');
            INSERT INTO webhook_blocks (block_id, form, status) VALUES ('wh-1', '{"type":"workflow","mappings":[],"contact_reference_id":"+14155550123"}', 'draft');
            INSERT INTO settings (key, value) VALUES ('api_base', 'https://api.example.com');
            "#,
        )
        .unwrap();
        drop(conn);

        let mut store = crate::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let bot = store.load_bot("shop").unwrap();
        assert_eq!(bot.channels[0].accounts[0].alias.as_str(), "orders");
        let block = bot.webhook("wh-1").unwrap();
        assert_eq!(block.form.contact_reference_id, "+14155550123");
        assert_eq!(
            store.setting("api_base").unwrap().as_deref(),
            Some("https://api.example.com")
        );
        // The new tables work with the old rows.
        let mut form = block.form.clone();
        form.contact_reference_id = "+14155550124".into();
        store
            .update_webhook_form("shop", "wh-1", form, crate::UpdateSource::Window)
            .unwrap();
        assert_eq!(store.form_history("wh-1").unwrap().len(), 1);
        assert_eq!(store.outbox_len().unwrap(), 1);
    }

    #[test]
    fn migration_3_keeps_the_requests_captured_by_version_2_and_adds_headers_and_codes() {
        let (_dir, path) = file_at(2);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO bots (id, name) VALUES ('shop', 'Shop');
            INSERT INTO flows (bot_id, id, position, name) VALUES ('shop', 'main', 0, 'Main');
            INSERT INTO sequences (bot_id, id, flow_id, position, name) VALUES ('shop', 'seq', 'main', 0, 'Seq');
            INSERT INTO blocks (id, bot_id, sequence_id, position, kind, name) VALUES ('wh-1', 'shop', 'seq', 0, 'webhook', 'Order');
            INSERT INTO webhook_blocks (block_id, form, status) VALUES ('wh-1', '{"type":"workflow","mappings":[]}', 'draft');
            INSERT INTO captured_requests (block_id, received_at, status, body, variables)
                VALUES ('wh-1', '2026-11-25T10:00:00Z', 202, '{"data":{"order_id":"A-1"}}', '{"order_id":"A-1"}');
            INSERT INTO captured_requests (block_id, received_at, status, body, variables)
                VALUES ('wh-1', '2026-11-25T10:00:01Z', 401, 'null', '{}');
            "#,
        )
        .unwrap();
        drop(conn);

        let mut store = crate::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let old = store.captured_requests("wh-1").unwrap();
        assert_eq!(old.len(), 2);
        assert_eq!((old[0].status, old[1].status), (401, 202));
        assert_eq!(old[1].body, serde_json::json!({"data": {"order_id": "A-1"}}));
        assert_eq!(old[1].variables, serde_json::json!({"order_id": "A-1"}));
        assert!(
            old.iter()
                .all(|r| r.headers.is_empty() && r.code.is_none() && r.message.is_none())
        );
        assert!(old[0].id > old[1].id);

        // New captures keep their details beside the old rows.
        let id = store
            .record_request(
                &crate::CapturedRequest {
                    headers: vec![("content-type".into(), "application/json".into())],
                    code: Some("wrong_token".into()),
                    message: Some("the token does not match".into()),
                    ..old[0].clone()
                },
                crate::UpdateSource::Window,
            )
            .unwrap();
        let newest = store.captured_request("wh-1", id).unwrap().unwrap();
        assert_eq!(newest.code.as_deref(), Some("wrong_token"));
        assert_eq!(newest.headers[0].1, "application/json");
        assert_eq!(store.captured_requests("wh-1").unwrap().len(), 3);
    }

    #[test]
    fn migration_4_drops_the_loose_outbox_keeps_the_bots_and_makes_a_client_id() {
        let (_dir, path) = file_at(3);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO bots (id, name) VALUES ('shop', 'Shop');
            INSERT INTO outbox (entity, entity_id, change) VALUES ('bot', 'shop', '{"action":"create"}');
            "#,
        )
        .unwrap();
        drop(conn);

        let mut store = crate::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.load_bot("shop").unwrap().name, "Shop");
        assert_eq!(store.pending_count().unwrap(), 0, "the old rows are not sync entities");
        assert_eq!(store.client_id().unwrap().len(), 32);
        let gone: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'outbox'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(gone, 0);
        // The bot made before sync is queued by the seed.
        assert_eq!(store.seed_outbox().unwrap(), 1);
    }
}
