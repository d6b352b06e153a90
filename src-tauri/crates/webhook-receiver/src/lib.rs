//! The development receiver: an HTTP server on 127.0.0.1 that answers a bot's webhook URLs the
//! way DESIGN.md's request contract says, so a designer can test a block before it goes live.
//!
//! [`answer`] is the contract itself, a pure function from a block and a request to a status
//! and a JSON body; the team server answers production URLs through it too. [`router`] wraps it
//! in axum with what only a local server needs: the Host guard against DNS rebinding and an
//! event for every request, which the CLI prints and the app shows.
//!
//! Every error body is `{"error": {"code", "message", "fix"}}`: what is wrong and how to fix it.
//! No request can make it panic; should a bug ever do so, the panic becomes a 500 with that
//! shape and the server keeps running.
#![deny(missing_docs)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::sync::broadcast;
use webhook_block::request::BodyError;
use webhook_block::validate::check_webhook;
use webhook_block::{Bot, CompiledWebhook, Environment, Problem};

/// Largest request body accepted: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// What a block id resolves to.
#[derive(Debug, Clone)]
pub enum Entry {
    /// Submitted: its URL is live.
    Live(Arc<CompiledWebhook>),
    /// Never submitted: its URL answers 404 and says so.
    Draft,
}

/// The blocks a receiver answers for, by id.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    blocks: HashMap<String, Entry>,
}

impl Directory {
    /// Every webhook block of `bot`: submitted ones by their live version, drafts as drafts.
    /// A live version that breaks a rule cannot be served: its problems are returned.
    pub fn from_bot(bot: &Bot) -> Result<Self, Vec<Problem>> {
        let mut blocks = HashMap::new();
        let mut problems = Vec::new();
        for block in bot.webhook_blocks() {
            let entry = match block.live_form() {
                None => Entry::Draft,
                Some(live) => match check_webhook(bot, block, live).into_valid() {
                    Ok(compiled) => Entry::Live(Arc::new(compiled)),
                    Err(found) => {
                        problems.extend(found);
                        continue;
                    }
                },
            };
            blocks.insert(block.id.as_str().to_owned(), entry);
        }
        if problems.is_empty() {
            Ok(Self { blocks })
        } else {
            Err(problems)
        }
    }

    /// The entry for a block id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.blocks.get(id)
    }

    /// How many blocks are live.
    pub fn live_count(&self) -> usize {
        self.blocks.values().filter(|e| matches!(e, Entry::Live(_))).count()
    }
}

/// The answer to one request: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub body: Value,
    /// The extracted variables, when accepted.
    pub variables: Map<String, Value>,
}

/// A refused request: status, a code the caller can branch on, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: StatusCode,
    /// Machine-readable reason.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

impl From<Refusal> for Answer {
    fn from(refusal: Refusal) -> Self {
        Self {
            status: refusal.status,
            body: json!({"error": {"code": refusal.code, "message": refusal.message, "fix": refusal.fix}}),
            variables: Map::new(),
        }
    }
}

impl Answer {
    fn error(status: StatusCode, code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Refusal::new(status, code, message, fix).into()
    }

    /// The error code, when the request was refused.
    pub fn code(&self) -> Option<&str> {
        self.body.pointer("/error/code").and_then(Value::as_str)
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The request contract (DESIGN.md), first half: what is decided before the body is read.
/// Refuses an unknown block or a draft (404, saying which), a missing or wrong token (401) and a
/// body that is not declared JSON (415).
pub fn admit<'e>(
    block_id: &str,
    entry: Option<&'e Entry>,
    headers: &HeaderMap,
) -> Result<&'e CompiledWebhook, Refusal> {
    let block = match entry {
        Some(Entry::Live(block)) => block,
        Some(Entry::Draft) => {
            return Err(Refusal::new(
                StatusCode::NOT_FOUND,
                "block_not_submitted",
                format!(
                    "the webhook block \"{block_id}\" is a draft that was never submitted, so its URL is not live yet"
                ),
                "open the block, fix what it shows, and click Submit; then send the request again",
            ));
        }
        None => {
            return Err(Refusal::new(
                StatusCode::NOT_FOUND,
                "unknown_block",
                format!("there is no webhook block \"{block_id}\" in this bot"),
                "copy the Webhook URL again from the block; the id is the last part of the URL",
            ));
        }
    };
    authorize(block, headers)?;
    require_json(headers)?;
    Ok(block)
}

