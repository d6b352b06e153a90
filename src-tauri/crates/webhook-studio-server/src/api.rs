//! The HTTP API: one table of routes ([`routes`]) from which both the router and the OpenAPI
//! document are built, so neither can list a route the other lacks.
//!
//! Every error answer is an [`ErrorEnvelope`], axum's own rejections included (bad JSON, a wrong
//! content type, an unknown route or method, a body over the limit). Every write goes through
//! [`store::apply`] in one transaction, so an error stores nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use axum::{Json, Router};
use schemars::{JsonSchema, SchemaGenerator};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use webhook_block::model::{Account, ChannelConnection, ChannelKind, Variable};
use webhook_block::variable::VariableName;
use webhook_block::{Block, Bot, Environment, Id};
use webhook_receiver::{Answer, Entry, admit, answer_body};
use webhook_sync::entity::{BotEntity, FlowEntity, decompose, diff};
use webhook_sync::{
    API_VERSION, ChangesPage, EntityBody, EntityKey, EntityKind, ErrorBody, ErrorEnvelope, PushOp, PushOutcome,
    PushRequest, PushResponse, SERVER_NAME, ServerInfo, TeamInfo, Versioned, WebhookEvent,
};

use crate::db::{Db, DbError, DbResult, Tx};
use crate::events::{EventError, EventWriter};
use crate::secret::{SecretKey, random_id};
use crate::store::{self, Resolved};

/// Largest body of a team route (push, REST): 16 MiB.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;
/// Largest body of a production webhook request, as the development receiver: 1 MiB.
pub const WEBHOOK_BODY_LIMIT: usize = webhook_receiver::DEFAULT_BODY_LIMIT;
/// Most ops in one push.
pub const MAX_OPS: usize = 1_000;
/// Most changes in one page.
pub const MAX_PAGE: i64 = 1_000;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The key webhook tokens are sealed with.
    pub secret: SecretKey,
    /// Compiled production webhooks by block id.
    pub cache: Arc<Mutex<WebhookCache>>,
    /// Stores accepted production webhook requests, concurrent ones in one transaction.
    pub events: EventWriter,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("db", &self.db).finish_non_exhaustive()
    }
}

/// Compiled production webhooks by block id, with the bot version they were compiled from. A
/// write by this process drops the bot's entries at once; a hit is used only while the bot's
/// version in the database is unchanged (so a write by another process counts too); the
/// generation stops a read that started before a write from putting back what it compiled from
/// the old version.
#[derive(Default)]
pub struct WebhookCache {
    generation: u64,
    entries: HashMap<String, (String, String, i64, Cached)>,
}

#[derive(Clone)]
enum Cached {
    Entry(Entry),
    Broken(String),
}

impl AppState {
    /// A state over an open database.
    pub fn new(db: Db, secret: SecretKey) -> Self {
        Self {
            events: EventWriter::start(db.clone()),
            db,
            secret,
            cache: Arc::default(),
        }
    }

    fn forget_bot(&self, team: &str, bot: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.generation += 1;
        cache.entries.retain(|_, (t, b, _, _)| !(t == team && b == bot));
    }
}

/// An error answer: status, `{code, message, fix}`, and for a stale revision the current version.
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    current: Option<Box<Versioned>>,
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `current` may hold a block with its token: only its key and revision are shown.
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("body", &self.body)
            .field(
                "current",
                &self.current.as_ref().map(|c| (c.key.to_string(), c.revision)),
            )
            .finish()
    }
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                fix: fix.into(),
            },
            current: None,
        }
    }

    fn not_found(what: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            what,
            "check the id; list what exists with GET /v1/bots",
        )
    }

    fn unauthorized(message: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            message,
            "send the header Authorization: Bearer <API key>; make a key with `webhook-studio-server key create`",
        )
    }

    fn internal(error: DbError) -> Self {
        // The database's message stays in the log: it may name tables, never a secret (every
        // secret is a bound parameter, which errors do not print).
        eprintln!("webhook-studio-server: database error: {error}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not complete the request",
            "try again; if it persists, the server's log says why",
        )
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        Self::internal(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::to_value(ErrorEnvelope { error: self.body }).unwrap_or_default();
        if let Some(current) = self.current {
            body["current"] = serde_json::to_value(current).unwrap_or_default();
        }
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body was not read: it must not be taken for the next request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The team of the request's API key.
pub struct Auth(pub TeamInfo);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::unauthorized("the request has no Authorization header"));
        };
        let key = value.to_str().ok().and_then(|v| {
            let (scheme, key) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| key.trim().to_owned())
        });
        let Some(key) = key else {
            return Err(ApiError::unauthorized(
                "the Authorization header is not of the form \"Bearer <API key>\"",
            ));
        };
        match state.db.run(move |tx| store::team_for_key(tx, &key)).await? {
            Some(team) => Ok(Auth(team)),
            None => Err(ApiError::unauthorized("the API key is not valid (unknown or revoked)")),
        }
    }
}

/// A JSON body, read with this API's error answers: 415 when not declared JSON, 413 over the
/// limit, 400 when not JSON (with line and column), 422 when JSON of the wrong shape (with the path).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let media_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
        if media_type.as_deref() != Some("application/json") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_json",
                match media_type {
                    Some(other) => format!("the body is sent as {other}, but this route takes JSON"),
                    None => "the request does not say its body is JSON (no Content-Type header)".into(),
                },
                "send the header Content-Type: application/json with a JSON body",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(BODY_LIMIT)
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "unreadable_body",
                    format!("the body could not be read: {e}"),
                    "send the request again",
                )
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        format!(
            "the body is larger than the limit of {} MiB ({limit} bytes)",
            limit / (1024 * 1024)
        ),
        "send less at once: split a push into several requests",
    )
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            return Err(if inner.is_syntax() || inner.is_eof() {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_json",
                    format!("the body is not valid JSON: {inner}"),
                    "check quotes, commas and brackets near that line and column",
                )
            } else {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_body",
                    format!("the body is not valid at `{path}`: {inner}"),
                    "send the body as the API's schema describes it (GET /openapi.json)",
                )
            });
        }
    };
    de.end().map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {e}"),
            "send one JSON value and nothing after it",
        )
    })?;
    Ok(value)
}

