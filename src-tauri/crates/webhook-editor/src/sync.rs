//! Sync conflicts as the window shows them, and the version a designer makes of them.
//!
//! A conflict is one entity (a bot, a flow or a block) changed here and on the team server since
//! the revision this app last saw. Nothing is overwritten on either side until the designer has
//! looked at both versions field by field and chosen, per differing field, which one to keep
//! ([`resolve`]). The fields and the merge are `webhook_sync::conflict`'s; this module names
//! them for a person (a title with the block's and the bot's names, a label per field, values
//! as short readable text, tokens masked).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;
use webhook_block::Id;
use webhook_block::token::WebhookToken;
use webhook_store::{Store, SyncConflict};
use webhook_sync::conflict::{self, Side};
use webhook_sync::{EntityKey, EntityKind};

use crate::{EditorError, Result};

/// Longest text shown for one value; longer ones are cut with `…` (the whole stays in the store).
const SHOWN_CHARS: usize = 160;

/// What kind of thing is in conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// The bot: its name, channels, variables and the order of its flows.
    Bot,
    /// A flow: its name, sequences and the order of their blocks.
    Flow,
    /// A webhook or message block.
    Block,
}

/// Which entity a conflict is about, as the window sends it back to resolve it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConflictKey {
    /// The bot's id.
    pub bot: String,
    /// What kind of thing.
    pub kind: ConflictKind,
    /// Its id (the bot's id for the bot itself).
    pub id: String,
}

/// Which version a field is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ConflictSide {
    /// The version on this computer.
    Mine,
    /// The version on the server.
    Theirs,
}

/// One field of the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConflictField {
    /// Its JSON pointer: what a choice names.
    pub path: String,
    /// Its name for a person: `Form › Mappings › 1 › Data`.
    pub label: String,
    /// This computer's value, as short readable text.
    pub mine: String,
    /// The server's value, as short readable text.
    pub theirs: String,
    /// Whether the two differ (and so need a choice).
    pub differs: bool,
}

/// One conflict as the Conflicts view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    /// Which entity; sent back with the choices.
    pub key: ConflictKey,
    /// `Block 'Order received' in bot 'Shop'`.
    pub title: String,
    /// Every field of either version, in document order.
    pub fields: Vec<ConflictField>,
    /// How many fields differ.
    pub differing: u32,
    /// When it was found (RFC 3339, UTC).
    pub detected_at: String,
}

/// The choice for one differing field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldChoice {
    /// The field's JSON pointer ([`ConflictField::path`]).
    pub path: String,
    /// The version to keep.
    pub side: ConflictSide,
}

/// The sync state at a glance, for the pill in the window's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Settings say local only: nothing to sync.
    Local,
    /// Syncing was just started and has not reached the server yet.
    Starting,
    /// Everything here is on the server, and the server's changes are here.
    Synced,
    /// Changes wait to be sent.
    Pending,
    /// The server cannot be reached; sync tries again by itself.
    Offline,
    /// Changes on both sides wait for the designer's choice.
    Conflict,
    /// Sync stopped on an error it cannot get past by trying again (a revoked key, a server of
    /// another version).
    Error,
}

/// What the pill shows, and what its tooltip explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatusView {
    /// Which state, for the pill's colour and whether it opens the conflicts.
    pub state: SyncState,
    /// The pill's text: `Synced`, `3 pending`, `Offline — retrying in 8 s`, `1 conflict`.
    pub label: String,
    /// A sentence with the reason or what to do, when there is one.
    pub detail: Option<String>,
    /// Pending changes or open conflicts, by state.
    pub count: u32,
}

impl SyncStatusView {
    /// Local only.
    pub fn local() -> Self {
        Self::of(
            SyncState::Local,
            "Local only",
            Some("Bots stay on this computer. Settings › Sync connects a team server.".to_owned()),
            0,
        )
    }

    /// Sync started, no answer from the server yet.
    pub fn starting() -> Self {
        Self::of(SyncState::Starting, "Connecting…", None, 0)
    }

    /// Nothing waiting either way.
    pub fn synced() -> Self {
        Self::of(
            SyncState::Synced,
            "Synced",
            Some("Every change is on the team server.".to_owned()),
            0,
        )
    }

