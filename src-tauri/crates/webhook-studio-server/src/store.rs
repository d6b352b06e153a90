//! The server's rules about what is stored, written once over [`Tx`] for both engines.
//!
//! - Teams and API keys ([`create_team`], [`create_key`], [`revoke_key`], [`team_for_key`]).
//! - [`apply`]: one sync change, the single write path of push and of every REST route: the
//!   `op_id` seen before gets the same outcome again; a stale base revision is a conflict; a body
//!   that does not fit its kind, or a block id another team (or bot) uses, is rejected; otherwise
//!   the revision goes up by one, the team's change counter gives the `seq`, and a history row and
//!   the op's outcome are written. Tokens are taken out of bodies and sealed apart.
//! - Reads: [`current`], [`changes`], [`bot_entities`], [`revisions`], [`list_bots`].
//! - Production webhooks: [`resolve_webhook`], [`insert_events`] (a batch, one trim per block), [`events`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use webhook_block::model::Block;
use webhook_block::{Bot, Id, WebhookToken, check_webhook};
use webhook_receiver::Entry;
use webhook_sync::entity::{Entities, compose};
use webhook_sync::{
    ChangesPage, EntityBody, EntityKey, EntityKind, ErrorBody, PushOp, PushOutcome, TeamInfo, Versioned, WebhookEvent,
};

use crate::db::{DbError, DbResult, Param, Row, Tx};
use crate::secret::{SecretKey, generate_api_key, hash_api_key, random_id};

/// Events kept per block; older ones are dropped as new ones arrive.
pub const EVENTS_KEPT: i64 = 1_000;

fn now() -> String {
    webhook_receiver::now_rfc3339()
}

fn entropy(e: crate::secret::SecretError) -> DbError {
    DbError::Task(e.to_string())
}

/// Makes a team and its first API key; the key is returned once and only its hash is stored.
pub fn create_team(tx: &mut dyn Tx, name: &str) -> DbResult<(String, String)> {
    let id = random_id("team_").map_err(entropy)?;
    tx.execute(
        "INSERT INTO teams (id, name, created_at, change_counter) VALUES ($1, $2, $3, 0)",
        &[id.clone().into(), name.into(), now().into()],
    )?;
    let key = create_key(tx, &id)?.ok_or_else(|| DbError::Task("the team just made is gone".into()))?;
    Ok((id, key))
}

/// Adds an API key to `team`; `None` when there is no such team.
pub fn create_key(tx: &mut dyn Tx, team: &str) -> DbResult<Option<String>> {
    if tx.row("SELECT id FROM teams WHERE id = $1", &[team.into()])?.is_none() {
        return Ok(None);
    }
    let key = generate_api_key().map_err(entropy)?;
    tx.execute(
        "INSERT INTO api_keys (hash, team, created_at) VALUES ($1, $2, $3)",
        &[hash_api_key(&key).into(), team.into(), now().into()],
    )?;
    Ok(Some(key))
}

/// Revokes an API key; whether it was a live key.
pub fn revoke_key(tx: &mut dyn Tx, key: &str) -> DbResult<bool> {
    let n = tx.execute(
        "UPDATE api_keys SET revoked_at = $2 WHERE hash = $1 AND revoked_at IS NULL",
        &[hash_api_key(key).into(), now().into()],
    )?;
    Ok(n > 0)
}

/// The team of a live API key.
pub fn team_for_key(tx: &mut dyn Tx, key: &str) -> DbResult<Option<TeamInfo>> {
    Ok(tx
        .row(
            "SELECT t.id, t.name FROM api_keys k JOIN teams t ON t.id = k.team WHERE k.hash = $1 AND k.revoked_at IS NULL",
            &[hash_api_key(key).into()],
        )?
        .map(|r| TeamInfo {
            id: r.string(0),
            name: r.string(1),
        }))
}

fn key_params(team: &str, key: &EntityKey) -> Vec<Param> {
    vec![
        team.into(),
        key.bot.as_str().into(),
        key.kind.as_str().into(),
        key.id.as_str().into(),
    ]
}

