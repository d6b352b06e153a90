//! The store's figures: autosave against a bare UPDATE with the same pragmas, and how opening,
//! listing, exporting and importing grow when the data doubles.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use webhook_block::model::{Flow, Sequence};
use webhook_block::{Block, Bot, Id, WebhookForm};
use webhook_store::{Store, UpdateSource};

const AUTOSAVES: usize = 400;

pub fn report(report: &mut String, template: &Bot) {
    let scratch = std::env::temp_dir().join(format!("webhook-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch folder");

    let (store_times, floor_times) = autosave(&scratch.join("autosave"), template);
    let (s50, s99) = (percentile(&store_times, 50), percentile(&store_times, 99));
    let (f50, f99) = (percentile(&floor_times, 50), percentile(&floor_times, 99));
    let _ = writeln!(report, "\n## The store\n");
    let _ = writeln!(
        report,
        "Autosave of one field edit ({AUTOSAVES} edits, interleaved with the floor so both meet the same disk): the store's `update_webhook_form` (the draft, the undo history, the change log and the outbox in one transaction) against a bare rusqlite `UPDATE` of the same JSON in a `BEGIN IMMEDIATE` transaction with the same pragmas (WAL, synchronous=FULL, foreign keys, busy timeout).\n"
    );
    let _ = writeln!(report, "| | p50 | p99 |");
    let _ = writeln!(report, "| --- | --- | --- |");
    let _ = writeln!(report, "| floor (bare UPDATE) | {} | {} |", ms(f50), ms(f99));
    let _ = writeln!(report, "| store autosave | {} | {} |", ms(s50), ms(s99));
    let _ = writeln!(
        report,
        "| ratio | **{:.2}** | **{:.2}** (goal: at most 2) |",
        ratio(s50, f50),
        ratio(s99, f99)
    );

    let _ = writeln!(report, "\nGrowth when the data doubles (median of 3 runs each):\n");
    let _ = writeln!(report, "| operation | size | time | size x2 | time | growth |");
    let _ = writeln!(report, "| --- | --- | --- | --- | --- | --- |");
    let open = |bots: usize| open_and_list(&scratch.join(format!("bots-{bots}")), template, bots);
    let (a, b) = (open(1000), open(2000));
    let _ = writeln!(
        report,
        "| open the store and list the bots (50 blocks each) | 1,000 bots | {} | 2,000 bots | {} | {:.2}x |",
        ms(a),
        ms(b),
        ratio(b, a)
    );
    let big = |blocks: usize| export_import(&scratch.join(format!("big-{blocks}")), template, blocks);
    let ((e1, i1), (e2, i2)) = (big(5000), big(10000));
    let _ = writeln!(
        report,
        "| export a bot | 5,000 blocks | {} | 10,000 blocks | {} | {:.2}x |",
        ms(e1),
        ms(e2),
        ratio(e2, e1)
    );
    let _ = writeln!(
        report,
        "| import a bot into an empty store | 5,000 blocks | {} | 10,000 blocks | {} | {:.2}x |",
        ms(i1),
        ms(i2),
        ratio(i2, i1)
    );
    let _ = writeln!(
        report,
        "\nA growth near 2.00x is linear in the data; near 1.00x, independent of it."
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

/// A bot of `blocks` webhook blocks, copies of the template's, with ids unique across bots.
pub(crate) fn bot_with_blocks(template: &Bot, id: &str, blocks: usize) -> Bot {
    let model = template
        .webhook_blocks()
        .next()
        .expect("template has a webhook block")
        .clone();
    let blocks = (0..blocks)
        .map(|i| {
            let mut block = model.clone();
            block.id = Id::parse(&format!("{id}-b{i}")).expect("id");
            Block::Webhook(Box::new(block))
        })
        .collect();
    let mut bot = template.clone();
    bot.id = Id::parse(id).expect("id");
    bot.flows = vec![Flow {
        id: Id::parse("flow").expect("id"),
        name: "Flow".into(),
        sequences: vec![Sequence {
            id: Id::parse("seq").expect("id"),
            name: "Sequence".into(),
            blocks,
        }],
    }];
    bot
}

fn autosave(dir: &Path, template: &Bot) -> (Vec<Duration>, Vec<Duration>) {
    std::fs::create_dir_all(dir).expect("folder");
    let mut store = Store::open_in(dir).expect("store");
    let bot = bot_with_blocks(template, "autosave", 1);
    store.save_bot(&bot, UpdateSource::Cli).expect("save");
    let block = bot.webhook_blocks().next().expect("block").clone();
    let floor = floor_connection(&dir.join("floor.db"));
    let mut store_times = Vec::with_capacity(AUTOSAVES);
    let mut floor_times = Vec::with_capacity(AUTOSAVES);
    for i in 0..AUTOSAVES {
        let form = WebhookForm {
            contact_reference_id: format!("+1415555{:04}", i % 10_000),
            ..block.form.clone()
        };
        let json = serde_json::to_string(&form).expect("json");
        let t = Instant::now();
        store
            .update_webhook_form(bot.id.as_str(), block.id.as_str(), form, UpdateSource::Window)
            .expect("autosave");
        store_times.push(t.elapsed());
        let t = Instant::now();
        floor_update(&floor, &json);
        floor_times.push(t.elapsed());
    }
    (store_times, floor_times)
}

fn floor_connection(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("floor db");
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
        .expect("wal");
    conn.pragma_update(None, "synchronous", "FULL").expect("sync");
    conn.pragma_update(None, "foreign_keys", true).expect("fk");
    conn.busy_timeout(Duration::from_secs(5)).expect("busy");
    conn.execute_batch(
        "CREATE TABLE forms (id INTEGER PRIMARY KEY, form TEXT NOT NULL); INSERT INTO forms VALUES (1, '{}');",
    )
    .expect("table");
    conn
}

fn floor_update(conn: &rusqlite::Connection, json: &str) {
    conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
    conn.execute("UPDATE forms SET form = ?1 WHERE id = 1", [json])
        .expect("update");
    conn.execute_batch("COMMIT").expect("commit");
}

fn open_and_list(dir: &Path, template: &Bot, bots: usize) -> Duration {
    std::fs::create_dir_all(dir).expect("folder");
    {
        let mut store = Store::open_in(dir).expect("store");
        for i in 0..bots {
            store
                .save_bot(&bot_with_blocks(template, &format!("bot{i}"), 50), UpdateSource::Import)
                .expect("save");
        }
    }
    median((0..3).map(|_| {
        let t = Instant::now();
        let store = Store::open_in(dir).expect("open");
        let listed = store.list_bots().expect("list").len();
        assert_eq!(listed, bots);
        t.elapsed()
    }))
}

fn export_import(dir: &Path, template: &Bot, blocks: usize) -> (Duration, Duration) {
    std::fs::create_dir_all(dir.join("source")).expect("folder");
    let mut store = Store::open_in(dir.join("source")).expect("store");
    let bot = bot_with_blocks(template, "big", blocks);
    store.save_bot(&bot, UpdateSource::Import).expect("save");
    let export = median((0..3).map(|_| {
        let t = Instant::now();
        std::hint::black_box(store.export_bot("big", true).expect("export").to_json());
        t.elapsed()
    }));
    let document = store.export_bot("big", true).expect("export");
    let import = median((0..3).map(|run| {
        let target = dir.join(format!("target-{run}"));
        std::fs::create_dir_all(&target).expect("folder");
        let mut fresh = Store::open_in(&target).expect("store");
        let t = Instant::now();
        fresh
            .import_document(&document, false, UpdateSource::Import)
            .expect("import");
        t.elapsed()
    }));
    (export, import)
}

fn percentile(samples: &[Duration], p: usize) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[((sorted.len() - 1) * p) / 100]
}

fn median(samples: impl Iterator<Item = Duration>) -> Duration {
    let all: Vec<Duration> = samples.collect();
    percentile(&all, 50)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