    /// `count` changes wait to be sent.
    pub fn pending(count: u32) -> Self {
        Self::of(
            SyncState::Pending,
            &format!("{count} pending"),
            Some(format!(
                "{} to send to the team server.",
                plural(count, "change", "changes")
            )),
            count,
        )
    }

    /// The server cannot be reached; the next try is in `retry_in_seconds`.
    pub fn offline(reason: &str, retry_in_seconds: u64, pending: u32) -> Self {
        let label = if retry_in_seconds == 0 {
            "Offline — retrying now".to_owned()
        } else {
            format!("Offline — retrying in {retry_in_seconds} s")
        };
        let waiting = if pending == 0 {
            String::new()
        } else {
            format!(" {} kept here until then.", plural(pending, "change is", "changes are"))
        };
        Self::of(
            SyncState::Offline,
            &label,
            Some(format!("{}.{waiting}", crate::error::capitalise(trim_stop(reason)))),
            pending,
        )
    }

    /// `count` conflicts wait for a choice.
    pub fn conflict(count: u32) -> Self {
        Self::of(
            SyncState::Conflict,
            &plural(count, "conflict", "conflicts"),
            Some("Changed here and on the server: open to choose which version to keep.".to_owned()),
            count,
        )
    }

    /// The server refused `count` changes; they stay on this computer, listed in Settings › Sync
    /// with the server's reasons. The pill opens Settings, like any error.
    pub fn refused(count: u32) -> Self {
        Self::of(
            SyncState::Error,
            &plural(count, "change refused", "changes refused"),
            Some(format!(
                "The team server refused {}. {} on this computer; Settings › Sync lists the server's reasons and what to do.",
                plural(count, "change", "changes"),
                if count == 1 { "It stays" } else { "They stay" }
            )),
            count,
        )
    }

    /// Sync stopped on `message`.
    pub fn error(message: &str) -> Self {
        Self::of(SyncState::Error, "Sync error", Some(message.to_owned()), 0)
    }

    fn of(state: SyncState, label: &str, detail: Option<String>, count: u32) -> Self {
        Self {
            state,
            label: label.to_owned(),
            detail,
            count,
        }
    }
}

fn plural(count: u32, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn trim_stop(text: &str) -> &str {
    text.trim().trim_end_matches('.')
}

/// What "Test connection" found, for the branch the window takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionCheck {
    /// The server answered and took the key.
    Connected,
    /// Nothing answered at that address (no server, a closed port, no network, a timeout).
    Unreachable,
    /// Our server answered and refused the key.
    BadKey,
    /// Something answered that is not a Webhook Studio server.
    WrongServer,
    /// A Webhook Studio server that speaks another API version.
    VersionMismatch,
    /// Anything else (a TLS error, a server error).
    Failed,
}

/// The answer of "Test connection", shown under the button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    /// Which outcome.
    pub check: ConnectionCheck,
    /// One line: `Connected to team 'Acme'`, `The server refused the key`...
    pub headline: String,
    /// What happened and what to do about it.
    pub message: String,
}

impl ConnectionView {
    /// Connected, with the key's team.
    pub fn connected(team: &str, server_version: &str) -> Self {
        Self {
            check: ConnectionCheck::Connected,
            headline: format!("Connected to team '{team}'"),
            message: format!("Webhook Studio server {server_version} accepted the key. Save to sync with it."),
        }
    }

    /// A failure of kind `check`, in the sync client's words (which say what to do).
    pub fn failed(check: ConnectionCheck, message: &str) -> Self {
        let headline = match check {
            ConnectionCheck::Connected | ConnectionCheck::Failed => "The connection failed",
            ConnectionCheck::Unreachable => "Cannot reach the server",
            ConnectionCheck::BadKey => "The server refused the key",
            ConnectionCheck::WrongServer => "This is not a Webhook Studio server",
            ConnectionCheck::VersionMismatch => "The server speaks another version",
        };
        Self {
            check,
            headline: headline.to_owned(),
            message: crate::error::capitalise(message.trim()),
        }
    }
}

