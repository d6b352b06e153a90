//! What the desktop app and the team server say to each other, and nothing else: no IO here.
//!
//! - [`entity`]: a bot is synced as separate *entities*, each with its own revision: the bot
//!   itself (name, channels with their accounts, variables, the order of its flows), each flow
//!   (its sequences and the order of their blocks) and each block. An edit of one block's form
//!   sends that block only, so what goes on the wire does not grow with the size of the bot.
//! - [`wire`]: the HTTP API's request and answer bodies (push, pull, errors, events).
//! - [`conflict`]: two versions of one entity, field by field, and the version a person chooses.
#![deny(missing_docs)]

pub mod conflict;
pub mod entity;
pub mod wire;

pub use entity::{BotEntity, EntityBody, EntityKey, EntityKind, FlowEntity, SequenceEntity};
pub use wire::{
    API_VERSION, ChangesPage, ErrorBody, ErrorEnvelope, PushOp, PushOutcome, PushRequest, PushResponse, PushResult,
    SERVER_NAME, ServerInfo, TeamInfo, Versioned, WebhookEvent,
};
