//! The conflict list as the window shows it: which entity, a name for it, and each field with
//! both versions, so a person can choose field by field
//! ([`webhook_sync::conflict::merge`] makes the version from the choices).

use serde::Serialize;
use serde_json::Value;
use webhook_block::token::WebhookToken;
use webhook_store::SyncConflict;
use webhook_sync::conflict::fields;
use webhook_sync::entity::EntityKind;

/// One field of a conflicted entity.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ConflictField {
    /// Its JSON pointer (`""` for the whole entity): the key of the choice made for it.
    pub path: String,
    /// Its name for a person: `Form › Mappings › 1 › Data`.
    pub label: String,
    /// This app's value; `null` when absent here.
    pub mine: Option<Value>,
    /// The server's value; `null` when absent there.
    pub theirs: Option<Value>,
    /// Whether both agree (no choice needed).
    pub same: bool,
}

/// One open conflict.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ConflictItem {
    /// The bot.
    pub bot: String,
    /// `bot`, `flow` or `block`.
    pub kind: String,
    /// The entity's id.
    pub id: String,
    /// A name for it: the block's, the flow's or the bot's name (from either version), with its
    /// kind, e.g. `Block "Order received"`.
    pub label: String,
    /// Every field of either version, in document order.
    pub fields: Vec<ConflictField>,
    /// The server's revision the chosen version will be based on.
    pub their_revision: i32,
    /// When it was found (RFC 3339, UTC).
    pub detected_at: String,
}

/// The store's conflicts as the window lists them.
pub fn conflict_items(conflicts: &[SyncConflict]) -> Vec<ConflictItem> {
    conflicts.iter().map(item).collect()
}

fn item(conflict: &SyncConflict) -> ConflictItem {
    let key = &conflict.key;
    let name = [conflict.mine.as_ref(), conflict.theirs.as_ref()]
        .into_iter()
        .flatten()
        .find_map(name_of);
    let kind = match key.kind {
        EntityKind::Bot => "Bot",
        EntityKind::Flow => "Flow",
        EntityKind::Block => "Block",
    };
    ConflictItem {
        bot: key.bot.as_str().to_owned(),
        kind: key.kind.as_str().to_owned(),
        id: key.id.as_str().to_owned(),
        label: match name {
            Some(name) => format!("{kind} \"{name}\""),
            None => format!("{kind} {}", key.id.as_str()),
        },
        fields: fields(conflict.mine.as_ref(), conflict.theirs.as_ref())
            .into_iter()
            .map(|f| ConflictField {
                same: f.same(),
                mine: f.mine.as_ref().map(|v| masked(&f.path, v)),
                theirs: f.theirs.as_ref().map(|v| masked(&f.path, v)),
                path: f.path,
                label: f.label,
            })
            .collect(),
        their_revision: i32::try_from(conflict.their_revision).unwrap_or(i32::MAX),
        detected_at: conflict.detected_at.clone(),
    }
}

/// A value as the window may show it: a webhook token masked (`whk_…` and its last characters),
/// at its own path or anywhere inside a larger value. The field's `same` and the choice are made
/// on the real values; the window only ever sees masks.
fn masked(path: &str, value: &Value) -> Value {
    match value {
        Value::String(text) if path.rsplit('/').next() == Some("token") => {
            Value::String(WebhookToken::parse(text).map_or_else(|_| "<redacted>".to_owned(), |t| t.masked()))
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), masked(&format!("{path}/{k}"), v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| masked(path, v)).collect()),
        other => other.clone(),
    }
}

/// A body's `name`: at the top (bot, flow) or inside the block's one variant.
fn name_of(body: &Value) -> Option<String> {
    let name = body.get("name").or_else(|| {
        body.as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.values().next())
            .and_then(|inner| inner.get("name"))
    })?;
    name.as_str().filter(|n| !n.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use webhook_block::Id;
    use webhook_sync::entity::EntityKey;

    #[test]
    fn a_block_conflict_is_named_after_the_block_and_lists_what_differs() {
        let conflict = SyncConflict {
            key: EntityKey::block(&Id::parse("shop").unwrap(), &Id::parse("wh").unwrap()),
            mine: Some(json!({"webhook": {"name": "Order received", "form": {"contact_reference_id": "{a}"}}})),
            theirs: Some(json!({"webhook": {"name": "Order received", "form": {"contact_reference_id": "{b}"}}})),
            their_revision: 4,
            detected_at: "2026-11-25T21:00:00Z".into(),
        };
        let items = conflict_items(&[conflict]);
        assert_eq!(items[0].label, "Block \"Order received\"");
        let differing: Vec<_> = items[0]
            .fields
            .iter()
            .filter(|f| !f.same)
            .map(|f| f.label.as_str())
            .collect();
        assert_eq!(differing, ["Webhook › Form › Contact reference id"]);
        assert_eq!(items[0].their_revision, 4);
    }

    #[test]
    fn tokens_are_masked_in_their_field_and_inside_a_whole_entity() {
        let token = WebhookToken::generate().unwrap();
        let other = WebhookToken::generate().unwrap();
        let block = |t: &WebhookToken| json!({"webhook": {"name": "W", "token": t.expose_secret()}});
        let key = EntityKey::block(&Id::parse("shop").unwrap(), &Id::parse("wh").unwrap());
        let conflict = |mine, theirs| SyncConflict {
            key: key.clone(),
            mine,
            theirs,
            their_revision: 2,
            detected_at: String::new(),
        };
        let items = conflict_items(&[
            conflict(Some(block(&token)), Some(block(&other))),
            conflict(Some(block(&token)), None),
        ]);
        let shown = serde_json::to_string(&items).unwrap();
        assert!(
            !shown.contains(token.expose_secret()) && !shown.contains(other.expose_secret()),
            "{shown}"
        );
        let field = items[0].fields.iter().find(|f| f.path == "/webhook/token").unwrap();
        assert!(!field.same, "two different tokens still need a choice");
        assert_eq!(field.mine, Some(json!(token.masked())));
    }

    #[test]
    fn a_deleted_side_is_one_whole_entity_field() {
        let conflict = SyncConflict {
            key: EntityKey::bot(&Id::parse("shop").unwrap()),
            mine: Some(json!({"name": "Shop"})),
            theirs: None,
            their_revision: 9,
            detected_at: String::new(),
        };
        let item = &conflict_items(&[conflict])[0];
        assert_eq!(item.label, "Bot \"Shop\"");
        assert_eq!(item.fields.len(), 1);
        assert_eq!(
            (item.fields[0].label.as_str(), item.fields[0].same),
            ("Whole entity", false)
        );
    }
}
