//! `sync_outbox`, `sync_entities`, `sync_conflicts`, `sync_rejections` and `sync_meta`: what the
//! sync engine sends, what the server confirmed, and what waits for a person.

use rusqlite::{Connection, OptionalExtension as _, Transaction, params};
use serde_json::Value;
use webhook_sync::entity::{Entities, EntityBody, EntityKey, EntityKind, diff};

use crate::error::Result;
use crate::sync::{OutboxEntry, SyncConflict, SyncRejection};
use crate::table::{decode, decode_str, stored};

/// The key stored in a row's three key columns.
fn key(bot: &str, kind: &str, id: &str) -> Result<EntityKey> {
    Ok(EntityKey {
        bot: decode_str("entity's bot id", bot)?,
        kind: EntityKind::parse(kind).ok_or_else(|| stored("entity kind", format!("unknown kind {kind:?}")))?,
        id: decode_str("entity id", id)?,
    })
}

/// The key held in a row's columns `first` (bot), `first + 1` (kind) and `first + 2` (id).
fn key_at(r: &rusqlite::Row<'_>, first: usize) -> Result<EntityKey> {
    key(
        &r.get::<_, String>(first)?,
        &r.get::<_, String>(first + 1)?,
        &r.get::<_, String>(first + 2)?,
    )
}

fn body(text: Option<String>) -> Result<Option<Value>> {
    text.map(|t| decode("entity body", &t)).transpose()
}

/// Queues one entity's new body (`None`: deleted).
pub fn queue(tx: &Transaction<'_>, key: &EntityKey, body: Option<&Value>) -> Result<()> {
    tx.prepare_cached("INSERT INTO sync_outbox (bot_id, kind, entity_id, body) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            key.bot.as_str(),
            key.kind.as_str(),
            key.id.as_str(),
            body.map(Value::to_string)
        ])?;
    Ok(())
}

/// Queues every entity that differs between `before` and `after`.
pub fn queue_diff(tx: &Transaction<'_>, before: &Entities, after: &Entities) -> Result<()> {
    for (key, body) in diff(before, after) {
        queue(tx, &key, body.map(|b| b.to_value()).as_ref())?;
    }
    Ok(())
}

/// The oldest `limit` outbox rows, in order.
pub fn pending(conn: &Connection, limit: usize) -> Result<Vec<OutboxEntry>> {
    let mut statement =
        conn.prepare_cached("SELECT id, bot_id, kind, entity_id, body FROM sync_outbox ORDER BY id LIMIT ?1")?;
    let mut rows = statement.query([i64::try_from(limit).unwrap_or(i64::MAX)])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(OutboxEntry {
            id: r.get(0)?,
            key: key_at(r, 1)?,
            body: body(r.get(4)?)?,
        });
    }
    Ok(out)
}

/// How many outbox rows wait.
pub fn pending_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?)
}

/// Whether the key has outbox rows.
pub fn has_pending(conn: &Connection, key: &EntityKey) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sync_outbox WHERE bot_id = ?1 AND kind = ?2 AND entity_id = ?3 LIMIT 1")?
        .query_row(
            params![key.bot.as_str(), key.kind.as_str(), key.id.as_str()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Deletes the key's outbox rows.
pub fn drop_pending(tx: &Transaction<'_>, key: &EntityKey) -> Result<()> {
    tx.execute(
        "DELETE FROM sync_outbox WHERE bot_id = ?1 AND kind = ?2 AND entity_id = ?3",
        params![key.bot.as_str(), key.kind.as_str(), key.id.as_str()],
    )?;
    Ok(())
}

/// One outbox row by id.
pub fn outbox_row(conn: &Connection, id: i64) -> Result<Option<OutboxEntry>> {
    let row = conn
        .query_row(
            "SELECT bot_id, kind, entity_id, body FROM sync_outbox WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()?;
    row.map(|(b, k, i, text)| {
        Ok(OutboxEntry {
            id,
            key: key(&b, &k, &i)?,
            body: body(text)?,
        })
    })
    .transpose()
}

/// Deletes one outbox row.
pub fn delete_row(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM sync_outbox WHERE id = ?1", [id])?;
    Ok(())
}

/// The revision the server last confirmed for the key.
pub fn known_revision(conn: &Connection, key: &EntityKey) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT revision FROM sync_entities WHERE bot_id = ?1 AND kind = ?2 AND entity_id = ?3")?
        .query_row(params![key.bot.as_str(), key.kind.as_str(), key.id.as_str()], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Records that the server holds `body` at `revision` for the key.
pub fn set_known(tx: &Transaction<'_>, key: &EntityKey, revision: i64, body: Option<&Value>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_entities (bot_id, kind, entity_id, revision, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (bot_id, kind, entity_id) DO UPDATE SET revision = excluded.revision, body = excluded.body",
    )?
    .execute(params![
        key.bot.as_str(),
        key.kind.as_str(),
        key.id.as_str(),
        revision,
        body.map(Value::to_string)
    ])?;
    Ok(())
}

/// The server's bodies of a bot's entities as last confirmed (deleted ones left out; ones that no
/// longer read as their kind are skipped: the local data is what counts).
pub fn confirmed_entities(conn: &Connection, bot: &str) -> Result<Entities> {
    let mut statement =
        conn.prepare_cached("SELECT kind, entity_id, body FROM sync_entities WHERE bot_id = ?1 AND body IS NOT NULL")?;
    let mut rows = statement.query([bot])?;
    let mut out = Entities::new();
    while let Some(r) = rows.next()? {
        let key = key(bot, &r.get::<_, String>(0)?, &r.get::<_, String>(1)?)?;
        if let Some(value) = body(r.get(2)?)?
            && let Ok(body) = EntityBody::from_value(key.kind, &value)
        {
            out.insert(key, body);
        }
    }
    Ok(out)
}

/// Every key the server has confirmed.
pub fn confirmed_keys(conn: &Connection) -> Result<std::collections::HashSet<EntityKey>> {
    let mut statement = conn.prepare("SELECT bot_id, kind, entity_id FROM sync_entities")?;
    let mut rows = statement.query([])?;
    let mut out = std::collections::HashSet::new();
    while let Some(r) = rows.next()? {
        out.insert(key_at(r, 0)?);
    }
    Ok(out)
}

/// Stores (or replaces) the key's open conflict.
pub fn put_conflict(
    tx: &Transaction<'_>,
    key: &EntityKey,
    mine: Option<&Value>,
    theirs: Option<&Value>,
    their_revision: i64,
) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_conflicts (bot_id, kind, entity_id, mine, theirs, their_revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            key.bot.as_str(),
            key.kind.as_str(),
            key.id.as_str(),
            mine.map(Value::to_string),
            theirs.map(Value::to_string),
            their_revision
        ],
    )?;
    Ok(())
}

const CONFLICT_COLUMNS: &str =
    "SELECT bot_id, kind, entity_id, mine, theirs, their_revision, detected_at FROM sync_conflicts";

fn conflict_from_row(r: &rusqlite::Row<'_>) -> Result<SyncConflict> {
    Ok(SyncConflict {
        key: key_at(r, 0)?,
        mine: body(r.get(3)?)?,
        theirs: body(r.get(4)?)?,
        their_revision: r.get(5)?,
        detected_at: r.get(6)?,
    })
}

/// Every open conflict, oldest first.
pub fn conflicts(conn: &Connection) -> Result<Vec<SyncConflict>> {
    let mut statement = conn.prepare(&format!("{CONFLICT_COLUMNS} ORDER BY detected_at, rowid"))?;
    let mut rows = statement.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(conflict_from_row(r)?);
    }
    Ok(out)
}

