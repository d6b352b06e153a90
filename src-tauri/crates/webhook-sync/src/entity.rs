//! A bot as sync sees it: a set of entities, each with its own revision on the server.
//!
//! | entity  | id        | holds                                                          |
//! |---------|-----------|----------------------------------------------------------------|
//! | `bot`   | bot id    | name, channels with their accounts, variables, order of flows  |
//! | `flow`  | flow id   | name, sequences (id, name) and the order of their blocks       |
//! | `block` | block id  | the block as the bot document stores it (form, status, token)  |
//!
//! Order lives with the parent (a flow lists its blocks), so moving a block changes one flow and
//! editing a form changes one block: what a change puts on the wire does not grow with the bot.
//! [`decompose`] and [`compose`] are exact inverses for every bot (tested), and [`diff`] says
//! which entities a write changed.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use webhook_block::model::{ChannelConnection, Flow, Sequence, Variable};
use webhook_block::{Block, Bot, Id};

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// The bot: name, channels and accounts, variables, the order of its flows.
    Bot,
    /// A flow: its name, sequences, and the order of each sequence's blocks.
    Flow,
    /// A block, webhook or message.
    Block,
}

impl EntityKind {
    /// Every kind, parents first.
    pub const ALL: [Self; 3] = [Self::Bot, Self::Flow, Self::Block];

    /// The kind's name on the wire and in databases.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bot => "bot",
            Self::Flow => "flow",
            Self::Block => "block",
        }
    }

    /// The kind named `text`, if any.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which entity: the bot it belongs to, its kind and its id. A bot's own entity has the bot's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityKey {
    /// The bot.
    pub bot: Id,
    /// What it is.
    pub kind: EntityKind,
    /// Its id (the bot's id for the bot entity).
    pub id: Id,
}

impl EntityKey {
    /// The key of a bot's own entity.
    pub fn bot(bot: &Id) -> Self {
        Self {
            bot: bot.clone(),
            kind: EntityKind::Bot,
            id: bot.clone(),
        }
    }

    /// The key of a flow of `bot`.
    pub fn flow(bot: &Id, flow: &Id) -> Self {
        Self {
            bot: bot.clone(),
            kind: EntityKind::Flow,
            id: flow.clone(),
        }
    }

    /// The key of a block of `bot`.
    pub fn block(bot: &Id, block: &Id) -> Self {
        Self {
            bot: bot.clone(),
            kind: EntityKind::Block,
            id: block.clone(),
        }
    }
}

impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            EntityKind::Bot => write!(f, "bot {}", self.bot.as_str()),
            kind => write!(f, "{kind} {} of bot {}", self.id.as_str(), self.bot.as_str()),
        }
    }
}

/// The bot entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BotEntity {
    /// Name shown on the dashboard.
    pub name: String,
    /// The channels this bot is (or was) integrated with, each with its accounts.
    #[serde(default)]
    pub channels: Vec<ChannelConnection>,
    /// The designer's variables.
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// The bot's flows, in order.
    #[serde(default)]
    pub flows: Vec<Id>,
}

/// A flow entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowEntity {
    /// Name shown on the canvas.
    pub name: String,
    /// Its sequences, in order.
    #[serde(default)]
    pub sequences: Vec<SequenceEntity>,
}

/// A sequence inside a flow entity: its blocks are listed by id, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SequenceEntity {
    /// Stable id.
    pub id: Id,
    /// Name shown on the canvas.
    pub name: String,
    /// Its blocks' ids, in order.
    #[serde(default)]
    pub blocks: Vec<Id>,
}

/// An entity's content. Its JSON (the `body` of the wire types) is the inner value, without a
/// tag: the key's kind says which it is.
#[derive(Debug, Clone, PartialEq)]
pub enum EntityBody {
    /// A bot entity.
    Bot(BotEntity),
    /// A flow entity.
    Flow(FlowEntity),
    /// A block.
    Block(Block),
}

/// A body that does not fit its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {kind} body is not valid at `{path}`: {message}")]
pub struct BodyError {
    /// The kind the body was read as.
    pub kind: EntityKind,
    /// Where in the body (a JSON path, `.` for the whole).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl EntityBody {
    /// Its kind.
    pub fn kind(&self) -> EntityKind {
        match self {
            Self::Bot(_) => EntityKind::Bot,
            Self::Flow(_) => EntityKind::Flow,
            Self::Block(_) => EntityKind::Block,
        }
    }

