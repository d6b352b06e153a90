//! Generated cURL, run by real bash, dash and zsh with real curl against the real receiver,
//! delivers every value byte for byte and every mapping extracts.

use std::io::Write as _;
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};
use webhook_block::curl::{Shell, TokenIn, sample_curl};
use webhook_block::model::{BlockStatus, Mapping};
use webhook_block::{Endpoints, Environment, check_webhook};
use webhook_receiver::{Directory, Settings};

use crate::{example, reply_of, start};

const SHELLS: [&str; 3] = ["bash", "dash", "zsh"];

/// Text built from the pieces that break naive quoting, mixed with ordinary and random text.
fn awkward() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("$".to_owned()),
        Just("`".to_owned()),
        Just("\\".to_owned()),
        Just("%".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\t".to_owned()),
        Just("!".to_owned()),
        Just("^".to_owned()),
        Just("$(id)".to_owned()),
        Just("${HOME}".to_owned()),
        Just("'\\''".to_owned()),
        Just("😀👍🏽".to_owned()),
        Just("שלום עולם".to_owned()),
        Just("مرحبا".to_owned()),
        Just("\u{202E}\u{200F}".to_owned()),
        Just("~#*?[]{}()<>|&;".to_owned()),
        "[a-zA-Z0-9 ]{1,6}",
        "\\PC{1,4}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

#[test]
fn generated_curl_delivers_every_value_byte_for_byte_in_bash_dash_and_zsh() {
    for shell in SHELLS {
        let found = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {shell}"))
            .output()
            .unwrap();
        assert!(
            found.status.success(),
            "{shell} is not installed: `make test` installs bash, dash and zsh"
        );
    }
    let template = example("welcome-on-sign-up");
    let running = start(&template, Settings::default());
    let endpoints = Endpoints {
        receiver_port: Some(running.port),
        ..Endpoints::default()
    };
    let scripts = tempfile::tempdir().unwrap();
    let strategy = (
        prop::collection::vec((awkward(), awkward()), 1..5),
        awkward(),
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |(pairs, contact_note, token_from_env)| {
            // Keys are made unique by their row number; values are anything.
            let keys: Vec<String> = pairs
                .iter()
                .enumerate()
                .map(|(i, (key, _))| format!("{key}#{i}"))
                .collect();
            let mut data = Map::new();
            for (key, (_, value)) in keys.iter().zip(&pairs) {
                data.insert(key.clone(), json!(value));
            }
            data.insert("note".into(), json!(contact_note));
            let mut bot = template.clone();
            let block = bot.webhook_mut("signup-webhook").unwrap();
            block.form.mappings = keys
                .iter()
                .enumerate()
                .map(|(i, key)| Mapping {
                    data: format!("$.data[{}]", serde_json::to_string(key).unwrap()),
                    set_variable: format!("v{i}"),
                    optional: false,
                })
                .chain([Mapping {
                    data: "data.note".into(),
                    set_variable: "note".into(),
                    optional: false,
                }])
                .collect();
            block.status = BlockStatus::Submitted;
            block.sample_payload = Some(json!({"contact_reference_id": "+14155550123", "data": data}));
            running.receiver.replace_directory(Directory::from_bot(&bot).unwrap());

            let block = bot.webhook("signup-webhook").unwrap();
            let compiled = check_webhook(&bot, block, &block.form).into_valid().unwrap();
            let token_in = if token_from_env {
                TokenIn::EnvVar
            } else {
                TokenIn::Inline
            };
            let command = sample_curl(&compiled, &endpoints, Environment::Development, Shell::Posix, token_in);
            let secret = block.token.as_ref().unwrap().expose_secret().to_owned();
            for shell in SHELLS {
                let script = scripts.path().join(format!("send.{shell}"));
                let mut file = std::fs::File::create(&script).unwrap();
                writeln!(file, "{command} --silent --show-error --write-out '\\n%{{http_code}}'").unwrap();
                drop(file);
                let output = Command::new(shell)
                    .arg(&script)
                    .env("WEBHOOK_TOKEN", &secret)
                    .output()
                    .unwrap();
                prop_assert!(
                    output.status.success(),
                    "{shell}: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                let reply = reply_of(&output.stdout, String::new());
                prop_assert_eq!(reply.status, 202, "{}: {:?}\n{}", shell, reply.body, command);
                for (i, (_, value)) in pairs.iter().enumerate() {
                    prop_assert_eq!(
                        &reply.body["variables"][format!("v{i}")],
                        &Value::String(value.clone()),
                        "{}",
                        shell
                    );
                }
                prop_assert_eq!(
                    &reply.body["variables"]["note"],
                    &Value::String(contact_note.clone()),
                    "{}",
                    shell
                );
            }
            Ok(())
        })
        .unwrap();
}
