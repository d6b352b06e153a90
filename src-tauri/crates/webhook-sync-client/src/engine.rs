//! One round of sync: push the outbox in order, then pull what the team changed.
//!
//! Push: the outbox is sent oldest first in batches of [`BATCH`]. Each op's id is
//! `<client id>:<outbox row id>`, the same on every retry, so an op whose answer was lost (a cut
//! connection, a killed server) is applied once when sent again. Each op says which revision it
//! is based on: the revision the server last confirmed for its entity, plus one for each earlier
//! op on the same entity in the batch. A batch's applied ops are acknowledged together, in one
//! store transaction ([`webhook_store::Store::ack_all`]); a conflict keeps
//! both versions for a person ([`webhook_store::Store::record_conflict`]); a rejected op is kept
//! with the server's reason ([`webhook_store::Store::rejections`]) and the rest goes on.
//!
//! Pull: pages from the cursor (leaving out what this app wrote last, which it has) until the
//! server says there is no more, then written in one
//! transaction ([`webhook_store::Store::apply_remote`]), then the cursor moves.

use std::collections::{HashMap, HashSet};

use reqwest::Method;
use webhook_store::{OutboxEntry, Store};
use webhook_sync::entity::{EntityBody, EntityKey, EntityKind};
use webhook_sync::{ChangesPage, PushOp, PushOutcome, PushRequest, PushResponse, Versioned};

use crate::connection::{ConnectionError, Http};
use crate::remote::Remote;

/// How many ops one push request carries.
pub const BATCH: usize = 200;
/// How many changes one pull page asks for.
const PAGE: usize = 500;

/// How the engine reaches the store: a short call for each step, never across a network call, so
/// the window's own edits are never kept waiting on the network.
pub trait StoreAccess: Send + Sync {
    /// Runs `f` with the store.
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> webhook_store::Result<T>) -> Result<T, SyncError>;
}

impl StoreAccess for std::sync::Mutex<Store> {
    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> webhook_store::Result<T>) -> Result<T, SyncError> {
        let mut store = self
            .lock()
            .map_err(|_| SyncError::StoreUnavailable("a write to the store failed midway (poisoned lock)".into()))?;
        f(&mut store).map_err(SyncError::Store)
    }
}

/// Runs a store call from async code: on a multi-threaded runtime the worker hands its other
/// tasks to another thread first (a call waits on SQLite's fsync), elsewhere it just runs.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// [`StoreAccess::with_store`] through [`blocking`].
trait Blocking: StoreAccess {
    fn call<T>(&self, f: impl FnOnce(&mut Store) -> webhook_store::Result<T>) -> Result<T, SyncError> {
        blocking(|| self.with_store(f))
    }
}

impl<A: StoreAccess + ?Sized> Blocking for A {}

/// Why a round of sync stopped. The outbox keeps whatever was not acknowledged.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be used (see [`ConnectionError`]).
    #[error(transparent)]
    Connection(#[from] ConnectionError),
    /// The store failed.
    #[error("the local database: {0}")]
    Store(webhook_store::Error),
    /// The store is not open (the app's own reason).
    #[error("the local database is not available: {0}")]
    StoreUnavailable(String),
    /// The server answered something the protocol does not allow.
    #[error(
        "the server's answer does not follow the sync protocol ({0}); nothing was lost, and it is tried again later"
    )]
    Protocol(String),
}

impl SyncError {
    /// Whether trying again later may work by itself.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Connection(e) => e.is_transient(),
            Self::Protocol(_) => true,
            Self::Store(e) => matches!(e, webhook_store::Error::Locked { .. }),
            Self::StoreUnavailable(_) => false,
        }
    }

    /// A stable code for the window.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Connection(e) => e.code(),
            Self::Store(_) | Self::StoreUnavailable(_) => "store",
            Self::Protocol(_) => "protocol",
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Entities queued by the first-sync seed.
    pub seeded: usize,
    /// Ops the server applied.
    pub pushed: usize,
    /// New conflicts found while pushing.
    pub conflicts: usize,
    /// Ops the server refused.
    pub rejected: usize,
    /// Pulled changes written locally.
    pub pulled: usize,
    /// Pulled changes left alone because local work waits on them.
    pub kept_local: usize,
    /// Ops still queued after the round.
    pub pending: i64,
    /// Conflicts open after the round.
    pub open_conflicts: i64,
    /// Refused changes kept after the round (see [`webhook_store::Store::rejections`]); a later
    /// accepted change of the same entity clears its refusals.
    pub open_rejections: usize,
    /// The oldest refusal kept, in words: which entity, why, and what to do.
    pub first_rejection: Option<String>,
}

