//! `bots` and what a bot owns: `channels`, `accounts`, `variables`, `flows`, `sequences` and
//! `blocks`. Saving a bot updates rows in place and deletes only what is gone, so the blocks that
//! stay keep their undo history and captured requests.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension as _, Transaction, params};
use webhook_block::model::{Account, Block, ChannelConnection, Flow, MessageBlock, Sequence, Variable};
use webhook_block::variable::VariableName;
use webhook_block::{Bot, WebhookBlock};

use crate::error::{Error, ImportProblem, Result};
use crate::store::{BotOverview, BotSummary, ChannelSummary};
use crate::table::blocks::status_text;
use crate::table::{decode, decode_str, encode, encode_str, stored};

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// Whether a bot has this id.
pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM bots WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Every bot, by name then id.
pub fn list(conn: &Connection) -> Result<Vec<BotSummary>> {
    let mut statement = conn.prepare("SELECT id, name, updated_at FROM bots ORDER BY name, id")?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, updated_at) = row?;
        out.push(BotSummary {
            id: decode_str("bot id", &id)?,
            name,
            updated_at,
        });
    }
    Ok(out)
}

/// Every bot, by name then id, with what the dashboard shows of it: one query, whatever the
/// size of the bots (their blocks are counted, not loaded).
pub fn overviews(conn: &Connection) -> Result<Vec<BotOverview>> {
    let mut statement = conn.prepare(
        "SELECT b.id, b.name, b.updated_at,
            (SELECT json_group_array(json_array(c.channel, c.integration_active AND EXISTS (
                        SELECT 1 FROM accounts a WHERE a.bot_id = c.bot_id AND a.channel = c.channel))
                    ORDER BY c.position)
                FROM channels c WHERE c.bot_id = b.id),
            (SELECT count(*) FROM blocks k JOIN webhook_blocks w ON w.block_id = k.id
                WHERE k.bot_id = b.id),
            (SELECT count(*) FROM blocks k JOIN webhook_blocks w ON w.block_id = k.id
                WHERE k.bot_id = b.id AND w.status <> 'draft')
         FROM bots b ORDER BY b.name, b.id",
    )?;
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, u32>(4)?,
            r.get::<_, u32>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, updated_at, channels, webhook_blocks, submitted_blocks) = row?;
        let channels: Vec<(String, i64)> = decode("bot channels", &channels)?;
        out.push(BotOverview {
            summary: BotSummary {
                id: decode_str("bot id", &id)?,
                name,
                updated_at,
            },
            channels: channels
                .into_iter()
                .map(|(channel, connected)| {
                    Ok(ChannelSummary {
                        channel: decode_str("channel", &channel)?,
                        connected: connected != 0,
                    })
                })
                .collect::<Result<_>>()?,
            webhook_blocks,
            submitted_blocks,
        });
    }
    Ok(out)
}

/// Renames a bot.
pub fn rename(tx: &Transaction<'_>, id: &str, name: &str) -> Result<()> {
    let sql = format!("UPDATE bots SET name = ?2, updated_at = {NOW} WHERE id = ?1");
    if tx.execute(&sql, params![id, name])? == 0 {
        return Err(Error::NoSuchBot(id.to_owned()));
    }
    Ok(())
}

/// Deletes a bot; everything it owns goes with it (foreign keys cascade).
pub fn delete(tx: &Transaction<'_>, id: &str) -> Result<()> {
    if tx.execute("DELETE FROM bots WHERE id = ?1", [id])? == 0 {
        return Err(Error::NoSuchBot(id.to_owned()));
    }
    Ok(())
}

/// Block ids of `bot` that another bot already uses (block ids make URLs, so they are unique
/// across bots), at their JSON pointers in the bot's document.
pub fn ids_taken(conn: &Connection, bot: &Bot) -> Result<Vec<ImportProblem>> {
    let mut statement = conn.prepare_cached("SELECT bot_id FROM blocks WHERE id = ?1")?;
    let mut problems = Vec::new();
    for (pointer, block) in crate::document::block_pointers(bot) {
        let owner: Option<String> = statement.query_row([block.id().as_str()], |r| r.get(0)).optional()?;
        if let Some(owner) = owner.filter(|o| o != bot.id.as_str()) {
            problems.push(ImportProblem {
                pointer: format!("{pointer}/id"),
                message: format!(
                    "the block id {} is already used by bot {owner}; block ids are part of webhook URLs, so give this block another id",
                    block.id()
                ),
            });
        }
    }
    Ok(problems)
}