/// Takes the row lock of the team's change counter (PostgreSQL; SQLite is locked already), so a
/// read-then-write sequence sees no other writer of this team in between.
pub fn lock_team(tx: &mut dyn Tx, team: &str) -> DbResult<()> {
    tx.execute(
        "UPDATE teams SET change_counter = change_counter WHERE id = $1",
        &[team.into()],
    )?;
    Ok(())
}

fn next_seq(tx: &mut dyn Tx, team: &str) -> DbResult<i64> {
    tx.row(
        "UPDATE teams SET change_counter = change_counter + 1 WHERE id = $1 RETURNING change_counter",
        &[team.into()],
    )?
    .map(|r| r.int(0))
    .ok_or_else(|| DbError::Task(format!("team {team} is gone")))
}

/// A block's stored body with its token put back, when one is sealed for it.
fn with_token(tx: &mut dyn Tx, secret: &SecretKey, team: &str, key: &EntityKey, body: Value) -> DbResult<Value> {
    if key.kind != EntityKind::Block {
        return Ok(body);
    }
    let Some(token) = stored_token(tx, secret, team, key.id.as_str())? else {
        return Ok(body);
    };
    Ok(match EntityBody::from_value(EntityKind::Block, &body) {
        Ok(EntityBody::Block(Block::Webhook(mut block))) => {
            block.token = Some(token);
            EntityBody::Block(Block::Webhook(block)).to_value()
        }
        _ => body,
    })
}

fn stored_token(tx: &mut dyn Tx, secret: &SecretKey, team: &str, block: &str) -> DbResult<Option<WebhookToken>> {
    Ok(tx
        .row(
            "SELECT sealed_token FROM webhook_blocks WHERE block = $1 AND team = $2",
            &[block.into(), team.into()],
        )?
        .and_then(|r| r.text(0))
        .and_then(|sealed| secret.open(block, &sealed)))
}

fn versioned(
    tx: &mut dyn Tx,
    secret: &SecretKey,
    team: &str,
    key: EntityKey,
    row: &Row,
    at: usize,
) -> DbResult<Versioned> {
    let body = match row.text(at + 2) {
        Some(text) => Some(with_token(
            tx,
            secret,
            team,
            &key,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )?),
        None => None,
    };
    Ok(Versioned {
        key,
        revision: row.int(at),
        seq: row.int(at + 1),
        body,
    })
}

/// The server's version of one entity (revision 0 and no body when it never existed), tokens
/// put back.
pub fn current(tx: &mut dyn Tx, secret: &SecretKey, team: &str, key: &EntityKey) -> DbResult<Versioned> {
    match tx.row(
        "SELECT revision, seq, body FROM entities WHERE team = $1 AND bot = $2 AND kind = $3 AND id = $4",
        &key_params(team, key),
    )? {
        Some(row) => versioned(tx, secret, team, key.clone(), &row, 0),
        None => Ok(Versioned {
            key: key.clone(),
            revision: 0,
            seq: 0,
            body: None,
        }),
    }
}

fn rejected(code: &str, message: impl Into<String>, fix: impl Into<String>) -> PushOutcome {
    PushOutcome::Rejected {
        error: ErrorBody {
            code: code.into(),
            message: message.into(),
            fix: fix.into(),
        },
    }
}

/// What [`apply`] did. No `Debug`: a conflict's `current` may hold a block's token.
pub struct Applied {
    /// The outcome to answer.
    pub outcome: PushOutcome,
    /// Whether anything was written (a new change): commit, and forget the bot's compiled webhooks.
    pub wrote: bool,
}

/// The app client that sent a pushed op: its `op_id` before the last `:` (`c-1a2b:57` → `c-1a2b`);
/// `None` when the id has no `:` or nothing before it.
pub fn client_of(op_id: &str) -> Option<&str> {
    op_id
        .rsplit_once(':')
        .map(|(client, _)| client)
        .filter(|c| !c.is_empty())
}