/// Every open conflict, oldest first.
pub fn list(store: &Store) -> Result<Vec<ConflictView>> {
    store.conflicts()?.iter().map(|c| view(store, c)).collect()
}

/// How many conflicts are open.
pub fn count(store: &Store) -> Result<u32> {
    Ok(u32::try_from(store.conflict_count()?).unwrap_or(u32::MAX))
}

/// Makes the version the designer chose field by field, writes it here and queues it for the
/// server (the store does both in one transaction). Every differing field needs a choice: one
/// left out is an error naming it, and nothing is written.
pub fn resolve(store: &mut Store, key: &ConflictKey, choices: &[FieldChoice]) -> Result<Vec<ConflictView>> {
    let entity = entity_key(key)?;
    let found = store
        .conflicts()?
        .into_iter()
        .find(|c| c.key == entity)
        .ok_or_else(|| {
            EditorError::not_found(
                "This conflict was already resolved (or its bot was deleted): the list is up to date now",
            )
        })?;
    let choices: BTreeMap<String, Side> = choices
        .iter()
        .map(|c| {
            let side = match c.side {
                ConflictSide::Mine => Side::Mine,
                ConflictSide::Theirs => Side::Theirs,
            };
            (c.path.clone(), side)
        })
        .collect();
    let chosen = conflict::merge(found.mine.as_ref(), found.theirs.as_ref(), &choices).map_err(|unchosen| {
        EditorError::invalid(
            &unchosen.path,
            format!(
                "Choose which version of {} to keep: the one on this computer or the one on the server",
                field_label(entity.kind, &unchosen.path)
            ),
        )
    })?;
    store.resolve_conflict(&entity, chosen)?;
    list(store)
}

fn entity_key(key: &ConflictKey) -> Result<EntityKey> {
    let id = |text: &str| Id::parse(text).map_err(|_| EditorError::not_found(format!("No conflict for `{text}`")));
    Ok(EntityKey {
        bot: id(&key.bot)?,
        kind: match key.kind {
            ConflictKind::Bot => EntityKind::Bot,
            ConflictKind::Flow => EntityKind::Flow,
            ConflictKind::Block => EntityKind::Block,
        },
        id: id(&key.id)?,
    })
}

/// One stored conflict as the window shows it.
pub fn view(store: &Store, found: &SyncConflict) -> Result<ConflictView> {
    let key = &found.key;
    let title = title(store, key, found.mine.as_ref().or(found.theirs.as_ref()));
    let fields: Vec<ConflictField> = conflict::fields(found.mine.as_ref(), found.theirs.as_ref())
        .into_iter()
        .map(|field| ConflictField {
            differs: !field.same(),
            label: field_label(key.kind, &field.path),
            mine: shown(&field.path, field.mine.as_ref()),
            theirs: shown(&field.path, field.theirs.as_ref()),
            path: field.path,
        })
        .collect();
    Ok(ConflictView {
        key: ConflictKey {
            bot: key.bot.as_str().to_owned(),
            kind: match key.kind {
                EntityKind::Bot => ConflictKind::Bot,
                EntityKind::Flow => ConflictKind::Flow,
                EntityKind::Block => ConflictKind::Block,
            },
            id: key.id.as_str().to_owned(),
        },
        title,
        differing: u32::try_from(fields.iter().filter(|f| f.differs).count()).unwrap_or(u32::MAX),
        fields,
        detected_at: found.detected_at.clone(),
    })
}

