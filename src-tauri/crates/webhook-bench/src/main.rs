//! `make bench`: measures the webhook block's hot paths and the receiver, each against a floor
//! measured in the same run on the same machine, and writes BENCHMARKS.md.
//!
//! - Mapping extraction (20 mappings from a 10 KiB body) against parsing that body: the parse
//!   is work every request does anyway, so the ratio is what extraction adds.
//! - Sample cURL generation against pretty-printing its body: the least any generator does.
//! - The receiver's throughput and p99 latency under wrk (a second process) against a bare
//!   axum handler on the same stack that receives the body and answers 202 without parsing
//!   anything, with a template's real body and with the 10 KiB one. Goal: at least 60% of the
//!   floor's throughput.
//!
//! - The store: autosave p50 and p99 against a bare rusqlite UPDATE with the same pragmas, and
//!   how opening, listing, exporting and importing grow when the data doubles.
//! - The window (window.rs, driving tests/bench/): cold start to an interactive webhook panel
//!   and the process tree's memory against a bare Tauri window with an empty page, and a
//!   500-block flow's canvas and selection against the same flow with 10 blocks.
//!
//! Timings are medians of batches, so one slow batch (another process waking up) does not move
//! the result. Nothing here is a test: it reports, it does not pass or fail.

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use webhook_block::curl::{Shell, TokenIn, sample_curl};
use webhook_block::model::{BlockStatus, Mapping};
use webhook_block::{BotDocument, Endpoints, Environment, check_webhook};
use webhook_receiver::{Directory, Receiver, Settings};

mod proxy;
mod store;
mod team;
mod window;