fn parse_id(text: &str, what: &str) -> ApiResult<Id> {
    Id::parse(text).map_err(|_| ApiError::not_found(format!("there is no {what} \"{text}\"")))
}

/// What a write requires: `If-Match: "<rev>"` for a change, `If-None-Match: *` for a creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precondition {
    Match(i64),
    Create,
}

fn precondition(headers: &HeaderMap) -> ApiResult<Precondition> {
    if let Some(value) = headers.get(header::IF_MATCH) {
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text);
        return text
            .trim_matches('"')
            .parse::<i64>()
            .map(Precondition::Match)
            .map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_if_match",
                    format!("If-Match must be a revision in quotes, like \"3\"; got {text}"),
                    "send the ETag a GET answered, as it was",
                )
            });
    }
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.to_str().unwrap_or_default().trim() == "*")
    {
        return Ok(Precondition::Create);
    }
    Err(ApiError::new(
        StatusCode::PRECONDITION_REQUIRED,
        "precondition_required",
        "a write needs If-Match with the revision it is based on (or If-None-Match: * to create)",
        "GET the resource first and send its ETag back as If-Match: \"<revision>\"",
    ))
}

fn stale(current: Versioned, message: impl Into<String>) -> ApiError {
    let mut error = ApiError::new(
        StatusCode::PRECONDITION_FAILED,
        "stale_revision",
        message,
        "GET the resource again (its current version is in `current`), apply the change to it and send it with the new ETag",
    );
    error.current = Some(Box::new(current));
    error
}

/// Checks a precondition against the current version; the base revision to apply with.
fn check(pre: Precondition, current: &Versioned) -> ApiResult<Option<i64>> {
    match pre {
        Precondition::Create if current.body.is_some() => Err(stale(
            current.clone(),
            format!("{} already exists (If-None-Match: * asked to create it)", current.key),
        )),
        Precondition::Create => Ok((current.revision > 0).then_some(current.revision)),
        Precondition::Match(_) if current.body.is_none() => {
            Err(ApiError::not_found(format!("there is no {}", current.key)))
        }
        Precondition::Match(rev) if rev != current.revision => Err(stale(
            current.clone(),
            format!(
                "{} is at revision {}, not {rev}: someone changed it since you read it",
                current.key, current.revision
            ),
        )),
        Precondition::Match(rev) => Ok(Some(rev)),
    }
}

fn etag(revision: i64) -> [(header::HeaderName, String); 1] {
    [(header::ETAG, format!("\"{revision}\""))]
}

/// Applies one REST change through the sync write path.
fn apply_one(
    tx: &mut dyn Tx,
    secret: &SecretKey,
    team: &str,
    key: EntityKey,
    base: Option<i64>,
    body: Option<Value>,
) -> DbResult<ApiResult<i64>> {
    let op = PushOp {
        op_id: random_id("rest:").map_err(|e| DbError::Task(e.to_string()))?,
        key,
        base_revision: base,
        body,
    };
    // A REST write has no app client: every app's pull gets it.
    Ok(match store::apply(tx, secret, team, &op, None)?.outcome {
        PushOutcome::Applied { revision, .. } => Ok(revision),
        PushOutcome::Conflict { current } => Err(stale(current, "someone changed it since you read it")),
        PushOutcome::Rejected { error } => Err(ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: error,
            current: None,
        }),
    })
}

/// Runs a write in one transaction (committed only when it answers `Ok`) and forgets the bot's
/// compiled webhooks.
async fn write<T: Send + 'static>(
    state: &AppState,
    team: &str,
    bot: String,
    f: impl FnOnce(&mut dyn Tx, &SecretKey, &str) -> DbResult<ApiResult<T>> + Send + 'static,
) -> ApiResult<T> {
    let secret = state.secret.clone();
    let owned = team.to_owned();
    let result = state
        .db
        .run_with(move |tx| {
            store::lock_team(tx, &owned)?;
            let result = f(tx, &secret, &owned)?;
            let ok = result.is_ok();
            Ok((result, ok))
        })
        .await?;
    if result.is_ok() {
        state.forget_bot(team, &bot);
    }
    result
}

async fn read<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut dyn Tx, &SecretKey) -> DbResult<ApiResult<T>> + Send + 'static,
) -> ApiResult<T> {
    let secret = state.secret.clone();
    state.db.run(move |tx| f(tx, &secret)).await?
}

// ---- info, team, sync ----

async fn info() -> Json<ServerInfo> {
    Json(ServerInfo {
        server: SERVER_NAME.into(),
        api_version: API_VERSION,
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

async fn team(Auth(team): Auth) -> Json<TeamInfo> {
    Json(team)
}

async fn push(
    State(state): State<AppState>,
    Auth(team): Auth,
    JsonBody(request): JsonBody<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    if request.ops.len() > MAX_OPS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_ops",
            format!(
                "the push has {} ops; the limit is {MAX_OPS} per request",
                request.ops.len()
            ),
            format!("send the outbox in batches of at most {MAX_OPS} ops, oldest first"),
        ));
    }
    // All ops in one transaction (one durable commit per push, not per op); a database error
    // rolls the whole push back and the app sends it again: op ids keep that exactly-once.
    let secret = state.secret.clone();
    let team_id = team.id.clone();
    let ops = request.ops;
    let (ops, applied) = state
        .db
        .run_with(move |tx| {
            let applied = store::apply_all(tx, &secret, &team_id, &ops)?;
            let wrote = applied.iter().any(|a| a.wrote);
            Ok(((ops, applied), wrote))
        })
        .await?;
    // Committed: the written bots' compiled webhooks are forgotten.
    let mut written: Vec<&str> = ops
        .iter()
        .zip(&applied)
        .filter(|(_, a)| a.wrote)
        .map(|(op, _)| op.key.bot.as_str())
        .collect();
    written.sort_unstable();
    written.dedup();
    for bot in written {
        state.forget_bot(&team.id, bot);
    }
    let results = ops
        .into_iter()
        .zip(applied)
        .map(|(op, applied)| webhook_sync::PushResult {
            op_id: op.op_id,
            outcome: applied.outcome,
        })
        .collect();
    Ok(Json(PushResponse { results }))
}

