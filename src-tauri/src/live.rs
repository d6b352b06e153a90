//! "Listen for test request": the development receiver running inside the app.
//!
//! The [`Listener`] serves one bot's webhook URLs on 127.0.0.1 (the port is the store's
//! `receiver_port` setting), on Tauri's async runtime. Every request it answers is kept in the
//! store (the last `CAPTURES_KEPT` per block, headers masked by the receiver) and handed to a
//! [`Sink`]: the app's sink emits [`CapturedRequestEvent`] to the window, a test's sink collects
//! them. A captured request is shown with the trace of the block's *current draft* over its body
//! ([`webhook_block::request::trace`]), so fetching it again after an edit is replaying it.
//!
//! Which blocks are served and how they answer are the receiver's rules: submitted blocks by
//! their submitted version, drafts with 404 "never submitted".

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use specta::Type;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event as _;
use webhook_block::Bot;
use webhook_block::endpoints::DEFAULT_RECEIVER_PORT;
use webhook_block::request::{MappingTrace, TraceOutcome, trace};
use webhook_receiver::{Directory, Event, Receiver, Settings};
use webhook_store::{CapturedRequest, Error, UpdateSource};

use crate::StoreState;

/// The store setting that holds the development receiver's port.
pub const PORT_SETTING: &str = "receiver_port";

/// What the UI branches on when listening or reading captures fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LiveProblemCode {
    /// Another program listens on the development port.
    PortInUse,
    /// The system does not let the app listen on that port.
    PortNotAllowed,
    /// The `receiver_port` setting is not a port number.
    InvalidPort,
    /// Listening failed for another reason.
    CannotListen,
    /// A submitted block breaks a rule, so its URL cannot be served.
    BlockBroken,
    /// No such bot.
    NoSuchBot,
    /// No such webhook block in the bot.
    NoSuchBlock,
    /// No such captured request (or it is no longer kept).
    NoSuchRequest,
    /// The captured request has no JSON object body to use as a sample.
    NoBody,
    /// The store is unavailable or refused the write; the message is the store's.
    Store,
}

/// Why a live command failed: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LiveProblem {
    /// What kind of problem, for the UI to branch on.
    pub code: LiveProblemCode,
    /// What is wrong and how to fix it, shown as is.
    pub message: String,
}

impl LiveProblem {
    fn new(code: LiveProblemCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<crate::StoreProblem> for LiveProblem {
    fn from(problem: crate::StoreProblem) -> Self {
        Self::new(LiveProblemCode::Store, problem.message)
    }
}

/// Whether the app is listening for test requests, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ListenStatus {
    /// Not listening.
    Stopped,
    /// Listening for one bot's webhook blocks.
    #[serde(rename_all = "camelCase")]
    Listening {
        /// The bot whose blocks are served.
        bot_id: String,
        /// The port on 127.0.0.1.
        port: u16,
        /// `http://127.0.0.1:<port>`: a block's development URL is this plus `/dev/webhooks/<id>`.
        base_url: String,
        /// How many of the bot's webhook blocks are submitted and answer requests.
        live_blocks: u32,
        /// How many are drafts and answer 404 "never submitted".
        draft_blocks: u32,
    },
}

/// One request header as received (credentials masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HeaderView {
    /// Lower-case name.
    pub name: String,
    /// Value; `Authorization` shows as `Bearer whs_••••••••abcd`.
    pub value: String,
}

/// What one mapping row found, or why not.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutcomeView {
    /// The variable receives this value.
    Extracted {
        /// The value (any JSON).
        #[specta(type = specta_typescript::Unknown)]
        value: Value,
    },
    /// A required row found nothing: the receiver answers 422.
    Missed {
        /// Where and why it missed.
        message: String,
    },
    /// An optional row found nothing: the request is accepted, the variable stays unset.
    Skipped {
        /// Where and why it missed.
        message: String,
    },
    /// The row's Data is not a usable path.
    BadPath {
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// One mapping row of the block's current draft, run over a captured body.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MappingView {
    /// The row (0-based), as in the form.
    pub row: u32,
    /// Data, as typed.
    pub data: String,
    /// Set Variable, as typed.
    pub set_variable: String,
    /// Whether the row is optional.
    pub optional: bool,
    /// What it found, or why not.
    pub outcome: OutcomeView,
}

