//! The team server's figures: sync on the wire and production webhooks under load.
//!
//! - Sync: the app's real sync client (`sync_once` over a real store file) against the real
//!   server binary on SQLite, through a proxy that counts the bytes each way. A bot of 10,000
//!   blocks is synced once (the initial sync), then one field of one block is edited and synced
//!   again (the incremental sync); the same is done with a bot of 100 blocks, so the incremental
//!   sync's bytes can be compared across sizes. A second, empty app then pulls the big bot.
//!   Floors: for the initial sync, the bot's own JSON sent in one POST to a bare handler (the
//!   least any upload of it costs); for the incremental sync, one bare round trip to the server
//!   (`GET /v1/info`, no database).
//! - Production webhooks: wrk against `POST /v1/webhooks/<id>` of the server (each accepted
//!   request extracts the variables and stores the event) on SQLite and on PostgreSQL, against
//!   the receiver's floor measured in the same run.

use std::fmt::Write as _;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use webhook_block::Bot;
use webhook_store::{Store, UpdateSource};
use webhook_sync_client::{Remote, sync_once};

use crate::proxy;
use crate::{WrkRun, wrk};

/// Where the server binary is: `$WEBHOOK_STUDIO_SERVER`, set by `make bench`.
fn server_binary() -> PathBuf {
    std::env::var_os("WEBHOOK_STUDIO_SERVER")
        .map(PathBuf::from)
        .expect("WEBHOOK_STUDIO_SERVER names the server binary (make bench sets it)")
}

