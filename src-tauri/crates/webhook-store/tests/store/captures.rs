//! Captured requests with their details, and the sample payload a captured body becomes.

use serde_json::json;
use webhook_block::Id;
use webhook_store::{CapturedRequest, Error, Store, UpdateSource};

use crate::{db_path, store_with_examples};

fn refused(block: &str) -> CapturedRequest {
    CapturedRequest {
        id: 0,
        block_id: Id::parse(block).unwrap(),
        received_at: "2026-11-25T10:00:00Z".into(),
        status: 422,
        headers: vec![
            ("authorization".into(), "Bearer whs_••••••••abcd".into()),
            ("content-type".into(), "application/json".into()),
            ("user-agent".into(), "curl/8.5.0".into()),
        ],
        body: json!({"data": {"total": 1}}),
        variables: json!({}),
        code: Some("missing_data".into()),
        message: Some("1 mapped value(s) are missing".into()),
    }
}

#[test]
fn a_refused_request_keeps_its_headers_code_and_message_across_reopening() {
    let (dir, mut store) = store_with_examples();
    let id = store
        .record_request(&refused("order-webhook"), UpdateSource::Window)
        .unwrap();
    drop(store);
    let store = Store::open(db_path(&dir)).unwrap();
    let kept = store.captured_request("order-webhook", id).unwrap().unwrap();
    assert_eq!(
        kept,
        CapturedRequest {
            id,
            ..refused("order-webhook")
        }
    );
    assert_eq!(store.captured_requests("order-webhook").unwrap(), vec![kept]);
}

#[test]
fn a_request_is_found_only_under_its_own_block() {
    let (_dir, mut store) = store_with_examples();
    let id = store
        .record_request(&refused("order-webhook"), UpdateSource::Window)
        .unwrap();
    assert_eq!(store.captured_request("cart-webhook", id).unwrap(), None);
    assert_eq!(store.captured_request("order-webhook", id + 1).unwrap(), None);
}

#[test]
fn a_sample_payload_is_set_and_cleared_without_touching_the_draft_or_its_history() {
    let (_dir, mut store) = store_with_examples();
    let before = store.load_bot("shop-orders").unwrap();
    let sample = json!({"data": {"order_id": "B-7", "note": "ü \"quoted\" $HOME"}});
    store
        .set_sample_payload(
            "shop-orders",
            "order-webhook",
            Some(sample.clone()),
            UpdateSource::Window,
        )
        .unwrap();
    let after = store.load_bot("shop-orders").unwrap();
    let (old, new) = (
        before.webhook("order-webhook").unwrap(),
        after.webhook("order-webhook").unwrap(),
    );
    assert_eq!(new.sample_payload.as_ref(), Some(&sample));
    assert_eq!((&new.form, new.status, &new.token), (&old.form, old.status, &old.token));
    assert!(store.form_history("order-webhook").unwrap().is_empty());
    let last = store.changes().unwrap().pop().unwrap();
    assert_eq!((last.entity.as_str(), last.action.as_str()), ("block", "sample"));

    store
        .set_sample_payload("shop-orders", "order-webhook", None, UpdateSource::Window)
        .unwrap();
    let cleared = store.load_bot("shop-orders").unwrap();
    assert_eq!(cleared.webhook("order-webhook").unwrap().sample_payload, None);
}

#[test]
fn a_sample_payload_for_a_block_of_another_bot_or_no_block_is_refused() {
    let (_dir, mut store) = store_with_examples();
    let outbox = store.outbox_len().unwrap();
    for (bot, block) in [
        ("shop-orders", "cart-webhook"),
        ("shop-orders", "nope"),
        ("nobot", "order-webhook"),
    ] {
        let error = store
            .set_sample_payload(bot, block, Some(json!({})), UpdateSource::Window)
            .unwrap_err();
        assert!(matches!(error, Error::NoSuchBlock { .. }), "{bot}/{block}: {error:?}");
    }
    assert_eq!(store.outbox_len().unwrap(), outbox, "nothing was written");
}