/// Applies one change for `team`, written by `client` (the app that sent it, recorded with the
/// entity so that app's pull can leave it out; `None` for a REST write). See the module docs. A
/// conflict or a rejection writes nothing; the caller commits when [`Applied::wrote`] (or rolls
/// back).
pub fn apply(tx: &mut dyn Tx, secret: &SecretKey, team: &str, op: &PushOp, client: Option<&str>) -> DbResult<Applied> {
    // Locking the team's counter row first: from here on no other write of this team runs, so
    // what is read below stays true until commit.
    lock_team(tx, team)?;
    apply_locked(tx, secret, team, op, client)
}

/// Applies a push's ops in order in the caller's one transaction (the team locked once, first):
/// each op sees the earlier ones' effects, and an op whose outcome is not `Applied` writes
/// nothing, so the outcomes and `seq` numbers are those of one transaction per op. Each op's
/// writer is the app client named by its `op_id` ([`client_of`]).
pub fn apply_all(tx: &mut dyn Tx, secret: &SecretKey, team: &str, ops: &[PushOp]) -> DbResult<Vec<Applied>> {
    lock_team(tx, team)?;
    ops.iter()
        .map(|op| apply_locked(tx, secret, team, op, client_of(&op.op_id)))
        .collect()
}

/// [`apply`] with the team's counter row already locked in this transaction. Nothing is written
/// before every check passed; the `seq` is taken only then, so a conflict or a rejection leaves
/// no gap in the change numbers.
fn apply_locked(
    tx: &mut dyn Tx,
    secret: &SecretKey,
    team: &str,
    op: &PushOp,
    client: Option<&str>,
) -> DbResult<Applied> {
    let not_written = |outcome| Applied { outcome, wrote: false };
    if let Some(row) = tx.row(
        "SELECT revision, seq FROM applied_ops WHERE team = $1 AND op_id = $2",
        &[team.into(), op.op_id.as_str().into()],
    )? {
        return Ok(not_written(PushOutcome::Applied {
            revision: row.int(0),
            seq: row.int(1),
        }));
    }
    if op.op_id.is_empty() || op.op_id.len() > 200 {
        return Ok(not_written(rejected(
            "invalid_op_id",
            "an op_id must be 1 to 200 characters",
            "use the app's id and its outbox number, e.g. \"app-3f2a:17\"",
        )));
    }
    let key = &op.key;
    if key.kind == EntityKind::Bot && key.id != key.bot {
        return Ok(not_written(rejected(
            "invalid_key",
            format!(
                "a bot entity's id must be its bot's id; got id \"{}\" for bot \"{}\"",
                key.id, key.bot
            ),
            "send the bot entity with key {\"bot\": B, \"kind\": \"bot\", \"id\": B}",
        )));
    }
    let now_version = current(tx, secret, team, key)?;
    if op.base_revision.unwrap_or(0) != now_version.revision {
        return Ok(not_written(PushOutcome::Conflict { current: now_version }));
    }
    let mut sealed: Option<String> = None;
    let stored_body = match &op.body {
        None => None,
        Some(value) => {
            let body = match EntityBody::from_value(key.kind, value) {
                Ok(body) => body,
                Err(e) => {
                    return Ok(not_written(rejected(
                        "invalid_body",
                        format!("the {} body is not valid at `{}`: {}", e.kind, e.path, e.message),
                        format!(
                            "send a {} body as the API's schema describes it (GET /openapi.json)",
                            e.kind
                        ),
                    )));
                }
            };
            if let EntityBody::Block(block) = &body {
                if block.id() != &key.id {
                    return Ok(not_written(rejected(
                        "invalid_body",
                        format!(
                            "the block body's id \"{}\" is not the key's id \"{}\"",
                            block.id(),
                            key.id
                        ),
                        "send the block under a key with its own id",
                    )));
                }
                if let Some(refusal) = claim_block(tx, team, key)? {
                    return Ok(not_written(refusal));
                }
                let token = match block {
                    Block::Webhook(w) => w.token.as_ref(),
                    Block::Message(_) => None,
                };
                if let Some(token) = token {
                    sealed = Some(secret.seal(key.id.as_str(), token).map_err(entropy)?);
                }
            }
            Some(serde_json::to_string(&body.without_token().to_value()).unwrap_or_default())
        }
    };
    if let Some(sealed) = sealed {
        tx.execute(
            "UPDATE webhook_blocks SET sealed_token = $2 WHERE block = $1",
            &[key.id.as_str().into(), sealed.into()],
        )?;
    }
    let seq = next_seq(tx, team)?;
    let revision = now_version.revision + 1;
    let mut params = key_params(team, key);
    params.extend([Param::Int(revision), Param::Int(seq), stored_body.clone().into()]);
    let mut entity_params = params.clone();
    entity_params.push(client.map(str::to_owned).into());
    if now_version.revision == 0 {
        tx.execute(
            "INSERT INTO entities (team, bot, kind, id, revision, seq, body, client) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &entity_params,
        )?;
    } else {
        tx.execute(
            "UPDATE entities SET revision = $5, seq = $6, body = $7, client = $8 WHERE team = $1 AND bot = $2 AND kind = $3 AND id = $4",
            &entity_params,
        )?;
    }
    params.extend([op.op_id.as_str().into(), now().into()]);
    tx.execute(
        "INSERT INTO revisions (team, bot, kind, id, revision, seq, body, op_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &params,
    )?;
    tx.execute(
        "INSERT INTO applied_ops (team, op_id, revision, seq) VALUES ($1, $2, $3, $4)",
        &[team.into(), op.op_id.as_str().into(), revision.into(), seq.into()],
    )?;
    Ok(Applied {
        outcome: PushOutcome::Applied { revision, seq },
        wrote: true,
    })
}

