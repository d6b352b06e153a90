//! The real window: start-up and memory against a bare Tauri window, and a 500-block flow against
//! the same flow with 10 blocks. `tests/bench/run.sh` drives both windows through tauri-driver
//! and WebKitWebDriver under Xvfb and writes raw samples as JSON; this module turns them into
//! medians and ratios.
//!
//! The binaries come from the environment (the Makefile's `bench` target builds them in the
//! profile `make test` uses): `WEBHOOK_STUDIO_APP`, `WEBHOOK_FLOOR_APP`, `WEBHOOK_STUDIO_CLI`.
//! `webhook-bench <root> window` measures only these and rewrites only BENCHMARKS.md's window
//! sections ([`splice`]); with `BENCH_PARTS=start` (tests/bench/window.mjs) it skips the
//! 500-block flow, for working on the cold start.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

use serde_json::Value;

const TIME_GOAL: f64 = 1.5;
const MEMORY_GOAL: f64 = 1.3;

pub fn report(report: &mut String, root: &str) {
    // Other work on the machine moves these figures more than any others: say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned());
    let out = std::env::temp_dir().join(format!("webhook-bench-window-{}.json", std::process::id()));
    let status = Command::new("bash")
        .arg(format!("{root}/tests/bench/run.sh"))
        .arg(&out)
        .status()
        .expect("run tests/bench/run.sh");
    assert!(
        status.success(),
        "the window benchmarks failed (tests/bench/run.sh): {status}"
    );
    let text = std::fs::read_to_string(&out).expect("the window benchmarks' results");
    let _ = std::fs::remove_file(&out);
    let result: Value = serde_json::from_str(&text).expect("results are JSON");
    let runs = result["runs"].as_u64().unwrap_or(0);
    let settle = result["settleMs"].as_u64().unwrap_or(0);
    let samples = |set: &str, field: &dyn Fn(&Value) -> f64| -> Vec<f64> {
        result[set]
            .as_array()
            .map(|a| a.iter().map(field).collect())
            .unwrap_or_default()
    };
    let ms = |v: &Value| v["ms"].as_f64().unwrap_or(f64::NAN);
    let pss = |v: &Value| v["memory"]["pssKiB"].as_f64().unwrap_or(f64::NAN) / 1024.0;
    let rss = |v: &Value| v["memory"]["rssKiB"].as_f64().unwrap_or(f64::NAN) / 1024.0;
    let settled_cpu = |v: &Value| v["settledCpuMs"].as_f64().unwrap_or(f64::NAN);

    let range = |set: &str, field: &dyn Fn(&Value) -> f64| spread(&samples(set, field));
    let floor_ms = median(samples("floor", &ms));
    let app_ms = median(samples("app", &ms));
    let floor_pss = median(samples("floor", &pss));
    let app_pss = median(samples("app", &pss));
    let floor_rss = median(samples("floor", &rss));
    let app_rss = median(samples("app", &rss));
    let time_ratio = app_ms / floor_ms;
    let pss_ratio = app_pss / floor_pss;

    // What the two windows decide about painting here (they both call the same function).
    let renderer = webhook_renderer::choose_for_this_machine();
    let _ = writeln!(report, "\n## The window\n");
    let _ = writeln!(
        report,
        "Both windows are built in the debug profile that `make test` builds (`cargo build --workspace --all-targets`: one Tauri compilation, the same version and features, the custom protocol on, the page embedded), started through tauri-driver and WebKitWebDriver under Xvfb (1280x800, software GL). Median of {runs} runs; floor and app runs are interleaved, after one discarded warm-up run of each. The floor is `webhook-floor-app`: a bare Tauri window whose page is an empty `index.html`, with no commands, state or plugins. Both make the same first call, `webhook-renderer`'s choice of how WebKit paints on this machine: {renderer}. Load average when the window runs started: {load}.\n"
    );
    let steal_runs: Vec<f64> = result["steal"]
        .as_array()
        .map(|runs| runs.iter().filter_map(Value::as_f64).map(|s| s * 100.0).collect())
        .unwrap_or_default();
    if let Some(steal) = result["stealShare"].as_f64() {
        let _ = writeln!(
            report,
            "The host took {:.1}% of this machine's CPU time while the window runs ran (steal, from `/proc/stat`; by run {}%). Above a few percent every time here is slower and noisier: floor and app runs alternate so that both meet the same machine, but a run the host slowed midway is not like one it left alone.\n",
            steal * 100.0,
            spread(&steal_runs),
        );
    }
    loopback(report, &result);
    let _ = writeln!(report, "### Cold start to an interactive webhook panel\n");
    let _ = writeln!(
        report,
        "Time from the WebDriver new-session request (which starts the process) until, for the floor, its page has loaded, and for the app, with a data folder holding the welcome example (imported with the CLI), the dashboard's bot card was clicked, then the webhook block's node on the canvas, and the panel's \"Webhook URL\" input has a value. Each wait is one WebDriver call whose script watches the page (at once, on every DOM change and every 5 ms) and answers when the condition holds, so a wait costs one trip back to the client, not a round trip per check; the app's figure includes the WebDriver round trips of its two clicks, each sent as WebDriver's Element Click on the element the wait answered (no second lookup, and little of the client's CPU, which the window being timed shares). Memory is read {settle} ms after that (the CPU time used meanwhile says whether anything kept working: an animation, a poll, a fade WebKit draws; in the kernel's 10 ms ticks, so a ratio of two small figures means little), summed over the process tree (the window's process and every descendant: the WebKit web and network processes). PSS (`/proc/<pid>/smaps_rollup`) is the goal's figure: it divides each shared page among the processes that map it, so the WebKit and GTK libraries the app, its web process and its network process all map are counted once in total rather than once per process, as RSS counts them. PSS also divides those pages with any other process on the machine that maps them (another WebKit window, a test run), which is why floor and app runs alternate: each pair meets the same neighbours. RSS is given for orientation. Medians, with the lowest and highest run in brackets.\n"
    );
    let _ = writeln!(
        report,
        "| | floor (empty page) | app (webhook panel open) | ratio | goal |"
    );
    let _ = writeln!(report, "| --- | --- | --- | --- | --- |");
    let _ = writeln!(
        report,
        "| cold start | {floor_ms:.0} ms ({}) | {app_ms:.0} ms ({}) | **{time_ratio:.2}x** | at most {TIME_GOAL}x: {} |",
        range("floor", &ms),
        range("app", &ms),
        met(time_ratio <= TIME_GOAL)
    );
    let _ = writeln!(
        report,
        "| PSS of the process tree | {floor_pss:.0} MiB ({}) | {app_pss:.0} MiB ({}) | **{pss_ratio:.2}x** | at most {MEMORY_GOAL}x: {} |",
        range("floor", &pss),
        range("app", &pss),
        met(pss_ratio <= MEMORY_GOAL)
    );
    let _ = writeln!(
        report,
        "| RSS of the process tree | {floor_rss:.0} MiB | {app_rss:.0} MiB | {:.2}x | |",
        app_rss / floor_rss
    );
    let _ = writeln!(
        report,
        "| CPU time of the process tree while it settles ({settle} ms, nothing happening) | {:.0} ms ({}) | {:.0} ms ({}) | | |",
        median(samples("floor", &settled_cpu)),
        range("floor", &settled_cpu),
        median(samples("app", &settled_cpu)),
        range("app", &settled_cpu),
    );
    let _ = writeln!(report, "\nPSS by process (median over the runs):\n");
    let _ = writeln!(report, "| process | floor | app |");
    let _ = writeln!(report, "| --- | --- | --- |");
    let floor_by = by_process(&result["floor"]);
    let app_by = by_process(&result["app"]);
    let mut names: Vec<&String> = floor_by.keys().chain(app_by.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let cell = |by: &BTreeMap<String, f64>| by.get(name).map_or_else(|| "-".to_owned(), |v| format!("{v:.0} MiB"));
        let _ = writeln!(report, "| {name} | {} | {} |", cell(&floor_by), cell(&app_by));
    }

    memory_tables(report, &result);
    steps_table(report, &result);
    if result["flow500"].as_array().is_none_or(Vec::is_empty) {
        let _ = writeln!(
            report,
            "\n### A flow of 500 blocks\n\nNot measured in this run (`BENCH_PARTS` left it out)."
        );
        return;
    }
    let canvas = |v: &Value| v["canvasMs"].as_f64().unwrap_or(f64::NAN);
    let select = |v: &Value| v["selectMs"].as_f64().unwrap_or(f64::NAN);
    let shown = |v: &Value| v["blocksRendered"].as_f64().unwrap_or(f64::NAN);
    let small_canvas = median(samples("flow10", &canvas));
    let large_canvas = median(samples("flow500", &canvas));
    let small_select = median(samples("flow10", &select));
    let large_select = median(samples("flow500", &select));
    let _ = writeln!(report, "\n### A flow of 500 blocks\n");
    let _ = writeln!(
        report,
        "A generated bot: the welcome example's webhook block and 499 message blocks in 5 sequences of 100, imported with the CLI. The floor is the same bot with 10 blocks (the webhook and 9 messages, 5 sequences of 2), in the same run. Each is timed inside the page, from the WebDriver click's event (noted in the capture phase, before the app's handlers) to the first frame where the condition holds:\n\n- first render of the canvas: from the click on the dashboard's Open button until every node the canvas puts in the page is rendered and visible, and neither that set nor the viewport changes for 500 ms; the time is that of the first frame showing the final state;\n- select a block: from the click on the webhook block's node until its panel's \"Webhook URL\" input has a value.\n"
    );
    let _ = writeln!(report, "| | 10 blocks | 500 blocks | ratio (500 vs 10 blocks) |");
    let _ = writeln!(report, "| --- | --- | --- | --- |");
    let _ = writeln!(
        report,
        "| first render of the canvas | {small_canvas:.0} ms ({}) | {large_canvas:.0} ms ({}) | **{:.2}x** |",
        range("flow10", &canvas),
        range("flow500", &canvas),
        large_canvas / small_canvas
    );
    let _ = writeln!(
        report,
        "| select the webhook block | {small_select:.0} ms ({}) | {large_select:.0} ms ({}) | **{:.2}x** |",
        range("flow10", &select),
        range("flow500", &select),
        large_select / small_select
    );
    let _ = writeln!(
        report,
        "| block nodes in the page | {:.0} | {:.0} | |",
        median(samples("flow10", &shown)),
        median(samples("flow500", &shown))
    );
    let in_view = |v: &Value| v["blocksInView"].as_f64().unwrap_or(f64::NAN);
    let _ = writeln!(
        report,
        "| of which inside the canvas's box | {:.0} | {:.0} | |",
        median(samples("flow10", &in_view)),
        median(samples("flow500", &in_view))
    );
    let _ = writeln!(
        report,
        "\nThe data grows 50x; a ratio near 1.00x means the canvas and the panel cost what the view shows, not what the bot holds."
    );
    let fallbacks: Vec<String> = ["flow10", "flow500"]
        .iter()
        .flat_map(|set| result[*set].as_array().cloned().unwrap_or_default())
        .filter(|run| run["renderer"].as_str() == Some("outline"))
        .map(|run| run["note"].as_str().unwrap_or("").trim().to_owned())
        .collect();
    if let Some(note) = fallbacks.first() {
        let _ = writeln!(
            report,
            "\n**In {} of the {} flow runs the builder showed its outline of the cards, not the React Flow canvas**, so those figures time the outline. It said: \"{note}\"",
            fallbacks.len(),
            2 * runs
        );
    }
}