/// A captured request as the panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CapturedView {
    /// The store's id; pass it to `replay_request` and `use_as_sample`.
    pub id: u32,
    /// When it arrived (RFC 3339, UTC).
    pub received_at: String,
    /// The same moment as the panel says it, in this machine's time zone: `12:52:07 PM`.
    pub received: String,
    /// The HTTP status answered.
    pub status: u16,
    /// The refusal's code (`wrong_token`, `missing_data`...), when refused.
    pub code: Option<String>,
    /// The refusal's message, when refused.
    pub message: Option<String>,
    /// The request's headers, credentials masked.
    pub headers: Vec<HeaderView>,
    /// The JSON body; `null` when there was none or it was not JSON.
    #[specta(type = specta_typescript::Unknown)]
    pub body: Value,
    /// The variables the receiver extracted (the submitted version's): a JSON object, empty
    /// unless accepted.
    #[specta(type = specta_typescript::Unknown)]
    pub variables: Value,
    /// The block's current draft mappings run over the body: what the request would give now.
    pub mappings: Vec<MappingView>,
}

/// Emitted to the window for every request the listener answers for a block of its bot.
#[derive(Debug, Clone, Serialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct CapturedRequestEvent {
    /// The bot listened for.
    pub bot_id: String,
    /// The block the request was sent to.
    pub block_id: String,
    /// The request, as `captured_requests` lists it.
    pub request: CapturedView,
}

/// Where the listener hands each answered request: the bot listened for and the event.
pub type Sink = Arc<dyn Fn(&str, Event) + Send + Sync>;

/// The running listener, if any. Managed by Tauri; commands start, refresh and stop it.
#[derive(Default)]
pub struct Listener {
    running: Mutex<Option<Running>>,
}

struct Running {
    bot_id: Arc<RwLock<String>>,
    port: u16,
    receiver: Arc<Receiver>,
    live_blocks: u32,
    draft_blocks: u32,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    stopped: mpsc::Receiver<()>,
    recorder: tauri::async_runtime::JoinHandle<()>,
}

impl Running {
    fn status(&self) -> ListenStatus {
        ListenStatus::Listening {
            bot_id: self.bot_id.read().unwrap_or_else(|p| p.into_inner()).clone(),
            port: self.port,
            base_url: format!("http://127.0.0.1:{}", self.port),
            live_blocks: self.live_blocks,
            draft_blocks: self.draft_blocks,
        }
    }

    /// Stops serving and waits (briefly) until the port is free again.
    fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.recorder.abort();
        let _ = self.stopped.recv_timeout(Duration::from_secs(3));
    }
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener").field("status", &self.status()).finish()
    }
}

impl Listener {
    /// Serves `bot_id`'s webhook blocks on the port of the `receiver_port` setting. Listening
    /// again (for the same bot or another) on the same port swaps the blocks served without
    /// closing the port; a changed port setting restarts the server on the new port.
    pub fn start(&self, store: &StoreState, bot_id: &str, sink: Sink) -> Result<ListenStatus, LiveProblem> {
        let (bot, port, refusal) =
            store.with(|s| Ok((s.load_bot(bot_id), s.setting(PORT_SETTING), s.write_refusal())))?;
        // A store that refuses writes could keep none of the requests: they would arrive and vanish.
        if let Some(refusal) = refusal {
            return Err(store.problem_of(&refusal).into());
        }
        let bot = bot.map_err(|e| not_found(e, bot_id, ""))?;
        let port = parse_port(port.map_err(|e| store.problem_of(&e))?.as_deref())?;
        let (directory, live_blocks, draft_blocks) = directory_of(&bot)?;

        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(current) = running.as_mut().filter(|r| r.port == port) {
            current.receiver.replace_directory(directory);
            *current.bot_id.write().unwrap_or_else(|p| p.into_inner()) = bot_id.to_owned();
            current.live_blocks = live_blocks;
            current.draft_blocks = draft_blocks;
            return Ok(current.status());
        }
        if let Some(previous) = running.take() {
            previous.stop();
        }
        let started = serve(directory, port, bot_id, sink)?;
        let started = Running {
            live_blocks,
            draft_blocks,
            ..started
        };
        let status = started.status();
        *running = Some(started);
        Ok(status)
    }