const WRK_SECONDS: u32 = 5;
const WRK_CONNECTIONS: u32 = 16;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".to_owned());
    // `webhook-bench <root> window` measures only the windows and rewrites only BENCHMARKS.md's
    // window sections: for working on the app's start-up without the other runs.
    if std::env::args().nth(2).as_deref() == Some("window") {
        let out_path = format!("{root}/BENCHMARKS.md");
        let mut window_part = String::new();
        window::report(&mut window_part, &root);
        let previous = std::fs::read_to_string(&out_path).unwrap_or_default();
        std::fs::write(&out_path, window::splice(&previous, &window_part)).expect("write BENCHMARKS.md");
        print!("{window_part}");
        return;
    }
    // `webhook-bench <root> team` measures only the floors and the team server, and rewrites only
    // BENCHMARKS.md's team sections (its floor rows come from the same run): for working on the
    // server without the window and store runs.
    let only_team = std::env::args().nth(2).as_deref() == Some("team");
    let out_path = format!("{root}/BENCHMARKS.md");
    let bot = bench_bot(&root);
    let block = bot.webhook("signup-webhook").expect("bench block");
    let compiled = check_webhook(&bot, block, &block.form)
        .into_valid()
        .expect("bench block is valid");
    let body_text = serde_json::to_string(block.sample_payload.as_ref().expect("payload")).expect("json");
    let body: Value = serde_json::from_str(&body_text).expect("json");
    assert_eq!(compiled.extract(&body).values.len(), 20, "all 20 mappings extract");

    let parse = time_per_op(|| {
        black_box(serde_json::from_str::<Value>(black_box(&body_text)).ok());
    });
    let extract = time_per_op(|| {
        black_box(compiled.extract(black_box(&body)));
    });
    let endpoints = Endpoints::default();
    let pretty = time_per_op(|| {
        black_box(serde_json::to_string_pretty(black_box(&body)).ok());
    });
    let curl = time_per_op(|| {
        black_box(sample_curl(
            &compiled,
            &endpoints,
            Environment::Development,
            Shell::Posix,
            TokenIn::Inline,
        ));
    });

    let token = block.token.as_ref().expect("token").expose_secret().to_owned();
    let template = template_bot(&root);
    let template_block = template.webhook("signup-webhook").expect("template block");
    let template_token = template_block.token.as_ref().expect("token").expose_secret().to_owned();
    let template_body = serde_json::to_string(template_block.sample_payload.as_ref().expect("payload")).expect("json");
    let loads = [
        (
            "the welcome template's sample body",
            template,
            template_token,
            template_body,
        ),
        ("the 10 KiB body with 20 mappings", bot, token, body_text.clone()),
    ];
    let runs: Vec<(&str, usize, WrkRun, WrkRun)> = loads
        .iter()
        .map(|(name, bot, token, body)| {
            let floor = wrk_against(Server::Floor, bot, token, body);
            let receiver = wrk_against(Server::Receiver, bot, token, body);
            (*name, body.len(), floor, receiver)
        })
        .collect();

    let mut report = String::new();
    let _ = writeln!(report, "# Benchmarks\n");
    let _ = writeln!(
        report,
        "Written by `make bench` on {} ({} cores). Every figure is a ratio against a floor measured in the same run; absolute times are for orientation only.\n",
        machine(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let _ = writeln!(report, "## The block's hot paths\n");
    let _ = writeln!(report, "| what | time per operation | floor | floor's time | ratio |");
    let _ = writeln!(report, "| --- | --- | --- | --- | --- |");
    let _ = writeln!(
        report,
        "| extract 20 mappings from a {} B body | {} | parse that body (serde_json) | {} | {:.2}x |",
        body_text.len(),
        fmt(extract),
        fmt(parse),
        ratio(extract, parse)
    );
    let _ = writeln!(
        report,
        "| generate the development sample cURL (20 mappings) | {} | pretty-print its body | {} | {:.2}x |",
        fmt(curl),
        fmt(pretty),
        ratio(curl, pretty)
    );
    let _ = writeln!(report, "\n## The receiver under load\n");
    let _ = writeln!(
        report,
        "wrk in a second process, 1 thread, {WRK_CONNECTIONS} connections, {WRK_SECONDS} s per server; the server runs on one tokio worker thread. The floor is a bare axum handler on the same stack and runtime that receives the body's bytes and answers 202 without parsing anything. The receiver checks the Host header and the token, parses the JSON, extracts every mapping and validates the contact's phone number.\n"
    );
    let _ = writeln!(
        report,
        "| body | server | requests/s | p50 | p99 | throughput ratio | p99 ratio |"
    );
    let _ = writeln!(report, "| --- | --- | --- | --- | --- | --- | --- |");
    for (name, size, floor, receiver) in &runs {
        let _ = writeln!(
            report,
            "| {name} ({size} B) | floor | {:.0} | {} | {} | 1.00 | 1.00 |",
            floor.rps, floor.p50, floor.p99
        );
        let _ = writeln!(
            report,
            "| {name} ({size} B) | receiver | {:.0} | {} | {} | **{:.2}** | **{:.2}** |",
            receiver.rps,
            receiver.p50,
            receiver.p99,
            receiver.rps / floor.rps,
            receiver.p99_ms / floor.p99_ms.max(0.001)
        );
    }
    let _ = writeln!(
        report,
        "\nGoal: at least 0.60 of the floor's throughput. With the template's body: {}.",
        if runs[0].3.rps / runs[0].2.rps >= 0.6 {
            "met"
        } else {
            "not met"
        }
    );
    if !only_team {
        store::report(&mut report, &template_bot(&root));
    }
    let (_, _, floor_10k, receiver_10k) = &runs[1];
    let (_, big_bot, big_token, big_body) = &loads[1];
    let mut team_part = String::new();
    team::report(
        &mut team_part,
        &template_bot(&root),
        (big_bot, big_token, big_body),
        floor_10k,
        receiver_10k,
    );
    if only_team {
        let previous = std::fs::read_to_string(&out_path).unwrap_or_default();
        let updated = team::splice(&previous, &team_part);
        std::fs::write(&out_path, &updated).expect("write BENCHMARKS.md");
        print!("{team_part}");
        return;
    }
    report.push_str(&team_part);
    window::report(&mut report, &root);
    std::fs::write(&out_path, &report).expect("write BENCHMARKS.md");
    print!("{report}");
}

/// The welcome example as shipped: its own mappings and sample payload.
fn template_bot(root: &str) -> webhook_block::Bot {
    let text = std::fs::read_to_string(format!("{root}/assets/examples/welcome-on-sign-up.bot.json")).expect("example");
    BotDocument::from_json(&text).expect("example parses").bot
}

/// The welcome example with 20 mappings and a 10 KiB body.
fn bench_bot(root: &str) -> webhook_block::Bot {
    let text = std::fs::read_to_string(format!("{root}/assets/examples/welcome-on-sign-up.bot.json")).expect("example");
    let mut bot = BotDocument::from_json(&text).expect("example parses").bot;
    let block = bot.webhook_mut("signup-webhook").expect("block");
    let mut data = Map::new();
    let mut mappings = Vec::new();
    for i in 0..20 {
        data.insert(
            format!("field_{i}"),
            json!({"value": format!("value {i}"), "items": [{"sku": format!("SKU-{i}")}]}),
        );
        let data_path = if i % 2 == 0 {
            format!("data.field_{i}.value")
        } else {
            format!("$.data.field_{i}.items[0].sku")
        };
        mappings.push(Mapping {
            data: data_path,
            set_variable: format!("var_{i}"),
            optional: false,
        });
    }
    // Padding that is not mapped, to make the body 10 KiB as real payloads carry more than is used.
    let mut pad = 0;
    loop {
        let size = serde_json::to_string(&data).map(|s| s.len()).unwrap_or(0);
        if size >= 10 * 1024 - 64 {
            break;
        }
        data.insert(
            format!("extra_{pad}"),
            json!("lorem ipsum dolor sit amet, consectetur adipiscing"),
        );
        pad += 1;
    }
    block.form.mappings = mappings;
    block.form.contact_reference_id = "{sys_contact_reference_id}".into();
    block.status = BlockStatus::Submitted;
    block.sample_payload = Some(json!({"contact_reference_id": "+14155550123", "data": data}));
    bot
}

/// Median time of one call, over 15 batches sized to take about 20 ms each.
fn time_per_op(mut op: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut calibrate = 0u32;
    while start.elapsed() < Duration::from_millis(20) {
        op();
        calibrate += 1;
    }
    let per_batch = calibrate.max(1);
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_batch {
                op();
            }
            t.elapsed() / per_batch
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

#[derive(Clone, Copy)]
enum Server {
    Floor,
    Receiver,
}

pub(crate) struct WrkRun {
    pub(crate) rps: f64,
    pub(crate) p50: String,
    pub(crate) p99: String,
    pub(crate) p99_ms: f64,
}

fn wrk_against(server: Server, bot: &webhook_block::Bot, token: &str, body: &str) -> WrkRun {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let local = listener.local_addr().expect("addr");
    let router = match server {
        Server::Floor => axum::Router::new().route(
            "/dev/webhooks/{block}",
            // Receives the body (hyper must read it off the socket anyway) and parses nothing.
            axum::routing::post(|body: axum::body::Bytes| async move {
                black_box(body.len());
                axum::http::StatusCode::ACCEPTED
            }),
        ),
        Server::Receiver => {
            let receiver = Receiver::new(Directory::from_bot(bot).expect("live"), Settings::default());
            webhook_receiver::router(receiver, local)
        }
    };
    runtime.spawn(async move { axum::serve(listener, router).await });
    let run = wrk(local, "/dev/webhooks/signup-webhook", token, body);
    runtime.shutdown_background();
    run
}

/// wrk against `POST http://<addr><path>` with `body` and the Bearer `token`: a short warm-up,
/// then the measured run. Every request must be accepted, or the figures would measure errors.
pub(crate) fn wrk(addr: std::net::SocketAddr, path: &str, token: &str, body: &str) -> WrkRun {
    let dir = std::env::temp_dir().join(format!("webhook-bench-{}-{}", std::process::id(), addr.port()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("post.lua");
    let lua_body = serde_json::to_string(body).expect("lua string");
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = {lua_body}\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"Authorization\"] = \"Bearer {token}\"\n"
        ),
    )
    .expect("script");
    let url = format!("http://{addr}{path}");
    // A short warm-up, then the measured run.
    let _ = Command::new("wrk")
        .args(["-t1", "-c4", "-d1s", "-s"])
        .arg(&script)
        .arg(&url)
        .output();
    let output = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{WRK_CONNECTIONS}"),
            &format!("-d{WRK_SECONDS}s"),
            "--latency",
            "-s",
        ])
        .arg(&script)
        .arg(&url)
        .output()
        .expect("wrk runs (make bench installs it)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        !text.contains("Non-2xx"),
        "every benchmark request must be accepted, or the figures measure errors:\n{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk output:\n{text}"));
    let percentile = |p: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(p).map(|v| v.trim().to_owned()))
            .unwrap_or_default()
    };
    let p99 = percentile("99%");
    WrkRun {
        rps,
        p50: percentile("50%"),
        p99_ms: millis(&p99),
        p99,
    }
}

fn millis(wrk_time: &str) -> f64 {
    let number = |suffix: &str| wrk_time.strip_suffix(suffix).and_then(|v| v.parse::<f64>().ok());
    number("us")
        .map(|v| v / 1000.0)
        .or_else(|| number("ms"))
        .or_else(|| number("s").map(|v| v * 1000.0))
        .unwrap_or(f64::NAN)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

fn fmt(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos >= 1_000_000 {
        format!("{:.2} ms", d.as_secs_f64() * 1000.0)
    } else if nanos >= 1_000 {
        format!("{:.2} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{nanos} ns")
    }
}

fn machine() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "an unknown CPU".to_owned())
}
