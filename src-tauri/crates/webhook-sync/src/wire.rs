//! The bodies of the team server's HTTP API, as both sides read and write them.
//!
//! Push: the app sends its outbox in order as [`PushOp`]s; each says which revision it was based
//! on. The server applies a push's ops in order in one transaction (each op applied, or answered
//! with a conflict and the server's current version, or refused), and remembers every applied
//! `op_id`: an op sent again after a lost answer (a crash, a cut connection) is answered as before
//! and applied once.
//!
//! Pull: the app asks for [`ChangesPage`]s of whatever changed after the last `seq` it saw,
//! leaving out (`client=<id>`) what it wrote last itself; a page may then be empty with `more`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::entity::EntityKey;

/// The API's version: an app refuses a server that speaks another.
pub const API_VERSION: u32 = 1;

/// What `GET /v1/info` answers as `server`, so an app can tell it reached the right server.
pub const SERVER_NAME: &str = "webhook-studio-server";

/// `GET /v1/info`: which server this is. Needs no key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ServerInfo {
    /// Always [`SERVER_NAME`].
    pub server: String,
    /// The API's version, [`API_VERSION`] for this one.
    pub api_version: u32,
    /// The server's release.
    pub version: String,
}

/// `GET /v1/team`: the team the key belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TeamInfo {
    /// The team's id.
    pub id: String,
    /// The team's name.
    pub name: String,
}

/// One change sent by an app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PushOp {
    /// Unique per change and stable across retries (the app's id and its outbox number).
    pub op_id: String,
    /// Which entity.
    pub key: EntityKey,
    /// The revision this change was based on; `null` for an entity the app believes new.
    pub base_revision: Option<i64>,
    /// The entity's new content, or `null` to delete it.
    pub body: Option<Value>,
}

/// `POST /v1/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The changes, oldest first; applied in this order.
    pub ops: Vec<PushOp>,
}

/// An entity as the server holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Versioned {
    /// Which entity.
    pub key: EntityKey,
    /// Its revision: 1 when created, one more at every change; 0 for one that never existed.
    pub revision: i64,
    /// The team-wide change number of its last change (0 for one that never existed).
    pub seq: i64,
    /// Its content; `null` once deleted (or never created).
    pub body: Option<Value>,
}

/// What became of one [`PushOp`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PushOutcome {
    /// Applied (now, or before: an `op_id` seen again gets the same answer).
    Applied {
        /// The entity's revision after this change.
        revision: i64,
        /// The team-wide change number of this change.
        seq: i64,
    },
    /// Based on a revision that is no longer current: nothing was written. `current` is the
    /// server's version, to show beside the app's.
    Conflict {
        /// The server's version.
        current: Versioned,
    },
    /// Not valid (a malformed body, an id another team's block uses): nothing was written.
    Rejected {
        /// What is wrong and how to fix it.
        error: ErrorBody,
    },
}

/// The outcome of one op, by its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushResult {
    /// The op's `op_id`.
    pub op_id: String,
    /// What became of it.
    #[serde(flatten)]
    pub outcome: PushOutcome,
}

/// The answer to a push: one result per op, in the same order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PushResponse {
    /// One per op.
    pub results: Vec<PushResult>,
}

/// `GET /v1/sync/changes?since=N`: the team's entities changed after `N`, oldest change first,
/// each once in its latest version (deleted ones with a `null` body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChangesPage {
    /// The changed entities.
    pub changes: Vec<Versioned>,
    /// What to pass as `since` next time.
    pub next: i64,
    /// Whether more changes wait beyond this page.
    pub more: bool,
}

/// What is wrong with a request and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    /// Machine-readable reason, e.g. `unauthorized`, `stale_revision`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

/// Every error answer: `{"error": {...}}`, the same shape as the development receiver's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorBody,
}

/// A request a production webhook URL accepted, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WebhookEvent {
    /// Its number, increasing.
    pub id: i64,
    /// The block.
    pub block: String,
    /// When it arrived (RFC 3339, UTC).
    pub received_at: String,
    /// The body as sent.
    pub body: Value,
    /// The variables its mappings extracted.
    pub variables: Map<String, Value>,
    /// The contact it was for, resolved.
    pub contact_reference_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::EntityKind;
    use webhook_block::Id;

    #[test]
    fn outcomes_are_tagged_flat() {
        let result = PushResult {
            op_id: "c1:7".into(),
            outcome: PushOutcome::Applied { revision: 3, seq: 90 },
        };
        let json = serde_json::to_value(&result).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"op_id": "c1:7", "outcome": "applied", "revision": 3, "seq": 90})
        );
        assert_eq!(serde_json::from_value::<PushResult>(json).expect("reads back"), result);
    }

    #[test]
    fn a_push_op_refuses_unknown_fields() {
        let key = EntityKey {
            bot: Id::parse("b1").expect("id"),
            kind: EntityKind::Bot,
            id: Id::parse("b1").expect("id"),
        };
        let mut json = serde_json::to_value(PushOp {
            op_id: "x".into(),
            key,
            base_revision: None,
            body: None,
        })
        .expect("serialises");
        json["extra"] = Value::Bool(true);
        assert!(serde_json::from_value::<PushOp>(json).is_err());
    }
}