/// Claims a block id for (team, bot): a production URL names a block by id alone, so one id
/// belongs to one bot of one team. `Some(refusal)` when it is taken.
fn claim_block(tx: &mut dyn Tx, team: &str, key: &EntityKey) -> DbResult<Option<PushOutcome>> {
    tx.execute(
        "INSERT INTO webhook_blocks (block, team, bot) VALUES ($1, $2, $3) ON CONFLICT (block) DO NOTHING",
        &[key.id.as_str().into(), team.into(), key.bot.as_str().into()],
    )?;
    let owner = tx.row(
        "SELECT team, bot FROM webhook_blocks WHERE block = $1",
        &[key.id.as_str().into()],
    )?;
    Ok(match owner {
        Some(row) if row.string(0) == team && row.string(1) == key.bot.as_str() => None,
        Some(row) if row.string(0) == team => Some(rejected(
            "block_id_taken",
            format!(
                "the block id \"{}\" already belongs to bot \"{}\"; a block id names one production URL",
                key.id,
                row.string(1)
            ),
            "give this block a new id (duplicate it in the app)",
        )),
        _ => Some(rejected(
            "block_id_taken",
            format!("the block id \"{}\" is already in use on this server", key.id),
            "give this block a new id (duplicate it in the app)",
        )),
    })
}

/// The team's entities changed after `since`, each once in its latest version, oldest change
/// first. With `client`, entities whose latest version that app client wrote are left out (it
/// has them): `next` still moves past them and `more` counts them, so paging is unchanged.
pub fn changes(
    tx: &mut dyn Tx,
    secret: &SecretKey,
    team: &str,
    since: i64,
    limit: i64,
    client: Option<&str>,
) -> DbResult<ChangesPage> {
    let rows = tx.rows(
        "SELECT bot, kind, id, revision, seq, body, client FROM entities WHERE team = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        &[team.into(), since.into(), (limit + 1).into()],
    )?;
    let more = rows.len() as i64 > limit;
    let mut out = Vec::new();
    let mut next = since;
    for row in rows.iter().take(limit as usize) {
        next = row.int(4);
        if client.is_some() && row.text(6).as_deref() == client {
            continue;
        }
        if let Some(key) = row_key(row) {
            out.push(versioned(tx, secret, team, key, row, 3)?);
        }
    }
    Ok(ChangesPage {
        changes: out,
        next,
        more,
    })
}

fn row_key(row: &Row) -> Option<EntityKey> {
    Some(EntityKey {
        bot: Id::parse(&row.string(0)).ok()?,
        kind: EntityKind::parse(&row.string(1))?,
        id: Id::parse(&row.string(2)).ok()?,
    })
}