/// The web process's PSS by kind of mapping (floor and app), and the app's process tree at each
/// step of the journey.
fn memory_tables(report: &mut String, result: &Value) {
    let kinds = |set: &str| -> BTreeMap<String, f64> {
        let mut samples: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for run in result[set].as_array().into_iter().flatten() {
            for process in run["memory"]["processes"].as_array().into_iter().flatten() {
                for (kind, kib) in process["pssKinds"].as_object().into_iter().flatten() {
                    samples
                        .entry(kind.clone())
                        .or_default()
                        .push(kib.as_f64().unwrap_or(0.0) / 1024.0);
                }
            }
        }
        samples.into_iter().map(|(k, v)| (k, median(v))).collect()
    };
    let (floor, app) = (kinds("floor"), kinds("app"));
    if !app.is_empty() {
        let _ = writeln!(
            report,
            "\nThe web process's PSS by kind of mapping (`/proc/<pid>/smaps`; medians): anonymous memory is the JavaScript heap, malloc and the page's layers and tiles drawn in software; shared memory is frames handed to the window's process.\n"
        );
        let _ = writeln!(report, "| WebKitWebProcess | floor | app |");
        let _ = writeln!(report, "| --- | --- | --- |");
        let mut names: Vec<&String> = floor.keys().chain(app.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let cell =
                |by: &BTreeMap<String, f64>| by.get(name).map_or_else(|| "-".to_owned(), |v| format!("{v:.1} MiB"));
            let _ = writeln!(report, "| {name} | {} | {} |", cell(&floor), cell(&app));
        }
    }
    let runs = result["memorySteps"].as_array().map(Vec::as_slice).unwrap_or_default();
    if runs.is_empty() {
        return;
    }
    let _ = writeln!(
        report,
        "\nMemory by step, in another window of the app on the same data: the process tree's PSS read after the same settling time at each step (not timed; medians).\n"
    );
    let _ = writeln!(
        report,
        "| step | PSS of the tree | WebKitWebProcess | its anonymous memory |"
    );
    let _ = writeln!(report, "| --- | --- | --- | --- |");
    let steps: Vec<String> = runs[0]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["step"].as_str().map(str::to_owned))
        .collect();
    for (i, step) in steps.iter().enumerate() {
        let pick = |f: &dyn Fn(&Value) -> f64| median(runs.iter().map(|run| f(&run[i]["memory"])).collect());
        let tree = pick(&|m| m["pssKiB"].as_f64().unwrap_or(f64::NAN) / 1024.0);
        let web = |m: &Value, field: &dyn Fn(&Value) -> f64| {
            m["processes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["name"].as_str() == Some("WebKitWebProcess"))
                .map(field)
                .sum::<f64>()
        };
        let web_pss = pick(&|m| web(m, &|p| p["pssKiB"].as_f64().unwrap_or(0.0)) / 1024.0);
        let web_anon = pick(&|m| web(m, &|p| p["pssKinds"]["anonymous"].as_f64().unwrap_or(0.0)) / 1024.0);
        let _ = writeln!(
            report,
            "| {step} | {tree:.0} MiB | {web_pss:.0} MiB | {web_anon:.0} MiB |"
        );
    }
}

