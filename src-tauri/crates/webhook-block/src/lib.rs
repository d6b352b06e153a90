//! The webhook block of Webhook Studio: its model and every rule about it, once.
//!
//! Nothing here knows about windows, HTTP servers or files: the app, the receiver, the CLI and
//! the server all call these functions, so a rule has exactly one home.
//!
//! - [`model`]: the bot, its channels, variables, flows and blocks, as typed (drafts).
//! - [`validate`]: the rules; a draft becomes a [`CompiledWebhook`] and a list of [`Problem`]s.
//! - [`token`], [`variable`], [`path`], [`contact`], [`endpoints`]: one rule each.
//! - [`request`]: what a request body yields (extraction) and whether it is accepted.
//! - [`sample`], [`curl`]: sample bodies and sample cURL.
//! - [`document`]: the versioned bot document and its JSON Schema.
#![deny(missing_docs)]

pub mod contact;
pub mod curl;
pub mod document;
pub mod endpoints;
pub mod model;
pub mod path;
pub mod request;
pub mod sample;
pub mod scan;
pub mod token;
pub mod validate;
pub mod variable;

pub use document::{BotDocument, DocumentError};
pub use endpoints::{ApiBase, Endpoints, Environment};
pub use model::{Block, Bot, ChannelKind, Id, WebhookBlock, WebhookForm, WebhookType};
pub use token::WebhookToken;
pub use validate::{Checked, CompiledWebhook, Problem, ProblemCode, check_bot, check_webhook};
