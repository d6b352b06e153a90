//! Extraction and the request contract's acceptance rules.

use serde_json::json;
use webhook_block::model::Mapping;
use webhook_block::{ChannelKind, WebhookForm, check_webhook};

use crate::{bot_with, good_form, hook, map};

fn compiled(form: WebhookForm) -> webhook_block::CompiledWebhook {
    let bot = bot_with(form);
    let block = hook(&bot);
    check_webhook(&bot, block, &block.form).into_valid().unwrap()
}

#[test]
fn extraction_reports_each_value_and_each_miss_with_its_reason() {
    let block = compiled(WebhookForm {
        mappings: vec![
            map("data.name", "customer_name"),
            map("data.items[0].sku", "first_sku"),
            map("data.items[2].sku", "third_sku"),
            map(r#"data["first name"]"#, "first_name"),
            map("$.data.total", "total"),
        ],
        ..good_form()
    });
    let body = json!({"data": {"name": "Ada", "items": [{"sku": "A1"}], "total": 12.5}});
    let extraction = block.extract(&body);
    assert_eq!(
        serde_json::Value::Object(extraction.values),
        json!({"customer_name": "Ada", "first_sku": "A1", "total": 12.5})
    );
    let misses: Vec<(&str, &str)> = extraction
        .misses
        .iter()
        .map(|m| (m.variable.as_str(), m.message.as_str()))
        .collect();
    assert_eq!(
        misses,
        vec![
            (
                "third_sku",
                "data.items[2].sku → third_sku: `data.items` has 1 item, so [2] is out of range"
            ),
            (
                "first_name",
                "data[\"first name\"] → first_name: `data` has no field \"first name\" (it has: name, items, total)"
            ),
        ]
    );
}

#[test]
fn a_request_with_every_value_is_accepted_with_its_contact() {
    let block = compiled(good_form());
    let accepted = block
        .accept(&json!({"contact_reference_id": "+1 415 555 0123", "data": {"name": "Ada", "order_id": 7}}))
        .unwrap();
    assert_eq!(
        serde_json::Value::Object(accepted.variables),
        json!({"customer_name": "Ada", "order_id": 7})
    );
    assert_eq!(accepted.contact_reference_id.as_deref(), Some("+14155550123"));
}

#[test]
fn a_missing_required_value_is_refused_and_an_optional_one_skipped() {
    let mut form = good_form();
    form.mappings.push(Mapping {
        data: "data.coupon".into(),
        set_variable: "coupon".into(),
        optional: true,
    });
    let block = compiled(form);
    let refused = block
        .accept(&json!({"contact_reference_id": "+14155550123", "data": {"name": "Ada"}}))
        .unwrap_err();
    assert_eq!(refused.code, "missing_data");
    assert_eq!(refused.misses.len(), 1);
    assert_eq!(refused.misses[0].variable, "order_id");
    let accepted = block
        .accept(&json!({"contact_reference_id": "+14155550123", "data": {"name": "Ada", "order_id": "A1"}}))
        .unwrap();
    assert_eq!(accepted.skipped.len(), 1);
    assert_eq!(accepted.skipped[0].variable, "coupon");
}

#[test]
fn the_contact_must_arrive_and_be_a_phone_on_whatsapp() {
    let block = compiled(good_form());
    let body =
        |contact: serde_json::Value| json!({"contact_reference_id": contact, "data": {"name": "A", "order_id": 1}});
    assert_eq!(
        block
            .accept(&json!({"data": {"name": "A", "order_id": 1}}))
            .unwrap_err()
            .code,
        "missing_contact"
    );
    assert_eq!(
        block.accept(&body(json!("4155550123"))).unwrap_err().code,
        "invalid_contact"
    );
    assert_eq!(block.accept(&body(json!(""))).unwrap_err().code, "missing_contact");
    assert_eq!(
        block.accept(&body(json!(14155550123u64))).unwrap_err().code,
        "invalid_contact"
    );
}

#[test]
fn a_mapped_contact_variable_is_resolved_from_the_body() {
    let block = compiled(WebhookForm {
        mappings: vec![map("data.customer.phone", "customer_phone")],
        contact_reference_id: "{customer_phone}".into(),
        ..good_form()
    });
    let accepted = block
        .accept(&json!({"data": {"customer": {"phone": "+44 20 7946 0958"}}}))
        .unwrap();
    assert_eq!(accepted.contact_reference_id.as_deref(), Some("+442079460958"));
}

#[test]
fn channel_and_account_in_the_body_must_match_the_block() {
    let block = compiled(good_form());
    let body = |channel: &str, account: &str| {
        json!({"contact_reference_id": "+14155550123", "channel": channel, "account": account,
               "data": {"name": "A", "order_id": 1}})
    };
    assert!(block.accept(&body("whatsapp", "support-line")).is_ok());
    assert_eq!(
        block.accept(&body("telegram", "support-line")).unwrap_err().code,
        "channel_mismatch"
    );
    assert_eq!(
        block.accept(&body("whatsapp", "other")).unwrap_err().code,
        "account_mismatch"
    );
}

#[test]
fn a_body_that_is_not_an_object_is_refused() {
    let block = compiled(good_form());
    for body in [json!([1, 2]), json!("text"), json!(null)] {
        assert_eq!(block.accept(&body).unwrap_err().code, "body_not_object");
    }
}

#[test]
fn telegram_contact_ids_pass_through() {
    let block = compiled(WebhookForm {
        channel: Some(ChannelKind::Telegram),
        account: Some("orders-bot".into()),
        ..good_form()
    });
    let accepted = block
        .accept(&json!({"contact_reference_id": 987654321, "data": {"name": "A", "order_id": 1}}))
        .unwrap();
    assert_eq!(accepted.contact_reference_id.as_deref(), Some("987654321"));
}

/// `trace` is what the app shows when it replays a captured request: on a valid form it must
/// agree with what the receiver extracts, value for value and miss for miss.
#[test]
fn trace_agrees_with_extraction_on_a_valid_form() {
    use webhook_block::request::{TraceOutcome, trace};
    let form = WebhookForm {
        mappings: vec![
            map("data.name", "customer_name"),
            map("data.items[-1].sku", "last_sku"),
            Mapping {
                optional: true,
                ..map("data.coupon", "coupon")
            },
            map("data.order_id", "order_id"),
        ],
        ..good_form()
    };
    let block = compiled(form.clone());
    for body in [
        json!({"data": {"name": "Ada", "items": [{"sku": "A"}, {"sku": "B"}], "order_id": 7}}),
        json!({"data": {"name": "Ada", "items": []}}),
        json!({"data": "not an object"}),
        json!([]),
    ] {
        let extraction = block.extract(&body);
        let traced = trace(&form, &body);
        assert_eq!(traced.len(), form.mappings.len());
        for t in &traced {
            match &t.outcome {
                TraceOutcome::Extracted { value } => {
                    assert_eq!(extraction.values.get(&t.set_variable), Some(value), "{body}")
                }
                TraceOutcome::Missed { message, .. } | TraceOutcome::Skipped { message, .. } => {
                    let miss = extraction.misses.iter().find(|m| m.row == t.row).unwrap();
                    assert_eq!(miss.optional, matches!(t.outcome, TraceOutcome::Skipped { .. }));
                    assert!(miss.message.ends_with(message.as_str()), "{} / {message}", miss.message);
                }
                TraceOutcome::BadPath { message } => panic!("valid form, bad path: {message}"),
            }
        }
    }
}

/// Replaying after an edit: the draft may be broken, and the trace still shows every row.
#[test]
fn trace_runs_a_draft_that_cannot_be_submitted() {
    use webhook_block::request::{TraceOutcome, trace};
    let draft = WebhookForm {
        channel: None,
        mappings: vec![
            map("data.name", "customer_name"),
            map("data.items[*].sku", "sku"),
            map("data.name", "customer_name"),
        ],
        ..good_form()
    };
    let bot = bot_with(draft.clone());
    assert!(check_webhook(&bot, hook(&bot), &draft).into_valid().is_err());
    let traced = trace(&draft, &json!({"data": {"name": "Ada"}}));
    assert_eq!(traced[0].outcome, TraceOutcome::Extracted { value: json!("Ada") });
    assert!(matches!(&traced[1].outcome, TraceOutcome::BadPath { message } if message.contains("several values")));
    assert_eq!(traced[2].outcome, TraceOutcome::Extracted { value: json!("Ada") });
}
