//! The bot and its blocks, as a designer edits them and as the bot document stores them.
//!
//! These types hold what was typed (the *draft*): a draft may break every rule. The rules live in
//! [`crate::validate`], which turns a draft into a [`crate::CompiledWebhook`] or a list of
//! problems; nothing here rejects a draft that is merely incomplete.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::token::WebhookToken;
use crate::variable::{BUILT_IN_VARIABLES, VariableName};

/// An identifier of a bot, flow, sequence, block or account: 1 to 64 characters, ASCII letters,
/// digits, `-` and `_`, starting with a letter or digit. Safe in URLs and file names as is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(String);

/// Why a text is not an [`Id`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an id: use 1 to 64 letters, digits, `-` or `_`, starting with a letter or digit")]
pub struct IdError(pub String);

impl Id {
    /// Checks `text` against the rule.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let mut chars = text.chars();
        let ok = text.len() <= 64
            && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(IdError(text.to_owned()))
        }
    }

    /// A fresh random id with a readable prefix, e.g. `wh-3f9c2a7d1b6e`.
    pub fn generate(prefix: &str) -> Self {
        let mut bytes = [0u8; 6];
        // An id is not a secret; should the OS source fail, the id is still unique enough with
        // the clock, and the caller gets an id rather than an error.
        if getrandom::fill(&mut bytes).is_err() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos();
            bytes.copy_from_slice(&nanos.to_le_bytes()[..6]);
        }
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self(format!("{prefix}-{hex}"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "1 to 64 ASCII letters, digits, `-` or `_`, starting with a letter or digit.",
            "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
        })
    }
}

/// A messaging channel a bot can be integrated with.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// WhatsApp Business.
    Whatsapp,
    /// The website chat widget.
    Livechat,
    /// Telegram.
    Telegram,
    /// Facebook Messenger.
    Messenger,
    /// Instagram direct messages.
    Instagram,
    /// Text messages.
    Sms,
}

impl ChannelKind {
    /// Every channel, in the order the Channels page lists them.
    pub const ALL: [Self; 6] = [
        Self::Whatsapp,
        Self::Livechat,
        Self::Telegram,
        Self::Messenger,
        Self::Instagram,
        Self::Sms,
    ];

    /// The name a designer reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Whatsapp => "WhatsApp",
            Self::Livechat => "Livechat",
            Self::Telegram => "Telegram",
            Self::Messenger => "Messenger",
            Self::Instagram => "Instagram",
            Self::Sms => "SMS",
        }
    }

    /// The alias sent in a request's `channel` field.
    pub fn alias(self) -> &'static str {
        match self {
            Self::Whatsapp => "whatsapp",
            Self::Livechat => "livechat",
            Self::Telegram => "telegram",
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
            Self::Sms => "sms",
        }
    }

    /// Whether contacts on this channel are phone numbers (E.164).
    pub fn uses_phone_numbers(self) -> bool {
        matches!(self, Self::Whatsapp | Self::Sms)
    }
}

/// A bot: its channels, variables and flows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bot {
    /// Stable id.
    pub id: Id,
    /// Name shown on the dashboard.
    pub name: String,
    /// The channels this bot is (or was) integrated with.
    #[serde(default)]
    pub channels: Vec<ChannelConnection>,
    /// The designer's variables. Built-in ones (`sys_contact_reference_id`) are not listed.
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// The bot's flows.
    #[serde(default)]
    pub flows: Vec<Flow>,
}

/// The bot's integration with one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelConnection {
    /// Which channel.
    pub channel: ChannelKind,
    /// Whether the bot's integration on it is turned on.
    pub integration_active: bool,
    /// The accounts linked to it.
    #[serde(default)]
    pub accounts: Vec<Account>,
}

impl ChannelConnection {
    /// Active and with at least one account: the bot can act on this channel.
    pub fn is_connected(&self) -> bool {
        self.integration_active && !self.accounts.is_empty()
    }
}

/// One account on a channel (a WhatsApp number, a Telegram bot, a Livechat widget...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The alias sent in a request's `account` field.
    pub alias: Id,
    /// Name shown in "Select Account".
    pub name: String,
    /// The account's own number (WhatsApp, SMS), in E.164.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// A variable the designer declared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// Its name.
    pub name: VariableName,
    /// What it holds, for the designer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A flow: sequences of blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Stable id.
    pub id: Id,
    /// Name shown on the canvas.
    pub name: String,
    /// Its sequences.
    #[serde(default)]
    pub sequences: Vec<Sequence>,
}

/// Blocks that run one after another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    /// Stable id.
    pub id: Id,
    /// Name shown on the canvas.
    pub name: String,
    /// Its blocks, in order.
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// A block on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// Receives data from an outside service.
    Webhook(Box<WebhookBlock>),
    /// Sends a message to the contact.
    Message(MessageBlock),
}

impl Block {
    /// The block's id.
    pub fn id(&self) -> &Id {
        match self {
            Self::Webhook(b) => &b.id,
            Self::Message(b) => &b.id,
        }
    }
}

/// A message the bot sends; `{variable}` in the text is replaced by the variable's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBlock {
    /// Stable id.
    pub id: Id,
    /// Name shown on the canvas.
    pub name: String,
    /// The text sent.
    pub text: String,
}

/// The webhook block: credentials, the form, and its submission state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBlock {
    /// Stable id; part of the block's URLs.
    pub id: Id,
    /// Name shown on the canvas.
    pub name: String,
    /// The Bearer token. Absent in documents exported without secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<WebhookToken>,
    /// The form as last typed (the draft).
    pub form: WebhookForm,
    /// Whether the form was submitted.
    #[serde(default)]
    pub status: BlockStatus,
    /// The submitted version the URL serves, when the form has been edited since
    /// (`status: edited`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<WebhookForm>,
    /// A request body kept as an example; sample cURL is filled from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_payload: Option<Value>,
}

