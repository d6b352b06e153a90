//! Every answer of the request contract (DESIGN.md), asked for by real curl.

use std::process::Command;

use webhook_block::curl::{Shell, TokenIn, sample_curl};
use webhook_block::model::BlockStatus;
use webhook_block::{Endpoints, Environment, check_webhook};
use webhook_receiver::Settings;

use crate::{Running, curl, example, reply_of, start, token_of};

const BLOCK: &str = "signup-webhook";

fn welcome() -> (webhook_block::Bot, Running) {
    let bot = example("welcome-on-sign-up");
    let running = start(
        &bot,
        Settings {
            body_limit: 4096,
            ..Settings::default()
        },
    );
    (bot, running)
}

fn post(running: &Running, token: &str, body: &str) -> crate::Reply {
    let auth = format!("Authorization: Bearer {token}");
    curl(&[
        "-X",
        "POST",
        &running.url("/dev/webhooks/signup-webhook"),
        "-H",
        &auth,
        "-H",
        "Content-Type: application/json",
        "--data-raw",
        body,
    ])
}

#[test]
fn the_development_sample_curl_is_accepted_with_its_variables() {
    let (bot, mut running) = welcome();
    let block = bot.webhook(BLOCK).unwrap();
    let compiled = check_webhook(&bot, block, &block.form).into_valid().unwrap();
    let endpoints = Endpoints {
        receiver_port: Some(running.port),
        ..Endpoints::default()
    };
    let command = sample_curl(
        &compiled,
        &endpoints,
        Environment::Development,
        Shell::Posix,
        TokenIn::Inline,
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!("{command} --silent --write-out '\n%{{http_code}}'"))
        .output()
        .unwrap();
    let reply = reply_of(&output.stdout, String::new());
    assert_eq!(reply.status, 202, "{:?}", reply.body);
    assert_eq!(reply.body["variables"]["customer_name"], "Ada Lovelace");
    assert_eq!(reply.body["variables"]["customer_email"], "ada@example.com");
    assert_eq!(reply.body["contact_reference_id"], "+14155550123");
    let events = running.drain();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].block.as_str(), events[0].status), (BLOCK, 202));
    assert_eq!(events[0].variables["plan"], "starter");
}

#[test]
fn a_missing_malformed_or_wrong_token_is_401_and_says_why() {
    let (bot, running) = welcome();
    let url = running.url("/dev/webhooks/signup-webhook");
    let json = "Content-Type: application/json";
    let missing = curl(&["-X", "POST", &url, "-H", json, "--data-raw", "{}"]);
    assert_eq!(missing.outcome(), (401, Some("missing_token")));
    assert!(
        missing.headers.to_lowercase().contains("www-authenticate: bearer"),
        "{}",
        missing.headers
    );
    let token = token_of(&bot, BLOCK);
    let basic = format!("Authorization: Basic {token}");
    let malformed = curl(&["-X", "POST", &url, "-H", json, "-H", &basic, "--data-raw", "{}"]);
    assert_eq!(malformed.body["error"]["code"], "malformed_authorization");
    let mut wrong = token.clone();
    wrong.replace_range(10..11, if &token[10..11] == "A" { "B" } else { "A" });
    let reply = post(&running, &wrong, "{}");
    assert_eq!(reply.outcome(), (401, Some("wrong_token")));
    assert!(
        !reply.body.to_string().contains(&token),
        "the real token never appears in an answer"
    );
}

#[test]
fn an_unknown_block_and_a_draft_are_404_with_different_reasons() {
    let mut bot = example("welcome-on-sign-up");
    let mut draft = bot.webhook(BLOCK).unwrap().clone();
    draft.id = webhook_block::Id::parse("draft-webhook").unwrap();
    draft.status = BlockStatus::Draft;
    bot.flows[0].sequences[0]
        .blocks
        .push(webhook_block::Block::Webhook(Box::new(draft)));
    let running = start(&bot, Settings::default());
    let token = token_of(&bot, BLOCK);
    let auth = format!("Authorization: Bearer {token}");
    let unknown = curl(&["-X", "POST", &running.url("/dev/webhooks/nope"), "-H", &auth]);
    assert_eq!(unknown.outcome(), (404, Some("unknown_block")));
    let draft = curl(&["-X", "POST", &running.url("/dev/webhooks/draft-webhook"), "-H", &auth]);
    assert_eq!(draft.outcome(), (404, Some("block_not_submitted")));
    assert!(draft.body["error"]["fix"].as_str().unwrap().contains("Submit"));
    let elsewhere = curl(&[&running.url("/admin")]);
    assert_eq!(elsewhere.outcome(), (404, Some("no_such_endpoint")));
}