/// The key's open conflict.
pub fn conflict(conn: &Connection, key: &EntityKey) -> Result<Option<SyncConflict>> {
    let mut statement = conn.prepare_cached(&format!(
        "{CONFLICT_COLUMNS} WHERE bot_id = ?1 AND kind = ?2 AND entity_id = ?3"
    ))?;
    let mut rows = statement.query(params![key.bot.as_str(), key.kind.as_str(), key.id.as_str()])?;
    match rows.next()? {
        Some(r) => Ok(Some(conflict_from_row(r)?)),
        None => Ok(None),
    }
}

/// How many conflicts are open.
pub fn conflict_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sync_conflicts", [], |r| r.get(0))?)
}

/// Closes the key's conflict.
pub fn delete_conflict(tx: &Transaction<'_>, key: &EntityKey) -> Result<()> {
    tx.execute(
        "DELETE FROM sync_conflicts WHERE bot_id = ?1 AND kind = ?2 AND entity_id = ?3",
        params![key.bot.as_str(), key.kind.as_str(), key.id.as_str()],
    )?;
    Ok(())
}

/// Keeps a refused change with the server's reason.
pub fn put_rejection(tx: &Transaction<'_>, entry: &OutboxEntry, error: &webhook_sync::ErrorBody) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_rejections (bot_id, kind, entity_id, body, code, message, fix)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            entry.key.bot.as_str(),
            entry.key.kind.as_str(),
            entry.key.id.as_str(),
            entry.body.as_ref().map(Value::to_string),
            error.code,
            error.message,
            error.fix
        ],
    )?;
    Ok(())
}

/// Every refused change, oldest first.
pub fn rejections(conn: &Connection) -> Result<Vec<SyncRejection>> {
    let mut statement = conn.prepare(
        "SELECT id, bot_id, kind, entity_id, body, code, message, fix, rejected_at FROM sync_rejections ORDER BY id",
    )?;
    let mut rows = statement.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(SyncRejection {
            id: r.get(0)?,
            key: key_at(r, 1)?,
            body: body(r.get(4)?)?,
            error: webhook_sync::ErrorBody {
                code: r.get(5)?,
                message: r.get(6)?,
                fix: r.get(7)?,
            },
            rejected_at: r.get(8)?,
        });
    }
    Ok(out)
}

/// Forgets the refused changes of one entity.
pub fn delete_rejections_of(tx: &Transaction<'_>, key: &EntityKey) -> Result<()> {
    tx.prepare_cached("DELETE FROM sync_rejections WHERE bot_id = ?1 AND kind = ?2 AND entity_id = ?3")?
        .execute(params![key.bot.as_str(), key.kind.as_str(), key.id.as_str()])?;
    Ok(())
}

/// Forgets a refused change; whether it existed.
pub fn delete_rejection(tx: &Transaction<'_>, id: i64) -> Result<bool> {
    Ok(tx.execute("DELETE FROM sync_rejections WHERE id = ?1", [id])? > 0)
}

/// A `sync_meta` value.
pub fn meta(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM sync_meta WHERE key = ?1", [name], |r| r.get(0))
        .optional()?)
}

/// Sets a `sync_meta` value.
pub fn set_meta(tx: &Transaction<'_>, name: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![name, value],
    )?;
    Ok(())
}
