//! `captured_requests`: the last requests the development receiver answered, per block.
//!
//! Headers arrive here already masked (the receiver never hands a token on); this module stores
//! what it is given and keeps the newest [`crate::CAPTURES_KEPT`] of each block.

use rusqlite::{Connection, OptionalExtension as _, Row, Transaction, params};

use crate::error::Result;
use crate::store::CapturedRequest;
use crate::table::{decode, decode_str, encode};

/// Keeps a request and drops the block's older ones beyond [`crate::CAPTURES_KEPT`]. Returns the
/// new row's id (the request's `id` is ignored).
pub fn insert(tx: &Transaction<'_>, request: &CapturedRequest) -> Result<i64> {
    tx.execute(
        "INSERT INTO captured_requests (block_id, received_at, status, body, variables, headers, code, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            request.block_id.as_str(),
            request.received_at,
            request.status,
            encode(&request.body),
            encode(&request.variables),
            encode(&request.headers),
            request.code,
            request.message,
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

const COLUMNS: &str = "id, block_id, received_at, status, body, variables, headers, code, message";

/// The block's captured requests, newest first.
pub fn list(conn: &Connection, block: &str) -> Result<Vec<CapturedRequest>> {
    let mut statement = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM captured_requests WHERE block_id = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = statement.query_map(params![block, crate::CAPTURES_KEPT as i64], raw)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row?.decode()?);
    }
    Ok(out)
}

/// One captured request of the block, by id.
pub fn get(conn: &Connection, block: &str, id: i64) -> Result<Option<CapturedRequest>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM captured_requests WHERE block_id = ?1 AND id = ?2"),
        params![block, id],
        raw,
    )
    .optional()?
    .map(Raw::decode)
    .transpose()
}

/// A row as SQLite holds it, before its JSON columns are read.
struct Raw {
    id: i64,
    block_id: String,
    received_at: String,
    status: u16,
    body: String,
    variables: String,
    headers: String,
    code: Option<String>,
    message: Option<String>,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok(Raw {
        id: r.get(0)?,
        block_id: r.get(1)?,
        received_at: r.get(2)?,
        status: r.get(3)?,
        body: r.get(4)?,
        variables: r.get(5)?,
        headers: r.get(6)?,
        code: r.get(7)?,
        message: r.get(8)?,
    })
}

impl Raw {
    fn decode(self) -> Result<CapturedRequest> {
        Ok(CapturedRequest {
            id: self.id,
            block_id: decode_str("block id", &self.block_id)?,
            received_at: self.received_at,
            status: self.status,
            headers: decode("request headers", &self.headers)?,
            body: decode("request body", &self.body)?,
            variables: decode("extracted variables", &self.variables)?,
            code: self.code,
            message: self.message,
        })
    }
}
