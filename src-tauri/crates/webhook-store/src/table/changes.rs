//! `changes`: where every write came from. What sync sends is `sync_outbox` (see `table::sync`).

use rusqlite::{Connection, Transaction, params};

use crate::error::Result;
use crate::store::UpdateSource;

/// Records a write in the change log, inside the write's own transaction.
pub fn record(tx: &Transaction<'_>, source: UpdateSource, entity: &str, entity_id: &str, action: &str) -> Result<()> {
    tx.prepare_cached("INSERT INTO changes (source, entity, entity_id, action) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![source.as_str(), entity, entity_id, action])?;
    Ok(())
}

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `window`, `import`, `sync` or `cli`.
    pub source: String,
    /// `bot`, `block`, `setting` or `captured_request`.
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// What happened (`save`, `edit`, `undo`...).
    pub action: String,
}

/// The change log, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<Change>> {
    let mut statement = conn.prepare("SELECT source, entity, entity_id, action FROM changes ORDER BY id")?;
    let rows = statement.query_map([], |r| {
        Ok(Change {
            source: r.get(0)?,
            entity: r.get(1)?,
            entity_id: r.get(2)?,
            action: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