/// Refuses a bot whose structure the tables cannot hold, listing every problem.
pub fn check_ids_free(conn: &Connection, bot: &Bot) -> Result<()> {
    let mut problems = crate::document::structural_problems(bot);
    problems.extend(ids_taken(conn, bot)?);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Creates the bot, or makes the stored one equal to it.
pub fn save(tx: &Transaction<'_>, bot: &Bot) -> Result<()> {
    let id = bot.id.as_str();
    tx.execute(
        &format!(
            "INSERT INTO bots (id, name) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = {NOW}"
        ),
        params![id, bot.name],
    )?;
    tx.execute("DELETE FROM channels WHERE bot_id = ?1", [id])?;
    for (i, connection) in bot.channels.iter().enumerate() {
        let channel = encode_str(&connection.channel);
        tx.execute(
            "INSERT INTO channels (bot_id, channel, position, integration_active) VALUES (?1, ?2, ?3, ?4)",
            params![id, channel, i as i64, connection.integration_active],
        )?;
        for (j, account) in connection.accounts.iter().enumerate() {
            tx.execute(
                "INSERT INTO accounts (bot_id, channel, alias, position, name, phone_number)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    channel,
                    account.alias.as_str(),
                    j as i64,
                    account.name,
                    account.phone_number
                ],
            )?;
        }
    }
    tx.execute("DELETE FROM variables WHERE bot_id = ?1", [id])?;
    append_variables_at(
        tx,
        id,
        0,
        bot.variables.iter().map(|v| (&v.name, v.description.as_str())),
    )?;

    let mut flows = HashSet::new();
    let mut sequences = HashSet::new();
    let mut blocks = HashSet::new();
    for (i, flow) in bot.flows.iter().enumerate() {
        flows.insert(flow.id.as_str());
        tx.prepare_cached(
            "INSERT INTO flows (bot_id, id, position, name) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (bot_id, id) DO UPDATE SET position = excluded.position, name = excluded.name",
        )?
        .execute(params![id, flow.id.as_str(), i as i64, flow.name])?;
        for (j, sequence) in flow.sequences.iter().enumerate() {
            sequences.insert(sequence.id.as_str());
            tx.prepare_cached(
                "INSERT INTO sequences (bot_id, id, flow_id, position, name) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (bot_id, id) DO UPDATE SET flow_id = excluded.flow_id,
                 position = excluded.position, name = excluded.name",
            )?
            .execute(params![
                id,
                sequence.id.as_str(),
                flow.id.as_str(),
                j as i64,
                sequence.name
            ])?;
            for (k, block) in sequence.blocks.iter().enumerate() {
                blocks.insert(block.id().as_str());
                save_block(tx, id, sequence.id.as_str(), k, block)?;
            }
        }
    }
    // What is gone, deepest first: a block's history goes with it, a kept block keeps its own.
    delete_missing(
        tx,
        "SELECT id FROM blocks WHERE bot_id = ?1",
        "DELETE FROM blocks WHERE id = ?2",
        id,
        &blocks,
    )?;
    delete_missing(
        tx,
        "SELECT id FROM sequences WHERE bot_id = ?1",
        "DELETE FROM sequences WHERE bot_id = ?1 AND id = ?2",
        id,
        &sequences,
    )?;
    delete_missing(
        tx,
        "SELECT id FROM flows WHERE bot_id = ?1",
        "DELETE FROM flows WHERE bot_id = ?1 AND id = ?2",
        id,
        &flows,
    )?;
    Ok(())
}

