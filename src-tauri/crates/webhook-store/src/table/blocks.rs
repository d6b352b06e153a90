//! `webhook_blocks` and `form_edits`: a webhook block's draft, submitted version and token, and
//! the undo history of its form.

use rusqlite::{Connection, OptionalExtension as _, Transaction, params};
use serde_json::Value;
use webhook_block::model::BlockStatus;
use webhook_block::{WebhookBlock, WebhookForm};

use crate::error::{Error, Result};
use crate::table::{decode, decode_str, encode, encode_str};

/// The editable state of one webhook block (id, form, status, live). The token, name and sample
/// are not read: an edit does not need them, and the token stays out of memory it has no use in.
pub fn webhook_state(conn: &Connection, bot: &str, block: &str) -> Result<WebhookBlock> {
    let row = conn
        .query_row(
            "SELECT w.form, w.status, w.live FROM webhook_blocks w JOIN blocks b ON b.id = w.block_id
             WHERE b.bot_id = ?1 AND b.id = ?2",
            params![bot, block],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )
        .optional()?;
    let Some((form, status, live)) = row else {
        return Err(Error::NoSuchBlock {
            bot: bot.to_owned(),
            block: block.to_owned(),
        });
    };
    Ok(WebhookBlock {
        id: decode_str("block id", block)?,
        name: String::new(),
        token: None,
        form: decode("webhook form", &form)?,
        status: decode_str("block status", &status)?,
        live: live.map(|l| decode("submitted form", &l)).transpose()?,
        sample_payload: None,
    })
}

/// Writes a block's form, status and live version (nothing else).
pub fn write_state(tx: &Transaction<'_>, state: &WebhookBlock) -> Result<()> {
    tx.execute(
        "UPDATE webhook_blocks SET form = ?2, status = ?3, live = ?4 WHERE block_id = ?1",
        params![
            state.id.as_str(),
            encode(&state.form),
            status_text(state.status),
            state.live.as_ref().map(encode)
        ],
    )?;
    Ok(())
}

pub(crate) fn status_text(status: BlockStatus) -> String {
    encode_str(&status)
}

/// Sets or clears a webhook block's sample payload; the block must belong to `bot`.
pub fn set_sample_payload(tx: &Transaction<'_>, bot: &str, block: &str, sample: Option<&Value>) -> Result<()> {
    let changed = tx.execute(
        "UPDATE webhook_blocks SET sample_payload = ?3
         WHERE block_id = ?2 AND block_id IN (SELECT id FROM blocks WHERE bot_id = ?1)",
        params![bot, block, sample.map(encode)],
    )?;
    if changed == 0 {
        return Err(Error::NoSuchBlock {
            bot: bot.to_owned(),
            block: block.to_owned(),
        });
    }
    Ok(())
}

/// Records an edit for undo; a new edit clears what could be redone.
pub fn push_edit(tx: &Transaction<'_>, block: &str, before: &WebhookForm, after: &WebhookForm) -> Result<()> {
    tx.execute("DELETE FROM form_edits WHERE block_id = ?1 AND undone = 1", [block])?;
    tx.execute(
        "INSERT INTO form_edits (block_id, before, after) VALUES (?1, ?2, ?3)",
        params![block, encode(before), encode(after)],
    )?;
    // Only the newest edits can be undone; older ones would only grow the file.
    tx.execute(
        "DELETE FROM form_edits WHERE block_id = ?1 AND undone = 0 AND id <= (
             SELECT id FROM form_edits WHERE block_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
        params![block, crate::UNDO_KEPT as i64],
    )?;
    Ok(())
}

/// Which way to move in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Back to the form before the last edit.
    Undo,
    /// Forward again to the form of the last undone edit.
    Redo,
}

/// Moves one step and returns the form to restore, or `None` at the end of the history.
pub fn take_step(tx: &Transaction<'_>, block: &str, direction: Direction) -> Result<Option<WebhookForm>> {
    let (select, mark) = match direction {
        Direction::Undo => (
            "SELECT id, before FROM form_edits WHERE block_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1",
            1,
        ),
        Direction::Redo => (
            "SELECT id, after FROM form_edits WHERE block_id = ?1 AND undone = 1 ORDER BY id ASC LIMIT 1",
            0,
        ),
    };
    let row = tx
        .query_row(select, [block], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .optional()?;
    let Some((id, form)) = row else {
        return Ok(None);
    };
    tx.execute("UPDATE form_edits SET undone = ?2 WHERE id = ?1", params![id, mark])?;
    Ok(Some(decode("webhook form", &form)?))
}

/// Whether the block has an edit to undo and one to redo.
pub fn history_state(conn: &Connection, block: &str) -> Result<(bool, bool)> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM form_edits WHERE block_id = ?1 AND undone = 0),
                EXISTS(SELECT 1 FROM form_edits WHERE block_id = ?1 AND undone = 1)",
        [block],
        |r| Ok((r.get::<_, bool>(0)?, r.get::<_, bool>(1)?)),
    )?)
}

/// Every form the block's history holds after an edit, oldest first (for tests and diagnostics).
pub fn edited_forms(conn: &Connection, block: &str) -> Result<Vec<WebhookForm>> {
    let mut statement = conn.prepare("SELECT after FROM form_edits WHERE block_id = ?1 ORDER BY id")?;
    let rows = statement.query_map([block], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(decode("webhook form", &row?)?);
    }
    Ok(out)
}