    /// After a submit (or any change to the bot's blocks): serves the stored bot's current
    /// versions, if the listener is serving that bot. Does nothing otherwise.
    pub fn refresh(&self, store: &StoreState, bot_id: &str) -> Result<(), LiveProblem> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let Some(current) = running.as_mut() else {
            return Ok(());
        };
        if *current.bot_id.read().unwrap_or_else(|p| p.into_inner()) != bot_id {
            return Ok(());
        }
        let bot = store
            .with(|s| Ok(s.load_bot(bot_id)))?
            .map_err(|e| not_found(e, bot_id, ""))?;
        let (directory, live_blocks, draft_blocks) = directory_of(&bot)?;
        current.receiver.replace_directory(directory);
        current.live_blocks = live_blocks;
        current.draft_blocks = draft_blocks;
        Ok(())
    }

    /// Stops listening; the port is free when this returns.
    pub fn stop(&self) -> ListenStatus {
        let taken = self.running.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(running) = taken {
            running.stop();
        }
        ListenStatus::Stopped
    }

    /// Whether the listener runs, and for which bot on which port.
    pub fn status(&self) -> ListenStatus {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map_or(ListenStatus::Stopped, Running::status)
    }
}

fn parse_port(setting: Option<&str>) -> Result<u16, LiveProblem> {
    let Some(text) = setting.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(DEFAULT_RECEIVER_PORT);
    };
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(LiveProblem::new(
            LiveProblemCode::InvalidPort,
            format!(
                "The development port in Settings is \"{text}\", which is not a port number. Change it in Settings to a number from 1024 to 65535, like {DEFAULT_RECEIVER_PORT}."
            ),
        )),
    }
}

fn directory_of(bot: &Bot) -> Result<(Directory, u32, u32), LiveProblem> {
    let directory = Directory::from_bot(bot).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        LiveProblem::new(
            LiveProblemCode::BlockBroken,
            format!(
                "A submitted webhook block breaks a rule, so its URL cannot be served: {}. Open the block, fix what it shows and submit it again.",
                list.join("; ")
            ),
        )
    })?;
    let live = u32::try_from(directory.live_count()).unwrap_or(u32::MAX);
    let all = u32::try_from(bot.webhook_blocks().count()).unwrap_or(u32::MAX);
    Ok((directory, live, all.saturating_sub(live)))
}

/// Binds the port now (so a port in use is reported to the caller) and serves on Tauri's runtime.
fn serve(directory: Directory, port: u16, bot_id: &str, sink: Sink) -> Result<Running, LiveProblem> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let socket = TcpListener::bind(address).map_err(|error| bind_problem(port, &error))?;
    socket
        .set_nonblocking(true)
        .map_err(|error| bind_problem(port, &error))?;
    let receiver = Receiver::new(directory, Settings::default());
    let bot_id = Arc::new(RwLock::new(bot_id.to_owned()));

    let mut events = receiver.subscribe();
    let recorder_bot = bot_id.clone();
    let recorder = tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    let bot = recorder_bot.read().unwrap_or_else(|p| p.into_inner()).clone();
                    let sink = sink.clone();
                    // SQLite writes block: off the async workers, one at a time, in order.
                    let _ = tauri::async_runtime::spawn_blocking(move || sink(&bot, event)).await;
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });

    let (shutdown, on_shutdown) = tokio::sync::oneshot::channel::<()>();
    let (stopped_tx, stopped) = mpsc::channel();
    let server_receiver = receiver.clone();
    tauri::async_runtime::spawn(async move {
        match tokio::net::TcpListener::from_std(socket) {
            Ok(listener) => {
                let shutdown = async move {
                    let _ = on_shutdown.await;
                };
                if let Err(error) = webhook_receiver::serve(server_receiver, listener, shutdown).await {
                    eprintln!("webhook-studio-app: the development receiver on port {port} stopped: {error}");
                }
            }
            Err(error) => eprintln!("webhook-studio-app: cannot serve on port {port}: {error}"),
        }
        let _ = stopped_tx.send(());
    });

    Ok(Running {
        bot_id,
        port,
        receiver,
        live_blocks: 0,
        draft_blocks: 0,
        shutdown: Some(shutdown),
        stopped,
        recorder,
    })
}

