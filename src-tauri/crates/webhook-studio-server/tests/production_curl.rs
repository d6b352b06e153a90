//! The production cURL sample the app copies works against the team server: a designer's store
//! syncs a submitted block to the real server (SQLite and PostgreSQL), the API base is set to the
//! server's address, and the text the copy button puts on the clipboard is run by real bash, dash
//! and zsh with real curl. Each run is accepted and stored as an event with the variables the
//! block's mappings extract.

mod common;

use std::process::Command;
use std::sync::Mutex;

use common::{Backend, Server};
use serde_json::Value;
use webhook_block::BotDocument;
use webhook_block::Environment;
use webhook_block::curl::Shell;
use webhook_editor::panel::{CopyTarget, copy_text};
use webhook_editor::settings::{SettingChange, change};
use webhook_store::{Store, UpdateSource};
use webhook_sync_client::{Remote, sync_once};

const BOT: &str = "acme-signups";
const BLOCK: &str = "signup-webhook";

#[test]
fn the_copied_production_curl_is_accepted_in_every_shell_and_stored_as_an_event() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Mutex::new(Store::open_in(dir.path()).expect("store"));
        let path = format!(
            "{}/../../../assets/examples/welcome-on-sign-up.bot.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let bot = BotDocument::from_json(&std::fs::read_to_string(&path).expect("example"))
            .expect("parses")
            .bot;
        let expected = {
            let block = bot.webhook(BLOCK).expect("the example's webhook block");
            let compiled = webhook_block::check_webhook(&bot, block, &block.form)
                .into_valid()
                .expect("the example is valid");
            compiled
                .extract(block.sample_payload.as_ref().expect("a sample"))
                .values
        };
        {
            let mut store = store.lock().expect("store");
            store.save_bot(&bot, UpdateSource::Window).expect("save");
            change(&mut store, SettingChange::ApiBase(server.base.clone()))
                .expect("the server's address is an API base");
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let report = runtime
            .block_on(sync_once(&Remote::new(&server.base, &server.key), &store))
            .expect("sync");
        assert_eq!(report.pending, 0, "{backend:?}: the bot reached the server");

        let shells = [("bash", Shell::Posix), ("dash", Shell::Posix), ("zsh", Shell::Posix)];
        for (shell, kind) in shells {
            let copied = copy_text(
                &store.lock().expect("store"),
                BOT,
                BLOCK,
                CopyTarget::Curl {
                    env: Environment::Production,
                    shell: kind,
                },
            )
            .expect("the copy button's text");
            assert!(
                copied.text.contains(&server.base),
                "{backend:?}: the production cURL points at the server"
            );
            let out = Command::new(shell)
                .arg("-c")
                .arg(&copied.text)
                .output()
                .unwrap_or_else(|e| panic!("{shell} runs (make test installs it): {e}"));
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{backend:?} {shell}: {stdout} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let answer: Value = serde_json::from_str(stdout.trim())
                .unwrap_or_else(|e| panic!("{backend:?} {shell}: the answer is JSON ({e}): {stdout}"));
            assert_eq!(answer["accepted"], true, "{backend:?} {shell}: {answer}");
            assert_eq!(answer["environment"], "production");
        }

        let events: Value = server
            .get(&format!("/v1/bots/{BOT}/blocks/{BLOCK}/events"))
            .send()
            .expect("events")
            .json()
            .expect("JSON");
        let events = events["events"].as_array().expect("a list").clone();
        assert_eq!(events.len(), 3, "{backend:?}: one event per shell");
        for event in &events {
            assert_eq!(
                event["variables"].as_object(),
                Some(&expected),
                "{backend:?}: the event holds the variables the mappings extract"
            );
        }
    }
}
