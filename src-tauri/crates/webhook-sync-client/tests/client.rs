//! The sync client against a stand-in server on 127.0.0.1 (real HTTP, real SQLite files): the
//! connection test's answers, batching and chaining as the server sees them, a retry after a lost
//! answer, conflicts and rejections, tokens over plain http, and the runner's status.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use webhook_block::BotDocument;
use webhook_store::{Store, UpdateSource};
use webhook_sync::entity::EntityKey;
use webhook_sync::{
    API_VERSION, ChangesPage, ErrorBody, ErrorEnvelope, PushOutcome, PushRequest, PushResponse, PushResult,
    SERVER_NAME, ServerInfo, TeamInfo, Versioned,
};
use webhook_sync_client::{ConnectionError, Remote, SyncError, SyncRunner, SyncStatus, sync_once, test_connection};

const KEY: &str = "wss_test_key_0123456789";

/// A minimal in-memory sync server: revisions per entity, op ids remembered, a change log.
#[derive(Default)]
struct Stub {
    entities: HashMap<EntityKey, (i64, i64, Option<Value>)>,
    seen: HashMap<String, PushOutcome>,
    log: Vec<EntityKey>,
    seq: i64,
    /// Every op received, in order (retries included).
    received: Vec<webhook_sync::PushOp>,
    /// Apply the next push, then answer 500 as if the answer were lost.
    lose_next_answer: bool,
    /// Refuse ops whose body has this name.
    reject_name: Option<String>,
    api_version: u32,
    server_name: String,
}

type Shared = Arc<Mutex<Stub>>;

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {KEY}"))
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(ErrorEnvelope {
            error: ErrorBody {
                code: "unauthorized".into(),
                message: "the API key is not valid".into(),
                fix: "send a valid key".into(),
            },
        }),
    )
        .into_response()
}

async fn info(State(stub): State<Shared>) -> Json<ServerInfo> {
    let stub = stub.lock().unwrap();
    Json(ServerInfo {
        server: stub.server_name.clone(),
        api_version: stub.api_version,
        version: "test".into(),
    })
}

async fn team(headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    Json(TeamInfo {
        id: "team-1".into(),
        name: "Designers".into(),
    })
    .into_response()
}

async fn push(State(stub): State<Shared>, headers: HeaderMap, Json(request): Json<PushRequest>) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let mut stub = stub.lock().unwrap();
    let mut results = Vec::new();
    for op in request.ops {
        stub.received.push(op.clone());
        if let Some(outcome) = stub.seen.get(&op.op_id) {
            results.push(PushResult {
                op_id: op.op_id,
                outcome: outcome.clone(),
            });
            continue;
        }
        let (revision, seq, body) = stub.entities.get(&op.key).cloned().unwrap_or((0, 0, None));
        let name = op.body.as_ref().and_then(|b| b.get("name")).and_then(Value::as_str);
        let outcome = if stub.reject_name.is_some() && name == stub.reject_name.as_deref() {
            PushOutcome::Rejected {
                error: ErrorBody {
                    code: "invalid".into(),
                    message: "that name is refused here".into(),
                    fix: "rename it".into(),
                },
            }
        } else if op.base_revision.unwrap_or(0) != revision {
            PushOutcome::Conflict {
                current: Versioned {
                    key: op.key.clone(),
                    revision,
                    seq,
                    body,
                },
            }
        } else {
            stub.seq += 1;
            let seq = stub.seq;
            stub.entities
                .insert(op.key.clone(), (revision + 1, seq, op.body.clone()));
            stub.log.push(op.key.clone());
            PushOutcome::Applied {
                revision: revision + 1,
                seq,
            }
        };
        stub.seen.insert(op.op_id.clone(), outcome.clone());
        results.push(PushResult {
            op_id: op.op_id,
            outcome,
        });
    }
    if std::mem::take(&mut stub.lose_next_answer) {
        return (StatusCode::INTERNAL_SERVER_ERROR, "lost").into_response();
    }
    Json(PushResponse { results }).into_response()
}

#[derive(serde::Deserialize)]
struct Since {
    since: i64,
    limit: usize,
}