fn bind_problem(port: u16, error: &std::io::Error) -> LiveProblem {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => LiveProblem::new(
            LiveProblemCode::PortInUse,
            format!(
                "Port {port} is in use by another program. Change the development port in Settings, or stop the other program."
            ),
        ),
        std::io::ErrorKind::PermissionDenied => LiveProblem::new(
            LiveProblemCode::PortNotAllowed,
            format!(
                "This system does not let Webhook Studio listen on port {port}. Choose a port from 1024 to 65535 in Settings."
            ),
        ),
        _ => LiveProblem::new(
            LiveProblemCode::CannotListen,
            format!("Webhook Studio cannot listen on 127.0.0.1:{port} ({error}). Try another port in Settings."),
        ),
    }
}

fn not_found(error: Error, bot_id: &str, block_id: &str) -> LiveProblem {
    match error {
        Error::NoSuchBot(_) => LiveProblem::new(
            LiveProblemCode::NoSuchBot,
            format!("There is no bot \"{bot_id}\"; it may have been deleted. Open a bot from the dashboard."),
        ),
        Error::NoSuchBlock { .. } => no_such_block(bot_id, block_id),
        other => LiveProblem::new(LiveProblemCode::Store, other.to_string()),
    }
}

fn no_such_block(bot_id: &str, block_id: &str) -> LiveProblem {
    LiveProblem::new(
        LiveProblemCode::NoSuchBlock,
        format!(
            "The bot \"{bot_id}\" has no webhook block \"{block_id}\"; it may have been removed. Select a webhook block on the canvas."
        ),
    )
}

/// Keeps one answered request in the store and returns it as the window shows it, traced with
/// the block's current draft. A request for a block that is not one of `bot_id`'s webhook blocks
/// (a mistyped URL, a deleted block) is not kept: there is no block to show it under.
pub fn record_event(
    store: &StoreState,
    bot_id: &str,
    event: Event,
) -> Result<Option<CapturedRequestEvent>, LiveProblem> {
    let bot = store
        .with(|s| Ok(s.load_bot(bot_id)))?
        .map_err(|e| not_found(e, bot_id, &event.block))?;
    let Some(block) = bot.webhook(&event.block) else {
        return Ok(None);
    };
    let request = CapturedRequest {
        id: 0,
        block_id: block.id.clone(),
        received_at: event.received_at,
        status: event.status,
        headers: event.headers,
        body: event.body.unwrap_or(Value::Null),
        variables: Value::Object(event.variables),
        code: event.code,
        message: event.message,
    };
    let id = store.with(|s| s.record_request(&request, UpdateSource::Window))?;
    let request = CapturedRequest { id, ..request };
    Ok(Some(CapturedRequestEvent {
        bot_id: bot_id.to_owned(),
        block_id: block.id.as_str().to_owned(),
        request: view_of(request, &block.form),
    }))
}

fn view_of(request: CapturedRequest, form: &webhook_block::WebhookForm) -> CapturedView {
    let mappings = trace(form, &request.body).into_iter().map(mapping_view).collect();
    CapturedView {
        id: u32::try_from(request.id).unwrap_or(u32::MAX),
        received: webhook_editor::when::local_time_of_day(&request.received_at),
        received_at: request.received_at,
        status: request.status,
        code: request.code,
        message: request.message,
        headers: request
            .headers
            .into_iter()
            .map(|(name, value)| HeaderView { name, value })
            .collect(),
        body: request.body,
        variables: request.variables,
        mappings,
    }
}

fn mapping_view(traced: MappingTrace) -> MappingView {
    MappingView {
        row: u32::try_from(traced.row).unwrap_or(u32::MAX),
        data: traced.data,
        set_variable: traced.set_variable,
        optional: traced.optional,
        outcome: match traced.outcome {
            TraceOutcome::Extracted { value } => OutcomeView::Extracted { value },
            TraceOutcome::Missed { message, .. } => OutcomeView::Missed { message },
            TraceOutcome::Skipped { message, .. } => OutcomeView::Skipped { message },
            TraceOutcome::BadPath { message } => OutcomeView::BadPath { message },
        },
    }
}

/// The bot and its webhook block, or which is missing.
fn load_block(store: &StoreState, bot_id: &str, block_id: &str) -> Result<webhook_block::WebhookBlock, LiveProblem> {
    let bot = store
        .with(|s| Ok(s.load_bot(bot_id)))?
        .map_err(|e| not_found(e, bot_id, block_id))?;
    bot.webhook(block_id)
        .cloned()
        .ok_or_else(|| no_such_block(bot_id, block_id))
}