/// The request contract, second half: the body of an admitted request. Malformed JSON is 400,
/// JSON the block cannot use is 422, and an accepted request is 202 with, in development, the
/// extracted variables.
pub fn answer_body(block_id: &str, block: &CompiledWebhook, bytes: &[u8], env: Environment) -> Answer {
    match block.accept_json(bytes) {
        Ok(accepted) => {
            let mut body = json!({"accepted": true, "block": block_id, "environment": env.to_string()});
            if env == Environment::Development {
                body["variables"] = Value::Object(accepted.variables.clone());
                if let Some(contact) = &accepted.contact_reference_id {
                    body["contact_reference_id"] = json!(contact);
                }
                if !accepted.skipped.is_empty() {
                    body["skipped"] = serde_json::to_value(&accepted.skipped).unwrap_or_default();
                }
            }
            Answer {
                status: StatusCode::ACCEPTED,
                body,
                variables: accepted.variables,
            }
        }
        Err(BodyError::Json(e)) => Answer::error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {e}"),
            "send a JSON object, like {\"data\": {\"name\": \"Ada\"}}; check quotes and commas",
        ),
        Err(BodyError::Rejected(rejected)) => {
            let mut answer = Answer::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                rejected.code,
                rejected.message,
                rejected.fix,
            );
            if !rejected.misses.is_empty() {
                answer.body["error"]["misses"] = serde_json::to_value(&rejected.misses).unwrap_or_default();
            }
            answer
        }
    }
}

fn authorize(block: &CompiledWebhook, headers: &HeaderMap) -> Result<(), Refusal> {
    let how = "send the header Authorization: Bearer <token>, with the token copied from the block";
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            "missing_token",
            "the request has no Authorization header",
            how,
        ));
    };
    let presented = value.to_str().ok().and_then(|v| {
        let (scheme, token) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    let Some(presented) = presented else {
        return Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            "malformed_authorization",
            "the Authorization header is not of the form \"Bearer <token>\"",
            how,
        ));
    };
    match &block.token {
        Some(token) if token.matches(presented) => Ok(()),
        _ => Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            "wrong_token",
            "the token does not match this block's token",
            "copy the Authorization Token again from the block; a rotated token replaces the old one at once",
        )),
    }
}

fn require_json(headers: &HeaderMap) -> Result<(), Refusal> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    match media_type.as_deref() {
        Some("application/json") => Ok(()),
        Some(other) => Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            format!("the body is sent as {other}, but a webhook takes JSON"),
            "send the header Content-Type: application/json with a JSON body",
        )),
        None => Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "the request does not say its body is JSON (no Content-Type header)",
            "send the header Content-Type: application/json with a JSON body",
        )),
    }
}

/// A body over the limit: how large it was, when known, and the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTooLarge {
    /// The declared size, when the request said it.
    pub declared: Option<u64>,
    /// The limit, in bytes.
    pub limit: usize,
}

impl BodyTooLarge {
    fn answer(self) -> Answer {
        let size = match self.declared {
            Some(n) => format!("{n} bytes"),
            None => format!("more than {} bytes", self.limit),
        };
        Answer::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "the body is {size}; the limit for a webhook body is {} ({} bytes)",
                human_size(self.limit),
                self.limit
            ),
            "send only the data the bot needs; large files belong behind a URL in the body",
        )
    }
}

fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes % 1024 == 0 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// One request the receiver answered: printed by the CLI, shown by the app. Holds no secret:
/// its headers are [`masked_headers`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The block id from the URL.
    pub block: String,
    /// When the request arrived (RFC 3339, UTC, milliseconds).
    pub received_at: String,
    /// The answer's status code.
    pub status: u16,
    /// The request's headers, in the order received, with credentials masked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// The extracted variables (empty unless accepted).
    pub variables: Map<String, Value>,
    /// The error code, when refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The error message, when refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The request body, when it was JSON and within the limit, refused or not (a 401 or a 404
    /// keeps its body too, so the designer can see what was sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// What the designer sees in place of a credential.