async fn changes(State(stub): State<Shared>, headers: HeaderMap, Query(q): Query<Since>) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let stub = stub.lock().unwrap();
    let mut newer: Vec<Versioned> = stub
        .entities
        .iter()
        .filter(|(_, (_, seq, _))| *seq > q.since)
        .map(|(key, (revision, seq, body))| Versioned {
            key: key.clone(),
            revision: *revision,
            seq: *seq,
            body: body.clone(),
        })
        .collect();
    newer.sort_by_key(|v| v.seq);
    let more = newer.len() > q.limit;
    newer.truncate(q.limit);
    let next = newer.last().map_or(q.since, |v| v.seq);
    Json(ChangesPage {
        changes: newer,
        next,
        more,
    })
    .into_response()
}

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

async fn stub_server() -> (Shared, String) {
    let stub = Arc::new(Mutex::new(Stub {
        api_version: API_VERSION,
        server_name: SERVER_NAME.into(),
        ..Stub::default()
    }));
    let router = Router::new()
        .route("/v1/info", get(info))
        .route("/v1/team", get(team))
        .route("/v1/sync/push", post(push))
        .route("/v1/sync/changes", get(changes))
        .with_state(stub.clone());
    let addr = serve(router).await;
    (stub, format!("http://{addr}"))
}

fn example_store() -> (tempfile::TempDir, Mutex<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../assets/examples/order-received-alert.bot.json"
    );
    let bot = BotDocument::from_json(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .bot;
    store.save_bot(&bot, UpdateSource::Import).unwrap();
    (dir, Mutex::new(store))
}

fn edit(store: &Mutex<Store>, contact: &str) {
    let mut store = store.lock().unwrap();
    let mut form = store
        .load_bot("shop-orders")
        .unwrap()
        .webhook("order-webhook")
        .unwrap()
        .form
        .clone();
    form.contact_reference_id = contact.into();
    store
        .update_webhook_form("shop-orders", "order-webhook", form, UpdateSource::Window)
        .unwrap();
}

#[tokio::test]
async fn the_connection_test_says_what_is_wrong_and_what_to_do() {
    let (stub, base) = stub_server().await;
    let connected = test_connection(&Remote::new(&base, KEY)).await.unwrap();
    assert_eq!(connected.team.name, "Designers");

    let error = test_connection(&Remote::new(&base, "wss_wrong")).await.unwrap_err();
    assert_eq!(error, ConnectionError::BadKey);
    assert!(error.to_string().contains("API key") && !error.to_string().contains("wss_wrong"));

    stub.lock().unwrap().api_version = API_VERSION + 1;
    let error = test_connection(&Remote::new(&base, KEY)).await.unwrap_err();
    assert!(matches!(error, ConnectionError::VersionMismatch { .. }), "{error:?}");
    assert!(error.to_string().contains("Update Webhook Studio"), "{error}");

    {
        let mut stub = stub.lock().unwrap();
        stub.api_version = API_VERSION;
        stub.server_name = "someone-else".into();
    }
    let error = test_connection(&Remote::new(&base, KEY)).await.unwrap_err();
    assert!(matches!(error, ConnectionError::NotWebhookStudio { .. }), "{error:?}");
}

#[tokio::test]
async fn a_web_page_or_a_missing_route_is_not_a_webhook_studio_server() {
    let addr = serve(Router::new().route("/v1/info", get(|| async { Html("<html>hello</html>") }))).await;
    let error = test_connection(&Remote::new(format!("http://{addr}"), KEY))
        .await
        .unwrap_err();
    assert!(matches!(error, ConnectionError::NotWebhookStudio { .. }), "{error:?}");
    assert!(error.to_string().contains("web page"), "{error}");

    let addr = serve(Router::new()).await;
    let error = test_connection(&Remote::new(format!("http://{addr}"), KEY))
        .await
        .unwrap_err();
    assert!(matches!(error, ConnectionError::NotWebhookStudio { .. }), "{error:?}");
}