/// What a synced entity is called for a person: `Block 'Order received' in bot 'Shop'`, from its
/// body when there is one, otherwise from what this computer holds, otherwise by its id.
fn title(store: &Store, key: &EntityKey, body: Option<&Value>) -> String {
    let name_in = |value: Option<&Value>, pointer: &str| {
        value
            .and_then(|v| v.pointer(pointer))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let bot_name = match key.kind {
        EntityKind::Bot => name_in(body, "/name"),
        _ => None,
    }
    .or_else(|| store.load_bot(key.bot.as_str()).ok().map(|bot| bot.name))
    .unwrap_or_else(|| key.bot.as_str().to_owned());
    match key.kind {
        EntityKind::Bot => format!("Bot '{bot_name}'"),
        EntityKind::Flow => {
            let name = name_in(body, "/name").unwrap_or_else(|| key.id.as_str().to_owned());
            format!("Flow '{name}' in bot '{bot_name}'")
        }
        EntityKind::Block => {
            let name = name_in(body, "/webhook/name")
                .or_else(|| name_in(body, "/message/name"))
                .unwrap_or_else(|| key.id.as_str().to_owned());
            let kind = if body.and_then(|v| v.get("message")).is_some() {
                "Message block"
            } else {
                "Block"
            };
            format!("{kind} '{name}' in bot '{bot_name}'")
        }
    }
}

/// A change of this computer the server refused. The local data is kept as it is; the designer
/// reads why, fixes what the reason says, and dismisses it (a later accepted edit of the same
/// thing clears it too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RejectionView {
    /// Its number, to dismiss it.
    pub id: u32,
    /// What was refused: `Block 'Order received' in bot 'Shop'`, or `… (deleted)`.
    pub title: String,
    /// What the server said is wrong.
    pub reason: String,
    /// What the server says to do.
    pub fix: String,
    /// When (RFC 3339, UTC).
    pub rejected_at: String,
}

/// Every refused change, oldest first.
pub fn rejections(store: &Store) -> Result<Vec<RejectionView>> {
    Ok(store
        .rejections()?
        .into_iter()
        .filter_map(|r| {
            let id = u32::try_from(r.id).ok()?;
            let mut title = title(store, &r.key, r.body.as_ref());
            if r.body.is_none() {
                title.push_str(" (deleted)");
            }
            Some(RejectionView {
                id,
                title,
                reason: crate::error::capitalise(r.error.message.trim()),
                fix: crate::error::capitalise(r.error.fix.trim()),
                rejected_at: r.rejected_at,
            })
        })
        .collect())
}

/// Forgets a refused change (the local data stays as it is); the ones left.
pub fn dismiss_rejection(store: &mut Store, id: u32) -> Result<Vec<RejectionView>> {
    if !store.dismiss_rejection(i64::from(id))? {
        return Err(EditorError::not_found(
            "This refused change was already dismissed: the list is up to date now",
        ));
    }
    rejections(store)
}

/// A block's JSON is `{"webhook": {...}}` or `{"message": {...}}`: its fields are named without
/// that wrapper (`Form › Channel`, not `Webhook › Form › Channel`).
fn field_label(kind: EntityKind, path: &str) -> String {
    let whole = match kind {
        EntityKind::Bot => "The whole bot",
        EntityKind::Flow => "The whole flow",
        EntityKind::Block => "The whole block",
    };
    if path.is_empty() || kind == EntityKind::Block && matches!(path, "/webhook" | "/message") {
        return whole.to_owned();
    }
    let inner = match kind {
        EntityKind::Block => path
            .strip_prefix("/webhook")
            .or_else(|| path.strip_prefix("/message"))
            .filter(|rest| rest.starts_with('/'))
            .unwrap_or(path),
        _ => path,
    };
    conflict::label(inner)
}

/// A value as short readable text: strings as themselves, yes/no, numbers; lists and objects as
/// compact JSON; a token masked.
fn shown(path: &str, value: Option<&Value>) -> String {
    let Some(value) = value else {
        return if path.is_empty() { "Deleted" } else { "(not set)" }.to_owned();
    };
    if path.rsplit('/').next() == Some("token") {
        return match value.as_str().map(WebhookToken::parse) {
            Some(Ok(token)) => token.masked(),
            _ if value.is_null() => "(none)".to_owned(),
            _ => "••••••••".to_owned(),
        };
    }
    let text = match value {
        Value::Null => "(none)".to_owned(),
        Value::String(s) if s.is_empty() => "(empty)".to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.is_empty() => "(none)".to_owned(),
        other => serde_json::to_string(&redact_tokens(other)).unwrap_or_default(),
    };
    cut(&text)
}

/// A whole block shown as JSON (a deleted side, or arrays of different lengths) keeps its token
/// masked too.
fn redact_tokens(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if k == "token" && v.is_string() {
                        Value::String("••••••••".to_owned())
                    } else {
                        redact_tokens(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_tokens).collect()),
        other => other.clone(),
    }
}

