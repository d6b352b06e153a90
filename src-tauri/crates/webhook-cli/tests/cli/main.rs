//! The `webhook-studio` binary as a script would use it: exit codes, output lines, and `serve`
//! answering the commands `curl` prints.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_webhook-studio"))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../../assets/examples/{name}.bot.json"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An example with `change` applied, written to a temporary file.
fn edited(name: &str, change: impl FnOnce(&mut Value)) -> (tempfile::TempDir, String) {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(example(name)).unwrap()).unwrap();
    change(&mut doc);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    (dir, path.to_string_lossy().into_owned())
}

#[test]
fn check_passes_the_examples_silently() {
    for name in ["welcome-on-sign-up", "order-received-alert", "abandoned-cart"] {
        let out = run(&["check", example(name).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stdout));
        assert_eq!(text(&out.stdout), "");
    }
}

#[test]
fn check_prints_each_problem_as_block_field_message_and_exits_1() {
    let (_dir, path) = edited("welcome-on-sign-up", |doc| {
        let form = &mut doc["bot"]["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["form"];
        form["contact_reference_id"] = "(415) 555-0123".into();
        form["mappings"][1]["set_variable"] = "customer_name".into();
    });
    let out = run(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        vec![
            "signup-webhook/mappings[1].set_variable: Row 1 (`data.name`) already sets customer_name. Each variable is set by one row: choose another variable or remove this row.",
            "signup-webhook/contact_reference_id: Add the country code: a WhatsApp number starts with + and the country code, e.g. +14155550123.",
        ]
    );
}

#[test]
fn check_names_the_json_path_of_a_malformed_document() {
    let (_dir, path) = edited("order-received-alert", |doc| {
        doc["bot"]["channels"][0]["channel"] = "fax".into();
    });
    let out = run(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bot.channels[0].channel: unknown variant `fax`"), "{err}");
}

#[test]
fn check_of_a_missing_file_is_a_usage_error() {
    let out = run(&["check", "/nonexistent/bot.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the file"));
}

#[test]
fn curl_for_an_unknown_block_lists_the_blocks() {
    let out = run(&[
        "curl",
        example("abandoned-cart").to_str().unwrap(),
        "--block",
        "nope",
        "--env",
        "production",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("its webhook blocks are: cart-webhook"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn curl_refuses_an_insecure_api_base() {
    let path = example("abandoned-cart");
    let out = run(&[
        "curl",
        path.to_str().unwrap(),
        "--block",
        "cart-webhook",
        "--env",
        "production",
        "--api-base",
        "http://bots.example.com",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("use https://"), "{}", text(&out.stderr));
    let out = run(&[
        "curl",
        path.to_str().unwrap(),
        "--block",
        "cart-webhook",
        "--env",
        "production",
        "--api-base",
        "https://bots.example.com",
    ]);
    assert!(text(&out.stdout).contains("https://bots.example.com/v1/webhooks/cart-webhook"));
}

#[test]
fn curl_prints_powershell_and_keeps_the_token_out_on_request() {
    let path = example("welcome-on-sign-up");
    let out = run(&[
        "curl",
        path.to_str().unwrap(),
        "--block",
        "signup-webhook",
        "--env",
        "development",
        "--shell",
        "powershell",
        "--token-from-env",
    ]);
    let command = text(&out.stdout);
    assert!(command.starts_with("$body = '"), "{command}");
    assert!(
        command.contains("$env:WEBHOOK_TOKEN") && !command.contains("whs_"),
        "{command}"
    );
}

struct Served {
    child: Child,
    port: u16,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    // Kept open: closing it would break the pipe `serve` reports to.
    _stderr: BufReader<std::process::ChildStderr>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(path: &str) -> Served {
    let mut child = bin()
        .args(["serve", path, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let port = first
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first:?}"));
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    Served {
        child,
        port,
        lines,
        _stderr: stderr,
    }
}

#[test]
fn serve_answers_the_printed_development_curl_and_prints_one_json_line_per_request() {
    let path = example("abandoned-cart");
    let path = path.to_str().unwrap();
    let mut served = serve(path);
    let port = served.port.to_string();
    let command = text(
        &run(&[
            "curl",
            path,
            "--block",
            "cart-webhook",
            "--env",
            "development",
            "--port",
            &port,
        ])
        .stdout,
    );
    let sent = Command::new("bash")
        .arg("-c")
        .arg(format!("{} --silent --show-error", command.trim_end()))
        .output()
        .unwrap();
    let reply: Value =
        serde_json::from_slice(&sent.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{command}", text(&sent.stderr)));
    assert_eq!(reply["accepted"], true, "{reply}");
    assert_eq!(reply["contact_reference_id"], "+447400123456");

    let line: Value = serde_json::from_str(&served.lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(line["block"], "cart-webhook");
    assert_eq!(line["status"], 202);
    assert_eq!(line["variables"]["first_name"], "Katherine");
    assert_eq!(line["variables"]["cart_total"], 89.0);

    let url = format!("http://127.0.0.1:{port}/dev/webhooks/cart-webhook");
    Command::new("curl")
        .args(["-s", "-X", "POST", &url, "-H", "Authorization: Bearer whs_wrong"])
        .output()
        .unwrap();
    let line: Value = serde_json::from_str(&served.lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(
        (line["block"].as_str(), line["status"].as_u64()),
        (Some("cart-webhook"), Some(401))
    );
    assert_eq!(line["code"], "wrong_token");
    assert_eq!(line["variables"], serde_json::json!({}));
}

#[test]
fn serve_refuses_a_submitted_block_that_breaks_rules() {
    let (_dir, path) = edited("order-received-alert", |doc| {
        doc["bot"]["channels"][0]["integration_active"] = false.into();
    });
    let out = run(&["serve", &path, "--port", "0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("cannot be served") && err.contains("order-webhook/channel"),
        "{err}"
    );
}

/// `import` of an example into a fresh database in `dir`; returns the database path.
fn imported(dir: &tempfile::TempDir, names: &[&str]) -> String {
    let db = dir.path().join("studio.db").to_string_lossy().into_owned();
    for name in names {
        let out = run(&["import", "--db", &db, example(name).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
    }
    db
}

#[test]
fn import_then_export_with_secrets_gives_the_example_back_and_without_leaves_tokens_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(&dir, &["order-received-alert"]);
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(example("order-received-alert")).unwrap()).unwrap();

    let out = run(&["export", "--db", &db, "--include-secrets"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut exported: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(text(&out.stdout).ends_with("}\n") && text(&out.stdout).contains("\n  \"format\""));
    exported["$schema"] = original["$schema"].clone();
    assert_eq!(exported, original);

    let file = dir.path().join("out.json");
    let out = run(&[
        "export",
        "--db",
        &db,
        "--bot",
        "shop-orders",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(!written.contains("whs_"), "{written}");
    assert!(text(&out.stderr).contains("tokens were left out"));
}

#[test]
fn import_of_an_existing_bot_needs_replace() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(&dir, &["abandoned-cart"]);
    let path = example("abandoned-cart");
    let out = run(&["import", "--db", &db, path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("/bot/id: a bot with the id cart-recovery already exists"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stderr).contains("1 problem(s); nothing was imported"));
    let out = run(&["import", "--db", &db, path.to_str().unwrap(), "--replace"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn import_lists_every_structural_problem_and_imports_nothing() {
    let (_doc_dir, path) = edited("welcome-on-sign-up", |doc| {
        let blocks = &mut doc["bot"]["flows"][0]["sequences"][0]["blocks"];
        let twin = blocks[0].clone();
        blocks.as_array_mut().unwrap().push(twin);
        let variable = doc["bot"]["variables"][0].clone();
        doc["bot"]["variables"].as_array_mut().unwrap().push(variable);
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("studio.db");
    let out = run(&["import", "--db", db.to_str().unwrap(), &path]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("/bot/variables/"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("/bot/flows/0/sequences/0/blocks/2/webhook/id: two blocks"),
        "{}",
        lines[1]
    );
    let out = run(&["export", "--db", db.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("it holds no bots"), "{}", text(&out.stderr));
}

#[test]
fn export_names_the_bots_when_the_choice_is_unclear_and_never_creates_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(&dir, &["abandoned-cart", "welcome-on-sign-up"]);
    let out = run(&["export", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("choose a bot with --bot ID; its bots are: acme-signups, cart-recovery"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["export", "--db", &db, "--bot", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("there is no bot \"nope\""));

    let missing = dir.path().join("missing.db");
    let out = run(&["export", "--db", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("there is no database here"));
    assert!(!missing.exists());
}

#[test]
fn import_and_export_refuse_a_file_that_is_not_a_database_and_leave_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("studio.db");
    std::fs::write(&db, "not a database, just notes\n").unwrap();
    for args in [
        vec![
            "import",
            "--db",
            db.to_str().unwrap(),
            example("abandoned-cart").to_str().unwrap(),
        ],
        vec!["export", "--db", db.to_str().unwrap()],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("is not a Webhook Studio database"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "not a database, just notes\n");
}

#[test]
fn import_of_a_malformed_document_names_the_json_path_and_exits_1() {
    let (_doc_dir, path) = edited("abandoned-cart", |doc| doc["bot"]["flows"][0]["name"] = 7.into());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("studio.db");
    let out = run(&["import", "--db", db.to_str().unwrap(), &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("bot.flows[0].name"), "{}", text(&out.stderr));
    let out = run(&["import", "--db", db.to_str().unwrap(), "/no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn without_db_the_store_is_studio_db_in_webhook_studio_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = bin()
        .args(["import", example("abandoned-cart").to_str().unwrap()])
        .env("WEBHOOK_STUDIO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(data.join("studio.db").is_file());
    let out = bin()
        .args(["export", "--bot", "cart-recovery"])
        .env("WEBHOOK_STUDIO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"id\": \"cart-recovery\""));
}