#[tokio::test]
async fn nothing_listening_or_no_such_name_is_unreachable() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = test_connection(&Remote::new(format!("http://127.0.0.1:{port}"), KEY))
        .await
        .unwrap_err();
    assert!(matches!(error, ConnectionError::Unreachable { .. }), "{error:?}");
    assert!(error.to_string().contains("refused"), "{error}");
    assert!(error.is_transient());

    let error = test_connection(&Remote::new("http://no-such-host.invalid", KEY))
        .await
        .unwrap_err();
    assert!(matches!(error, ConnectionError::Unreachable { .. }), "{error:?}");

    let error = test_connection(&Remote::new("sync.example.com", KEY))
        .await
        .unwrap_err();
    assert!(matches!(error, ConnectionError::InvalidUrl { .. }), "{error:?}");
}

#[tokio::test]
async fn a_sync_pushes_in_batches_with_chained_revisions_and_a_second_client_pulls_the_same_bot() {
    let (stub, base) = stub_server().await;
    let remote = Remote::new(&base, KEY);
    let (_dir, store) = example_store();
    for n in 0..450 {
        edit(&store, &format!("+1415555{n:04}"));
    }
    let queued = store.lock().unwrap().pending_count().unwrap();
    let report = sync_once(&remote, &store).await.unwrap();
    assert_eq!(report.pushed as i64, queued);
    assert_eq!((report.pending, report.conflicts, report.rejected), (0, 0, 0));
    {
        let stub = stub.lock().unwrap();
        let block = EntityKey::block(
            &webhook_block::Id::parse("shop-orders").unwrap(),
            &webhook_block::Id::parse("order-webhook").unwrap(),
        );
        // 450 edits of the block plus its first save: revision 451, one op each, in order.
        assert_eq!(stub.entities[&block].0, 451);
        let bases: Vec<Option<i64>> = stub
            .received
            .iter()
            .filter(|op| op.key == block)
            .map(|op| op.base_revision)
            .collect();
        assert_eq!(bases[0], None);
        assert!(bases[1..].iter().enumerate().all(|(i, b)| *b == Some(i as i64 + 1)));
        assert_eq!(stub.received.len() as i64, queued, "no op sent twice");
    }

    let dir = tempfile::tempdir().unwrap();
    let fresh = Mutex::new(Store::open_in(dir.path()).unwrap());
    let report = sync_once(&remote, &fresh).await.unwrap();
    assert!(report.pulled > 0);
    assert_eq!(report.pending, 0, "what was pulled is not pushed back");
    assert_eq!(
        fresh.lock().unwrap().load_bot("shop-orders").unwrap(),
        store.lock().unwrap().load_bot("shop-orders").unwrap()
    );
    // A second round moves nothing.
    let again = sync_once(&remote, &fresh).await.unwrap();
    assert_eq!((again.pushed, again.pulled), (0, 0));
}

#[tokio::test]
async fn a_push_whose_answer_was_lost_is_applied_once_when_sent_again() {
    let (stub, base) = stub_server().await;
    let remote = Remote::new(&base, KEY);
    let (_dir, store) = example_store();
    edit(&store, "{a}");
    stub.lock().unwrap().lose_next_answer = true;
    let error = sync_once(&remote, &store).await.unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    let queued = store.lock().unwrap().pending_count().unwrap();
    assert!(queued > 0, "nothing acknowledged, nothing lost");
    let applied_before = stub.lock().unwrap().log.len();
    sync_once(&remote, &store).await.unwrap();
    let stub = stub.lock().unwrap();
    assert_eq!(stub.log.len(), applied_before, "the retry applied nothing twice");
    assert_eq!(stub.received.len() as i64, 2 * queued);
    assert_eq!(store.lock().unwrap().pending_count().unwrap(), 0);
}

#[tokio::test]
async fn a_conflict_keeps_both_versions_and_a_rejection_is_kept_with_its_reason() {
    let (_stub, base) = stub_server().await;
    let remote = Remote::new(&base, KEY);
    let (_dir_a, a) = example_store();
    sync_once(&remote, &a).await.unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let b = Mutex::new(Store::open_in(dir_b.path()).unwrap());
    sync_once(&remote, &b).await.unwrap();

    edit(&a, "{from a}");
    edit(&b, "{from b}");
    sync_once(&remote, &a).await.unwrap();
    let report = sync_once(&remote, &b).await.unwrap();
    assert_eq!((report.conflicts, report.open_conflicts), (1, 1));
    let conflicts = b.lock().unwrap().conflicts().unwrap();
    assert_eq!(
        conflicts[0].mine.as_ref().unwrap()["webhook"]["form"]["contact_reference_id"],
        "{from b}"
    );
    assert_eq!(
        conflicts[0].theirs.as_ref().unwrap()["webhook"]["form"]["contact_reference_id"],
        "{from a}"
    );
    let b_block = b.lock().unwrap().load_bot("shop-orders").unwrap();
    assert_eq!(
        b_block.webhook("order-webhook").unwrap().form.contact_reference_id,
        "{from b}"
    );
}

