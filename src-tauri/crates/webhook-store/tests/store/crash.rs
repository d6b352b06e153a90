//! A writer process saves edits through the store and prints each acknowledgement; it is killed
//! with SIGKILL at random moments. After every kill the file passes `PRAGMA integrity_check` and
//! holds every edit that was acknowledged, in the block and in the sync outbox.
//!
//! The writer is this test binary itself, re-run on the `#[ignore]`d `crash_writer_child` test with
//! an environment variable that tells it which file and run to write.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use webhook_store::{Store, UpdateSource};

use crate::{db_path, store_with_examples};

const CHILD: &str = "WEBHOOK_STORE_CRASH_CHILD";
const BOT: &str = "shop-orders";
const BLOCK: &str = "order-webhook";
const KILLS: u32 = 200;

fn contact(run: u32, n: u64) -> String {
    format!("r{run}-{n}")
}

#[test]
#[ignore = "the writer of every_acknowledged_edit_survives_sigkill_at_random_moments, which runs it"]
fn crash_writer_child() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (path, run) = spec.rsplit_once('|').unwrap();
    let run: u32 = run.parse().unwrap();
    let mut store = Store::open(path).unwrap();
    let mut form = store.load_bot(BOT).unwrap().webhook(BLOCK).unwrap().form.clone();
    let mut out = std::io::stdout().lock();
    let deadline = Instant::now() + Duration::from_secs(5);
    // Bounded, so a writer whose parent died does not run forever.
    for n in 0..100_000u64 {
        if Instant::now() > deadline {
            break;
        }
        form.contact_reference_id = contact(run, n);
        store
            .update_webhook_form(BOT, BLOCK, form.clone(), UpdateSource::Window)
            .unwrap();
        writeln!(out, "ack {n}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn every_acknowledged_edit_survives_sigkill_at_random_moments() {
    let (dir, store) = store_with_examples();
    drop(store);
    let path = db_path(&dir);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut x = seed;
    let mut random = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let started = Instant::now();
    let mut acknowledged_total = 0u64;
    let mut killed_mid_run = 0;
    for run in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::crash_writer_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, format!("{}|{run}", path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut last = None;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("ack ") {
                    last = Some(n.parse::<u64>().unwrap());
                }
            }
            last
        });
        // From 0 to 60 ms: some kills land while the writer starts or opens the file.
        std::thread::sleep(Duration::from_micros(random() % 60_000));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        if still_running {
            killed_mid_run += 1;
        }
        let last = reader.join().unwrap();

        let conn = rusqlite::Connection::open(&path).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "run {run}, seed {seed}");
        drop(conn);
        let store = Store::open(&path).unwrap();
        let Some(last) = last else { continue };
        acknowledged_total += last + 1;
        let saved: HashSet<String> = store
            .form_history(BLOCK)
            .unwrap()
            .into_iter()
            .map(|f| f.contact_reference_id)
            .collect();
        // What sync will send survives too: each acknowledged edit has its outbox row.
        let queued: HashSet<String> = store
            .pending(usize::MAX)
            .unwrap()
            .into_iter()
            .filter_map(|row| {
                let body = row.body?;
                Some(body["webhook"]["form"]["contact_reference_id"].as_str()?.to_owned())
            })
            .collect();
        for n in 0..=last {
            assert!(
                saved.contains(&contact(run, n)),
                "run {run}: acknowledged edit {n} lost (seed {seed})"
            );
            assert!(
                queued.contains(&contact(run, n)),
                "run {run}: acknowledged edit {n} missing from the sync outbox (seed {seed})"
            );
        }
        let current = store
            .load_bot(BOT)
            .unwrap()
            .webhook(BLOCK)
            .unwrap()
            .form
            .contact_reference_id
            .clone();
        let (_, at) = current.rsplit_once('-').unwrap();
        assert!(
            current.starts_with(&format!("r{run}-")) && at.parse::<u64>().unwrap() >= last,
            "run {run}: the draft is {current}, older than acknowledged edit {last} (seed {seed})"
        );
    }
    eprintln!(
        "{KILLS} kills ({killed_mid_run} of a running writer), {acknowledged_total} acknowledged edits, seed {seed}, {:?}",
        started.elapsed()
    );
    assert!(
        killed_mid_run > KILLS / 2,
        "only {killed_mid_run} kills hit a running writer"
    );
    assert!(acknowledged_total > 0);
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "took {:?}",
        started.elapsed()
    );
}
