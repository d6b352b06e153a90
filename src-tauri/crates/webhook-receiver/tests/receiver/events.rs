//! What the receiver tells its watchers (the CLI's lines, the app's panel): masked headers, the
//! body even of a refused request, and never the token.

use webhook_receiver::Settings;

use crate::{curl, example, start, token_of};

#[test]
fn an_accepted_request_is_told_with_its_headers_masked_and_its_body() {
    let bot = example("welcome-on-sign-up");
    let token = token_of(&bot, "signup-webhook");
    let mut running = start(&bot, Settings::default());
    let body = r#"{"contact_reference_id": "+14155550123", "data": {"first_name": "Ada", "email": "ada@example.com"}}"#;
    let reply = curl(&[
        "-H",
        &format!("Authorization: Bearer {token}"),
        "-H",
        "Content-Type: application/json",
        "-H",
        "X-Api-Key: k-123",
        "--data",
        body,
        &running.url("/dev/webhooks/signup-webhook"),
    ]);
    let events = running.drain();
    let [event] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(event.status, reply.status);
    let header = |name: &str| event.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert_eq!(header("content-type"), Some("application/json"));
    assert!(header("user-agent").is_some_and(|ua| ua.starts_with("curl/")));
    assert_eq!(header("x-api-key"), Some("••••••••"));
    let authorization = header("authorization").unwrap();
    assert_eq!(
        authorization,
        format!("Bearer whs_••••••••{}", &token[token.len() - 4..])
    );
    assert_eq!(event.body.as_ref(), Some(&serde_json::from_str(body).unwrap()));
    assert!(event.received_at.ends_with('Z'), "{}", event.received_at);

    // Nothing the receiver hands on holds the token: not the event, not its JSON line.
    let secret = &token[4..token.len() - 4];
    assert!(!format!("{event:?}").contains(secret));
    assert!(!serde_json::to_string(event).unwrap().contains(secret));
}

#[test]
fn a_refused_request_keeps_its_json_body_for_the_designer() {
    let bot = example("welcome-on-sign-up");
    let mut running = start(&bot, Settings::default());
    let url = running.url("/dev/webhooks/signup-webhook");
    let wrong = curl(&[
        "-H",
        "Authorization: Bearer whs_wrong",
        "-H",
        "Content-Type: application/json",
        "--data",
        r#"{"data": {"first_name": "Ada"}}"#,
        &url,
    ]);
    assert_eq!(wrong.outcome(), (401, Some("wrong_token")));
    let not_json = curl(&["-H", "Content-Type: text/plain", "--data", "hello", &url]);
    assert_eq!(not_json.status, 401);
    let events = running.drain();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].code.as_deref(), Some("wrong_token"));
    assert_eq!(events[0].body, Some(serde_json::json!({"data": {"first_name": "Ada"}})));
    let authorization = events[0].headers.iter().find(|(name, _)| name == "authorization");
    assert_eq!(authorization.map(|(_, v)| v.as_str()), Some("Bearer ••••••••"));
    // Text that is not JSON is not kept.
    assert_eq!(events[1].body, None);
}
