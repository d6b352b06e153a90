//! The team server: teammates' apps sync their bots through it, and it answers the production
//! webhook URLs (`<API base>/v1/webhooks/<block id>`) of submitted blocks.
//!
//! - [`db`]: one SQL text over two engines, SQLite (the default, one file) and PostgreSQL, with
//!   a versioned schema that refuses a newer database.
//! - [`store`]: what is stored and the single write path, [`store::apply`], shared by sync push
//!   and every REST route: idempotent by `op_id`, optimistic by revision; a REST change is one
//!   transaction, a push is one transaction for all its ops ([`store::apply_all`]).
//! - [`events`]: production webhook events stored by one writer, concurrent requests in one
//!   transaction (group commit), each answered after its commit.
//! - [`secret`]: API keys (SHA-256) and webhook tokens (AES-256-GCM under a key file).
//! - [`api`]: the HTTP API (axum) and its route table; [`openapi`]: the document built from it.
//!
//! # Secrets
//!
//! API keys are `whsk_` and 32 random bytes; only their SHA-256 is stored (a key that cannot be
//! guessed needs no slow hash) and they are looked up by that hash. Webhook tokens must be given
//! back to teammates' apps (each shows a working production cURL), so a hash would not do: they are
//! encrypted with AES-256-GCM, a fresh nonce per value and the block id as associated data, under a
//! 32-byte key kept in a file outside the database (`--secret-key-file`; for `sqlite:` it defaults
//! to `<db>.key` beside the file and is created with mode 0600). Entity bodies and their history
//! are stored without the token; a dump of the database reveals none. Neither secret is ever
//! logged: the log names teams and blocks, never keys or tokens.
//!
//! # Limits
//!
//! Team routes take bodies up to [`api::BODY_LIMIT`] (16 MiB) and pushes up to [`api::MAX_OPS`]
//! ops; production webhooks up to 1 MiB, as the development receiver. The last
//! [`store::EVENTS_KEPT`] accepted requests are kept per block.
//!
//! # Decisions
//!
//! - PostgreSQL through the synchronous `postgres` client and an r2d2 pool, in `spawn_blocking`
//!   like SQLite: the domain code exists once, over [`db::Tx`]. (sqlx's SQLite driver cannot sit
//!   beside rusqlite: both link libsqlite3.)
//! - Each team's writes are serialised on its change-counter row (`UPDATE ... RETURNING`), taken
//!   first in every write transaction, so `seq` order is commit order and a pull by `since` never
//!   skips a change committed late.
//! - The OpenAPI document is built from the same route table as the router, with the types'
//!   schemars schemas as components, rather than annotating handlers a second time (utoipa).
//! - The REST routes write through the same [`store::apply`] as push: a REST edit and an app's
//!   edit are the same kind of change, with the same history, revisions and conflicts. A bot's
//!   ETag is the latest `seq` among its entities; a flow's, block's or the bot entity's routes use
//!   that entity's revision. A block created with `PUT .../blocks/{id}` shows in the composed bot
//!   once a flow lists it (as in sync, where order lives with the parent).
//!
//! # Known limits
//!
//! - Compiled production webhooks are cached per process; each request checks the bot's version
//!   with one indexed query, so several processes may share one PostgreSQL database.
//! - There is no route to rotate or list API keys besides the command line.
#![deny(missing_docs)]

pub mod api;
pub mod db;
pub mod events;
pub mod openapi;
pub mod secret;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use api::{AppState, router};
pub use db::{DatabaseUrl, Db, DbError};
pub use secret::{SecretError, SecretKey};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database.
    #[error("{0}")]
    Db(#[from] DbError),
    /// The secret key file.
    #[error("{0}")]
    Secret(#[from] SecretError),
    /// No key file was given for PostgreSQL.
    #[error(
        "a PostgreSQL database needs --secret-key-file (or WEBHOOK_STUDIO_SERVER_SECRET_KEY_FILE): the key that seals webhook tokens is kept outside the database"
    )]
    NoSecretKeyFile,
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {message}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        message: String,
    },
}

/// Where the secret key file is: the one given, or `<db>.key` beside an SQLite file.
pub fn secret_key_path(url: &DatabaseUrl, given: Option<PathBuf>) -> Result<PathBuf, StartError> {
    match (given, url) {
        (Some(path), _) => Ok(path),
        (None, DatabaseUrl::Sqlite(db)) => {
            let mut name = db.clone().into_os_string();
            name.push(".key");
            Ok(PathBuf::from(name))
        }
        (None, DatabaseUrl::Postgres(_)) => Err(StartError::NoSecretKeyFile),
    }
}

/// Opens the database and the secret key (both blocking).
pub fn open(url: &DatabaseUrl, secret_key_file: Option<PathBuf>) -> Result<AppState, StartError> {
    let key_path = secret_key_path(url, secret_key_file)?;
    let secret = SecretKey::load_or_create(&key_path)?;
    let db = Db::open(url)?;
    Ok(AppState::new(db, secret))
}

/// Serves `state` on `addr` until Ctrl-C or SIGTERM.
pub async fn serve(state: AppState, addr: SocketAddr) -> Result<(), StartError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartError::Listen {
            addr,
            message: e.to_string(),
        })?;
    let local = listener.local_addr().unwrap_or(addr);
    eprintln!("webhook-studio-server: listening on http://{local} ({:?})", state.db);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| StartError::Listen {
            addr,
            message: e.to_string(),
        })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("webhook-studio-server: shutting down");
}