#[tokio::test]
async fn a_refused_op_is_kept_with_the_reason_and_the_rest_goes_on() {
    let (stub, base) = stub_server().await;
    let remote = Remote::new(&base, KEY);
    let (_dir, store) = example_store();
    sync_once(&remote, &store).await.unwrap();
    stub.lock().unwrap().reject_name = Some("Refused name".into());
    store
        .lock()
        .unwrap()
        .rename_bot("shop-orders", "Refused name", UpdateSource::Window)
        .unwrap();
    edit(&store, "{after}");
    let report = sync_once(&remote, &store).await.unwrap();
    assert_eq!((report.rejected, report.pushed, report.pending), (1, 1, 0));
    let rejections = store.lock().unwrap().rejections().unwrap();
    assert_eq!(rejections[0].error.message, "that name is refused here");
    assert_eq!(
        store.lock().unwrap().load_bot("shop-orders").unwrap().name,
        "Refused name",
        "the local data stays"
    );
    assert_eq!(report.open_rejections, 1);
    assert!(
        report
            .first_rejection
            .as_deref()
            .unwrap()
            .contains("that name is refused here")
    );

    // The designer renames it again; the server takes it, and the refusal is over.
    store
        .lock()
        .unwrap()
        .rename_bot("shop-orders", "Accepted name", UpdateSource::Window)
        .unwrap();
    let report = sync_once(&remote, &store).await.unwrap();
    assert_eq!((report.pushed, report.open_rejections), (1, 0));
}

#[tokio::test]
async fn tokens_go_to_a_server_on_this_computer() {
    // The stub is on 127.0.0.1, where tokens may go. A remote elsewhere over plain http gets
    // none: see `engine::tests::tokens_are_left_out_unless_allowed` and `Remote::sends_tokens`.
    let (stub, base) = stub_server().await;
    let (_dir, store) = example_store();
    let token = store
        .lock()
        .unwrap()
        .load_bot("shop-orders")
        .unwrap()
        .webhook("order-webhook")
        .unwrap()
        .token
        .clone()
        .unwrap();
    sync_once(&Remote::new(&base, KEY), &store).await.unwrap();
    let sent = serde_json::to_string(&stub.lock().unwrap().received).unwrap();
    assert!(
        sent.contains(token.expose_secret()),
        "loopback: the server needs the token"
    );
}

/// This computer's address on its network (not loopback), if it has one.
fn lan_address() -> Option<std::net::IpAddr> {
    // Connecting a UDP socket sends nothing; it only picks the interface a packet would leave by.
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    Some(socket.local_addr().ok()?.ip()).filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
}