fn delete_missing(tx: &Transaction<'_>, select: &str, delete: &str, bot: &str, keep: &HashSet<&str>) -> Result<()> {
    let stored: Vec<String> = tx
        .prepare(select)?
        .query_map([bot], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for gone in stored.iter().filter(|s| !keep.contains(s.as_str())) {
        // `?1` is unused by the block delete; SQLite allows binding it anyway.
        tx.execute(delete, params![bot, gone])?;
    }
    Ok(())
}

fn save_block(tx: &Transaction<'_>, bot: &str, sequence: &str, position: usize, block: &Block) -> Result<()> {
    let (kind, name, text) = match block {
        Block::Webhook(w) => ("webhook", w.name.as_str(), None),
        Block::Message(m) => ("message", m.name.as_str(), Some(m.text.as_str())),
    };
    tx.prepare_cached(
        "INSERT INTO blocks (id, bot_id, sequence_id, position, kind, name, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET bot_id = excluded.bot_id, sequence_id = excluded.sequence_id,
         position = excluded.position, kind = excluded.kind, name = excluded.name, text = excluded.text",
    )?
    .execute(params![
        block.id().as_str(),
        bot,
        sequence,
        position as i64,
        kind,
        name,
        text
    ])?;
    match block {
        Block::Webhook(w) => {
            tx.prepare_cached(
                "INSERT INTO webhook_blocks (block_id, token, form, status, live, sample_payload)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (block_id) DO UPDATE SET token = excluded.token, form = excluded.form,
                 status = excluded.status, live = excluded.live, sample_payload = excluded.sample_payload",
            )?
            .execute(params![
                w.id.as_str(),
                w.token.as_ref().map(|t| t.expose_secret()),
                encode(&w.form),
                status_text(w.status),
                w.live.as_ref().map(encode),
                w.sample_payload.as_ref().map(encode),
            ])?;
        }
        Block::Message(m) => {
            tx.execute("DELETE FROM webhook_blocks WHERE block_id = ?1", [m.id.as_str()])?;
        }
    }
    Ok(())
}

/// Adds variables after the bot's existing ones (a submit creates the variables it maps to).
pub fn append_variables(tx: &Transaction<'_>, bot: &str, names: &[VariableName]) -> Result<()> {
    let next: i64 = tx.query_row(
        "SELECT coalesce(max(position) + 1, 0) FROM variables WHERE bot_id = ?1",
        [bot],
        |r| r.get(0),
    )?;
    append_variables_at(tx, bot, next, names.iter().map(|n| (n, "")))
}

fn append_variables_at<'a>(
    tx: &Transaction<'_>,
    bot: &str,
    first: i64,
    variables: impl Iterator<Item = (&'a VariableName, &'a str)>,
) -> Result<()> {
    let mut statement =
        tx.prepare_cached("INSERT INTO variables (bot_id, name, position, description) VALUES (?1, ?2, ?3, ?4)")?;
    for (i, (name, description)) in variables.enumerate() {
        statement.execute(params![bot, name.as_str(), first + i as i64, description])?;
    }
    Ok(())
}