/// The block's captured requests, newest first, each traced with the block's current draft.
pub fn captured(store: &StoreState, bot_id: &str, block_id: &str) -> Result<Vec<CapturedView>, LiveProblem> {
    let block = load_block(store, bot_id, block_id)?;
    let requests = store.with(|s| s.captured_requests(block_id))?;
    Ok(requests.into_iter().map(|r| view_of(r, &block.form)).collect())
}

fn one_request(store: &StoreState, block_id: &str, request_id: u32) -> Result<CapturedRequest, LiveProblem> {
    store
        .with(|s| s.captured_request(block_id, i64::from(request_id)))?
        .ok_or_else(|| {
            LiveProblem::new(
                LiveProblemCode::NoSuchRequest,
                format!(
                    "Request {request_id} is no longer kept for this block (only the last {} are). Pick one from the list.",
                    webhook_store::CAPTURES_KEPT
                ),
            )
        })
}

/// One captured request, traced with the block's current draft: what it would give now.
pub fn replay(store: &StoreState, bot_id: &str, block_id: &str, request_id: u32) -> Result<CapturedView, LiveProblem> {
    let block = load_block(store, bot_id, block_id)?;
    let request = one_request(store, block_id, request_id)?;
    Ok(view_of(request, &block.form))
}

/// Keeps a captured request's body as the block's sample payload (its sample cURL is built
/// from it). Only a JSON object can be a webhook body.
pub fn use_body_as_sample(
    store: &StoreState,
    bot_id: &str,
    block_id: &str,
    request_id: u32,
) -> Result<(), LiveProblem> {
    load_block(store, bot_id, block_id)?;
    let request = one_request(store, block_id, request_id)?;
    if !request.body.is_object() {
        return Err(LiveProblem::new(
            LiveProblemCode::NoBody,
            "This request has no JSON object body to keep as the sample. Pick a request whose body is shown, or send one with the development cURL.",
        ));
    }
    store.with(|s| s.set_sample_payload(bot_id, block_id, Some(request.body), UpdateSource::Window))?;
    Ok(())
}

/// The app's sink: keep the request in the store and show it in the window.
fn window_sink(app: &AppHandle) -> Sink {
    let app = app.clone();
    Arc::new(move |bot_id: &str, event: Event| {
        let store = app.state::<StoreState>();
        match record_event(&store, bot_id, event) {
            Ok(Some(captured)) => {
                if let Err(error) = captured.emit(&app) {
                    eprintln!("webhook-studio-app: cannot show a captured request: {error}");
                }
            }
            Ok(None) => {}
            Err(problem) => eprintln!("webhook-studio-app: a test request was not kept: {}", problem.message),
        }
    })
}

/// Runs the development receiver for the bot's webhook blocks on 127.0.0.1 (the development
/// port of Settings). Submitted blocks answer; drafts answer 404 "never submitted". Calling it
/// again, for this bot or another, switches what is served.
#[tauri::command]
#[specta::specta]
pub fn start_listening(
    app: AppHandle,
    store: State<'_, StoreState>,
    listener: State<'_, Listener>,
    bot_id: String,
) -> Result<ListenStatus, LiveProblem> {
    listener.start(&store, &bot_id, window_sink(&app))
}

/// Serves the bot's current submitted versions if the listener serves this bot (after a submit).
#[tauri::command]
#[specta::specta]
pub fn refresh_listening(
    store: State<'_, StoreState>,
    listener: State<'_, Listener>,
    bot_id: String,
) -> Result<ListenStatus, LiveProblem> {
    listener.refresh(&store, &bot_id)?;
    Ok(listener.status())
}

/// Stops listening; the port is free again.
#[tauri::command]
#[specta::specta]
pub fn stop_listening(listener: State<'_, Listener>) -> ListenStatus {
    listener.stop()
}

/// Whether the app listens for test requests, for which bot and on which port.
#[tauri::command]
#[specta::specta]
pub fn listening_status(listener: State<'_, Listener>) -> ListenStatus {
    listener.status()
}

/// The block's captured requests, newest first (the last 50), each with its mappings traced by
/// the block's current draft.
#[tauri::command]
#[specta::specta]
pub fn captured_requests(
    store: State<'_, StoreState>,
    bot_id: String,
    block_id: String,
) -> Result<Vec<CapturedView>, LiveProblem> {
    captured(&store, &bot_id, &block_id)
}

