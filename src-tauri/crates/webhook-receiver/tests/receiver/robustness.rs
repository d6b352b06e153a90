//! No request makes the receiver panic or answer outside the contract: random methods, paths,
//! headers and bodies over a raw socket, then a valid request still succeeds.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use webhook_receiver::Settings;

use crate::{example, start, token_of};

fn request(port: u16, raw: &[u8]) -> Option<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream.write_all(raw).ok()?;
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.as_bytes().to_vec())
        .unwrap_or_default();
    Some((status, body))
}

#[test]
fn random_requests_get_an_answer_from_the_contract_and_never_a_crash() {
    let bot = example("order-received-alert");
    let running = start(
        &bot,
        Settings {
            body_limit: 2048,
            ..Settings::default()
        },
    );
    let token = token_of(&bot, "order-webhook");
    let host = format!("127.0.0.1:{}", running.port);
    let method = prop_oneof![
        Just("POST"),
        Just("GET"),
        Just("PUT"),
        Just("DELETE"),
        Just("OPTIONS"),
        Just("PATCH")
    ];
    let path = prop_oneof![
        Just("/dev/webhooks/order-webhook".to_owned()),
        Just("/dev/webhooks/".to_owned()),
        "/dev/webhooks/[a-zA-Z0-9%._~-]{0,40}",
        "/[a-z/%0-9]{0,30}",
    ];
    let auth = prop_oneof![
        Just(None),
        Just(Some(format!("Bearer {token}"))),
        "[ -~]{0,80}".prop_map(Some),
    ];
    let content_type = prop_oneof![
        Just(None),
        Just(Some("application/json".to_owned())),
        "[ -~]{0,40}".prop_map(Some),
    ];
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..3000),
        "\\PC{0,200}".prop_map(String::into_bytes),
        Just(
            br#"{"data": {"order_id": "A", "total": 1, "items": [{"sku": "S"}], "customer": {"first name": "G"}}}"#
                .to_vec()
        ),
    ];
    let host_header = prop_oneof![Just(host.clone()), Just("evil.example".to_owned()), "[ -~]{0,30}"];
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(method, path, auth, content_type, body, host_header),
            |(method, path, auth, content_type, body, host_header)| {
                let mut raw = format!(
                    "{method} {path} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\nContent-Length: {}\r\n",
                    body.len()
                )
                .into_bytes();
                if let Some(auth) = auth {
                    raw.extend(format!("Authorization: {auth}\r\n").bytes());
                }
                if let Some(ct) = content_type {
                    raw.extend(format!("Content-Type: {ct}\r\n").bytes());
                }
                raw.extend(b"\r\n");
                raw.extend(&body);
                if let Some((status, answer)) = request(running.port, &raw) {
                    prop_assert!(
                        [202, 400, 401, 403, 404, 405, 413, 415, 422].contains(&status),
                        "status {}",
                        status
                    );
                    prop_assert!(status != 500);
                    // Anything our code answered is JSON; hyper itself answers 400 to requests it
                    // cannot parse, with an empty body.
                    if !answer.is_empty() {
                        let value: serde_json::Value =
                            serde_json::from_slice(&answer).map_err(|e| TestCaseError::fail(e.to_string()))?;
                        prop_assert!(value.get("error").is_some() || value.get("accepted").is_some());
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    let valid = format!(
        "POST /dev/webhooks/order-webhook HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 97\r\n\r\n{}",
        r#"{"data": {"order_id": "A", "total": 1, "items": [{"sku": "S"}], "customer": {"first name": "G"}}}"#
    );
    assert_eq!(request(running.port, valid.as_bytes()).map(|(s, _)| s), Some(202));
}