/// Where the time goes: each step's median moment, in ms after the new-session request, for the
/// app and the floor, and the median time a timed step took (an IPC command on the Rust side or
/// in the page, a file's load). Steps are listed in the order of the app's medians.
fn steps_table(report: &mut String, result: &Value) {
    let floor = step_medians(&result["floor"]);
    let app = step_medians(&result["app"]);
    if app.is_empty() {
        return;
    }
    let _ = writeln!(
        report,
        "\nWhere the time goes: when each step happened, in ms after the new-session request (median over the runs; a step seen in fewer than half of them is left out). `client:` is the WebDriver client's clock, `app:` the app's own timing lines (`WEBHOOK_STUDIO_TIMINGS`; an IPC command's time is spent on the main thread when it is synchronous), `page:` the page's navigation and paint entries, the moment the page saw each wait's condition hold (the `client:` line of the same name is when the client heard of it; WebKit records no resource entries for the app's `tauri:` and `ipc:` requests, so files and IPC calls show on the app's side only), and each click's mouse events as the page received them (`stamped`: the event's own time stamp, when WebKit made it; `dispatched`: when it reached the page, before any of the page's handlers; the second click's lines end in (2)), `mark:` the UI's `performance.mark`s. Collected after the memory was read, so nothing here is inside the figures above; the process's start is from `/proc` (10 ms ticks).\n"
    );
    let _ = writeln!(report, "| step | floor | app | took (app) |");
    let _ = writeln!(report, "| --- | --- | --- | --- |");
    let mut rows: Vec<(&String, &StepMedian)> = app.iter().collect();
    rows.sort_by(|a, b| a.1.at.total_cmp(&b.1.at));
    for (name, step) in rows {
        let floor_at = floor
            .get(name)
            .map_or_else(|| "".to_owned(), |f| format!("{:.0}", f.at));
        let took = step.span.map_or_else(|| "".to_owned(), |ms| format!("{ms:.1} ms"));
        let _ = writeln!(report, "| {name} | {floor_at} | {:.0} | {took} |", step.at);
    }
    // Per app run: the Rust-side time of its IPC commands, summed, and how many there were.
    fn ipc_steps(run: &Value) -> impl Iterator<Item = &Value> {
        run["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["name"].as_str().is_some_and(|n| n.starts_with("app: ipc ")))
    }
    let runs = result["app"].as_array().map(Vec::as_slice).unwrap_or_default();
    let ipc: Vec<f64> = runs
        .iter()
        .map(|run| ipc_steps(run).filter_map(|s| s["span"].as_f64()).sum())
        .collect();
    let calls: Vec<f64> = runs.iter().map(|run| ipc_steps(run).count() as f64).collect();
    let _ = writeln!(
        report,
        "\nIPC commands in the app's cold start: {:.0}, {:.1} ms in all on the Rust side (medians).",
        median(calls),
        median(ipc)
    );
    page_clock(report, &floor, &app);
}

/// Which loopback the WebDriver chain talked over (tests/bench/run.sh): the chain's sockets do not
/// set TCP_NODELAY, so on the machine's loopback a small write behind an unacknowledged one waits
/// for Linux's delayed ACK. Says nothing for a result that does not record it.
fn loopback(report: &mut String, result: &Value) {
    let Some(loopback) = result["loopback"].as_str() else {
        return;
    };
    let stall = "tauri-driver's proxy and the inspector relay that carries WebKitWebDriver's messages do not set TCP_NODELAY, so a small message written while the one before it is unacknowledged waits for Linux's delayed ACK, up to 40 ms, at moments set by the chain's own messages and belonging to neither window";
    if loopback == "quickack" {
        let _ = writeln!(
            report,
            "The WebDriver chain talked over a private loopback: a network namespace whose routes carry `quickack`, so every receiver acknowledges at once. On the machine's loopback, {stall} (seen in a capture of the loopback with tcpdump; see tests/bench/run.sh).\n"
        );
    } else {
        let _ = writeln!(
            report,
            "The WebDriver chain talked over {loopback}: {stall}. Any figure here may hold such stalls (see tests/bench/run.sh).\n"
        );
    }
}

/// The cold start on the page's clock: when the floor's page fired its load event, and when the
/// app's page saw its Webhook URL, against the client-side figures the goal is judged on. The two
/// clocks differ by the client's trips, which are not the same for the two windows. Takes the
/// windows' step medians ([`step_medians`]); says nothing when a step is missing.
fn page_clock(report: &mut String, floor: &BTreeMap<String, StepMedian>, app: &BTreeMap<String, StepMedian>) {
    let at = |steps: &BTreeMap<String, StepMedian>, name: &str| steps.get(name).map(|s| s.at);
    let (Some(floor_page), Some(app_page), Some(floor_client), Some(app_client)) = (
        at(floor, "page: load"),
        at(app, "page: Webhook URL shown"),
        at(floor, "client: page loaded"),
        at(app, "client: Webhook URL shown"),
    ) else {
        return;
    };
    let _ = writeln!(
        report,
        "\nThe same runs on the page's clock: the floor's page fired its load event at {floor_page:.0} ms and the app's page saw its Webhook URL at {app_page:.0} ms (medians), **{:.2}x**. The figure above is the client's: it adds each window's last trip back to the client, {:.0} ms after the floor's load event here and {:.0} ms after the app's page saw its URL. The goal is judged on the client's clock, the one the journey's clicks are sent on.",
        app_page / floor_page,
        floor_client - floor_page,
        app_client - app_page,
    );
}

struct StepMedian {
    at: f64,
    span: Option<f64>,
}

fn step_medians(runs: &Value) -> BTreeMap<String, StepMedian> {
    let runs = runs.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut at: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut spans: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for run in runs {
        for step in run["steps"].as_array().into_iter().flatten() {
            let Some(name) = step["name"].as_str() else { continue };
            if let Some(ms) = step["ms"].as_f64() {
                at.entry(name.to_owned()).or_default().push(ms);
            }
            if let Some(span) = step["span"].as_f64() {
                spans.entry(name.to_owned()).or_default().push(span);
            }
        }
    }
    at.into_iter()
        .filter(|(_, values)| 2 * values.len() >= runs.len())
        .map(|(name, values)| {
            let span = spans.remove(&name).map(median);
            (
                name,
                StepMedian {
                    at: median(values),
                    span,
                },
            )
        })
        .collect()
}

/// `document` with its window sections (from `## The window` to the next `## ` heading, or the
/// end) replaced by `window`, or `window` added at the end when it has none.
pub fn splice(document: &str, window: &str) -> String {
    const START: &str = "\n## The window";
    let window = window.trim_matches('\n');
    let (before, after) = match document.find(START) {
        Some(start) => {
            let end = document[start + START.len()..]
                .find("\n## ")
                .map_or(document.len(), |i| start + START.len() + i);
            (&document[..start], &document[end..])
        }
        None => (document, ""),
    };
    let after = after.trim_start_matches('\n');
    let mut out = format!("{}\n\n{window}\n", before.trim_end_matches('\n'));
    if !after.is_empty() {
        out.push('\n');
        out.push_str(after);
    }
    out
}

/// The lowest and the highest sample, as "low–high".
fn spread(values: &[f64]) -> String {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{low:.0}–{high:.0}")
}

fn met(yes: bool) -> &'static str {
    if yes { "met" } else { "not met" }
}