/// One captured request run through the block's current draft mappings.
#[tauri::command]
#[specta::specta]
pub fn replay_request(
    store: State<'_, StoreState>,
    bot_id: String,
    block_id: String,
    request_id: u32,
) -> Result<CapturedView, LiveProblem> {
    replay(&store, &bot_id, &block_id, request_id)
}

/// Keeps a captured request's body as the block's sample payload.
#[tauri::command]
#[specta::specta]
pub fn use_as_sample(
    store: State<'_, StoreState>,
    bot_id: String,
    block_id: String,
    request_id: u32,
) -> Result<(), LiveProblem> {
    use_body_as_sample(&store, &bot_id, &block_id, request_id)
}

#[cfg(test)]
mod tests {
    use std::process::Command;
    use std::sync::mpsc::Receiver as Inbox;

    use webhook_block::curl::{Shell, TokenIn, sample_curl};
    use webhook_block::{BotDocument, Endpoints, Environment, check_webhook};

    use super::*;

    const BOT: &str = "acme-signups";
    const BLOCK: &str = "signup-webhook";

    /// A store in a fresh folder holding the welcome example (a bot with a submitted block).
    fn store(name: &str) -> (std::path::PathBuf, Arc<StoreState>) {
        let dir = std::env::temp_dir().join(format!("webhook-studio-live-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let state = StoreState::open_in(&dir);
        let text = include_str!("../../assets/examples/welcome-on-sign-up.bot.json");
        let document = BotDocument::from_json(text).unwrap();
        state
            .with(|s| s.import_document(&document, false, UpdateSource::Import))
            .unwrap();
        (dir, Arc::new(state))
    }

    fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    /// The sink a test uses: the app's recording, and the view sent where the test can see it.
    fn collecting(store: &Arc<StoreState>) -> (Sink, Inbox<CapturedRequestEvent>) {
        let (tx, rx) = mpsc::channel();
        let store = store.clone();
        let tx = Mutex::new(tx);
        let sink: Sink = Arc::new(move |bot: &str, event: Event| {
            if let Ok(Some(captured)) = record_event(&store, bot, event) {
                let _ = tx.lock().unwrap().send(captured);
            }
        });
        (sink, rx)
    }

    fn development_curl(state: &StoreState, port: u16) -> (String, String) {
        let bot = state.with(|s| s.load_bot(BOT)).unwrap();
        let block = bot.webhook(BLOCK).unwrap();
        let compiled = check_webhook(&bot, block, &block.form).into_valid().unwrap();
        let endpoints = Endpoints {
            receiver_port: Some(port),
            ..Endpoints::default()
        };
        let command = sample_curl(
            &compiled,
            &endpoints,
            Environment::Development,
            Shell::Posix,
            TokenIn::Inline,
        );
        let token = block.token.as_ref().unwrap().expose_secret().to_owned();
        (command, token)
    }

    fn run(command: &str) -> String {
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("{command} --silent --show-error"))
            .output()
            .expect("sh runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    #[test]
    fn a_development_curl_request_is_kept_masked_traced_and_shown_within_a_second() {
        let (dir, state) = store("curl");
        let port = free_port();
        state
            .with(|s| s.set_setting(PORT_SETTING, &port.to_string(), UpdateSource::Window))
            .unwrap();
        let listener = Listener::default();
        let (sink, inbox) = collecting(&state);
        let status = listener.start(&state, BOT, sink).unwrap();
        let ListenStatus::Listening {
            port: served,
            live_blocks,
            ..
        } = status
        else {
            panic!("{status:?}")
        };
        assert_eq!((served, live_blocks), (port, 1));

        let (command, token) = development_curl(&state, port);
        let answer = run(&command);
        assert!(answer.contains("\"accepted\":true"), "{answer}");

        let shown = inbox
            .recv_timeout(Duration::from_secs(1))
            .expect("shown within a second");
        assert_eq!((shown.bot_id.as_str(), shown.block_id.as_str()), (BOT, BLOCK));
        let view = &shown.request;
        assert_eq!(view.status, 202);
        let authorization = view.headers.iter().find(|h| h.name == "authorization").unwrap();
        assert_eq!(
            authorization.value,
            format!("Bearer whs_••••••••{}", &token[token.len() - 4..])
        );
        assert!(
            view.headers
                .iter()
                .any(|h| h.name == "content-type" && h.value == "application/json")
        );
        assert!(
            view.mappings
                .iter()
                .all(|m| matches!(m.outcome, OutcomeView::Extracted { .. }))
        );

        // The store holds it, with its variables, and nothing of the token.
        let kept = state.with(|s| s.captured_requests(BLOCK)).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].status, 202);
        assert!(
            kept[0].variables.as_object().is_some_and(|v| !v.is_empty()),
            "{}",
            kept[0].variables
        );
        let secret = &token[4..token.len() - 4];
        for (_, value) in &kept[0].headers {
            assert!(!value.contains(secret), "{value}");
        }
        let listed = captured(&state, BOT, BLOCK).unwrap();
        assert_eq!(listed, vec![view.clone()]);
        assert!(!serde_json::to_string(&listed).unwrap().contains(secret));
        assert_eq!(listener.stop(), ListenStatus::Stopped);
        assert_eq!(listener.status(), ListenStatus::Stopped);
        // The port is free again at once.
        TcpListener::bind(("127.0.0.1", port)).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_wrong_token_is_kept_with_its_body_and_a_replay_follows_the_draft() {
        let (dir, state) = store("replay");
        let port = free_port();
        state
            .with(|s| s.set_setting(PORT_SETTING, &port.to_string(), UpdateSource::Window))
            .unwrap();
        let listener = Listener::default();
        let (sink, inbox) = collecting(&state);
        listener.start(&state, BOT, sink).unwrap();
        let url = format!("http://127.0.0.1:{port}/dev/webhooks/{BLOCK}");
        let output = Command::new("curl")
            .args([
                "--silent",
                "-H",
                "Authorization: Bearer whs_not-the-token-at-all-000000000000000000000",
            ])
            .args([
                "-H",
                "Content-Type: application/json",
                "--data",
                r#"{"data": {"nickname": "Ada"}}"#,
                &url,
            ])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&output.stdout).contains("wrong_token"));
        let shown = inbox.recv_timeout(Duration::from_secs(1)).unwrap().request;
        assert_eq!((shown.status, shown.code.as_deref()), (401, Some("wrong_token")));
        assert_eq!(shown.body, serde_json::json!({"data": {"nickname": "Ada"}}));
        assert!(
            shown
                .mappings
                .iter()
                .any(|m| matches!(m.outcome, OutcomeView::Missed { .. }))
        );

        // The designer maps data.nickname: replaying shows what the edit does.
        let bot = state.with(|s| s.load_bot(BOT)).unwrap();
        let mut form = bot.webhook(BLOCK).unwrap().form.clone();
        form.mappings[0].data = "data.nickname".into();
        form.mappings.push(webhook_block::model::Mapping {
            data: "data[".into(),
            set_variable: "broken".into(),
            optional: false,
        });
        state
            .with(|s| s.update_webhook_form(BOT, BLOCK, form, UpdateSource::Window))
            .unwrap();
        let replayed = replay(&state, BOT, BLOCK, shown.id).unwrap();
        assert_eq!(
            replayed.mappings[0].outcome,
            OutcomeView::Extracted { value: "Ada".into() }
        );
        assert!(matches!(
            replayed.mappings.last().unwrap().outcome,
            OutcomeView::BadPath { .. }
        ));
        assert_eq!(
            replay(&state, BOT, BLOCK, shown.id + 1).unwrap_err().code,
            LiveProblemCode::NoSuchRequest
        );

        // Its body becomes the block's sample.
        use_body_as_sample(&state, BOT, BLOCK, shown.id).unwrap();
        let bot = state.with(|s| s.load_bot(BOT)).unwrap();
        assert_eq!(bot.webhook(BLOCK).unwrap().sample_payload, Some(shown.body.clone()));
        listener.stop();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_store_from_a_newer_version_is_not_listened_for_and_says_why() {
        let (dir, state) = store("newer");
        drop(state);
        // The file as a newer Webhook Studio leaves it: the schema version in its header (bytes
        // 60-63, big-endian) past this build's. Closing the store above checkpointed it.
        let path = dir.join("studio.db");
        let mut bytes = std::fs::read(&path).unwrap();
        let newer = u32::try_from(webhook_store::SCHEMA_VERSION + 1).unwrap();
        bytes[60..64].copy_from_slice(&newer.to_be_bytes());
        std::fs::write(&path, bytes).unwrap();
        let state = Arc::new(StoreState::open_in(&dir));

        let listener = Listener::default();
        let (sink, _inbox) = collecting(&state);
        let problem = listener.start(&state, BOT, sink).unwrap_err();
        assert_eq!(problem.code, LiveProblemCode::Store);
        assert!(problem.message.contains("newer Webhook Studio"), "{}", problem.message);
        assert_eq!(listener.status(), ListenStatus::Stopped);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_port_in_use_is_reported_with_how_to_fix_it() {
        let (dir, state) = store("busy");
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        state
            .with(|s| s.set_setting(PORT_SETTING, &port.to_string(), UpdateSource::Window))
            .unwrap();
        let listener = Listener::default();
        let (sink, _inbox) = collecting(&state);
        let problem = listener.start(&state, BOT, sink).unwrap_err();
        assert_eq!(problem.code, LiveProblemCode::PortInUse);
        assert_eq!(
            problem.message,
            format!(
                "Port {port} is in use by another program. Change the development port in Settings, or stop the other program."
            )
        );
        assert_eq!(listener.status(), ListenStatus::Stopped);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bad_port_setting_an_unknown_bot_and_an_unknown_block_say_what_to_do() {
        let (dir, state) = store("bad");
        let listener = Listener::default();
        let (sink, _inbox) = collecting(&state);
        for bad in ["eighty", "0", "70000", "-1"] {
            state
                .with(|s| s.set_setting(PORT_SETTING, bad, UpdateSource::Window))
                .unwrap();
            let problem = listener.start(&state, BOT, sink.clone()).unwrap_err();
            assert_eq!(problem.code, LiveProblemCode::InvalidPort, "{bad}");
            assert!(
                problem.message.contains(bad) && problem.message.contains("Settings"),
                "{}",
                problem.message
            );
        }
        assert_eq!(
            listener.start(&state, "no-bot", sink).unwrap_err().code,
            LiveProblemCode::NoSuchBot
        );
        assert_eq!(
            captured(&state, BOT, "nope").unwrap_err().code,
            LiveProblemCode::NoSuchBlock
        );
        assert_eq!(
            captured(&state, "no-bot", BLOCK).unwrap_err().code,
            LiveProblemCode::NoSuchBot
        );
        assert_eq!(
            use_body_as_sample(&state, BOT, BLOCK, 1).unwrap_err().code,
            LiveProblemCode::NoSuchRequest
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn listening_again_for_a_bot_swaps_what_is_served_and_a_refresh_serves_a_new_submit() {
        let (dir, state) = store("swap");
        let port = free_port();
        state
            .with(|s| s.set_setting(PORT_SETTING, &port.to_string(), UpdateSource::Window))
            .unwrap();
        let listener = Listener::default();
        let (sink, inbox) = collecting(&state);
        listener.start(&state, BOT, sink.clone()).unwrap();
        // A second bot, whose block is a draft: the same port now answers 404 "never submitted".
        let text = include_str!("../../assets/examples/order-received-alert.bot.json");
        let mut document = BotDocument::from_json(text).unwrap();
        document.bot.webhook_mut("order-webhook").unwrap().status = webhook_block::model::BlockStatus::Draft;
        state
            .with(|s| s.import_document(&document, false, UpdateSource::Import))
            .unwrap();
        let other = document.bot.id.as_str().to_owned();
        let status = listener.start(&state, &other, sink).unwrap();
        assert!(
            matches!(status, ListenStatus::Listening { ref bot_id, live_blocks: 0, draft_blocks: 1, .. } if *bot_id == other),
            "{status:?}"
        );
        let url = format!("http://127.0.0.1:{port}/dev/webhooks/order-webhook");
        let post = || {
            let output = Command::new("curl")
                .args(["--silent", "-H", "Content-Type: application/json", "--data", "{}", &url])
                .output()
                .unwrap();
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        assert!(post().contains("block_not_submitted"));
        let shown = inbox.recv_timeout(Duration::from_secs(1)).unwrap();
        assert_eq!((shown.block_id.as_str(), shown.request.status), ("order-webhook", 404));

        // After a submit, refresh: the URL is live (it now asks for the token).
        state
            .with(|s| s.submit_webhook(&other, "order-webhook", UpdateSource::Window))
            .unwrap();
        listener.refresh(&state, &other).unwrap();
        assert!(post().contains("missing_token"));
        listener.stop();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