#[derive(Deserialize)]
struct ChangesQuery {
    since: Option<i64>,
    limit: Option<i64>,
    /// The pulling app's client id: entities whose latest version it wrote are left out.
    client: Option<String>,
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("the query string is not valid: {}", e.body_text()),
            "pass whole numbers, e.g. ?since=0&limit=100",
        )
    })
}

async fn changes(
    State(state): State<AppState>,
    Auth(team): Auth,
    q: Result<Query<ChangesQuery>, QueryRejection>,
) -> ApiResult<Json<ChangesPage>> {
    let q = query(q)?;
    let since = q.since.unwrap_or(0).max(0);
    let limit = q.limit.unwrap_or(500).clamp(1, MAX_PAGE);
    let client = q.client.filter(|c| !c.is_empty());
    read(&state, move |tx, secret| {
        Ok(Ok(Json(store::changes(
            tx,
            secret,
            &team.id,
            since,
            limit,
            client.as_deref(),
        )?)))
    })
    .await
}

// ---- bots ----

async fn list_bots(State(state): State<AppState>, Auth(team): Auth) -> ApiResult<Json<Value>> {
    read(&state, move |tx, _| {
        let bots = store::list_bots(tx, &team.id)?;
        Ok(Ok(Json(json!({
            "bots": bots.into_iter().map(|(id, name, revision)| json!({"id": id, "name": name, "revision": revision})).collect::<Vec<_>>()
        }))))
    })
    .await
}

fn bot_missing(bot: &Id) -> ApiError {
    ApiError::not_found(format!("there is no bot \"{bot}\""))
}

/// A bot's live entities, or 404 when it has no bot entity (or another team's).
fn load_bot(tx: &mut dyn Tx, secret: &SecretKey, team: &str, bot: &Id) -> DbResult<ApiResult<store::BotState>> {
    let state = store::bot_entities(tx, secret, team, bot)?;
    if !state.entities.contains_key(&EntityKey::bot(bot)) {
        return Ok(Err(bot_missing(bot)));
    }
    Ok(Ok(state))
}

async fn get_bot(State(state): State<AppState>, Auth(team): Auth, Path(bot): Path<String>) -> ApiResult<Response> {
    let bot = parse_id(&bot, "bot")?;
    read(&state, move |tx, secret| {
        let loaded = match load_bot(tx, secret, &team.id, &bot)? {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        let composed = loaded.compose(&bot);
        Ok(Ok((etag(loaded.version()), Json(composed)).into_response()))
    })
    .await
}

/// Writes `new` as the whole bot: every entity that differs from what is stored.
fn write_bot(
    tx: &mut dyn Tx,
    secret: &SecretKey,
    team: &str,
    before: &store::BotState,
    mut new: Bot,
) -> DbResult<ApiResult<()>> {
    // A block sent without its token keeps the stored one (a document exported without secrets).
    for flow in &mut new.flows {
        for block in flow.sequences.iter_mut().flat_map(|s| s.blocks.iter_mut()) {
            let Block::Webhook(w) = block else { continue };
            if w.token.is_some() {
                continue;
            }
            if let Some(EntityBody::Block(Block::Webhook(old))) = before.entities.get(&EntityKey::block(&new.id, &w.id))
            {
                w.token = old.token.clone();
            }
        }
    }
    for (key, body) in diff(&before.entities, &decompose(&new)) {
        let current = store::current(tx, secret, team, &key)?;
        let base = (current.revision > 0).then_some(current.revision);
        if let Err(e) = apply_one(tx, secret, team, key, base, body.map(|b| b.to_value()))? {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

async fn create_bot(
    State(state): State<AppState>,
    Auth(team): Auth,
    JsonBody(bot): JsonBody<Bot>,
) -> ApiResult<Response> {
    let id = bot.id.clone();
    write(
        &state,
        &team.id.clone(),
        id.as_str().to_owned(),
        move |tx, secret, team| {
            let before = store::bot_entities(tx, secret, team, &bot.id)?;
            if before.entities.contains_key(&EntityKey::bot(&bot.id)) {
                return Ok(Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "bot_exists",
                    format!("bot \"{}\" already exists", bot.id),
                    "change it with PUT /v1/bots/{bot} and If-Match, or choose another id",
                )));
            }
            if let Err(e) = write_bot(tx, secret, team, &before, bot.clone())? {
                return Ok(Err(e));
            }
            let after = store::bot_entities(tx, secret, team, &bot.id)?;
            Ok(Ok((
                StatusCode::CREATED,
                etag(after.version()),
                [(header::LOCATION, format!("/v1/bots/{}", bot.id))],
                Json(after.compose(&bot.id)),
            )
                .into_response()))
        },
    )
    .await
}

async fn put_bot(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path(bot_id): Path<String>,
    headers: HeaderMap,
    JsonBody(bot): JsonBody<Bot>,
) -> ApiResult<Response> {
    let id = parse_id(&bot_id, "bot")?;
    let pre = precondition(&headers)?;
    if bot.id != id {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("the body's id \"{}\" is not the URL's \"{id}\"", bot.id),
            "send the bot to its own URL",
        ));
    }
    write(
        &state,
        &team.id.clone(),
        id.as_str().to_owned(),
        move |tx, secret, team| {
            let before = store::bot_entities(tx, secret, team, &id)?;
            let exists = before.entities.contains_key(&EntityKey::bot(&id));
            match pre {
                Precondition::Create if exists => {
                    let current = store::current(tx, secret, team, &EntityKey::bot(&id))?;
                    return Ok(Err(stale(current, format!("bot \"{id}\" already exists"))));
                }
                Precondition::Match(_) if !exists => return Ok(Err(bot_missing(&id))),
                Precondition::Match(v) if v != before.version() => {
                    let current = store::current(tx, secret, team, &EntityKey::bot(&id))?;
                    return Ok(Err(stale(
                        current,
                        format!(
                            "bot \"{id}\" is at version {}, not {v}: someone changed it since you read it",
                            before.version()
                        ),
                    )));
                }
                _ => {}
            }
            if let Err(e) = write_bot(tx, secret, team, &before, bot)? {
                return Ok(Err(e));
            }
            let after = store::bot_entities(tx, secret, team, &id)?;
            let status = if exists { StatusCode::OK } else { StatusCode::CREATED };
            Ok(Ok(
                (status, etag(after.version()), Json(after.compose(&id))).into_response()
            ))
        },
    )
    .await
}