fn cut(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(SHOWN_CHARS - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_drop_the_block_wrapper_and_values_read_as_text() {
        assert_eq!(
            field_label(EntityKind::Block, "/webhook/form/channel"),
            "Form › Channel"
        );
        assert_eq!(
            field_label(EntityKind::Block, "/webhook/form/mappings/0/data"),
            "Form › Mappings › 1 › Data"
        );
        assert_eq!(field_label(EntityKind::Block, ""), "The whole block");
        assert_eq!(field_label(EntityKind::Bot, "/name"), "Name");
        assert_eq!(shown("/webhook/name", Some(&json!("Order received"))), "Order received");
        assert_eq!(shown("/x", Some(&json!(true))), "Yes");
        assert_eq!(shown("/x", Some(&json!(3))), "3");
        assert_eq!(shown("/x", Some(&json!(""))), "(empty)");
        assert_eq!(shown("/x", None), "(not set)");
        assert_eq!(shown("", None), "Deleted");
        assert_eq!(
            shown("/m", Some(&json!([{"data": "data.id"}]))),
            r#"[{"data":"data.id"}]"#
        );
        let long = "x".repeat(500);
        assert_eq!(shown("/x", Some(&json!(long))).chars().count(), SHOWN_CHARS);
    }

    #[test]
    fn a_refused_change_reads_by_name_with_the_servers_reason_and_is_dismissed_once() {
        use crate::templates::{self, TemplateId};

        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let bot_id = templates::create_bot(&mut store, TemplateId::WelcomeOnSignUp).unwrap();
        let bot = store.load_bot(bot_id.as_str()).unwrap();
        let queued = store.pending(100).unwrap();
        let block = queued
            .iter()
            .find(|e| e.key.kind == EntityKind::Block)
            .expect("the new bot's blocks are queued");
        let name = bot
            .blocks()
            .find(|b| b.id().as_str() == block.key.id.as_str())
            .map(|b| match b {
                webhook_block::Block::Webhook(w) => w.name.clone(),
                webhook_block::Block::Message(m) => m.name.clone(),
            })
            .unwrap();
        let error = webhook_sync::ErrorBody {
            code: "block_id_taken".into(),
            message: "another team's bot already uses this block id".into(),
            fix: "duplicate the bot to give its blocks new ids.".into(),
        };
        assert!(store.reject(block.id, &error).unwrap());

        let listed = rejections(&store).unwrap();
        assert_eq!(listed.len(), 1);
        assert!(
            listed[0].title.ends_with(&format!("'{name}' in bot '{}'", bot.name)),
            "{}",
            listed[0].title
        );
        assert_eq!(listed[0].reason, "Another team's bot already uses this block id");
        assert_eq!(listed[0].fix, "Duplicate the bot to give its blocks new ids.");
        assert_eq!(
            store.load_bot(bot_id.as_str()).unwrap(),
            bot,
            "the local data stays as it is"
        );

        assert!(dismiss_rejection(&mut store, listed[0].id).unwrap().is_empty());
        let again = dismiss_rejection(&mut store, listed[0].id).unwrap_err();
        assert_eq!(again.code, crate::EditorErrorCode::NotFound);
    }

    #[test]
    fn the_pill_says_the_state_in_a_few_words() {
        assert_eq!(SyncStatusView::synced().label, "Synced");
        assert_eq!(SyncStatusView::pending(3).label, "3 pending");
        assert_eq!(
            SyncStatusView::offline("connection refused", 8, 2).label,
            "Offline — retrying in 8 s"
        );
        assert_eq!(
            SyncStatusView::offline("connection refused.", 8, 2).detail.as_deref(),
            Some("Connection refused. 2 changes are kept here until then.")
        );
        assert_eq!(SyncStatusView::conflict(1).label, "1 conflict");
        assert_eq!(SyncStatusView::conflict(2).label, "2 conflicts");
        assert_eq!(SyncStatusView::refused(1).label, "1 change refused");
        assert_eq!(SyncStatusView::refused(3).label, "3 changes refused");
        assert_eq!(
            SyncStatusView::refused(3).state,
            SyncState::Error,
            "it opens Settings, where they are listed"
        );
    }

    /// A real store with the order alert template's bot and a conflict on its webhook block: the
    /// server renamed it while this computer changed its contact.
    #[test]
    fn a_conflict_reads_by_name_and_resolves_only_once_every_difference_is_chosen() {
        use crate::templates::{self, TemplateId};
        use webhook_sync::Versioned;

        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let bot_id = templates::create_bot(&mut store, TemplateId::OrderReceivedAlert).unwrap();
        let bot = store.load_bot(bot_id.as_str()).unwrap();
        let block = bot.flows[0].sequences[0].blocks.iter().find_map(|b| match b {
            webhook_block::Block::Webhook(w) => Some(w.clone()),
            webhook_block::Block::Message(_) => None,
        });
        let block = block.expect("the template has a webhook block");
        let key = EntityKey::block(&bot_id, &block.id);
        let mut theirs = serde_json::to_value(webhook_block::Block::Webhook(block.clone())).unwrap();
        theirs["webhook"]["name"] = json!("Orders (server)");
        let mut form = block.form.clone();
        form.contact_reference_id = "{customer_chat}".to_owned();
        store
            .update_webhook_form(
                bot_id.as_str(),
                block.id.as_str(),
                form,
                webhook_store::UpdateSource::Window,
            )
            .unwrap();
        let theirs = Versioned {
            key: key.clone(),
            revision: 4,
            seq: 9,
            body: Some(theirs),
        };
        store.record_conflict(&key, &theirs).unwrap();

        let views = list(&store).unwrap();
        assert_eq!(count(&store).unwrap(), 1);
        let view = &views[0];
        assert_eq!(view.title, format!("Block '{}' in bot '{}'", block.name, bot.name));
        let differing: Vec<_> = view.fields.iter().filter(|f| f.differs).collect();
        assert_eq!(view.differing, 2, "{differing:?}");
        assert!(
            differing
                .iter()
                .any(|f| f.label == "Name" && f.theirs == "Orders (server)" && f.mine == block.name)
        );
        let contact = differing
            .iter()
            .find(|f| f.label == "Form › Contact reference id")
            .expect("the contact differs");
        assert_eq!(contact.mine, "{customer_chat}");
        let token = view.fields.iter().find(|f| f.label == "Token").expect("the token row");
        assert!(
            !token.mine.contains(block.token.as_ref().unwrap().expose_secret()),
            "masked"
        );

        let name_only = [FieldChoice {
            path: "/webhook/name".into(),
            side: ConflictSide::Theirs,
        }];
        let error = resolve(&mut store, &view.key, &name_only).unwrap_err();
        assert_eq!(error.field.as_deref(), Some(contact.path.as_str()));
        assert!(
            error.message.contains("Form › Contact reference id"),
            "{}",
            error.message
        );
        assert_eq!(count(&store).unwrap(), 1, "nothing written");

        let both = [
            name_only[0].clone(),
            FieldChoice {
                path: contact.path.clone(),
                side: ConflictSide::Mine,
            },
        ];
        assert!(resolve(&mut store, &view.key, &both).unwrap().is_empty());
        let after = store.load_bot(bot_id.as_str()).unwrap();
        let webhook_block::Block::Webhook(kept) = after.flows[0].sequences[0]
            .blocks
            .iter()
            .find(|b| b.id() == &block.id)
            .unwrap()
        else {
            panic!("still a webhook block")
        };
        assert_eq!(kept.name, "Orders (server)");
        assert_eq!(kept.form.contact_reference_id, "{customer_chat}");
        let queued = store.pending(100).unwrap();
        assert!(
            queued.iter().any(|e| e.key == key),
            "the chosen version is queued for the server"
        );
    }

    #[test]
    fn tokens_are_masked_wherever_they_show() {
        let token = WebhookToken::generate().unwrap();
        let secret = token.expose_secret().to_owned();
        let masked = shown("/webhook/token", Some(&json!(secret)));
        assert_eq!(masked, token.masked());
        let whole = shown("", Some(&json!({"webhook": {"name": "A", "token": secret}})));
        assert!(!whole.contains(&secret), "{whole}");
    }
}