/// A running server process, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub key: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Server {
    /// Starts the server on `database` with a new team, and waits until it answers.
    pub fn start(database: &str, key_file: &Path) -> Self {
        let team = Command::new(server_binary())
            .args(["team", "create", "--database", database, "--name", "Bench"])
            .env("WEBHOOK_STUDIO_SERVER_SECRET_KEY_FILE", key_file)
            .output()
            .expect("the server binary runs");
        assert!(
            team.status.success(),
            "team create failed: {}",
            String::from_utf8_lossy(&team.stderr)
        );
        let key = String::from_utf8_lossy(&team.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("key: ").map(str::to_owned))
            .expect("team create prints the key");
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("address");
        let child = Command::new(server_binary())
            .args(["--listen", &addr.to_string(), "--database", database])
            .env("WEBHOOK_STUDIO_SERVER_SECRET_KEY_FILE", key_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let server = Self { child, addr, key };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "the server did not listen on {addr}");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

/// One sync round's cost.
struct Round {
    time: Duration,
    up: u64,
    down: u64,
}

fn synced(runtime: &tokio::runtime::Runtime, remote: &Remote, store: &Mutex<Store>, counts: &proxy::Counts) -> Round {
    counts.take();
    let start = Instant::now();
    let report = runtime.block_on(sync_once(remote, store)).expect("sync succeeds");
    let time = start.elapsed();
    assert_eq!(report.pending, 0, "everything was pushed");
    assert_eq!(report.open_conflicts, 0, "no conflicts");
    let (up, down) = counts.take();
    Round { time, up, down }
}

struct SizeRun {
    blocks: usize,
    initial: Round,
    incremental: Round,
    pull: Round,
    bot_json: usize,
}

fn sync_size(
    runtime: &tokio::runtime::Runtime,
    scratch: &Path,
    template: &Bot,
    blocks: usize,
    remote: &Remote,
    counts: &proxy::Counts,
) -> SizeRun {
    let id = format!("sync{blocks}");
    let bot = crate::store::bot_with_blocks(template, &id, blocks);
    let bot_json = serde_json::to_string(&bot).expect("json").len();
    let first = Mutex::new(Store::open(scratch.join(format!("{id}-a.db"))).expect("store"));
    first
        .lock()
        .expect("store")
        .save_bot(&bot, UpdateSource::Window)
        .expect("save");
    let initial = synced(runtime, remote, &first, counts);
    let block = format!("{id}-b{}", blocks / 2);
    let mut form = bot.webhook(&block).expect("block").form.clone();
    form.contact_reference_id = "+14155550999".into();
    first
        .lock()
        .expect("store")
        .update_webhook_form(&id, &block, form, UpdateSource::Window)
        .expect("edit");
    let incremental = synced(runtime, remote, &first, counts);
    let second = Mutex::new(Store::open(scratch.join(format!("{id}-b.db"))).expect("store"));
    let pull = synced(runtime, remote, &second, counts);
    let pulled = second.lock().expect("store").load_bot(&id).expect("the pulled bot");
    let pushed = first.lock().expect("store").load_bot(&id).expect("the pushed bot");
    assert_eq!(pulled, pushed, "the second app has the same bot");
    SizeRun {
        blocks,
        initial,
        incremental,
        pull,
        bot_json,
    }
}

/// A bare handler on the same HTTP stack that reads the body and answers 204: the floor of an
/// upload. Returns the time of one POST of `bytes` bytes through reqwest.
fn upload_floor(runtime: &tokio::runtime::Runtime, bytes: usize) -> Duration {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    // No body limit: axum's default (2 MiB) would refuse the bot at once and time the refusal.
    let router = axum::Router::new()
        .route(
            "/upload",
            axum::routing::post(|body: axum::body::Bytes| async move {
                std::hint::black_box(body.len());
                axum::http::StatusCode::NO_CONTENT
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::disable());
    let server = runtime.spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let payload = vec![b'x'; bytes];
    let url = format!("http://{addr}/upload");
    let mut samples: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let response = runtime
                .block_on(client.post(&url).body(payload.clone()).send())
                .expect("upload");
            assert_eq!(response.status(), 204, "the floor received the whole upload");
            start.elapsed()
        })
        .collect();
    server.abort();
    samples.sort();
    samples[samples.len() / 2]
}

/// Median time and bytes of a bare round trip to the server through the proxy.
fn round_trip_floor(runtime: &tokio::runtime::Runtime, base: &str, counts: &proxy::Counts) -> Round {
    let client = reqwest::Client::new();
    let url = format!("{base}/v1/info");
    counts.take();
    let mut samples: Vec<Duration> = (0..9)
        .map(|_| {
            let start = Instant::now();
            runtime
                .block_on(async { client.get(&url).send().await?.bytes().await })
                .expect("info");
            start.elapsed()
        })
        .collect();
    let (up, down) = counts.take();
    samples.sort();
    Round {
        time: samples[samples.len() / 2],
        up: up / 9,
        down: down / 9,
    }
}

fn kib(bytes: u64) -> String {
    if bytes >= 10 * 1024 {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Pushes `bot` (with its tokens: the server is on 127.0.0.1) to a fresh team on `database` and
/// returns the running server.
fn server_with_bot(runtime: &tokio::runtime::Runtime, scratch: &Path, name: &str, database: &str, bot: &Bot) -> Server {
    let server = Server::start(database, &scratch.join(format!("{name}.key")));
    let remote = Remote::new(format!("http://{}", server.addr), server.key.clone());
    let store = Mutex::new(Store::open(scratch.join(format!("{name}-app.db"))).expect("store"));
    store
        .lock()
        .expect("store")
        .save_bot(bot, UpdateSource::Window)
        .expect("save");
    let report = runtime.block_on(sync_once(&remote, &store)).expect("sync");
    assert_eq!(report.pending, 0, "the bot reached the server");
    server
}

/// Appends the team server's section to `report`. `floor` is the receiver floor's wrk run with
/// the same body, from the same `make bench`.
pub fn report(report: &mut String, template: &Bot, load: (&Bot, &str, &str), floor: &WrkRun, receiver: &WrkRun) {
    let scratch = std::env::temp_dir().join(format!("webhook-bench-team-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");

    // ----- sync -----
    let database = format!("sqlite:{}", scratch.join("sync-server.db").display());
    let server = Server::start(&database, &scratch.join("sync-server.key"));
    let (proxy_addr, counts) = proxy::start(&runtime, server.addr);
    let base = format!("http://{proxy_addr}");
    let remote = Remote::new(base.clone(), server.key.clone());
    let runs: Vec<SizeRun> = [100, 10_000]
        .into_iter()
        .map(|n| sync_size(&runtime, &scratch, template, n, &remote, &counts))
        .collect();
    let trip = round_trip_floor(&runtime, &base, &counts);
    drop(server);
    let big = &runs[1];
    let small = &runs[0];
    let upload = upload_floor(&runtime, big.bot_json);

    let _ = writeln!(report, "\n## Team sync\n");
    let _ = writeln!(
        report,
        "The app's sync client (`sync_once` on a real store file) against the real server binary (release build, SQLite) on 127.0.0.1, through a proxy that counts every byte each way, HTTP headers included. Initial: a bot saved in an empty app is pushed, then the app pulls (the server leaves out what this app wrote, so the push is not downloaded again; what comes down is the push's answers). Incremental: then one field of one block is edited and synced. Pull: a second, empty app syncs and gets the same bot (checked equal). Floors: the bot's JSON in one POST to a bare handler on the same HTTP stack; one bare round trip (`GET /v1/info`). These two sections can be measured again alone with `webhook-bench <root> team`, which rewrites only them; their floors are always from their own run.\n"
    );
    let _ = writeln!(report, "| bot | sync | up | down | time | floor's time | time ratio |");
    let _ = writeln!(report, "| --- | --- | --- | --- | --- | --- | --- |");
    for run in &runs {
        let _ = writeln!(
            report,
            "| {} blocks ({}) | initial | {} | {} | {} | {} (one POST of the bot's JSON) | {:.1}x |",
            run.blocks,
            kib(run.bot_json as u64),
            kib(run.initial.up),
            kib(run.initial.down),
            ms(run.initial.time),
            ms(upload),
            run.initial.time.as_secs_f64() / upload.as_secs_f64()
        );
        let _ = writeln!(
            report,
            "| {} blocks | incremental (one field) | {} | {} | {} | {} (one round trip) | {:.1}x |",
            run.blocks,
            kib(run.incremental.up),
            kib(run.incremental.down),
            ms(run.incremental.time),
            ms(trip.time),
            run.incremental.time.as_secs_f64() / trip.time.as_secs_f64()
        );
        let _ = writeln!(
            report,
            "| {} blocks | pull into an empty app | {} | {} | {} | | |",
            run.blocks,
            kib(run.pull.up),
            kib(run.pull.down),
            ms(run.pull.time)
        );
    }
    let inc = |r: &SizeRun| (r.incremental.up + r.incremental.down) as f64;
    let growth = inc(big) / inc(small);
    let _ = writeln!(
        report,
        "\nIncremental sync's bytes, 10,000 blocks against 100 blocks: **{growth:.2}x** (goal: they do not grow with the bot; 1.00x is flat, 100x would be linear). Against one bare round trip's bytes ({} up, {} down): {:.1}x. Initial sync's upload against the bot's own JSON: {:.2}x.",
        kib(trip.up),
        kib(trip.down),
        inc(big) / (trip.up + trip.down) as f64,
        big.initial.up as f64 / big.bot_json as f64
    );

    // ----- production webhooks -----
    let (bot, token, body) = load;
    let mut rows = Vec::new();
    let sqlite = server_with_bot(
        &runtime,
        &scratch,
        "webhooks-sqlite",
        &format!("sqlite:{}", scratch.join("webhooks.db").display()),
        bot,
    );
    rows.push((
        "server on SQLite",
        wrk(sqlite.addr, "/v1/webhooks/signup-webhook", token, body),
    ));
    drop(sqlite);
    match std::env::var("WEBHOOK_STUDIO_TEST_POSTGRES") {
        Ok(admin) => {
            let database = postgres_database(&admin, "webhook_bench");
            let pg = server_with_bot(&runtime, &scratch, "webhooks-pg", &database, bot);
            rows.push((
                "server on PostgreSQL",
                wrk(pg.addr, "/v1/webhooks/signup-webhook", token, body),
            ));
        }
        Err(_) => {
            eprintln!("WEBHOOK_STUDIO_TEST_POSTGRES is not set: the PostgreSQL row is left out (make bench sets it)")
        }
    }
    let _ = writeln!(report, "\n## Production webhooks on the team server\n");
    let _ = writeln!(
        report,
        "wrk as above (1 thread, 16 connections, 5 s) against the server binary's `POST /v1/webhooks/<id>` with the 10 KiB body and 20 mappings. Each accepted request is checked and extracted by the same contract as the receiver, then stored as an event, durable before the 202 is sent (SQLite in WAL with synchronous=FULL; PostgreSQL with fsync on; concurrent requests share one commit), keeping the last 1,000. The server runs its default runtime (every core, shared with wrk); the floor is the receiver section's bare axum handler with the same body, from this run.\n"
    );
    let _ = writeln!(
        report,
        "| server | requests/s | p50 | p99 | throughput ratio | p99 ratio |"
    );
    let _ = writeln!(report, "| --- | --- | --- | --- | --- | --- |");
    let _ = writeln!(
        report,
        "| floor | {:.0} | {} | {} | 1.00 | 1.00 |",
        floor.rps, floor.p50, floor.p99
    );
    let _ = writeln!(
        report,
        "| development receiver (no storage) | {:.0} | {} | {} | {:.2} | {:.2} |",
        receiver.rps,
        receiver.p50,
        receiver.p99,
        receiver.rps / floor.rps,
        receiver.p99_ms / floor.p99_ms.max(0.001)
    );
    for (name, run) in &rows {
        let _ = writeln!(
            report,
            "| {name} | {:.0} | {} | {} | **{:.2}** | **{:.2}** |",
            run.rps,
            run.p50,
            run.p99,
            run.rps / floor.rps,
            run.p99_ms / floor.p99_ms.max(0.001)
        );
    }
    runtime.shutdown_background();
    let _ = std::fs::remove_dir_all(&scratch);
}

/// `document` (a BENCHMARKS.md) with its team sections replaced by `team`: the text from
/// "## Team sync" up to "## The window" (or the end), or, without team sections, `team` inserted
/// before "## The window" (or at the end). The rest of the document is kept byte for byte.
pub fn splice(document: &str, team: &str) -> String {
    const START: &str = "\n## Team sync";
    const NEXT: &str = "\n## The window";
    let team = team.trim_end_matches('\n');
    let (before, after) = match document.find(START) {
        Some(start) => {
            let end = document[start..].find(NEXT).map_or(document.len(), |i| start + i);
            (&document[..start], &document[end..])
        }
        None => {
            let at = document.find(NEXT).unwrap_or(document.len());
            (&document[..at], &document[at..])
        }
    };
    let team = team.strip_prefix('\n').unwrap_or(team);
    format!("{}\n{team}\n{after}", before.trim_end_matches('\n').to_owned() + "\n")
}

/// A fresh database on the cluster of `admin` (an admin URL), as a server URL.
fn postgres_database(admin: &str, name: &str) -> String {
    let status = Command::new("psql")
        .args([
            admin,
            "-q",
            "-c",
            &format!("DROP DATABASE IF EXISTS {name}"),
            "-c",
            &format!("CREATE DATABASE {name}"),
        ])
        .status()
        .expect("psql runs (the postgresql package installs it)");
    assert!(status.success(), "psql could not create the bench database");
    let (base, query) = admin.split_once('?').map_or((admin, ""), |(b, q)| (b, q));
    let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
    if query.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn splice_replaces_only_the_team_sections() {
        let doc =
            "# B\n\n## The store\n\nS\n\n## Team sync\n\nold\n\n## Production webhooks\n\nold\n\n## The window\n\nW\n";
        let out = splice(doc, "\n## Team sync\n\nnew\n");
        assert_eq!(
            out,
            "# B\n\n## The store\n\nS\n\n## Team sync\n\nnew\n\n## The window\n\nW\n"
        );
    }

    #[test]
    fn splice_inserts_before_the_window_when_there_are_no_team_sections() {
        let doc = "# B\n\n## The store\n\nS\n\n## The window\n\nW\n";
        let out = splice(doc, "\n## Team sync\n\nnew\n");
        assert_eq!(
            out,
            "# B\n\n## The store\n\nS\n\n## Team sync\n\nnew\n\n## The window\n\nW\n"
        );
    }
}