async fn delete_bot(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path(bot_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let id = parse_id(&bot_id, "bot")?;
    let pre = precondition(&headers)?;
    write(
        &state,
        &team.id.clone(),
        id.as_str().to_owned(),
        move |tx, secret, team| {
            let before = match load_bot(tx, secret, team, &id)? {
                Ok(s) => s,
                Err(e) => return Ok(Err(e)),
            };
            if pre != Precondition::Match(before.version()) {
                let current = store::current(tx, secret, team, &EntityKey::bot(&id))?;
                return Ok(Err(stale(
                    current,
                    format!(
                        "bot \"{id}\" is at version {}: someone changed it since you read it",
                        before.version()
                    ),
                )));
            }
            for (key, (revision, _)) in &before.versions {
                if let Err(e) = apply_one(tx, secret, team, key.clone(), Some(*revision), None)? {
                    return Ok(Err(e));
                }
            }
            Ok(Ok(StatusCode::NO_CONTENT))
        },
    )
    .await
}

// ---- the bot entity: channels, accounts, variables ----

/// Reads the bot entity, checks `If-Match` against its revision, lets `edit` change it, writes it.
async fn edit_bot_entity<T: Send + 'static>(
    state: &AppState,
    team: &TeamInfo,
    bot: Id,
    headers: &HeaderMap,
    edit: impl FnOnce(&mut BotEntity) -> ApiResult<T> + Send + 'static,
) -> ApiResult<(i64, T)> {
    let pre = precondition(headers)?;
    write(state, &team.id, bot.as_str().to_owned(), move |tx, secret, team| {
        let key = EntityKey::bot(&bot);
        let current = store::current(tx, secret, team, &key)?;
        let Some(Ok(EntityBody::Bot(mut entity))) = current.body.as_ref().map(|b| EntityBody::from_value(EntityKind::Bot, b)) else {
            return Ok(Err(bot_missing(&bot)));
        };
        let base = match pre {
            Precondition::Create => {
                return Ok(Err(ApiError::new(
                    StatusCode::PRECONDITION_REQUIRED,
                    "precondition_required",
                    "this route changes the bot: it needs If-Match with the bot's revision (If-None-Match: * does not apply)",
                    "GET it first and send its ETag back as If-Match",
                )));
            }
            Precondition::Match(rev) => match check(Precondition::Match(rev), &current) {
                Ok(base) => base,
                Err(e) => return Ok(Err(e)),
            },
        };
        let out = match edit(&mut entity) {
            Ok(out) => out,
            Err(e) => return Ok(Err(e)),
        };
        let revision = match apply_one(tx, secret, team, key, base, Some(EntityBody::Bot(entity).to_value()))? {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        Ok(Ok((revision, out)))
    })
    .await
}

async fn bot_entity(state: &AppState, team: &TeamInfo, bot: &str) -> ApiResult<(i64, BotEntity)> {
    let bot = parse_id(bot, "bot")?;
    let team = team.id.clone();
    read(state, move |tx, secret| {
        let current = store::current(tx, secret, &team, &EntityKey::bot(&bot))?;
        Ok(
            match current
                .body
                .as_ref()
                .map(|b| EntityBody::from_value(EntityKind::Bot, b))
            {
                Some(Ok(EntityBody::Bot(entity))) => Ok((current.revision, entity)),
                _ => Err(bot_missing(&bot)),
            },
        )
    })
    .await
}

fn parse_channel(text: &str) -> ApiResult<ChannelKind> {
    serde_json::from_value(Value::String(text.to_owned())).map_err(|_| {
        ApiError::not_found(format!(
            "there is no channel \"{text}\"; channels are whatsapp, livechat, telegram, messenger, instagram, sms"
        ))
    })
}

async fn get_channels(State(state): State<AppState>, Auth(team): Auth, Path(bot): Path<String>) -> ApiResult<Response> {
    let (revision, entity) = bot_entity(&state, &team, &bot).await?;
    Ok((etag(revision), Json(entity.channels)).into_response())
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ChannelPut {
    /// Whether the bot's integration on the channel is turned on.
    integration_active: bool,
    /// The accounts; left as they are when absent.
    #[serde(default)]
    accounts: Option<Vec<Account>>,
}

async fn put_channel(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, channel)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ChannelPut>,
) -> ApiResult<Response> {
    let bot = parse_id(&bot, "bot")?;
    let kind = parse_channel(&channel)?;
    let (revision, connection) = edit_bot_entity(&state, &team, bot, &headers, move |entity| {
        let index = match entity.channels.iter().position(|c| c.channel == kind) {
            Some(i) => i,
            None => {
                entity.channels.push(ChannelConnection {
                    channel: kind,
                    integration_active: false,
                    accounts: Vec::new(),
                });
                entity.channels.len() - 1
            }
        };
        let connection = &mut entity.channels[index];
        connection.integration_active = body.integration_active;
        if let Some(accounts) = body.accounts {
            connection.accounts = accounts;
        }
        Ok(connection.clone())
    })
    .await?;
    Ok((etag(revision), Json(connection)).into_response())
}

async fn get_account(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, channel, alias)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let kind = parse_channel(&channel)?;
    let (revision, entity) = bot_entity(&state, &team, &bot).await?;
    let account = entity
        .channels
        .iter()
        .find(|c| c.channel == kind)
        .and_then(|c| c.accounts.iter().find(|a| a.alias.as_str() == alias))
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("there is no account \"{alias}\" on {channel}")))?;
    Ok((etag(revision), Json(account)).into_response())
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AccountPut {
    /// Name shown in "Select Account".
    name: String,
    /// The account's own number (WhatsApp, SMS), in E.164.
    #[serde(default)]
    phone_number: Option<String>,
}

