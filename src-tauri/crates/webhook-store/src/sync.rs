//! What the sync engine asks of the store: the outbox in order, the revisions the server
//! confirmed, conflicts kept until a person chooses, and the server's changes written locally.
//!
//! Guarantees:
//! - Nothing the designer typed is silently overwritten: a pulled change to an entity with queued
//!   local changes or an open conflict is not written; the next push meets the server's revision
//!   and becomes a conflict, which keeps both versions until [`Store::resolve_conflict`].
//! - Every method that writes is one transaction.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Transaction;
use serde_json::Value;
use webhook_block::{Block, Id};
use webhook_sync::entity::{Entities, EntityBody, EntityKey, EntityKind, compose, decompose};
use webhook_sync::{ErrorBody, Versioned};

use crate::error::{Error, Result};
use crate::store::{Store, UpdateSource};
use crate::table::{bots, changes, sync};

const CURSOR: &str = "pull_cursor";
const CLIENT_ID: &str = "client_id";

/// One queued change: an entity's whole body after a local write (`None`: deleted). Its `Debug`
/// leaves the body out: a webhook block's holds its token.
#[derive(Clone, PartialEq)]
pub struct OutboxEntry {
    /// Its number: increasing, never reused.
    pub id: i64,
    /// Which entity.
    pub key: EntityKey,
    /// Its body (a webhook block's holds its token), or `None` for a delete.
    pub body: Option<Value>,
}

/// An entity changed on both sides: this app's version and the server's, until a person chooses.
/// Its `Debug` leaves both bodies out (tokens).
#[derive(Clone, PartialEq)]
pub struct SyncConflict {
    /// Which entity.
    pub key: EntityKey,
    /// This app's version (`None`: deleted here).
    pub mine: Option<Value>,
    /// The server's version (`None`: deleted there).
    pub theirs: Option<Value>,
    /// The server's revision of it: the version chosen is sent based on this one.
    pub their_revision: i64,
    /// When it was found (RFC 3339, UTC).
    pub detected_at: String,
}

/// A change the server refused, with its reason; the local data is kept as it is. Its `Debug`
/// leaves the body out (tokens).
#[derive(Clone, PartialEq)]
pub struct SyncRejection {
    /// Its number.
    pub id: i64,
    /// Which entity.
    pub key: EntityKey,
    /// The body that was refused.
    pub body: Option<Value>,
    /// The server's reason and fix.
    pub error: ErrorBody,
    /// When (RFC 3339, UTC).
    pub rejected_at: String,
}

/// How a body shows in `Debug`: whether there is one, never what it holds.
fn shown(body: Option<&Value>) -> &'static str {
    if body.is_some() { "<body>" } else { "<deleted>" }
}

impl std::fmt::Debug for OutboxEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxEntry")
            .field("id", &self.id)
            .field("key", &self.key)
            .field("body", &shown(self.body.as_ref()))
            .finish()
    }
}

impl std::fmt::Debug for SyncConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncConflict")
            .field("key", &self.key)
            .field("mine", &shown(self.mine.as_ref()))
            .field("theirs", &shown(self.theirs.as_ref()))
            .field("their_revision", &self.their_revision)
            .field("detected_at", &self.detected_at)
            .finish()
    }
}

impl std::fmt::Debug for SyncRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncRejection")
            .field("id", &self.id)
            .field("key", &self.key)
            .field("body", &shown(self.body.as_ref()))
            .field("error", &self.error)
            .field("rejected_at", &self.rejected_at)
            .finish()
    }
}

/// What [`Store::apply_remote`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// Changes written locally.
    pub applied: usize,
    /// Our own changes coming back (revision already known).
    pub echoes: usize,
    /// Left alone because the entity has queued local changes or an open conflict.
    pub kept_local: Vec<EntityKey>,
    /// Not written: the body does not fit its kind, or its bot could not be saved (a block id
    /// another local bot uses). Each with the reason.
    pub refused: Vec<(EntityKey, String)>,
}

impl Store {
    /// This app's sync id: random, made once when the database was created or upgraded; part of
    /// every op id it sends.
    pub fn client_id(&self) -> Result<String> {
        self.read(|conn| {
            sync::meta(conn, CLIENT_ID)?
                .ok_or_else(|| crate::table::stored("client id", "missing from sync_meta".into()))
        })
    }