    /// Its JSON, as sent on the wire. A webhook block's token is in it: see
    /// [`EntityBody::without_token`] before sending it anywhere that must not see it.
    pub fn to_value(&self) -> Value {
        let value = match self {
            Self::Bot(b) => serde_json::to_value(b),
            Self::Flow(f) => serde_json::to_value(f),
            Self::Block(b) => serde_json::to_value(b),
        };
        // These types serialise to JSON without fail: string keys, no maps with other keys.
        value.unwrap_or(Value::Null)
    }

    /// Reads a body of `kind`; the error names where it is wrong.
    pub fn from_value(kind: EntityKind, value: &Value) -> Result<Self, BodyError> {
        fn read<T: serde::de::DeserializeOwned>(kind: EntityKind, value: &Value) -> Result<T, BodyError> {
            serde_path_to_error::deserialize(value).map_err(|e| BodyError {
                kind,
                path: e.path().to_string(),
                message: e.inner().to_string(),
            })
        }
        Ok(match kind {
            EntityKind::Bot => Self::Bot(read(kind, value)?),
            EntityKind::Flow => Self::Flow(read(kind, value)?),
            EntityKind::Block => Self::Block(read(kind, value)?),
        })
    }

    /// The same body with a webhook block's token taken out; other bodies are unchanged.
    pub fn without_token(&self) -> Self {
        match self {
            Self::Block(Block::Webhook(block)) if block.token.is_some() => {
                let mut block = block.clone();
                block.token = None;
                Self::Block(Block::Webhook(block))
            }
            other => other.clone(),
        }
    }
}

/// A bot's entities by key.
pub type Entities = BTreeMap<EntityKey, EntityBody>;

/// The entities of `bot`: one bot entity, one per flow, one per block.
pub fn decompose(bot: &Bot) -> Entities {
    let mut out = Entities::new();
    out.insert(
        EntityKey::bot(&bot.id),
        EntityBody::Bot(BotEntity {
            name: bot.name.clone(),
            channels: bot.channels.clone(),
            variables: bot.variables.clone(),
            flows: bot.flows.iter().map(|f| f.id.clone()).collect(),
        }),
    );
    for flow in &bot.flows {
        let sequences = flow
            .sequences
            .iter()
            .map(|s| SequenceEntity {
                id: s.id.clone(),
                name: s.name.clone(),
                blocks: s.blocks.iter().map(|b| b.id().clone()).collect(),
            })
            .collect();
        out.insert(
            EntityKey::flow(&bot.id, &flow.id),
            EntityBody::Flow(FlowEntity {
                name: flow.name.clone(),
                sequences,
            }),
        );
        for block in flow.sequences.iter().flat_map(|s| &s.blocks) {
            out.insert(EntityKey::block(&bot.id, block.id()), EntityBody::Block(block.clone()));
        }
    }
    out
}

/// The bot that `entities` describe, or `None` without its bot entity. Entities of other bots are
/// ignored. A flow or block that is listed but not (yet) present is left out, and so is one
/// present but listed nowhere: sync may deliver a parent before its children, or the reverse.
pub fn compose(bot: &Id, entities: &Entities) -> Option<Bot> {
    let Some(EntityBody::Bot(root)) = entities.get(&EntityKey::bot(bot)) else {
        return None;
    };
    let blocks: HashMap<&Id, &Block> = entities
        .range(EntityKey::block(bot, &min_id())..)
        .take_while(|(k, _)| k.bot == *bot && k.kind == EntityKind::Block)
        .filter_map(|(k, v)| match v {
            EntityBody::Block(b) => Some((&k.id, b)),
            _ => None,
        })
        .collect();
    let flows = root
        .flows
        .iter()
        .filter_map(|id| match entities.get(&EntityKey::flow(bot, id)) {
            Some(EntityBody::Flow(flow)) => Some(Flow {
                id: id.clone(),
                name: flow.name.clone(),
                sequences: flow
                    .sequences
                    .iter()
                    .map(|s| Sequence {
                        id: s.id.clone(),
                        name: s.name.clone(),
                        blocks: s
                            .blocks
                            .iter()
                            .filter_map(|b| blocks.get(b).map(|&b| b.clone()))
                            .collect(),
                    })
                    .collect(),
            }),
            _ => None,
        })
        .collect();
    Some(Bot {
        id: bot.clone(),
        name: root.name.clone(),
        channels: root.channels.clone(),
        variables: root.variables.clone(),
        flows,
    })
}