async fn put_account(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, channel, alias)): Path<(String, String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<AccountPut>,
) -> ApiResult<Response> {
    let bot = parse_id(&bot, "bot")?;
    let kind = parse_channel(&channel)?;
    let alias = Id::parse(&alias).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_alias",
            format!("the account alias is not valid: {e}"),
            "use letters, digits, - and _",
        )
    })?;
    let (revision, account) = edit_bot_entity(&state, &team, bot, &headers, move |entity| {
        let Some(connection) = entity.channels.iter_mut().find(|c| c.channel == kind) else {
            return Err(ApiError::not_found(format!(
                "the bot has no {} channel; add it with PUT .../channels/{}",
                kind.label(),
                kind.alias()
            )));
        };
        let account = Account {
            alias: alias.clone(),
            name: body.name,
            phone_number: body.phone_number,
        };
        match connection.accounts.iter_mut().find(|a| a.alias == alias) {
            Some(existing) => *existing = account.clone(),
            None => connection.accounts.push(account.clone()),
        }
        Ok(account)
    })
    .await?;
    Ok((etag(revision), Json(account)).into_response())
}

async fn delete_account(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, channel, alias)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let bot = parse_id(&bot, "bot")?;
    let kind = parse_channel(&channel)?;
    let (revision, ()) = edit_bot_entity(&state, &team, bot, &headers, move |entity| {
        let connection = entity.channels.iter_mut().find(|c| c.channel == kind);
        let before = connection.as_ref().map_or(0, |c| c.accounts.len());
        if let Some(connection) = connection {
            connection.accounts.retain(|a| a.alias.as_str() != alias);
            if connection.accounts.len() < before {
                return Ok(());
            }
        }
        Err(ApiError::not_found(format!(
            "there is no account \"{alias}\" on {channel}"
        )))
    })
    .await?;
    Ok((StatusCode::NO_CONTENT, etag(revision)).into_response())
}

async fn get_variables(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path(bot): Path<String>,
) -> ApiResult<Response> {
    let (revision, entity) = bot_entity(&state, &team, &bot).await?;
    Ok((etag(revision), Json(entity.variables)).into_response())
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct VariablePut {
    /// What it holds, for the designer.
    #[serde(default)]
    description: String,
}

async fn put_variable(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, name)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<VariablePut>,
) -> ApiResult<Response> {
    let bot = parse_id(&bot, "bot")?;
    let name: VariableName = serde_json::from_value(Value::String(name.clone())).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_variable_name",
            format!("\"{name}\" is not a variable name: {e}"),
            "use lower-case letters, digits and _, starting with a letter (e.g. customer_name)",
        )
    })?;
    let (revision, variable) = edit_bot_entity(&state, &team, bot, &headers, move |entity| {
        let variable = Variable {
            name: name.clone(),
            description: body.description,
        };
        match entity.variables.iter_mut().find(|v| v.name == name) {
            Some(existing) => *existing = variable.clone(),
            None => entity.variables.push(variable.clone()),
        }
        Ok(variable)
    })
    .await?;
    Ok((etag(revision), Json(variable)).into_response())
}

async fn delete_variable(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let bot = parse_id(&bot, "bot")?;
    let (revision, ()) = edit_bot_entity(&state, &team, bot, &headers, move |entity| {
        let before = entity.variables.len();
        entity.variables.retain(|v| v.name.as_str() != name);
        if entity.variables.len() == before {
            return Err(ApiError::not_found(format!("there is no variable \"{name}\"")));
        }
        Ok(())
    })
    .await?;
    Ok((StatusCode::NO_CONTENT, etag(revision)).into_response())
}

// ---- flows and blocks ----

async fn get_entity(state: &AppState, team: &TeamInfo, bot: &str, kind: EntityKind, id: &str) -> ApiResult<Response> {
    let bot = parse_id(bot, "bot")?;
    let id = parse_id(id, kind.as_str())?;
    let team = team.id.clone();
    read(state, move |tx, secret| {
        if let Err(e) = load_bot(tx, secret, &team, &bot)? {
            return Ok(Err(e));
        }
        let key = EntityKey { bot, kind, id };
        let current = store::current(tx, secret, &team, &key)?;
        Ok(match current.body {
            Some(body) => Ok((etag(current.revision), Json(body)).into_response()),
            None => Err(ApiError::not_found(format!("there is no {key}"))),
        })
    })
    .await
}