/// Median PSS per process name, in MiB, over the runs (processes of one name in a run summed).
fn by_process(runs: &Value) -> BTreeMap<String, f64> {
    let mut samples: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for run in runs.as_array().into_iter().flatten() {
        let mut per_run: BTreeMap<String, f64> = BTreeMap::new();
        for process in run["memory"]["processes"].as_array().into_iter().flatten() {
            let name = process["name"].as_str().unwrap_or("?").to_owned();
            *per_run.entry(name).or_default() += process["pssKiB"].as_f64().unwrap_or(0.0) / 1024.0;
        }
        for (name, value) in per_run {
            samples.entry(name).or_default().push(value);
        }
    }
    samples
        .into_iter()
        .map(|(name, values)| (name, median(values)))
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        f64::midpoint(values[mid - 1], values[mid])
    }
}

#[cfg(test)]
mod tests {
    use super::{loopback, page_clock, splice, step_medians};
    use serde_json::json;

    #[test]
    fn splice_replaces_only_the_window_sections() {
        let doc = "# B\n\n## Team sync\n\nT\n\n## The window\n\nold\n\n### Cold start\n\nold\n";
        let out = splice(doc, "\n## The window\n\nnew\n");
        assert_eq!(out, "# B\n\n## Team sync\n\nT\n\n## The window\n\nnew\n");
    }