#[test]
fn a_body_over_the_limit_is_413_whether_declared_or_streamed() {
    let (bot, running) = welcome();
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::write(&big, format!("{{\"data\": \"{}\"}}", "x".repeat(10_000))).unwrap();
    let at_big = format!("@{}", big.display());
    let auth = format!("Authorization: Bearer {}", token_of(&bot, BLOCK));
    let url = running.url("/dev/webhooks/signup-webhook");
    let declared = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        &auth,
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        &at_big,
    ]);
    assert_eq!(declared.status, 413);
    let message = declared.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("10012 bytes") && message.contains("4 KiB (4096 bytes)"),
        "{message}"
    );
    let streamed = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        &auth,
        "-H",
        "Content-Type: application/json",
        "-H",
        "Transfer-Encoding: chunked",
        "--data-binary",
        &at_big,
    ]);
    assert_eq!(streamed.status, 413);
    assert!(
        streamed.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("more than 4096 bytes")
    );
}

#[test]
fn a_body_not_declared_json_is_415() {
    let (bot, running) = welcome();
    let auth = format!("Authorization: Bearer {}", token_of(&bot, BLOCK));
    let url = running.url("/dev/webhooks/signup-webhook");
    let form = curl(&["-X", "POST", &url, "-H", &auth, "--data", "name=Ada"]);
    assert_eq!(form.outcome(), (415, Some("not_json")));
    assert!(
        form.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("application/x-www-form-urlencoded")
    );
    let text = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        &auth,
        "-H",
        "Content-Type: text/plain",
        "--data-raw",
        "{}",
    ]);
    assert_eq!(text.status, 415);
    let with_charset = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        &auth,
        "-H",
        "Content-Type: application/json; charset=utf-8",
        "--data-raw",
        r#"{"contact_reference_id": "+14155550123", "data": {"name": "A", "email": "a@b.c"}}"#,
    ]);
    assert_eq!(with_charset.status, 202, "{:?}", with_charset.body);
}

#[test]
fn broken_json_is_400_with_where_it_broke() {
    let (bot, running) = welcome();
    let reply = post(&running, &token_of(&bot, BLOCK), "{\"data\": {\"name\": \"Ada\",}}");
    assert_eq!(reply.outcome(), (400, Some("invalid_json")));
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 1 column"),
        "{:?}",
        reply.body
    );
}

#[test]
fn json_that_misses_a_mapped_path_is_422_naming_the_path() {
    let (bot, running) = welcome();
    let reply = post(
        &running,
        &token_of(&bot, BLOCK),
        r#"{"contact_reference_id": "+14155550123", "data": {"name": "Ada"}}"#,
    );
    assert_eq!(reply.outcome(), (422, Some("missing_data")));
    let misses = reply.body["error"]["misses"].as_array().unwrap();
    assert_eq!(
        misses.len(),
        1,
        "plan is optional, so only email is missing: {misses:?}"
    );
    assert_eq!(misses[0]["data"], "data.email");
    assert_eq!(misses[0]["variable"], "customer_email");
    assert_eq!(misses[0]["reason"]["kind"], "no_field");
}

#[test]
fn a_foreign_host_header_is_403_and_loopback_names_pass() {
    let (bot, running) = welcome();
    let auth = format!("Authorization: Bearer {}", token_of(&bot, BLOCK));
    let url = running.url("/dev/webhooks/signup-webhook");
    let evil = curl(&["-X", "POST", &url, "-H", "Host: attacker.example", "-H", &auth]);
    assert_eq!(evil.outcome(), (403, Some("foreign_host")));
    let rebound = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        &format!("Host: attacker.example:{}", running.port),
    ]);
    assert_eq!(rebound.status, 403);
    for host in ["localhost", "127.0.0.1", "[::1]", "LocalHost"] {
        let header = format!("Host: {host}:{}", running.port);
        let reply = curl(&["-X", "POST", &url, "-H", &header, "-H", &auth]);
        assert_eq!(reply.status, 415, "{host} passes the guard and reaches the contract");
    }
}

#[test]
fn only_post_is_allowed() {
    let (_, running) = welcome();
    let reply = curl(&[&running.url("/dev/webhooks/signup-webhook")]);
    assert_eq!(
        (reply.status, reply.body["error"]["allow"].as_str()),
        (405, Some("POST"))
    );
}

#[test]
fn a_resubmitted_block_is_served_from_the_next_request_on() {
    let (mut bot, running) = welcome();
    let token = token_of(&bot, BLOCK);
    bot.webhook_mut(BLOCK)
        .unwrap()
        .edit(|form| form.mappings.retain(|m| m.set_variable != "customer_email"));
    bot.submit_webhook(BLOCK).unwrap();
    running
        .receiver
        .replace_directory(webhook_receiver::Directory::from_bot(&bot).unwrap());
    let reply = post(
        &running,
        &token,
        r#"{"contact_reference_id": "+14155550123", "data": {"name": "Ada"}}"#,
    );
    assert_eq!(reply.status, 202, "{:?}", reply.body);
}

#[test]
fn an_undecodable_block_id_gets_the_json_error_shape() {
    let (_, running) = welcome();
    let reply = curl(&["-X", "POST", &running.url("/dev/webhooks/%FF%FE")]);
    assert_eq!(reply.outcome(), (404, Some("unknown_block")), "{:?}", reply.body);
}