/// PUT or DELETE of a flow or block. A new flow is appended to the bot's flows and a deleted
/// one taken out of them, in the same transaction; a deleted block is taken out of its flows.
async fn put_entity(
    state: &AppState,
    team: &TeamInfo,
    bot: &str,
    kind: EntityKind,
    id: &str,
    headers: &HeaderMap,
    body: Option<Value>,
) -> ApiResult<Response> {
    let bot = parse_id(bot, "bot")?;
    let id = parse_id(id, kind.as_str())?;
    let pre = precondition(headers)?;
    if body.is_none() && pre == Precondition::Create {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "a deletion needs If-Match with the revision it is based on",
            "GET it first and send its ETag back as If-Match",
        ));
    }
    write(state, &team.id, bot.as_str().to_owned(), move |tx, secret, team| {
        let loaded = match load_bot(tx, secret, team, &bot)? {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        let key = EntityKey {
            bot: bot.clone(),
            kind,
            id: id.clone(),
        };
        let current = store::current(tx, secret, team, &key)?;
        let base = match check(pre, &current) {
            Ok(b) => b,
            Err(e) => return Ok(Err(e)),
        };
        let deleting = body.is_none();
        let created = current.body.is_none();
        let revision = match apply_one(tx, secret, team, key, base, body.clone())? {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        // Keep the parents' lists in step.
        let mut parents: Vec<(EntityKey, EntityBody)> = Vec::new();
        match kind {
            EntityKind::Flow if created || deleting => {
                if let Some(EntityBody::Bot(mut root)) = loaded.entities.get(&EntityKey::bot(&bot)).cloned() {
                    if deleting {
                        root.flows.retain(|f| *f != id);
                    } else if !root.flows.contains(&id) {
                        root.flows.push(id.clone());
                    }
                    parents.push((EntityKey::bot(&bot), EntityBody::Bot(root)));
                }
            }
            EntityKind::Block if deleting => {
                for (k, body) in &loaded.entities {
                    let EntityBody::Flow(flow) = body else { continue };
                    if !flow.sequences.iter().any(|s| s.blocks.contains(&id)) {
                        continue;
                    }
                    let mut flow: FlowEntity = flow.clone();
                    for s in &mut flow.sequences {
                        s.blocks.retain(|b| *b != id);
                    }
                    parents.push((k.clone(), EntityBody::Flow(flow)));
                }
            }
            _ => {}
        }
        for (k, body) in parents {
            let rev = loaded.versions.get(&k).map(|v| v.0);
            if let Err(e) = apply_one(tx, secret, team, k, rev, Some(body.to_value()))? {
                return Ok(Err(e));
            }
        }
        Ok(Ok(match body {
            None => (StatusCode::NO_CONTENT, etag(revision)).into_response(),
            Some(_) => {
                let now = store::current(tx, secret, team, &EntityKey { bot, kind, id })?;
                let status = if created { StatusCode::CREATED } else { StatusCode::OK };
                (status, etag(revision), Json(now.body)).into_response()
            }
        }))
    })
    .await
}

async fn get_flow(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    get_entity(&state, &team, &bot, EntityKind::Flow, &id).await
}

async fn put_flow(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Response> {
    put_entity(&state, &team, &bot, EntityKind::Flow, &id, &headers, Some(body)).await
}

async fn delete_flow(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    put_entity(&state, &team, &bot, EntityKind::Flow, &id, &headers, None).await
}

async fn get_block(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    get_entity(&state, &team, &bot, EntityKind::Block, &id).await
}

async fn put_block(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Response> {
    put_entity(&state, &team, &bot, EntityKind::Block, &id, &headers, Some(body)).await
}

async fn delete_block(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    put_entity(&state, &team, &bot, EntityKind::Block, &id, &headers, None).await
}

/// 404 unless the block was ever written by this team under this bot.
fn block_known(tx: &mut dyn Tx, team: &str, bot: &Id, block: &Id) -> DbResult<ApiResult<()>> {
    let known = tx
        .row(
            "SELECT revision FROM entities WHERE team = $1 AND bot = $2 AND kind = 'block' AND id = $3",
            &[team.into(), bot.as_str().into(), block.as_str().into()],
        )?
        .is_some();
    Ok(if known {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "there is no block \"{block}\" in bot \"{bot}\""
        )))
    })
}

async fn block_revisions(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let bot = parse_id(&bot, "bot")?;
    let id = parse_id(&id, "block")?;
    read(&state, move |tx, _| {
        if let Err(e) = block_known(tx, &team.id, &bot, &id)? {
            return Ok(Err(e));
        }
        let revisions = store::revisions(tx, &team.id, &EntityKey::block(&bot, &id))?;
        Ok(Ok(Json(json!({"revisions": revisions}))))
    })
    .await
}

#[derive(Deserialize)]
struct EventsQuery {
    limit: Option<i64>,
}

async fn block_events(
    State(state): State<AppState>,
    Auth(team): Auth,
    Path((bot, id)): Path<(String, String)>,
    q: Result<Query<EventsQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let bot = parse_id(&bot, "bot")?;
    let id = parse_id(&id, "block")?;
    let limit = query(q)?.limit.unwrap_or(100).clamp(1, store::EVENTS_KEPT);
    read(&state, move |tx, _| {
        if let Err(e) = block_known(tx, &team.id, &bot, &id)? {
            return Ok(Err(e));
        }
        let events: Vec<WebhookEvent> = store::events(tx, &team.id, id.as_str(), limit)?;
        Ok(Ok(Json(json!({"events": events}))))
    })
    .await
}

// ---- production webhooks ----

async fn resolve(state: &AppState, block: &str) -> ApiResult<Option<(String, String, Cached)>> {
    let (generation, hit) = {
        let cache = state.cache.lock().unwrap_or_else(|p| p.into_inner());
        (cache.generation, cache.entries.get(block).cloned())
    };
    if let Some((team, bot, version, cached)) = hit {
        // One indexed query says whether the bot changed since it was compiled, also when another
        // server process on the same database wrote the change.
        let (t, b) = (team.clone(), bot.clone());
        if state.db.run(move |tx| store::bot_version(tx, &t, &b)).await? == version {
            return Ok(Some((team, bot, cached)));
        }
    }
    let secret = state.secret.clone();
    let id = block.to_owned();
    let resolved = state.db.run(move |tx| store::resolve_webhook(tx, &secret, &id)).await?;
    let (team, bot, version, cached) = match resolved {
        Resolved::Unknown => return Ok(None),
        Resolved::Block {
            team,
            bot,
            entry,
            version,
        } => (team, bot, version, Cached::Entry(entry)),
        Resolved::Broken {
            team,
            bot,
            problem,
            version,
        } => (team, bot, version, Cached::Broken(problem)),
    };
    let mut cache = state.cache.lock().unwrap_or_else(|p| p.into_inner());
    if cache.generation == generation {
        cache
            .entries
            .insert(block.to_owned(), (team.clone(), bot.clone(), version, cached.clone()));
    }
    Ok(Some((team, bot, cached)))
}

async fn webhook(State(state): State<AppState>, Path(block): Path<String>, headers: HeaderMap, body: Body) -> Response {
    let found = match resolve(&state, &block).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let (team, entry) = match found {
        None => {
            return closing(
                Answer::from(admit(&block, None, &headers).err().unwrap_or_else(unknown_block)).into_response(),
            );
        }
        Some((_, _, Cached::Broken(problem))) => {
            return closing(
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "block_not_live",
                    format!("the submitted version of webhook block \"{block}\" breaks a rule now: {problem}"),
                    "open the block in the app, fix what it shows, and click Submit again",
                )
                .into_response(),
            );
        }
        Some((team, _, Cached::Entry(entry))) => (team, entry),
    };
    let compiled = match admit(&block, Some(&entry), &headers) {
        Ok(compiled) => compiled,
        Err(refusal) => return closing(Answer::from(refusal).into_response()),
    };
    let bytes = match axum::body::to_bytes(body, WEBHOOK_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return closing(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "the body is more than {WEBHOOK_BODY_LIMIT} bytes; the limit for a webhook body is 1 MiB ({WEBHOOK_BODY_LIMIT} bytes)"
                ),
                "send only the data the bot needs; large files belong behind a URL in the body",
            )
            .into_response());
        }
    };
    let answer = answer_body(&block, compiled, &bytes, Environment::Production);
    if answer.status == StatusCode::ACCEPTED {
        let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let contact = compiled.accept(&value).ok().and_then(|a| a.contact_reference_id);
        let event = store::NewEvent {
            team,
            block: block.clone(),
            body: value,
            variables: answer.variables.clone(),
            contact,
        };
        // Answered once the event's batch is committed: a 202 is as durable as before.
        match state.events.write(event).await {
            Ok(_) => {}
            Err(EventError::Db(e)) => return ApiError::internal(e).into_response(),
            Err(EventError::Stopped) => {
                return ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the server cannot store webhook requests right now",
                    "send the request again later; if it persists, the server's log says why",
                )
                .into_response();
            }
        }
    }
    answer.into_response()
}