    /// The oldest `limit` queued changes, in the order they were made.
    pub fn pending(&self, limit: usize) -> Result<Vec<OutboxEntry>> {
        self.read(|conn| sync::pending(conn, limit))
    }

    /// How many changes are queued.
    pub fn pending_count(&self) -> Result<i64> {
        self.read(sync::pending_count)
    }

    /// The last revision the server confirmed for `key`, if it ever did.
    pub fn known_revision(&self, key: &EntityKey) -> Result<Option<i64>> {
        self.read(|conn| sync::known_revision(conn, key))
    }

    /// The server applied queued change `id` as `revision`: the row is removed and the key's known
    /// revision set, in one transaction; a refusal of an earlier change of the same entity is
    /// forgotten (the server now holds a newer version). Returns whether the row was still queued
    /// (it is not when a conflict took its key's rows meanwhile; nothing is written then).
    pub fn ack(&mut self, id: i64, revision: i64) -> Result<bool> {
        Ok(self.ack_all(&[(id, revision)])? == 1)
    }

    /// [`Store::ack`] for each `(id, revision)` of one push answer, in order, in one transaction:
    /// one durable commit for a batch rather than one per change. Returns how many were queued.
    pub fn ack_all(&mut self, applied: &[(i64, i64)]) -> Result<usize> {
        self.write(|tx| {
            let mut acked = 0;
            for &(id, revision) in applied {
                let Some(entry) = sync::outbox_row(tx, id)? else {
                    continue;
                };
                sync::delete_row(tx, id)?;
                sync::set_known(tx, &entry.key, revision, entry.body.as_ref())?;
                sync::delete_rejections_of(tx, &entry.key)?;
                acked += 1;
            }
            Ok(acked)
        })
    }

    /// The server refused queued change `id`: it moves to the rejections with the server's reason
    /// (see [`Store::rejections`]); the local data stays as it is. Returns whether it was queued.
    pub fn reject(&mut self, id: i64, error: &ErrorBody) -> Result<bool> {
        self.write(|tx| {
            let Some(entry) = sync::outbox_row(tx, id)? else {
                return Ok(false);
            };
            sync::delete_row(tx, id)?;
            sync::put_rejection(tx, &entry, error)?;
            Ok(true)
        })
    }

    /// Every change the server refused, oldest first.
    pub fn rejections(&self) -> Result<Vec<SyncRejection>> {
        self.read(sync::rejections)
    }

    /// Forgets a refused change once the designer has seen it; whether it was there.
    pub fn dismiss_rejection(&mut self, id: i64) -> Result<bool> {
        self.write(|tx| sync::delete_rejection(tx, id))
    }

    /// A push of `key` was based on a stale revision: keeps this app's current version as `mine`
    /// and `theirs` (the server's) side by side, and takes the key's queued changes out of the
    /// outbox, in one transaction. The local data is left as the designer left it.
    pub fn record_conflict(&mut self, key: &EntityKey, theirs: &Versioned) -> Result<()> {
        self.write(|tx| {
            let mine = match local_body(tx, key)? {
                Some(body) => Some(body.to_value()),
                // Gone locally (a pulled flow no longer lists it): the last queued version.
                None => sync::pending(tx, usize::MAX)?
                    .into_iter()
                    .rfind(|e| e.key == *key)
                    .and_then(|e| e.body),
            };
            sync::put_conflict(tx, key, mine.as_ref(), theirs.body.as_ref(), theirs.revision)?;
            sync::drop_pending(tx, key)
        })
    }

    /// Every open conflict, oldest first.
    pub fn conflicts(&self) -> Result<Vec<SyncConflict>> {
        self.read(sync::conflicts)
    }

    /// How many conflicts are open.
    pub fn conflict_count(&self) -> Result<i64> {
        self.read(sync::conflict_count)
    }