const MASK: &str = "••••••••";

/// `headers` as text pairs, safe to show, print and store: `Authorization` and
/// `Proxy-Authorization` keep their scheme and, for a webhook token, its prefix and last four
/// characters (`Bearer whs_••••••••abcd`, as the block shows its own token); cookies and any
/// header named like a key, token, secret or password are masked whole. A value that is not
/// text is described, not copied.
pub fn masked_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_owned();
            let shown = match value.to_str() {
                Err(_) => format!("<{} bytes, not text>", value.len()),
                Ok(text) => match name.as_str() {
                    "authorization" | "proxy-authorization" => mask_credentials(text),
                    _ if is_secret_name(&name) => MASK.to_owned(),
                    _ => text.to_owned(),
                },
            };
            (name, shown)
        })
        .collect()
}

fn is_secret_name(name: &str) -> bool {
    matches!(name, "cookie" | "set-cookie")
        || ["token", "secret", "password", "api-key", "apikey", "signature"]
            .iter()
            .any(|word| name.contains(word))
}

/// `Bearer whs_…` → `Bearer whs_••••••••abcd`; any other credential → `<scheme> ••••••••`.
fn mask_credentials(value: &str) -> String {
    let value = value.trim();
    let (scheme, credential) = value.split_once(' ').unwrap_or(("", value));
    let credential = credential.trim();
    let prefix = webhook_block::token::TOKEN_PREFIX;
    // Four characters of a 47-character token say which token was sent and leave 232 bits
    // unknown; a shorter value gets no tail, so little of it is shown.
    let masked = match credential.strip_prefix(prefix) {
        Some(rest) if rest.len() >= 16 && rest.is_char_boundary(rest.len() - 4) => {
            format!("{prefix}{MASK}{}", &rest[rest.len() - 4..])
        }
        _ if credential.is_empty() => String::new(),
        _ => MASK.to_owned(),
    };
    match (scheme.is_empty(), masked.is_empty()) {
        (true, _) => masked,
        (false, true) => scheme.to_owned(),
        (false, false) => format!("{scheme} {masked}"),
    }
}

/// The current time as RFC 3339 in UTC with milliseconds (`2026-11-25T10:00:00.123Z`).
pub fn now_rfc3339() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's civil_from_days: days since 1970-01-01 to a proleptic Gregorian date.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

/// Settings of one receiver.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest body accepted.
    pub body_limit: usize,
    /// Which environment's URLs it answers.
    pub environment: Environment,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            environment: Environment::Development,
        }
    }
}

/// A running receiver's shared state.
#[derive(Debug)]
pub struct Receiver {
    directory: RwLock<Directory>,
    settings: Settings,
    events: broadcast::Sender<Event>,
}

impl Receiver {
    /// A receiver for `directory`.
    pub fn new(directory: Directory, settings: Settings) -> Arc<Self> {
        let (events, _) = broadcast::channel(1024);
        Arc::new(Self {
            directory: RwLock::new(directory),
            settings,
            events,
        })
    }

    /// Every request from now on, as it is answered.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Whether anyone is watching the requests.
    fn watched(&self) -> bool {
        self.events.receiver_count() > 0
    }

    /// Tells subscribers about one answered request, with its headers (masked) and its body when
    /// it was JSON.
    fn record(&self, block: String, headers: &HeaderMap, answer: &Answer, body: Option<&[u8]>) {
        // Nobody is watching: nothing to copy.
        if !self.watched() {
            return;
        }
        let _ = self.events.send(Event {
            block,
            received_at: now_rfc3339(),
            status: answer.status.as_u16(),
            headers: masked_headers(headers),
            variables: answer.variables.clone(),
            code: answer.code().map(str::to_owned),
            message: answer
                .body
                .pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_owned),
            body: body.and_then(|b| serde_json::from_slice(b).ok()),
        });
    }

    /// Serves a new set of blocks from the next request on (after an edit or a submit).
    pub fn replace_directory(&self, directory: Directory) {
        *self.directory.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = directory;
    }
}