/// The ops for `entries` (oldest first): op ids from the client id and row ids, base revisions
/// chained per entity from `known`, tokens left out unless `send_tokens`.
pub(crate) fn plan(
    client_id: &str,
    entries: &[OutboxEntry],
    known: &HashMap<EntityKey, Option<i64>>,
    send_tokens: bool,
) -> Vec<PushOp> {
    let mut next: HashMap<&EntityKey, Option<i64>> = HashMap::new();
    entries
        .iter()
        .map(|entry| {
            let base = *next
                .entry(&entry.key)
                .or_insert_with(|| known.get(&entry.key).copied().flatten());
            next.insert(&entry.key, Some(base.unwrap_or(0) + 1));
            PushOp {
                op_id: format!("{client_id}:{}", entry.id),
                key: entry.key.clone(),
                base_revision: base,
                body: entry.body.as_ref().map(|body| {
                    if send_tokens || entry.key.kind != EntityKind::Block {
                        body.clone()
                    } else {
                        without_token(body)
                    }
                }),
            }
        })
        .collect()
}

fn without_token(body: &serde_json::Value) -> serde_json::Value {
    match EntityBody::from_value(EntityKind::Block, body) {
        Ok(block) => block.without_token().to_value(),
        Err(_) => {
            // Not a block the model reads (it never is, from the store): still never send a token.
            let mut body = body.clone();
            if let Some(webhook) = body.get_mut("webhook").and_then(|w| w.as_object_mut()) {
                webhook.remove("token");
            }
            body
        }
    }
}

/// One round against `remote`: see the module's documentation.
pub async fn sync_once(remote: &Remote, access: &impl StoreAccess) -> Result<SyncReport, SyncError> {
    let http = Http::new(remote)?;
    run(&http, access).await
}

pub(crate) async fn run(http: &Http, access: &impl StoreAccess) -> Result<SyncReport, SyncError> {
    http.info().await?;
    let mut report = SyncReport::default();
    let (client_id, cursor) = access.call(|s| Ok((s.client_id()?, s.cursor()?)))?;
    if cursor.is_none() {
        report.seeded = access.call(Store::seed_outbox)?;
    }
    push(http, access, &client_id, &mut report).await?;
    pull(http, access, &client_id, cursor.unwrap_or(0), &mut report).await?;
    let (pending, conflicts, rejections) =
        access.call(|s| Ok((s.pending_count()?, s.conflict_count()?, s.rejections()?)))?;
    report.pending = pending;
    report.open_conflicts = conflicts;
    report.open_rejections = rejections.len();
    report.first_rejection = rejections
        .first()
        .map(|r| format!("{}: {} {}", r.key, r.error.message, r.error.fix));
    Ok(report)
}

async fn push(
    http: &Http,
    access: &impl StoreAccess,
    client_id: &str,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let send_tokens = http.remote().sends_tokens();
    loop {
        let (entries, known) = access.call(|s| {
            let entries = s.pending(BATCH)?;
            let mut known = HashMap::new();
            for entry in &entries {
                if !known.contains_key(&entry.key) {
                    known.insert(entry.key.clone(), s.known_revision(&entry.key)?);
                }
            }
            Ok((entries, known))
        })?;
        if entries.is_empty() {
            return Ok(());
        }
        let ops = plan(client_id, &entries, &known, send_tokens);
        let response: PushResponse = http
            .call(
                Method::POST,
                "v1/sync/push",
                Some(&PushRequest { ops: ops.clone() }),
                true,
            )
            .await?;
        if response.results.len() != ops.len() || response.results.iter().zip(&ops).any(|(r, o)| r.op_id != o.op_id) {
            return Err(SyncError::Protocol(format!(
                "{} results for {} ops, or not in their order",
                response.results.len(),
                ops.len()
            )));
        }
        let mut progress = 0;
        // An entity whose op conflicted or was refused: its later ops in this batch were based on
        // a revision that did not happen, so their answers are set aside and they stay queued
        // (a conflict takes them out; after a refusal they go again with a fresh base).
        let mut stopped: HashSet<&EntityKey> = HashSet::new();
        // The applied ones are acknowledged together, in one store transaction (one durable
        // commit per batch, not per change), before any conflict or refusal of the batch is
        // recorded; each of those is one short store call, so the window's autosave slips in.
        let applied: Vec<(i64, i64)> = entries
            .iter()
            .zip(&response.results)
            .filter_map(|(entry, result)| match result.outcome {
                PushOutcome::Applied { revision, .. } => Some((entry.id, revision)),
                _ => None,
            })
            .collect();
        if !applied.is_empty() {
            let acked = access.call(|s| s.ack_all(&applied))?;
            report.pushed += acked;
            progress += acked;
        }
        for (entry, result) in entries.iter().zip(&response.results) {
            match &result.outcome {
                PushOutcome::Applied { .. } => {}
                _ if stopped.contains(&entry.key) => {}
                PushOutcome::Conflict { current } => {
                    let theirs = Versioned {
                        key: entry.key.clone(),
                        ..current.clone()
                    };
                    access.call(|s| s.record_conflict(&entry.key, &theirs))?;
                    stopped.insert(&entry.key);
                    report.conflicts += 1;
                    progress += 1;
                }
                PushOutcome::Rejected { error } => {
                    if access.call(|s| s.reject(entry.id, error))? {
                        report.rejected += 1;
                        progress += 1;
                    }
                    stopped.insert(&entry.key);
                }
            }
        }
        if progress == 0 {
            return Err(SyncError::Protocol(
                "the server answered a push without applying, refusing or conflicting any op".into(),
            ));
        }
    }
}

