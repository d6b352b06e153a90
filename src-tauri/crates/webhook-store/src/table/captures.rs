//! `captured_requests`: the last requests the development receiver answered, per block.

use rusqlite::{Connection, Transaction, params};

use crate::error::Result;
use crate::store::CapturedRequest;
use crate::table::{decode, decode_str, encode};

/// Keeps a request and drops the block's older ones beyond [`crate::CAPTURES_KEPT`].
pub fn insert(tx: &Transaction<'_>, request: &CapturedRequest) -> Result<i64> {
    tx.execute(
        "INSERT INTO captured_requests (block_id, received_at, status, body, variables) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            request.block_id.as_str(),
            request.received_at,
            request.status,
            encode(&request.body),
            encode(&request.variables)
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "DELETE FROM captured_requests WHERE block_id = ?1
         AND id NOT IN (SELECT id FROM captured_requests WHERE block_id = ?1 ORDER BY id DESC LIMIT ?2)",
        params![request.block_id.as_str(), crate::CAPTURES_KEPT as i64],
    )?;
    Ok(id)
}

/// The block's captured requests, newest first.
pub fn list(conn: &Connection, block: &str) -> Result<Vec<CapturedRequest>> {
    let mut statement = conn.prepare(
        "SELECT block_id, received_at, status, body, variables FROM captured_requests
         WHERE block_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = statement.query_map(params![block, crate::CAPTURES_KEPT as i64], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, u16>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (block_id, received_at, status, body, variables) = row?;
        out.push(CapturedRequest {
            block_id: decode_str("block id", &block_id)?,
            received_at,
            status,
            body: decode("request body", &body)?,
            variables: decode("extracted variables", &variables)?,
        });
    }
    Ok(out)
}