/// An answer given before the request's body was read: the connection is closed after it, so
/// the unread rest of the body is not taken for the next request.
fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn unknown_block() -> webhook_receiver::Refusal {
    webhook_receiver::Refusal {
        status: StatusCode::NOT_FOUND,
        code: "unknown_block",
        message: "there is no such webhook block".into(),
        fix: "copy the Webhook URL again from the block".into(),
    }
}

// ---- fallbacks and the table ----

async fn no_route(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_route",
        format!("there is no route {}", uri.path()),
        "see GET /openapi.json for every route",
    )
}

async fn wrong_method(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} does not take {method}", uri.path()),
        "see GET /openapi.json for the methods each route takes",
    )
}

async fn openapi_json() -> Json<Value> {
    Json(crate::openapi::document())
}

/// How a route's request or answer body is described in the OpenAPI document.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Value;

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
    g.subschema_for::<T>().to_value()
}

fn any_json(_: &mut SchemaGenerator) -> Value {
    json!({"description": "the entity's body: a flow or a block, as the sync schema describes them"})
}

fn list_of<T: JsonSchema>(field: &'static str) -> impl Fn(&mut SchemaGenerator) -> Value {
    move |g| json!({"type": "object", "properties": {field: {"type": "array", "items": g.subschema_for::<T>().to_value()}}})
}

fn bots_list(_: &mut SchemaGenerator) -> Value {
    json!({"type": "object", "properties": {"bots": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "revision": {"type": "integer"}}}}}})
}

fn revisions_list(_: &mut SchemaGenerator) -> Value {
    json!({"type": "object", "properties": {"revisions": {"type": "array", "items": {"type": "object", "properties": {
        "revision": {"type": "integer"}, "seq": {"type": "integer"}, "body": {}, "op_id": {"type": "string"},
        "at": {"type": "string"}}}}}})
}

fn events_list(g: &mut SchemaGenerator) -> Value {
    list_of::<WebhookEvent>("events")(g)
}

fn channels(g: &mut SchemaGenerator) -> Value {
    json!({"type": "array", "items": g.subschema_for::<ChannelConnection>().to_value()})
}

fn variables(g: &mut SchemaGenerator) -> Value {
    json!({"type": "array", "items": g.subschema_for::<Variable>().to_value()})
}

fn webhook_request(_: &mut SchemaGenerator) -> Value {
    json!({"type": "object", "description": "any JSON object; the block's mappings say which paths it must hold"})
}

fn webhook_answer(_: &mut SchemaGenerator) -> Value {
    json!({"type": "object", "properties": {"accepted": {"type": "boolean"}, "block": {"type": "string"},
        "environment": {"type": "string"}}})
}

/// One route: what the OpenAPI document says about it, and its handler.
pub struct Route {
    /// `GET`, `POST`, ...
    pub method: Method,
    /// The path as axum routes it (`/v1/bots/{bot}`); OpenAPI uses the same syntax.
    pub path: &'static str,
    /// One line for people.
    pub summary: &'static str,
    /// Whether it needs an API key.
    pub auth: bool,
    /// The request body's schema.
    pub request: Option<SchemaFn>,
    /// The success answer: status and body schema.
    pub response: (u16, Option<SchemaFn>),
    /// Which headers matter: `etag` (answers an ETag) and/or `if-match` (needs one).
    pub revisioned: bool,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

fn route(
    method: Method,
    path: &'static str,
    summary: &'static str,
    auth: bool,
    request: Option<SchemaFn>,
    response: (u16, Option<SchemaFn>),
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        revisioned: path.starts_with("/v1/bots/") && !path.ends_with("/revisions") && !path.ends_with("/events"),
        method,
        path,
        summary,
        auth,
        request,
        response,
        handler,
    }
}