/// The receiver's routes, for a server bound to `local`. When `local` is a loopback address the
/// Host guard is on: a request whose Host is not 127.0.0.1, localhost or [::1] on that port is
/// refused with 403, so a web page cannot reach the receiver by DNS rebinding.
pub fn router(receiver: Arc<Receiver>, local: SocketAddr) -> Router {
    let webhook_path = match receiver.settings.environment {
        Environment::Development => "/dev/webhooks/{block}",
        Environment::Production => "/v1/webhooks/{block}",
    };
    let guard = (local.port(), receiver.clone());
    let router = Router::new()
        .route(webhook_path, post(receive).fallback(method_not_allowed))
        .fallback(not_found)
        .with_state(receiver)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            Answer::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the receiver hit a bug answering this request",
                "send it again; if it keeps failing, report it with the request",
            )
            .into_response()
        }));
    if local.ip().is_loopback() {
        router.layer(middleware::from_fn_with_state(guard, host_guard))
    } else {
        router
    }
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    path: Result<Path<String>, PathRejection>,
    request: Request,
) -> Answer {
    // An id that does not decode (`%FF`) names no block: it takes the unknown-block answer
    // like any other, instead of the framework's plain-text 400.
    let block_id = match path {
        Ok(Path(id)) => id,
        Err(_) => block_of(request.uri()),
    };
    let entry = receiver
        .directory
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&block_id)
        .cloned();
    let (parts, body) = request.into_parts();
    let limit = receiver.settings.body_limit;
    let env = receiver.settings.environment;
    let mut read = None;
    let answer = match admit(&block_id, entry.as_ref(), &parts.headers) {
        Err(refused) => {
            // The body of a refused request is read only for whoever watches (the app shows
            // what was sent with a wrong token); nobody watching, it is not read at all.
            if receiver.watched() {
                read = read_body(body, limit).await.ok();
            }
            refused.into()
        }
        Ok(block) => {
            let declared = parts
                .headers
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            // A declared size over the limit is refused before a byte of the body is read.
            match declared.filter(|n| *n > limit as u64) {
                Some(n) => BodyTooLarge {
                    declared: Some(n),
                    limit,
                }
                .answer(),
                None => match read_body(body, limit).await {
                    Ok(bytes) => {
                        let answer = answer_body(&block_id, block, &bytes, env);
                        read = Some(bytes);
                        answer
                    }
                    Err(too_large) => too_large.answer(),
                },
            }
        }
    };
    receiver.record(block_id, &parts.headers, &answer, read.as_deref());
    answer
}

async fn read_body(body: Body, limit: usize) -> Result<Bytes, BodyTooLarge> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| BodyTooLarge { declared: None, limit })
}

async fn method_not_allowed(State(receiver): State<Arc<Receiver>>, uri: Uri, headers: HeaderMap) -> Answer {
    let mut answer = Answer::error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "a webhook URL only takes POST",
        "send the request with POST (curl --request POST)",
    );
    answer.body["error"]["allow"] = json!("POST");
    receiver.record(block_of(&uri), &headers, &answer, None);
    answer
}

async fn not_found(State(receiver): State<Arc<Receiver>>, uri: Uri, headers: HeaderMap) -> Answer {
    let answer = Answer::error(
        StatusCode::NOT_FOUND,
        "no_such_endpoint",
        "this address is not a webhook URL",
        "copy the Webhook URL from the block: it ends in /dev/webhooks/<block id>",
    );
    receiver.record(block_of(&uri), &headers, &answer, None);
    answer
}

/// The block id in a webhook URL's path, or the whole path for any other address.
fn block_of(uri: &Uri) -> String {
    let path = uri.path();
    ["/dev/webhooks/", "/v1/webhooks/"]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or(path)
        .to_owned()
}

async fn host_guard(State((port, receiver)): State<(u16, Arc<Receiver>)>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if is_loopback_host(host, port) {
        return next.run(request).await;
    }
    let answer = Answer::error(
        StatusCode::FORBIDDEN,
        "foreign_host",
        format!("the Host header {host:?} is not this receiver's own address"),
        format!(
            "send the request to http://127.0.0.1:{port}/ (or localhost); the receiver refuses other host names so that web pages cannot reach it"
        ),
    );
    receiver.record(block_of(request.uri()), request.headers(), &answer, None);
    answer.into_response()
}

