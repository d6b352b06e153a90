//! The app's sync client against the real server binary, on SQLite and PostgreSQL: a server
//! killed in the middle of a push, a server down for a whole session, two designers editing the
//! same block, and a bad key. Real store files, real HTTP on 127.0.0.1, real processes.

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{Backend, Server};
use serde_json::Value;
use webhook_block::{BotDocument, WebhookForm};
use webhook_store::{Store, UpdateSource};
use webhook_sync::conflict::{Side, merge};
use webhook_sync::entity::EntityKey;
use webhook_sync_client::{ConnectionError, Remote, SyncError, SyncReport, sync_once, test_connection};

const BOT: &str = "shop-orders";
const BLOCK: &str = "order-webhook";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A designer's store in its own folder.
fn client() -> (tempfile::TempDir, Mutex<Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_in(dir.path()).expect("open store");
    (dir, Mutex::new(store))
}

fn example(name: &str) -> webhook_block::Bot {
    let path = format!(
        "{}/../../../assets/examples/{name}.bot.json",
        env!("CARGO_MANIFEST_DIR")
    );
    BotDocument::from_json(&std::fs::read_to_string(&path).expect("example"))
        .expect("parses")
        .bot
}

fn remote(server: &Server) -> Remote {
    Remote::new(&server.base, &server.key)
}

fn form_of(store: &Mutex<Store>) -> WebhookForm {
    let store = store.lock().unwrap();
    store.load_bot(BOT).unwrap().webhook(BLOCK).unwrap().form.clone()
}

fn set_contact(store: &Mutex<Store>, contact: &str) {
    let mut form = form_of(store);
    form.contact_reference_id = contact.into();
    store
        .lock()
        .unwrap()
        .update_webhook_form(BOT, BLOCK, form, UpdateSource::Window)
        .unwrap();
}

