//! Reading bot documents: clear errors with the JSON path, and the committed schema kept fresh.

use webhook_block::{BotDocument, DocumentError};

fn welcome() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../assets/examples/welcome-on-sign-up.bot.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn error_of(value: serde_json::Value) -> DocumentError {
    BotDocument::from_value(value).unwrap_err()
}

#[test]
fn a_syntax_error_gives_line_and_column() {
    let err = BotDocument::from_json("{\n  \"format\": \"webhook-studio.bot\",\n  \"version\": 1,,\n}").unwrap_err();
    assert!(
        matches!(
            err,
            DocumentError::Syntax {
                line: 3,
                column: 16,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_wrong_value_names_its_json_path() {
    let mut doc = welcome();
    doc["bot"]["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["form"]["type"] = "chatty".into();
    let err = error_of(doc);
    let text = err.to_string();
    assert!(
        text.starts_with("bot.flows[0].sequences[0].blocks[0].webhook.form.type: unknown variant `chatty`"),
        "{text}"
    );
}

#[test]
fn an_unknown_field_is_refused_with_its_path() {
    let mut doc = welcome();
    doc["bot"]["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["form"]["mapings"] = serde_json::json!([]);
    let text = error_of(doc).to_string();
    assert!(
        text.contains("webhook.form") && text.contains("unknown field `mapings`"),
        "{text}"
    );
}

#[test]
fn a_bad_id_or_token_is_refused_with_its_path() {
    let mut doc = welcome();
    doc["bot"]["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["id"] = "has space".into();
    let text = error_of(doc).to_string();
    assert!(
        text.starts_with("bot.flows[0].sequences[0].blocks[0].webhook.id: `has space` is not an id"),
        "{text}"
    );
    let mut doc = welcome();
    doc["bot"]["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["token"] = "secret".into();
    let text = error_of(doc).to_string();
    assert!(text.contains("webhook.token: a webhook token is `whs_`"), "{text}");
    assert!(!text.contains("secret"), "the bad token is not echoed: {text}");
}

#[test]
fn a_newer_version_is_refused_not_misread() {
    let mut doc = welcome();
    doc["version"] = 2.into();
    let text = error_of(doc).to_string();
    assert!(
        text.starts_with("version: this document is version 2, written by a newer Webhook Studio"),
        "{text}"
    );
}

#[test]
fn another_format_is_refused() {
    let mut doc = welcome();
    doc["format"] = "something-else".into();
    assert!(
        error_of(doc)
            .to_string()
            .starts_with("format: \"something-else\" is not a bot document")
    );
    assert!(error_of(serde_json::json!([])).to_string().contains("is a JSON object"));
}

#[test]
fn documents_round_trip() {
    let doc = BotDocument::from_value(welcome()).unwrap();
    let again = BotDocument::from_json(&doc.to_json()).unwrap();
    assert_eq!(doc, again);
}

/// The schema in assets/ is generated from the Rust types; this fails when they drift.
#[test]
fn the_committed_schema_is_up_to_date() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../assets/schema/bot-document.v1.schema.json"
    );
    let fresh = format!(
        "{}\n",
        serde_json::to_string_pretty(&webhook_block::document::json_schema()).unwrap()
    );
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "assets/schema/bot-document.v1.schema.json is stale: run `make schema` and commit"
    );
}