    /// A person chose `chosen` (`None`: deleted) for a conflicted entity, e.g. the result of
    /// [`webhook_sync::conflict::merge`]: it is written locally, queued to be sent based on the
    /// server's revision (replacing the entity's queued changes), and the conflict is closed, in
    /// one transaction. A webhook block chosen
    /// without a token keeps the local one.
    pub fn resolve_conflict(&mut self, key: &EntityKey, chosen: Option<Value>) -> Result<()> {
        self.write(|tx| {
            let Some(conflict) = sync::conflict(tx, key)? else {
                return Err(Error::NoSuchConflict(key.to_string()));
            };
            let chosen = chosen
                .map(|value| {
                    EntityBody::from_value(key.kind, &value).map_err(|source| Error::EntityBody {
                        key: key.to_string(),
                        source,
                    })
                })
                .transpose()?;
            let mut entities = working_entities(tx, &key.bot)?;
            let exists = bots::exists(tx, key.bot.as_str())?;
            let body = overlay(&mut entities, key, chosen);
            write_bot(
                tx,
                &key.bot,
                &entities,
                exists || key.kind == EntityKind::Bot,
                UpdateSource::Window,
            )?;
            sync::set_known(tx, key, conflict.their_revision, conflict.theirs.as_ref())?;
            // Edits made since the conflict are in the chosen version (it was made from the
            // local one): only the choice is sent.
            sync::drop_pending(tx, key)?;
            sync::queue(tx, key, body.map(|b| b.to_value()).as_ref())?;
            sync::delete_conflict(tx, key)?;
            changes::record(tx, UpdateSource::Window, key.kind.as_str(), key.id.as_str(), "resolve")
        })
    }

    /// Writes the server's versions locally (as [`UpdateSource::Sync`], so nothing is queued),
    /// one transaction for all. Per entity: one with queued changes or an open conflict is left as
    /// it is (and its revision is not recorded, so the next push conflicts instead of
    /// overwriting); one whose revision is already known is our own echo; any other is written,
    /// a webhook block keeping its local token when the server's has none. A deleted bot entity
    /// deletes the bot, unless the bot has local work waiting, in which case the whole bot is kept.
    pub fn apply_remote(&mut self, changes: &[Versioned]) -> Result<ApplyReport> {
        self.write(|tx| {
            let mut report = ApplyReport::default();
            let mut by_bot: BTreeMap<&Id, Vec<&Versioned>> = BTreeMap::new();
            for change in changes {
                by_bot.entry(&change.key.bot).or_default().push(change);
            }
            for (bot, changes) in by_bot {
                apply_bot(tx, bot, &changes, &mut report)?;
            }
            Ok(report)
        })
    }

    /// Where the last pull ended (`None`: never pulled).
    pub fn cursor(&self) -> Result<Option<i64>> {
        self.read(|conn| Ok(sync::meta(conn, CURSOR)?.and_then(|v| v.parse().ok())))
    }

    /// Records where the last pull ended.
    pub fn set_cursor(&mut self, cursor: i64) -> Result<()> {
        self.write(|tx| sync::set_meta(tx, CURSOR, &cursor.to_string()))
    }

    /// Queues every local entity the server never confirmed and that has nothing queued and no
    /// open conflict: the bots made before sync was switched on. Returns how many were queued.
    /// Safe to call again: what it queued is pending, so it is not queued twice.
    pub fn seed_outbox(&mut self) -> Result<usize> {
        self.write(|tx| {
            let confirmed = sync::confirmed_keys(tx)?;
            let mut queued = 0;
            for summary in bots::list(tx)? {
                let bot = bots::load(tx, summary.id.as_str())?;
                for (key, body) in decompose(&bot) {
                    if confirmed.contains(&key) || sync::has_pending(tx, &key)? || sync::conflict(tx, &key)?.is_some() {
                        continue;
                    }
                    sync::queue(tx, &key, Some(&body.to_value()))?;
                    queued += 1;
                }
            }
            Ok(queued)
        })
    }
}

/// The key's body as the local tables hold it.
fn local_body(tx: &Transaction<'_>, key: &EntityKey) -> Result<Option<EntityBody>> {
    if !bots::exists(tx, key.bot.as_str())? {
        return Ok(None);
    }
    Ok(decompose(&bots::load(tx, key.bot.as_str())?).remove(key))
}

/// A bot's entities to compose from: the local ones, over the server's last confirmed ones (a
/// pulled block that no local flow listed yet waits there for its flow).
fn working_entities(tx: &Transaction<'_>, bot: &Id) -> Result<Entities> {
    let mut entities = sync::confirmed_entities(tx, bot.as_str())?;
    if bots::exists(tx, bot.as_str())? {
        entities.extend(decompose(&bots::load(tx, bot.as_str())?));
    }
    Ok(entities)
}