/// Loads a whole bot.
pub fn load(conn: &Connection, id: &str) -> Result<Bot> {
    let name: Option<String> = conn
        .query_row("SELECT name FROM bots WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    let Some(name) = name else {
        return Err(Error::NoSuchBot(id.to_owned()));
    };

    let mut accounts: HashMap<String, Vec<Account>> = HashMap::new();
    let mut statement = conn.prepare(
        "SELECT channel, alias, name, phone_number FROM accounts WHERE bot_id = ?1 ORDER BY channel, position",
    )?;
    let mut rows = statement.query([id])?;
    while let Some(r) = rows.next()? {
        let alias: String = r.get(1)?;
        accounts.entry(r.get(0)?).or_default().push(Account {
            alias: decode_str("account alias", &alias)?,
            name: r.get(2)?,
            phone_number: r.get(3)?,
        });
    }
    let mut channels = Vec::new();
    let mut statement =
        conn.prepare("SELECT channel, integration_active FROM channels WHERE bot_id = ?1 ORDER BY position")?;
    let mut rows = statement.query([id])?;
    while let Some(r) = rows.next()? {
        let channel: String = r.get(0)?;
        channels.push(ChannelConnection {
            channel: decode_str("channel", &channel)?,
            integration_active: r.get(1)?,
            accounts: accounts.remove(&channel).unwrap_or_default(),
        });
    }

    let mut variables = Vec::new();
    let mut statement = conn.prepare("SELECT name, description FROM variables WHERE bot_id = ?1 ORDER BY position")?;
    let mut rows = statement.query([id])?;
    while let Some(r) = rows.next()? {
        let name: String = r.get(0)?;
        variables.push(Variable {
            name: decode_str("variable name", &name)?,
            description: r.get(1)?,
        });
    }

    let mut blocks: HashMap<String, Vec<Block>> = HashMap::new();
    let mut statement = conn.prepare(&format!(
        "{BLOCK_COLUMNS} WHERE b.bot_id = ?1 ORDER BY b.sequence_id, b.position"
    ))?;
    let mut rows = statement.query([id])?;
    while let Some(r) = rows.next()? {
        let block = block_from_row(r)?;
        blocks.entry(r.get(1)?).or_default().push(block);
    }

    let mut sequences: HashMap<String, Vec<Sequence>> = HashMap::new();
    let mut statement =
        conn.prepare("SELECT id, flow_id, name FROM sequences WHERE bot_id = ?1 ORDER BY flow_id, position")?;
    let mut rows = statement.query([id])?;
    while let Some(r) = rows.next()? {
        let sequence_id: String = r.get(0)?;
        sequences.entry(r.get(1)?).or_default().push(Sequence {
            id: decode_str("sequence id", &sequence_id)?,
            name: r.get(2)?,
            blocks: blocks.remove(&sequence_id).unwrap_or_default(),
        });
    }
    let mut flows = Vec::new();
    let mut statement = conn.prepare("SELECT id, name FROM flows WHERE bot_id = ?1 ORDER BY position")?;
    let mut rows = statement.query([id])?;
    while let Some(r) = rows.next()? {
        let flow_id: String = r.get(0)?;
        flows.push(Flow {
            id: decode_str("flow id", &flow_id)?,
            name: r.get(1)?,
            sequences: sequences.remove(&flow_id).unwrap_or_default(),
        });
    }

    Ok(Bot {
        id: decode_str("bot id", id)?,
        name,
        channels,
        variables,
        flows,
    })
}

/// The columns [`block_from_row`] reads, from `blocks b` and `webhook_blocks w`.
const BLOCK_COLUMNS: &str =
    "SELECT b.id, b.sequence_id, b.kind, b.name, b.text, w.token, w.form, w.status, w.live, w.sample_payload
     FROM blocks b LEFT JOIN webhook_blocks w ON w.block_id = b.id";

fn block_from_row(r: &rusqlite::Row<'_>) -> Result<Block> {
    let block_id: String = r.get(0)?;
    let block_id = decode_str("block id", &block_id)?;
    let kind: String = r.get(2)?;
    Ok(match kind.as_str() {
        "webhook" => {
            let token: Option<String> = r.get(5)?;
            let form: Option<String> = r.get(6)?;
            let status: Option<String> = r.get(7)?;
            let live: Option<String> = r.get(8)?;
            let sample: Option<String> = r.get(9)?;
            Block::Webhook(Box::new(WebhookBlock {
                id: block_id,
                name: r.get(3)?,
                token: token
                    .map(|t| webhook_block::WebhookToken::parse(&t).map_err(|e| stored("token", e.to_string())))
                    .transpose()?,
                form: decode("webhook form", form.as_deref().unwrap_or("{}"))?,
                status: decode_str("block status", status.as_deref().unwrap_or("draft"))?,
                live: live.map(|l| decode("submitted form", &l)).transpose()?,
                sample_payload: sample.map(|s| decode("sample payload", &s)).transpose()?,
            }))
        }
        _ => Block::Message(MessageBlock {
            id: block_id,
            name: r.get(3)?,
            text: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        }),
    })
}

/// One block of `bot` as a bot document holds it (with its token), or `None` when there is none:
/// what sync queues after an edit of that block alone, without reading the rest of the bot.
pub fn load_block(conn: &Connection, bot: &str, block: &str) -> Result<Option<Block>> {
    let mut statement = conn.prepare_cached(&format!("{BLOCK_COLUMNS} WHERE b.bot_id = ?1 AND b.id = ?2"))?;
    let mut rows = statement.query(params![bot, block])?;
    match rows.next()? {
        Some(r) => Ok(Some(block_from_row(r)?)),
        None => Ok(None),
    }
}