/// Whether `host` (a Host header) names this machine's loopback on `port`.
pub fn is_loopback_host(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p)) if !name.is_empty() && (name.ends_with(']') || !name.contains(':')) => {
            (name, p.parse::<u16>().ok())
        }
        _ => (host.as_str(), Some(80)),
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]") && host_port == Some(port)
}

/// Binds `addr` and serves until `shutdown` completes.
pub async fn serve(
    receiver: Arc<Receiver>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    axum::serve(listener, router(receiver, local))
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_on_the_port_pass_the_guard() {
        for ok in ["127.0.0.1:8787", "localhost:8787", "LOCALHOST:8787", "[::1]:8787"] {
            assert!(is_loopback_host(ok, 8787), "{ok}");
        }
        assert!(is_loopback_host("localhost", 80));
    }

    #[test]
    fn other_hosts_fail_the_guard() {
        for bad in [
            "evil.example:8787",
            "127.0.0.1:8788",
            "localhost",
            "",
            "127.0.0.1.nip.io:8787",
            "localhost.evil:8787",
            "[::1]",
            "::1:8787",
            "127.0.0.2:8787",
        ] {
            assert!(!is_loopback_host(bad, 8787), "{bad}");
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn a_webhook_token_is_masked_to_its_prefix_and_last_four_characters() {
        let token = webhook_block::WebhookToken::generate().unwrap();
        let secret = token.expose_secret();
        let shown = masked_headers(&headers(&[
            ("authorization", &format!("Bearer {secret}")),
            ("content-type", "application/json"),
            ("user-agent", "curl/8.5.0"),
        ]));
        assert_eq!(shown[0], ("authorization".into(), format!("Bearer {}", token.masked())));
        assert!(!shown[0].1.contains(&secret[4..secret.len() - 4]));
        assert_eq!(shown[1], ("content-type".into(), "application/json".into()));
        assert_eq!(shown[2], ("user-agent".into(), "curl/8.5.0".into()));
    }

    #[test]
    fn other_credentials_and_secret_headers_are_masked_whole() {
        let shown = masked_headers(&headers(&[
            ("authorization", "Basic dXNlcjpwYXNzd29yZA=="),
            ("authorization", "whs_short"),
            ("authorization", "Bearer"),
            ("authorization", "  "),
            (
                "proxy-authorization",
                "Bearer whs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            ),
            ("cookie", "session=abc"),
            ("x-api-key", "k-123"),
            ("x-hub-signature-256", "sha256=00ff"),
            ("x-auth-token", "t-1"),
        ]));
        let values: Vec<&str> = shown.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            values,
            [
                "Basic ••••••••",
                "••••••••",
                // A lone word may be the token itself.
                "••••••••",
                "",
                "Bearer whs_••••••••AAAA",
                "••••••••",
                "••••••••",
                "••••••••",
                "••••••••",
            ]
        );
    }

    #[test]
    fn a_header_that_is_not_text_is_described_not_copied() {
        let mut map = HeaderMap::new();
        map.insert("x-raw", HeaderValue::from_bytes(b"\xff\xfe").unwrap());
        assert_eq!(
            masked_headers(&map),
            vec![("x-raw".into(), "<2 bytes, not text>".into())]
        );
    }

    #[test]
    fn the_time_is_rfc_3339_in_utc() {
        let now = now_rfc3339();
        assert_eq!(now.len(), "2026-11-25T10:00:00.000Z".len(), "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
        let year: i32 = now[..4].parse().unwrap();
        assert!((2024..2200).contains(&year), "{now}");
    }

    #[test]
    fn body_limit_message_names_size_and_limit() {
        let answer = BodyTooLarge {
            declared: Some(2_000_000),
            limit: DEFAULT_BODY_LIMIT,
        }
        .answer();
        let message = answer.body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("2000000 bytes") && message.contains("1 MiB (1048576 bytes)"),
            "{message}"
        );
    }
}