    #[test]
    fn splice_keeps_a_section_after_the_window() {
        let doc = "# B\n\n## The window\n\nold\n\n## Later\n\nL\n";
        let out = splice(doc, "\n## The window\n\nnew\n");
        assert_eq!(out, "# B\n\n## The window\n\nnew\n\n## Later\n\nL\n");
    }

    #[test]
    fn splice_adds_the_window_when_there_is_none() {
        let out = splice("# B\n\n## Team sync\n\nT\n", "\n## The window\n\nnew\n");
        assert_eq!(out, "# B\n\n## Team sync\n\nT\n\n## The window\n\nnew\n");
    }

    fn run(steps: &[(&str, f64)]) -> serde_json::Value {
        json!({"steps": steps.iter().map(|(name, ms)| json!({"name": name, "ms": ms})).collect::<Vec<_>>()})
    }

    #[test]
    fn page_clock_gives_each_windows_page_side_moment_and_the_client_trips() {
        let result = json!({
            "floor": [
                run(&[("page: load", 440.0), ("client: page loaded", 500.0)]),
                run(&[("page: load", 460.0), ("client: page loaded", 510.0)]),
                run(&[("page: load", 450.0), ("client: page loaded", 490.0)]),
            ],
            "app": [
                run(&[("page: Webhook URL shown", 800.0), ("client: Webhook URL shown", 815.0)]),
                run(&[("page: Webhook URL shown", 900.0), ("client: Webhook URL shown", 910.0)]),
                run(&[("page: Webhook URL shown", 850.0), ("client: Webhook URL shown", 870.0)]),
            ],
        });
        let mut out = String::new();
        page_clock(&mut out, &step_medians(&result["floor"]), &step_medians(&result["app"]));
        assert!(out.contains("load event at 450 ms"), "{out}");
        assert!(out.contains("Webhook URL at 850 ms"), "{out}");
        assert!(out.contains("**1.89x**"), "{out}");
        // Client medians 500 and 870: 50 ms after the floor's load event, 20 after the app's URL.
        assert!(out.contains("50 ms after the floor's load event"), "{out}");
        assert!(out.contains("20 ms after the app's page saw its URL"), "{out}");
    }

    #[test]
    fn loopback_says_which_loopback_the_runs_used() {
        let mut private = String::new();
        loopback(&mut private, &json!({"loopback": "quickack"}));
        assert!(private.contains("private loopback"), "{private}");
        assert!(private.contains("`quickack`"), "{private}");

        let mut machine = String::new();
        loopback(&mut machine, &json!({"loopback": "the machine's (delayed ACKs on)"}));
        assert!(
            machine.contains("talked over the machine's (delayed ACKs on)"),
            "{machine}"
        );
        assert!(machine.contains("may hold such stalls"), "{machine}");

        let mut unrecorded = String::new();
        loopback(&mut unrecorded, &json!({"runs": 15}));
        assert_eq!(unrecorded, "");
    }

    #[test]
    fn page_clock_says_nothing_without_page_side_steps() {
        let mut out = String::new();
        let result = json!({"floor": [run(&[])], "app": []});
        page_clock(&mut out, &step_medians(&result["floor"]), &step_medians(&result["app"]));
        assert_eq!(out, "");
    }
}