#[tokio::test]
async fn tokens_are_not_sent_over_plain_http_to_another_address() {
    let Some(ip) = lan_address() else {
        eprintln!("no network address besides loopback here: the plain-http token check is skipped");
        return;
    };
    let (stub, loopback) = stub_server().await;
    // The same stub, reached through this computer's network address.
    let port = loopback.rsplit(':').next().unwrap().to_owned();
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new()
        .route("/v1/info", get(info))
        .route("/v1/team", get(team))
        .route("/v1/sync/push", post(push))
        .route("/v1/sync/changes", get(changes))
        .with_state(stub.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    assert_ne!(addr.port().to_string(), port);
    let (_dir, store) = example_store();
    let token = store
        .lock()
        .unwrap()
        .load_bot("shop-orders")
        .unwrap()
        .webhook("order-webhook")
        .unwrap()
        .token
        .clone()
        .unwrap();
    let report = sync_once(&Remote::new(format!("http://{addr}"), KEY), &store)
        .await
        .unwrap();
    assert!(report.pushed > 0);
    let stub = stub.lock().unwrap();
    let sent = serde_json::to_string(&stub.received).unwrap();
    assert!(
        !sent.contains(token.expose_secret()),
        "a token went over plain http to {addr}"
    );
    assert!(sent.contains("order-webhook"), "the block itself was sent");
    // The local block keeps its token after the pull.
    let local = store.lock().unwrap().load_bot("shop-orders").unwrap();
    assert_eq!(local.webhook("order-webhook").unwrap().token.as_ref(), Some(&token));
}

#[tokio::test]
async fn edits_while_offline_never_make_the_runner_spin() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let router = Router::new().route(
        "/v1/info",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { (StatusCode::SERVICE_UNAVAILABLE, "down for maintenance") }
        }),
    );
    let addr = serve(router).await;
    let (_dir, store) = example_store();
    let store = Arc::new(store);
    let runner = SyncRunner::spawn(Remote::new(format!("http://{addr}"), KEY), store.clone());
    let mut status = runner.status();
    wait_for(&mut status, |s| matches!(s, SyncStatus::Offline { .. })).await;
    let before = store.lock().unwrap().pending_count().unwrap();
    // A designer typing fast for three seconds while the server is down.
    let started = tokio::time::Instant::now();
    for n in 0..300 {
        edit(&store, &format!("{{typed_{n}}}"));
        runner.notify();
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let elapsed = started.elapsed();
    let tries = hits.load(Ordering::SeqCst);
    // Each try waits at least MIN_WAIT (250 ms) after the last, whatever the notifications.
    let most = (elapsed.as_millis() / 250) as usize + 2;
    assert!(tries <= most, "{tries} tries in {elapsed:?}");
    let queued = store.lock().unwrap().pending_count().unwrap();
    assert_eq!(queued, before + 300, "every edit made offline is kept");
    runner.shutdown().await;
}

#[tokio::test]
async fn a_bad_key_is_an_error_that_keeps_the_outbox() {
    let (_stub, base) = stub_server().await;
    let (_dir, store) = example_store();
    let before = store.lock().unwrap().pending(usize::MAX).unwrap();
    let error = sync_once(&Remote::new(&base, "wss_revoked"), &store).await.unwrap_err();
    assert!(
        matches!(error, SyncError::Connection(ConnectionError::BadKey)),
        "{error:?}"
    );
    assert!(!error.is_transient());
    assert_eq!(store.lock().unwrap().pending(usize::MAX).unwrap(), before);
}

#[tokio::test]
async fn the_runner_reports_offline_then_synced_and_pushes_after_a_notify() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (_dir, store) = example_store();
    let store = Arc::new(store);
    let runner = SyncRunner::spawn(Remote::new(format!("http://127.0.0.1:{port}"), KEY), store.clone());
    let mut status = runner.status();
    let offline = wait_for(&mut status, |s| matches!(s, SyncStatus::Offline { .. })).await;
    if let SyncStatus::Offline {
        code, retry_in_secs, ..
    } = offline
    {
        assert_eq!(code, "unreachable");
        assert!(retry_in_secs <= 60);
    }
    runner.shutdown().await;

    let (stub, base) = stub_server().await;
    let runner = SyncRunner::spawn(Remote::new(&base, KEY), store.clone());
    let mut status = runner.status();
    wait_for(&mut status, |s| *s == SyncStatus::Synced).await;
    let applied = stub.lock().unwrap().log.len();
    edit(&store, "{typed}");
    runner.notify();
    wait_for(&mut status, |_| stub.lock().unwrap().log.len() > applied).await;
    wait_for(&mut status, |s| *s == SyncStatus::Synced).await;
    assert_eq!(store.lock().unwrap().pending_count().unwrap(), 0);
    runner.shutdown().await;
}

/// Waits (generously) until `done` holds for the status, and returns it.
async fn wait_for(
    status: &mut tokio::sync::watch::Receiver<SyncStatus>,
    mut done: impl FnMut(&SyncStatus) -> bool,
) -> SyncStatus {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let now = status.borrow_and_update().clone();
        if done(&now) {
            return now;
        }
        assert!(tokio::time::Instant::now() < deadline, "still {now:?} after 60 s");
        let _ = tokio::time::timeout(std::time::Duration::from_millis(200), status.changed()).await;
    }
}
