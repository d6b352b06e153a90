//! The app's side of team sync: what a designer drafts offline reaches the team's server once
//! back online, and nobody's edit is lost.
//!
//! - [`remote`]: which server and with which key ([`Remote`], whose `Debug` never shows the key).
//! - [`connection`]: [`test_connection`], with an answer a designer can act on for each way it
//!   can fail ([`ConnectionError`]).
//! - [`engine`]: [`sync_once`]: push the store's outbox in order, then pull the team's changes.
//!   The store is reached through [`StoreAccess`] and never held across a network call.
//! - [`runner`]: [`SyncRunner`], the background loop the app starts: a push soon after each local
//!   edit, a pull every few seconds, retries with backoff, and a [`SyncStatus`] to show.
//!
//! Secrets: the API key is only ever put in the `Authorization` header; no error, status or
//! `Debug` output holds it. Webhook tokens are sent only to an https or loopback server.
#![deny(missing_docs)]

pub mod connection;
pub mod engine;
pub mod remote;
pub mod runner;

pub use connection::{Connected, ConnectionError, test_connection};
pub use engine::{BATCH, StoreAccess, SyncError, SyncReport, sync_once};
pub use remote::Remote;
pub use runner::{SyncRunner, SyncStatus};