async fn pull(
    http: &Http,
    access: &impl StoreAccess,
    client_id: &str,
    since: i64,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let mut changes = Vec::new();
    let mut next = since;
    loop {
        let page: ChangesPage = http
            .call(
                Method::GET,
                // `client`: the server leaves out what this app wrote last (it has it already),
                // so a pull after a push does not download the push again.
                &format!("v1/sync/changes?since={next}&limit={PAGE}&client={client_id}"),
                None::<&()>,
                true,
            )
            .await?;
        if page.more && page.next <= next {
            return Err(SyncError::Protocol(format!(
                "the changes after {next} say there are more but do not move on"
            )));
        }
        changes.extend(page.changes);
        next = page.next;
        if !page.more {
            break;
        }
    }
    let applied = access.call(|s| {
        let applied = s.apply_remote(&changes)?;
        s.set_cursor(next)?;
        Ok(applied)
    })?;
    report.pulled += applied.applied;
    report.kept_local += applied.kept_local.len();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use webhook_block::Id;

    fn key(block: &str) -> EntityKey {
        EntityKey::block(&Id::parse("b").unwrap(), &Id::parse(block).unwrap())
    }

    fn entry(id: i64, block: &str) -> OutboxEntry {
        OutboxEntry {
            id,
            key: key(block),
            body: Some(json!({"message": {"id": block, "name": "Hi", "text": ""}})),
        }
    }

    #[test]
    fn base_revisions_chain_per_entity_and_op_ids_are_stable() {
        let entries = [entry(7, "x"), entry(8, "y"), entry(9, "x"), entry(10, "x")];
        let known = HashMap::from([(key("x"), Some(4)), (key("y"), None)]);
        let ops = plan("c1", &entries, &known, true);
        let got: Vec<(&str, Option<i64>)> = ops.iter().map(|o| (o.op_id.as_str(), o.base_revision)).collect();
        assert_eq!(
            got,
            [("c1:7", Some(4)), ("c1:8", None), ("c1:9", Some(5)), ("c1:10", Some(6))]
        );
        assert_eq!(plan("c1", &entries, &known, true), ops, "the same on a retry");
    }

    #[test]
    fn a_new_entity_is_based_on_nothing_then_on_its_first_revision() {
        let entries = [entry(1, "x"), entry(2, "x")];
        let ops = plan("c", &entries, &HashMap::new(), true);
        assert_eq!(ops[0].base_revision, None);
        assert_eq!(ops[1].base_revision, Some(1));
    }

    #[test]
    fn tokens_are_left_out_unless_allowed() {
        let token = "whk_".to_owned() + &"a".repeat(43);
        let body = json!({"webhook": {"id": "x", "name": "W", "token": token, "form": {"type": "workflow"}}});
        let entries = [OutboxEntry {
            id: 1,
            key: key("x"),
            body: Some(body.clone()),
        }];
        let stripped = plan("c", &entries, &HashMap::new(), false);
        assert!(!stripped[0].body.as_ref().unwrap().to_string().contains(&token));
        assert_eq!(stripped[0].body.as_ref().unwrap()["webhook"]["name"], "W");
        let kept = plan("c", &entries, &HashMap::new(), true);
        assert_eq!(kept[0].body.as_ref(), Some(&body));
    }
}