/// A bot's live entities (tokens put back) and their versions.
pub struct BotState {
    /// The entities, by key.
    pub entities: Entities,
    /// Each entity's revision and seq.
    pub versions: BTreeMap<EntityKey, (i64, i64)>,
    /// The latest change to any of its entities, deletions included.
    pub latest: i64,
}

impl BotState {
    /// The bot, composed.
    pub fn compose(&self, bot: &Id) -> Option<Bot> {
        compose(bot, &self.entities)
    }

    /// The composed bot's version (its ETag): the latest change to any of its entities, a
    /// deletion included, so it only ever grows.
    pub fn version(&self) -> i64 {
        self.latest
    }
}

/// Every live entity of one bot of `team`.
pub fn bot_entities(tx: &mut dyn Tx, secret: &SecretKey, team: &str, bot: &Id) -> DbResult<BotState> {
    let rows = tx.rows(
        "SELECT bot, kind, id, revision, seq, body FROM entities WHERE team = $1 AND bot = $2 AND body IS NOT NULL",
        &[team.into(), bot.as_str().into()],
    )?;
    let latest = bot_version(tx, team, bot.as_str())?;
    let mut state = BotState {
        entities: Entities::new(),
        versions: BTreeMap::new(),
        latest,
    };
    for row in &rows {
        let Some(key) = row_key(row) else { continue };
        let version = versioned(tx, secret, team, key.clone(), row, 3)?;
        if let Some(body) = version
            .body
            .as_ref()
            .and_then(|b| EntityBody::from_value(key.kind, b).ok())
        {
            state.versions.insert(key.clone(), (version.revision, version.seq));
            state.entities.insert(key, body);
        }
    }
    Ok(state)
}

/// The team's bots: id, name, bot entity revision.
pub fn list_bots(tx: &mut dyn Tx, team: &str) -> DbResult<Vec<(String, String, i64)>> {
    let rows = tx.rows(
        "SELECT id, body, revision FROM entities WHERE team = $1 AND kind = 'bot' AND body IS NOT NULL ORDER BY id",
        &[team.into()],
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            let name = serde_json::from_str::<Value>(&r.string(1))
                .ok()
                .and_then(|v| v.get("name").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default();
            (r.string(0), name, r.int(2))
        })
        .collect())
}

/// One entity's history, oldest first, without tokens.
pub fn revisions(tx: &mut dyn Tx, team: &str, key: &EntityKey) -> DbResult<Vec<Value>> {
    let rows = tx.rows(
        "SELECT revision, seq, body, op_id, at FROM revisions WHERE team = $1 AND bot = $2 AND kind = $3 AND id = $4 ORDER BY revision",
        &key_params(team, key),
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "revision": r.int(0),
                "seq": r.int(1),
                "body": r.text(2).and_then(|t| serde_json::from_str::<Value>(&t).ok()),
                "op_id": r.string(3),
                "at": r.string(4),
            })
        })
        .collect())
}

/// What a production URL's block id resolves to.
pub enum Resolved {
    /// No block of that id is on this server (or it is not in its bot's flows).
    Unknown,
    /// The block, live or a draft.
    Block {
        /// Its team.
        team: String,
        /// Its bot.
        bot: String,
        /// Live or draft.
        entry: Entry,
        /// The bot's version it was compiled from ([`bot_version`]).
        version: i64,
    },
    /// Submitted, but its submitted version breaks a rule now (e.g. its channel was disconnected).
    Broken {
        /// Its team.
        team: String,
        /// Its bot.
        bot: String,
        /// The first problem, in words.
        problem: String,
        /// The bot's version it was compiled from ([`bot_version`]).
        version: i64,
    },
}

/// The latest change to any entity of a bot (deletions included): a compiled webhook is current
/// while this has not moved, whichever server process wrote the change.
pub fn bot_version(tx: &mut dyn Tx, team: &str, bot: &str) -> DbResult<i64> {
    Ok(tx
        .row(
            "SELECT MAX(seq) FROM entities WHERE team = $1 AND bot = $2",
            &[team.into(), bot.into()],
        )?
        .map_or(0, |r| r.int(0)))
}