/// Every route the server answers.
pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        route(
            M::GET,
            "/v1/info",
            "Which server this is (no key needed)",
            false,
            None,
            (200, Some(schema::<ServerInfo>)),
            get(info),
        ),
        route(
            M::GET,
            "/v1/team",
            "The team of the API key",
            true,
            None,
            (200, Some(schema::<TeamInfo>)),
            get(team),
        ),
        route(
            M::POST,
            "/v1/sync/push",
            "Apply an app's changes in order, all in one transaction",
            true,
            Some(schema::<PushRequest>),
            (200, Some(schema::<PushResponse>)),
            post(push),
        ),
        route(
            M::GET,
            "/v1/sync/changes",
            "The team's entities changed after `since`; with `client`, without those that app wrote last",
            true,
            None,
            (200, Some(schema::<ChangesPage>)),
            get(changes),
        ),
        route(
            M::GET,
            "/v1/bots",
            "The team's bots",
            true,
            None,
            (200, Some(bots_list)),
            get(list_bots),
        ),
        route(
            M::POST,
            "/v1/bots",
            "Create a bot from a whole bot document",
            true,
            Some(schema::<Bot>),
            (201, Some(schema::<Bot>)),
            post(create_bot),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}",
            "The bot, composed from its entities; ETag is its latest change",
            true,
            None,
            (200, Some(schema::<Bot>)),
            get(get_bot),
        ),
        route(
            M::PUT,
            "/v1/bots/{bot}",
            "Replace the whole bot (If-Match: its ETag, or If-None-Match: * to create)",
            true,
            Some(schema::<Bot>),
            (200, Some(schema::<Bot>)),
            put(put_bot),
        ),
        route(
            M::DELETE,
            "/v1/bots/{bot}",
            "Delete the bot and all its flows and blocks",
            true,
            None,
            (204, None),
            delete(delete_bot),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}/channels",
            "The bot's channels; ETag is the bot entity's revision",
            true,
            None,
            (200, Some(channels)),
            get(get_channels),
        ),
        route(
            M::PUT,
            "/v1/bots/{bot}/channels/{channel}",
            "Turn a channel's integration on or off, optionally with its accounts",
            true,
            Some(schema::<ChannelPut>),
            (200, Some(schema::<ChannelConnection>)),
            put(put_channel),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}/channels/{channel}/accounts/{alias}",
            "One account of a channel",
            true,
            None,
            (200, Some(schema::<Account>)),
            get(get_account),
        ),
        route(
            M::PUT,
            "/v1/bots/{bot}/channels/{channel}/accounts/{alias}",
            "Add or change an account",
            true,
            Some(schema::<AccountPut>),
            (200, Some(schema::<Account>)),
            put(put_account),
        ),
        route(
            M::DELETE,
            "/v1/bots/{bot}/channels/{channel}/accounts/{alias}",
            "Remove an account",
            true,
            None,
            (204, None),
            delete(delete_account),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}/variables",
            "The bot's variables",
            true,
            None,
            (200, Some(variables)),
            get(get_variables),
        ),
        route(
            M::PUT,
            "/v1/bots/{bot}/variables/{name}",
            "Add or change a variable",
            true,
            Some(schema::<VariablePut>),
            (200, Some(schema::<Variable>)),
            put(put_variable),
        ),
        route(
            M::DELETE,
            "/v1/bots/{bot}/variables/{name}",
            "Remove a variable",
            true,
            None,
            (204, None),
            delete(delete_variable),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}/flows/{flow}",
            "One flow entity",
            true,
            None,
            (200, Some(schema::<FlowEntity>)),
            get(get_flow),
        ),
        route(
            M::PUT,
            "/v1/bots/{bot}/flows/{flow}",
            "Create (If-None-Match: *) or change (If-Match) a flow; a new flow joins the bot's flows",
            true,
            Some(schema::<FlowEntity>),
            (200, Some(schema::<FlowEntity>)),
            put(put_flow),
        ),
        route(
            M::DELETE,
            "/v1/bots/{bot}/flows/{flow}",
            "Delete a flow and take it out of the bot's flows",
            true,
            None,
            (204, None),
            delete(delete_flow),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}/blocks/{block}",
            "One block, with its token",
            true,
            None,
            (200, Some(schema::<Block>)),
            get(get_block),
        ),
        route(
            M::PUT,
            "/v1/bots/{bot}/blocks/{block}",
            "Create (If-None-Match: *) or change (If-Match) a block; one sent without a token keeps the stored one",
            true,
            Some(schema::<Block>),
            (200, Some(schema::<Block>)),
            put(put_block),
        ),
        route(
            M::DELETE,
            "/v1/bots/{bot}/blocks/{block}",
            "Delete a block and take it out of its flows",
            true,
            None,
            (204, None),
            delete(delete_block),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}/blocks/{block}/revisions",
            "A block's history, without tokens",
            true,
            None,
            (200, Some(revisions_list)),
            get(block_revisions),
        ),
        route(
            M::GET,
            "/v1/bots/{bot}/blocks/{block}/events",
            "The requests the block's production URL accepted, newest first (the last 1,000 are kept)",
            true,
            None,
            (200, Some(events_list)),
            get(block_events),
        ),
        route(
            M::POST,
            "/v1/webhooks/{block}",
            "A webhook block's production URL: Authorization: Bearer <the block's token>",
            false,
            Some(webhook_request),
            (202, Some(webhook_answer)),
            post(webhook),
        ),
        route(
            M::GET,
            "/openapi.json",
            "This document",
            false,
            None,
            (200, Some(any_json)),
            get(openapi_json),
        ),
    ]
}

/// A path as it may be logged: a segment that looks like a token or an API key (a client that put
/// one in the URL by mistake) is masked.
pub fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with(webhook_block::token::TOKEN_PREFIX)
                || segment.starts_with(crate::secret::API_KEY_PREFIX)
            {
                "<redacted>"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Any error answer that is not JSON (an axum rejection this API does not map itself, such as a
/// path that is not UTF-8) is turned into an [`ErrorEnvelope`] carrying its text, so every error
/// has one shape.
async fn as_envelope(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "not_json",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let mut out =
        ApiError::new(status, code, message, "see GET /openapi.json for what this route takes").into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

/// One log line per request: method, path (masked), status and time. Never headers or bodies,
/// where keys and tokens travel.
async fn log_request(request: Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let started = std::time::Instant::now();
    let response = as_envelope(next.run(request).await).await;
    eprintln!(
        "webhook-studio-server: {method} {path} {} {}ms",
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    response
}

/// The router: every route of [`routes`], the JSON fallbacks, body limits and panic-to-500.
pub fn router(state: AppState) -> Router {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for r in routes() {
        match by_path.iter_mut().find(|(p, _)| *p == r.path) {
            Some((_, existing)) => {
                let merged = std::mem::take(existing).merge(r.handler);
                *existing = merged;
            }
            None => by_path.push((r.path, r.handler)),
        }
    }
    let mut router = Router::new();
    for (path, handler) in by_path {
        router = router.route(path, handler);
    }
    router
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(log_request))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server hit a bug answering this request",
                "try again; the server keeps running",
            )
            .into_response()
        }))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_a_path_is_not_logged() {
        assert_eq!(loggable_path("/v1/webhooks/order-hook"), "/v1/webhooks/order-hook");
        assert_eq!(
            loggable_path("/v1/webhooks/whs_80dRpgEt3koV21TCtki-zZNVLwX448Jla0gE0b9nrT8"),
            "/v1/webhooks/<redacted>"
        );
        assert_eq!(loggable_path("/v1/team/whsk_abc"), "/v1/team/<redacted>");
    }
}