/// Puts `body` at `key` (removing it for `None`); a webhook block without a token keeps the one
/// there. Returns the body as placed.
fn overlay(entities: &mut Entities, key: &EntityKey, body: Option<EntityBody>) -> Option<EntityBody> {
    let Some(mut body) = body else {
        entities.remove(key);
        return None;
    };
    if let (EntityBody::Block(Block::Webhook(new)), Some(EntityBody::Block(Block::Webhook(old)))) =
        (&mut body, entities.get(key))
        && new.token.is_none()
    {
        new.token.clone_from(&old.token);
    }
    entities.insert(key.clone(), body.clone());
    Some(body)
}

/// Makes the local bot what `entities` compose to: deleted when its bot entity is gone, saved when
/// it exists locally or `create` is set.
fn write_bot(tx: &Transaction<'_>, bot: &Id, entities: &Entities, create: bool, source: UpdateSource) -> Result<()> {
    let exists = bots::exists(tx, bot.as_str())?;
    match compose(bot, entities) {
        None if exists => {
            bots::delete(tx, bot.as_str())?;
            changes::record(tx, source, "bot", bot.as_str(), "delete")?;
        }
        None => {}
        Some(composed) if exists || create => {
            if exists && bots::load(tx, bot.as_str())? == composed {
                return Ok(());
            }
            bots::check_ids_free(tx, &composed)?;
            bots::save(tx, &composed)?;
            changes::record(tx, source, "bot", bot.as_str(), "save")?;
        }
        Some(_) => {}
    }
    Ok(())
}

fn apply_bot(tx: &Transaction<'_>, bot: &Id, changes: &[&Versioned], report: &mut ApplyReport) -> Result<()> {
    let mut held = BTreeSet::new();
    for change in changes {
        if sync::has_pending(tx, &change.key)? || sync::conflict(tx, &change.key)?.is_some() {
            held.insert(change.key.clone());
        }
    }
    let bot_key = EntityKey::bot(bot);
    let deletes_bot = changes.iter().any(|c| c.key == bot_key && c.body.is_none());
    if deletes_bot && (!held.is_empty() || bot_has_local_work(tx, bot)?) {
        // Deleting the bot would take queued local work with it: keep all of it. Its pushes will
        // meet the deletion and become conflicts a person settles.
        report.kept_local.extend(changes.iter().map(|c| c.key.clone()));
        return Ok(());
    }
    let mut arrived = Vec::new();
    for change in changes {
        if held.contains(&change.key) {
            report.kept_local.push(change.key.clone());
            continue;
        }
        if sync::known_revision(tx, &change.key)? == Some(change.revision) {
            report.echoes += 1;
            continue;
        }
        let body = match &change.body {
            None => None,
            Some(value) => match EntityBody::from_value(change.key.kind, value) {
                Ok(body) => Some(body),
                Err(e) => {
                    report.refused.push((change.key.clone(), e.to_string()));
                    continue;
                }
            },
        };
        arrived.push((*change, body));
    }
    // Only now is the bot read: a pull of nothing but this app's own echoes costs no more for a
    // bot of 10,000 blocks than for one of ten.
    if arrived.is_empty() {
        return Ok(());
    }
    let exists = bots::exists(tx, bot.as_str())?;
    let mut entities = working_entities(tx, bot)?;
    let mut accepted = Vec::new();
    let mut bot_arrived = false;
    for (change, body) in arrived {
        bot_arrived |= change.key == bot_key && body.is_some();
        overlay(&mut entities, &change.key, body);
        accepted.push(change);
    }
    match write_bot(tx, bot, &entities, exists || bot_arrived, UpdateSource::Sync) {
        Ok(()) => {}
        Err(Error::Invalid(problems)) => {
            let reason = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            report
                .refused
                .extend(accepted.iter().map(|c| (c.key.clone(), reason.clone())));
            return Ok(());
        }
        Err(e) => return Err(e),
    }
    for change in &accepted {
        sync::set_known(tx, &change.key, change.revision, change.body.as_ref())?;
    }
    report.applied += accepted.len();
    Ok(())
}

/// Whether any entity of the bot has queued changes or an open conflict.
fn bot_has_local_work(tx: &Transaction<'_>, bot: &Id) -> Result<bool> {
    let queued: i64 = tx.query_row(
        "SELECT (SELECT count(*) FROM sync_outbox WHERE bot_id = ?1) + (SELECT count(*) FROM sync_conflicts WHERE bot_id = ?1)",
        [bot.as_str()],
        |r| r.get(0),
    )?;
    Ok(queued > 0)
}