impl WebhookBlock {
    /// A new draft block with a fresh token.
    pub fn new(id: Id, name: impl Into<String>) -> Result<Self, crate::token::TokenError> {
        Ok(Self {
            id,
            name: name.into(),
            token: Some(WebhookToken::generate()?),
            form: WebhookForm::default(),
            status: BlockStatus::Draft,
            live: None,
            sample_payload: None,
        })
    }

    /// The version the block's URL serves: none until submitted.
    pub fn live_form(&self) -> Option<&WebhookForm> {
        match self.status {
            BlockStatus::Draft => None,
            BlockStatus::Submitted => Some(&self.form),
            BlockStatus::Edited => self.live.as_ref(),
        }
    }

    /// Changes the draft. A submitted block keeps serving what was submitted until the next
    /// submit.
    pub fn edit(&mut self, change: impl FnOnce(&mut WebhookForm)) {
        let before = self.form.clone();
        change(&mut self.form);
        if self.form != before && self.status == BlockStatus::Submitted {
            self.status = BlockStatus::Edited;
            self.live = Some(before);
        }
    }

    /// Issues a new token; the old one stops working at once.
    pub fn rotate_token(&mut self) -> Result<(), crate::token::TokenError> {
        self.token = Some(WebhookToken::generate()?);
        Ok(())
    }
}

/// Whether a webhook block's form was submitted.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlockStatus {
    /// Never submitted: the URL answers 404 and says so.
    #[default]
    Draft,
    /// Submitted; the form is what the URL serves.
    Submitted,
    /// Submitted, then edited: `live` is what the URL serves until the next submit.
    Edited,
}

/// What the designer fills in. Raw: every field may be incomplete or wrong until submit.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookForm {
    /// "Select Webhook Type".
    #[serde(rename = "type", default)]
    pub webhook_type: WebhookType,
    /// "Select Channel".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelKind>,
    /// "Select Account": the account's alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// "Save in variables".
    #[serde(default)]
    pub mappings: Vec<Mapping>,
    /// "Contact Reference ID".
    #[serde(default)]
    pub contact_reference_id: String,
}

/// How a webhook's data is used.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookType {
    /// The data drives a direct reply to the contact.
    #[default]
    Conversational,
    /// Automation with no immediate reply.
    Workflow,
}

impl WebhookType {
    /// The one-line explanation shown under the choice.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Conversational => "The data drives a direct reply to the contact.",
            Self::Workflow => "Automation with no immediate reply to the contact.",
        }
    }
}

/// One "Save in variables" row.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// "Data": a path into the request body (`data.name`, `$.data.items[0].sku`).
    pub data: String,
    /// "Set Variable": the variable that receives the value.
    pub set_variable: String,
    /// When true a request without this value is still accepted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

impl Bot {
    /// Makes this bot a new one (a copy, or a bot started from a template): a new bot id, new
    /// block ids and new tokens, since a block's id and token make its URL and its credentials.
    /// Webhook blocks start again as drafts: nothing is served until the designer submits.
    pub fn become_new(&mut self, name: impl Into<String>) -> Result<(), crate::token::TokenError> {
        self.id = Id::generate("bot");
        self.name = name.into();
        for block in self
            .flows
            .iter_mut()
            .flat_map(|f| &mut f.sequences)
            .flat_map(|s| &mut s.blocks)
        {
            match block {
                Block::Webhook(w) => {
                    w.id = Id::generate("wh");
                    w.rotate_token()?;
                    w.status = BlockStatus::Draft;
                    w.live = None;
                }
                Block::Message(m) => m.id = Id::generate("msg"),
            }
        }
        Ok(())
    }

    /// Every webhook block, in flow order.
    pub fn webhook_blocks(&self) -> impl Iterator<Item = &WebhookBlock> {
        self.blocks().filter_map(|b| match b {
            Block::Webhook(w) => Some(w.as_ref()),
            Block::Message(_) => None,
        })
    }

    /// Every block, in flow order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.flows.iter().flat_map(|f| &f.sequences).flat_map(|s| &s.blocks)
    }

    /// The webhook block with this id.
    pub fn webhook(&self, id: &str) -> Option<&WebhookBlock> {
        self.webhook_blocks().find(|b| b.id.as_str() == id)
    }

    /// The webhook block with this id, to edit.
    pub fn webhook_mut(&mut self, id: &str) -> Option<&mut WebhookBlock> {
        self.flows
            .iter_mut()
            .flat_map(|f| &mut f.sequences)
            .flat_map(|s| &mut s.blocks)
            .find_map(|b| match b {
                Block::Webhook(w) if w.id.as_str() == id => Some(w.as_mut()),
                _ => None,
            })
    }

    /// The bot's integration with `kind`, if any.
    pub fn channel(&self, kind: ChannelKind) -> Option<&ChannelConnection> {
        self.channels.iter().find(|c| c.channel == kind)
    }

    /// Channels the bot can act on now: active, with at least one account. "Select Channel"
    /// lists these.
    pub fn connected_channels(&self) -> impl Iterator<Item = &ChannelConnection> {
        self.channels.iter().filter(|c| c.is_connected())
    }

    /// Whether `name` is a built-in variable or one the designer declared.
    pub fn has_variable(&self, name: &str) -> bool {
        BUILT_IN_VARIABLES.contains(&name) || self.variables.iter().any(|v| v.name.as_str() == name)
    }
}