/// The smallest id, for range scans.
fn min_id() -> Id {
    // "0" sorts before every other id: ids start with an ASCII letter or digit.
    Id::parse("0").unwrap_or_else(|_| unreachable!("\"0\" is an id"))
}

/// What changed from `before` to `after`: each entity that is new or different with its new body,
/// and each one that is gone with `None`. In key order (bots, then flows, then blocks).
pub fn diff(before: &Entities, after: &Entities) -> Vec<(EntityKey, Option<EntityBody>)> {
    let mut out = Vec::new();
    for (key, body) in after {
        if before.get(key) != Some(body) {
            out.push((key.clone(), Some(body.clone())));
        }
    }
    for key in before.keys() {
        if !after.contains_key(key) {
            out.push((key.clone(), None));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use webhook_block::BotDocument;

    fn example(name: &str) -> Bot {
        let path = format!(
            "{}/../../../assets/examples/{name}.bot.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        BotDocument::from_json(&text).expect("example parses").bot
    }

    const EXAMPLES: [&str; 3] = ["welcome-on-sign-up", "order-received-alert", "abandoned-cart"];

    #[test]
    fn compose_undoes_decompose_for_every_example() {
        for name in EXAMPLES {
            let bot = example(name);
            assert_eq!(compose(&bot.id, &decompose(&bot)), Some(bot), "{name}");
        }
    }

    #[test]
    fn bodies_survive_their_json() {
        for name in EXAMPLES {
            for (key, body) in decompose(&example(name)) {
                let back = EntityBody::from_value(key.kind, &body.to_value()).expect("reads back");
                assert_eq!(back, body, "{key}");
            }
        }
    }

    #[test]
    fn editing_one_form_changes_one_block_only() {
        let before = example("order-received-alert");
        let mut after = before.clone();
        let id = after.flows[0].sequences[0]
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Webhook(w) => Some(w.id.clone()),
                Block::Message(_) => None,
            })
            .expect("a webhook block");
        after.webhook_mut(id.as_str()).expect("block").form.contact_reference_id = "42".into();
        let changes = diff(&decompose(&before), &decompose(&after));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].0, EntityKey::block(&before.id, &id));
    }

    #[test]
    fn removing_a_flow_deletes_it_and_its_blocks_and_updates_the_bot() {
        let before = example("welcome-on-sign-up");
        let mut after = before.clone();
        let flow = after.flows.remove(0);
        let changes = diff(&decompose(&before), &decompose(&after));
        assert!(changes.contains(&(EntityKey::flow(&before.id, &flow.id), None)));
        for block in flow.sequences.iter().flat_map(|s| &s.blocks) {
            assert!(changes.contains(&(EntityKey::block(&before.id, block.id()), None)));
        }
        assert!(matches!(changes[0], (ref k, Some(_)) if k.kind == EntityKind::Bot));
    }

    #[test]
    fn a_block_not_yet_arrived_is_left_out_until_it_does() {
        let bot = example("abandoned-cart");
        let mut entities = decompose(&bot);
        let first_block = entities
            .keys()
            .find(|k| k.kind == EntityKind::Block)
            .cloned()
            .expect("a block");
        let body = entities.remove(&first_block).expect("present");
        let partial = compose(&bot.id, &entities).expect("bot entity present");
        assert!(
            partial
                .flows
                .iter()
                .flat_map(|f| &f.sequences)
                .flat_map(|s| &s.blocks)
                .all(|b| *b.id() != first_block.id)
        );
        entities.insert(first_block, body);
        assert_eq!(compose(&bot.id, &entities), Some(bot));
    }

    #[test]
    fn without_token_takes_out_only_the_token() {
        let bot = example("welcome-on-sign-up");
        for body in decompose(&bot).values() {
            let stripped = body.without_token();
            if let EntityBody::Block(Block::Webhook(w)) = &stripped {
                assert!(w.token.is_none());
                let EntityBody::Block(Block::Webhook(orig)) = body else {
                    unreachable!()
                };
                assert_eq!(w.form, orig.form);
            } else {
                assert_eq!(&stripped, body);
            }
        }
    }

    #[test]
    fn a_body_of_the_wrong_shape_says_where() {
        let error = EntityBody::from_value(
            EntityKind::Flow,
            &serde_json::json!({"name": "A", "sequences": [{"id": "bad id!", "name": "x"}]}),
        )
        .expect_err("bad id");
        assert_eq!(error.kind, EntityKind::Flow);
        assert!(error.path.starts_with("sequences[0].id"), "{error}");
    }
}