/// Finds and compiles the block a production URL names.
pub fn resolve_webhook(tx: &mut dyn Tx, secret: &SecretKey, block: &str) -> DbResult<Resolved> {
    let Some(owner) = tx.row("SELECT team, bot FROM webhook_blocks WHERE block = $1", &[block.into()])? else {
        return Ok(Resolved::Unknown);
    };
    let (team, bot) = (owner.string(0), owner.string(1));
    let Ok(bot_id) = Id::parse(&bot) else {
        return Ok(Resolved::Unknown);
    };
    let state = bot_entities(tx, secret, &team, &bot_id)?;
    let version = state.version();
    let Some(composed) = state.compose(&bot_id) else {
        return Ok(Resolved::Unknown);
    };
    let Some(webhook) = composed.webhook(block) else {
        return Ok(Resolved::Unknown);
    };
    let entry = match webhook.live_form() {
        None => Entry::Draft,
        Some(live) => match check_webhook(&composed, webhook, live).into_valid() {
            Ok(compiled) => Entry::Live(std::sync::Arc::new(compiled)),
            Err(problems) => {
                let problem = problems.first().map(|p| p.message.clone()).unwrap_or_default();
                return Ok(Resolved::Broken {
                    team,
                    bot,
                    problem,
                    version,
                });
            }
        },
    };
    Ok(Resolved::Block {
        team,
        bot,
        entry,
        version,
    })
}

/// An accepted production webhook request, to be stored.
pub struct NewEvent {
    /// The block's team.
    pub team: String,
    /// The block.
    pub block: String,
    /// The request body.
    pub body: Value,
    /// The variables taken from it.
    pub variables: Map<String, Value>,
    /// The contact reference, when the block names one.
    pub contact: Option<String>,
}

/// Stores an accepted webhook request and drops the block's events beyond the last
/// [`EVENTS_KEPT`]; its id.
pub fn insert_event(tx: &mut dyn Tx, event: &NewEvent) -> DbResult<i64> {
    Ok(insert_events(tx, std::slice::from_ref(event))?
        .into_iter()
        .next()
        .unwrap_or(0))
}

/// Stores accepted webhook requests in order (their ids, in the same order), then drops each
/// block's events beyond the last [`EVENTS_KEPT`], once per block.
pub fn insert_events(tx: &mut dyn Tx, events: &[NewEvent]) -> DbResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(events.len());
    for event in events {
        let id = tx
            .row(
                "INSERT INTO events (team, block, received_at, body, variables, contact) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    event.team.as_str().into(),
                    event.block.as_str().into(),
                    now().into(),
                    event.body.to_string().into(),
                    Value::Object(event.variables.clone()).to_string().into(),
                    event.contact.clone().into(),
                ],
            )?
            .map(|r| r.int(0))
            .unwrap_or(0);
        ids.push(id);
    }
    let mut blocks: Vec<&str> = events.iter().map(|e| e.block.as_str()).collect();
    blocks.sort_unstable();
    blocks.dedup();
    for block in blocks {
        tx.execute(
            "DELETE FROM events WHERE block = $1 AND id < (SELECT MIN(id) FROM (SELECT id FROM events WHERE block = $1 ORDER BY id DESC LIMIT $2) AS kept)",
            &[block.into(), EVENTS_KEPT.into()],
        )?;
    }
    Ok(ids)
}

/// A block's latest events, newest first.
pub fn events(tx: &mut dyn Tx, team: &str, block: &str, limit: i64) -> DbResult<Vec<WebhookEvent>> {
    let rows = tx.rows(
        "SELECT id, block, received_at, body, variables, contact FROM events WHERE team = $1 AND block = $2 ORDER BY id DESC LIMIT $3",
        &[team.into(), block.into(), limit.into()],
    )?;
    Ok(rows
        .iter()
        .map(|r| WebhookEvent {
            id: r.int(0),
            block: r.string(1),
            received_at: r.string(2),
            body: serde_json::from_str(&r.string(3)).unwrap_or(Value::Null),
            variables: serde_json::from_str(&r.string(4)).unwrap_or_default(),
            contact_reference_id: r.text(5),
        })
        .collect())
}