/// Syncs until a round succeeds with nothing left queued, retrying while the server cannot be
/// reached (a generous deadline, no timing asserted).
fn sync_until_done(rt: &tokio::runtime::Runtime, remote: &Remote, store: &Mutex<Store>) -> SyncReport {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        match rt.block_on(sync_once(remote, store)) {
            Ok(report) if report.pending == 0 => return report,
            Ok(_) => {}
            Err(e) if e.is_transient() => {}
            Err(e) => panic!("sync failed for good: {e}"),
        }
        assert!(Instant::now() < deadline, "sync did not complete within 300 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The server's history of the order block: (revision, op id, contact), oldest first.
fn block_history(server: &Server) -> Vec<(i64, String, String)> {
    let answer: Value = server
        .get(&format!("/v1/bots/{BOT}/blocks/{BLOCK}/revisions"))
        .send()
        .expect("revisions")
        .json()
        .expect("JSON");
    answer["revisions"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            (
                r["revision"].as_i64().unwrap(),
                r["op_id"].as_str().unwrap_or_default().to_owned(),
                r["body"]["webhook"]["form"]["contact_reference_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_server_killed_in_the_middle_of_a_push_of_1000_edits_ends_with_each_edit_once_in_order() {
    // Killed as soon as the server holds at least 30 edits, then at least 350: with pushes of 200
    // ops, the kill lands while a later batch (or its answer) is in flight, so the retry sends ops
    // again, some the server may already hold (their op ids are answered as before, not applied
    // twice). Whether the server commits per op or per request, the outcome must be the same.
    for (backend, kill_after) in Backend::all().into_iter().flat_map(|b| [(b, 30), (b, 350)]) {
        let rt = runtime();
        let mut server = Server::start(backend);
        let remote = remote(&server);
        let (_dir, store) = client();
        store
            .lock()
            .unwrap()
            .save_bot(&example("order-received-alert"), UpdateSource::Window)
            .unwrap();
        sync_until_done(&rt, &remote, &store);
        let first = block_history(&server).len();

        let contacts: Vec<String> = (0..1000).map(|n| format!("+1415555{n:04}")).collect();
        for contact in &contacts {
            set_contact(&store, contact);
        }
        assert_eq!(store.lock().unwrap().pending_count().unwrap(), 1000);

        // Push in the background; kill the server as soon as some edits have reached it.
        let killed = std::thread::scope(|scope| {
            let push = scope.spawn(|| rt.block_on(sync_once(&remote, &store)));
            let deadline = Instant::now() + Duration::from_secs(300);
            loop {
                let applied = block_history(&server).len() - first;
                if applied >= kill_after || push.is_finished() {
                    server.kill9();
                    break applied;
                }
                assert!(
                    Instant::now() < deadline,
                    "[{}] no edit reached the server",
                    backend.name()
                );
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let pending = store.lock().unwrap().pending_count().unwrap();
        eprintln!(
            "[{}] killed with {killed}+ edits applied, {pending} still queued",
            backend.name()
        );
        assert!(pending > 0, "[{}] the kill came after the whole push", backend.name());

        server.restart();
        sync_until_done(&rt, &remote, &store);

        let client_id = store.lock().unwrap().client_id().unwrap();
        let history = block_history(&server);
        let edits: Vec<&(i64, String, String)> = history[first..].iter().collect();
        let got: Vec<&str> = edits.iter().map(|(_, _, c)| c.as_str()).collect();
        assert_eq!(got, contacts, "[{}] each edit once, in order", backend.name());
        assert!(
            history.windows(2).all(|w| w[1].0 == w[0].0 + 1),
            "[{}] revisions without gaps",
            backend.name()
        );
        assert!(edits.iter().all(|(_, op, _)| op.starts_with(&format!("{client_id}:"))));
        assert_eq!(form_of(&store).contact_reference_id, contacts[999]);
    }
}

#[test]
fn a_session_of_edits_while_the_server_is_down_all_arrives_and_a_fresh_client_gets_the_same_bots() {
    for backend in Backend::all() {
        let rt = runtime();
        let mut server = Server::start(backend);
        let remote = remote(&server);
        let (_dir_a, a) = client();
        sync_until_done(&rt, &remote, &a);
        server.kill9();

        {
            let mut store = a.lock().unwrap();
            store
                .save_bot(&example("order-received-alert"), UpdateSource::Window)
                .unwrap();
            store
                .save_bot(&example("abandoned-cart"), UpdateSource::Import)
                .unwrap();
            store
                .save_bot(&example("welcome-on-sign-up"), UpdateSource::Window)
                .unwrap();
            let leads = store.create_bot("Leads", UpdateSource::Window).unwrap();
            store
                .rename_bot(leads.as_str(), "Hot leads", UpdateSource::Window)
                .unwrap();
            store.rename_bot(BOT, "Orders (EU)", UpdateSource::Window).unwrap();
            store.duplicate_bot("cart-recovery", UpdateSource::Window).unwrap();
            store.delete_bot("cart-recovery", UpdateSource::Window).unwrap();
        }
        for n in 0..20 {
            set_contact(&a, &format!("{{customer_{n}}}"));
        }
        let error = rt.block_on(sync_once(&remote, &a)).unwrap_err();
        assert!(
            matches!(error, SyncError::Connection(ConnectionError::Unreachable { .. })),
            "[{}] {error:?}",
            backend.name()
        );
        assert!(error.to_string().contains("Your edits are kept"), "{error}");
        let queued = a.lock().unwrap().pending_count().unwrap();
        assert!(queued > 20);

        server.restart();
        let report = sync_until_done(&rt, &remote, &a);
        assert_eq!((report.conflicts, report.rejected), (0, 0), "[{}]", backend.name());

        let (_dir_b, b) = client();
        sync_until_done(&rt, &remote, &b);
        let a = a.lock().unwrap();
        let b = b.lock().unwrap();
        let bots_a = a.list_bots().unwrap();
        let bots_b = b.list_bots().unwrap();
        let ids = |bots: &[webhook_store::BotSummary]| -> Vec<(String, String)> {
            bots.iter()
                .map(|s| (s.id.as_str().to_owned(), s.name.clone()))
                .collect()
        };
        assert_eq!(ids(&bots_a), ids(&bots_b), "[{}]", backend.name());
        assert_eq!(bots_a.len(), 4, "three examples, one made, one copied, one deleted");
        assert!(bots_b.iter().all(|s| s.id.as_str() != "cart-recovery"));
        for summary in &bots_a {
            assert_eq!(
                a.load_bot(summary.id.as_str()).unwrap(),
                b.load_bot(summary.id.as_str()).unwrap(),
                "[{}] {}",
                backend.name(),
                summary.name
            );
        }
        assert_eq!(
            b.load_bot(BOT)
                .unwrap()
                .webhook(BLOCK)
                .unwrap()
                .form
                .contact_reference_id,
            "{customer_19}"
        );
    }
}

#[test]
fn two_designers_editing_one_block_keep_both_versions_until_one_chooses_then_converge() {
    for backend in Backend::all() {
        let rt = runtime();
        let server = Server::start(backend);
        let remote = remote(&server);
        let (_dir_a, a) = client();
        a.lock()
            .unwrap()
            .save_bot(&example("order-received-alert"), UpdateSource::Window)
            .unwrap();
        sync_until_done(&rt, &remote, &a);
        let (_dir_b, b) = client();
        sync_until_done(&rt, &remote, &b);

        // A changes the contact; B changes the contact and the first mapping's data path.
        set_contact(&a, "{from_a}");
        let mut form_b = form_of(&b);
        form_b.contact_reference_id = "{from_b}".into();
        form_b.mappings[0].data = "data.order.id".into();
        b.lock()
            .unwrap()
            .update_webhook_form(BOT, BLOCK, form_b.clone(), UpdateSource::Window)
            .unwrap();

        sync_until_done(&rt, &remote, &a);
        let report = rt.block_on(sync_once(&remote, &b)).unwrap();
        assert_eq!(
            (report.conflicts, report.open_conflicts),
            (1, 1),
            "[{}]",
            backend.name()
        );

        // Both versions survive, however often either side syncs.
        for _ in 0..2 {
            rt.block_on(sync_once(&remote, &b)).unwrap();
            sync_until_done(&rt, &remote, &a);
        }
        assert_eq!(form_of(&b), form_b, "[{}] B's block as B left it", backend.name());
        assert_eq!(
            block_history(&server).last().unwrap().2,
            "{from_a}",
            "the server's as A left it"
        );
        assert_eq!(form_of(&a).contact_reference_id, "{from_a}");
        let conflicts = b.lock().unwrap().conflicts().unwrap();
        assert_eq!(conflicts.len(), 1);
        let key = EntityKey::block(
            &webhook_block::Id::parse(BOT).unwrap(),
            &webhook_block::Id::parse(BLOCK).unwrap(),
        );
        assert_eq!(conflicts[0].key, key);

        // B chooses field by field: A's contact, B's mapping.
        let choices = BTreeMap::from([
            ("/webhook/form/contact_reference_id".to_owned(), Side::Theirs),
            ("/webhook/form/mappings/0/data".to_owned(), Side::Mine),
        ]);
        let chosen = merge(conflicts[0].mine.as_ref(), conflicts[0].theirs.as_ref(), &choices)
            .unwrap_or_else(|e| panic!("[{}] {e}: the fields were {:?}", backend.name(), conflicts[0]));
        b.lock().unwrap().resolve_conflict(&key, chosen).unwrap();
        sync_until_done(&rt, &remote, &b);
        sync_until_done(&rt, &remote, &a);

        let form = form_of(&a);
        assert_eq!(form.contact_reference_id, "{from_a}");
        assert_eq!(form.mappings[0].data, "data.order.id");
        assert_eq!(
            a.lock().unwrap().load_bot(BOT).unwrap(),
            b.lock().unwrap().load_bot(BOT).unwrap(),
            "[{}] both converge",
            backend.name()
        );
        assert!(b.lock().unwrap().conflicts().unwrap().is_empty());
    }
}

#[test]
fn a_bad_key_gets_a_clear_error_and_the_outbox_loses_nothing() {
    for backend in Backend::all() {
        let rt = runtime();
        let server = Server::start(backend);
        let (_dir, store) = client();
        store
            .lock()
            .unwrap()
            .save_bot(&example("order-received-alert"), UpdateSource::Window)
            .unwrap();
        set_contact(&store, "{someone}");
        let before = store.lock().unwrap().pending(usize::MAX).unwrap();
        let bad = Remote::new(&server.base, "whsk_not_a_real_key_0000000000000000");

        let error = rt.block_on(test_connection(&bad)).unwrap_err();
        assert_eq!(error, ConnectionError::BadKey, "[{}]", backend.name());
        let error = rt.block_on(sync_once(&bad, &store)).unwrap_err();
        assert!(
            matches!(error, SyncError::Connection(ConnectionError::BadKey)),
            "[{}] {error:?}",
            backend.name()
        );
        let message = error.to_string();
        assert!(message.contains("API key") && message.contains("Ask"), "{message}");
        assert!(!message.contains("whsk_not_a_real_key"), "{message}");
        assert!(!error.is_transient(), "a person must change the key");
        assert_eq!(store.lock().unwrap().pending(usize::MAX).unwrap(), before);

        // With the right key, everything arrives.
        sync_until_done(&rt, &remote(&server), &store);
        assert_eq!(block_history(&server).last().unwrap().2, "{someone}");
    }
}

/// A TCP relay in front of the server that can swallow the answers to pushes: the server applies
/// the push and answers, the app never hears it (a connection cut at the worst moment).
struct Relay {
    addr: std::net::SocketAddr,
    swallow: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Relay {
    fn start(rt: &tokio::runtime::Runtime, server_port: u16) -> Relay {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let swallow = Arc::new(AtomicUsize::new(0));
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("relay bind");
        let addr = listener.local_addr().expect("relay addr");
        let counter = swallow.clone();
        rt.spawn(async move {
            loop {
                let Ok((app, _)) = listener.accept().await else { return };
                let Ok(server) = tokio::net::TcpStream::connect(("127.0.0.1", server_port)).await else {
                    continue;
                };
                let counter = counter.clone();
                let (mut app_read, mut app_write) = app.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                // HTTP/1.1 without pipelining: the answer read next belongs to the last request.
                let last_is_push = Arc::new(AtomicBool::new(false));
                let seen = last_is_push.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match app_read.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        let chunk = &buf[..n];
                        if chunk.starts_with(b"POST ") || chunk.starts_with(b"GET ") {
                            seen.store(chunk.starts_with(b"POST /v1/sync/push"), Ordering::SeqCst);
                        }
                        if server_write.write_all(chunk).await.is_err() {
                            return;
                        }
                    }
                });
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match server_read.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        let swallow = last_is_push.load(Ordering::SeqCst)
                            && counter
                                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |c| c.checked_sub(1))
                                .is_ok();
                        if swallow {
                            // The push was applied and answered; the app's connection just dies.
                            return;
                        }
                        if app_write.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Relay { addr, swallow }
    }
}

#[test]
fn a_push_applied_but_whose_answer_never_arrived_is_not_applied_twice() {
    for backend in Backend::all() {
        let rt = runtime();
        let server = Server::start(backend);
        let relay = Relay::start(&rt, server.port);
        let remote = Remote::new(format!("http://{}", relay.addr), &server.key);
        let (_dir, store) = client();
        store
            .lock()
            .unwrap()
            .save_bot(&example("order-received-alert"), UpdateSource::Window)
            .unwrap();
        sync_until_done(&rt, &remote, &store);
        let first = block_history(&server).len();
        let contacts: Vec<String> = (0..500).map(|n| format!("+1415556{n:04}")).collect();
        for contact in &contacts {
            set_contact(&store, contact);
        }

        relay.swallow.store(1, std::sync::atomic::Ordering::SeqCst);
        let error = rt.block_on(sync_once(&remote, &store)).unwrap_err();
        assert!(error.is_transient(), "[{}] {error:?}", backend.name());
        let applied = block_history(&server).len() - first;
        assert!(applied > 0, "[{}] the server applied the first push", backend.name());
        assert_eq!(
            store.lock().unwrap().pending_count().unwrap(),
            500,
            "[{}] the app heard nothing, so it acknowledged nothing",
            backend.name()
        );

        sync_until_done(&rt, &remote, &store);
        let history = block_history(&server);
        let got: Vec<&str> = history[first..].iter().map(|(_, _, c)| c.as_str()).collect();
        assert_eq!(got, contacts, "[{}] each edit once, in order", backend.name());
        assert!(history.windows(2).all(|w| w[1].0 == w[0].0 + 1));
    }
}
