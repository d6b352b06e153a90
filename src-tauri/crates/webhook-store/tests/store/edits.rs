//! Bots and blocks through the store: round trips, autosave, undo across restarts, submit,
//! settings and captured requests.

use serde_json::json;
use webhook_block::model::{BlockStatus, Mapping};
use webhook_block::{Block, ChannelKind, Id, WebhookForm};
use webhook_store::{CapturedRequest, Error, Store, UpdateSource};

use crate::{EXAMPLES, db_path, example, store, store_with_examples};

#[test]
fn every_example_loads_equal_to_what_was_saved_tokens_statuses_and_order_included() {
    let (_dir, store) = store_with_examples();
    for name in EXAMPLES {
        let bot = example(name);
        assert_eq!(store.load_bot(bot.id.as_str()).unwrap(), bot, "{name}");
    }
}

#[test]
fn block_order_edited_status_live_version_and_sample_survive_a_save_and_a_reopen() {
    let (dir, mut store) = store();
    let mut bot = example("order-received-alert");
    let sequence = &mut bot.flows[0].sequences[0];
    sequence.blocks.reverse();
    let webhook = bot.webhook_mut("order-webhook").unwrap();
    webhook.edit(|form| form.contact_reference_id = "{other}".into());
    webhook.sample_payload = Some(json!({"data": {"z": 1, "a": [1.5, "ü", null]}}));
    assert_eq!(webhook.status, BlockStatus::Edited);
    bot.variables.reverse();
    store.save_bot(&bot, UpdateSource::Window).unwrap();
    drop(store);
    let store = Store::open(db_path(&dir)).unwrap();
    assert_eq!(store.load_bot("shop-orders").unwrap(), bot);
}

#[test]
fn saving_again_keeps_the_history_of_blocks_that_stay_and_drops_removed_blocks() {
    let (_dir, mut store) = store_with_examples();
    let mut form = example("order-received-alert")
        .webhook("order-webhook")
        .unwrap()
        .form
        .clone();
    form.contact_reference_id = "{a}".into();
    store
        .update_webhook_form("shop-orders", "order-webhook", form, UpdateSource::Window)
        .unwrap();
    let mut bot = store.load_bot("shop-orders").unwrap();
    bot.flows[0].sequences[0]
        .blocks
        .retain(|b| matches!(b, Block::Webhook(_)));
    store.save_bot(&bot, UpdateSource::Window).unwrap();
    assert_eq!(store.load_bot("shop-orders").unwrap(), bot);
    assert_eq!(store.form_history("order-webhook").unwrap().len(), 1);

    bot.flows.clear();
    store.save_bot(&bot, UpdateSource::Window).unwrap();
    assert_eq!(store.load_bot("shop-orders").unwrap(), bot);
    assert!(store.form_history("order-webhook").unwrap().is_empty());
}

#[test]
fn a_block_id_of_another_bot_is_refused_naming_where_it_is() {
    let (_dir, mut store) = store_with_examples();
    let mut bot = example("abandoned-cart");
    bot.id = Id::parse("other").unwrap();
    let error = store.save_bot(&bot, UpdateSource::Window).unwrap_err();
    let Error::Invalid(problems) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0]
            .pointer
            .starts_with("/bot/flows/0/sequences/0/blocks/0/webhook/id")
    );
    assert!(
        problems[0].message.contains("already used by bot cart-recovery"),
        "{}",
        problems[0]
    );
    assert!(store.load_bot("other").is_err());
}

#[test]
fn create_list_rename_duplicate_and_delete_bots() {
    let (_dir, mut store) = store_with_examples();
    let id = store.create_bot("Zebra helper", UpdateSource::Window).unwrap();
    let names: Vec<String> = store.list_bots().unwrap().into_iter().map(|b| b.name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "listed by name");
    assert_eq!(names.len(), 4);
    assert_eq!(names.last().unwrap(), "Zebra helper");

    store
        .rename_bot(id.as_str(), "Aardvark helper", UpdateSource::Window)
        .unwrap();
    assert_eq!(store.list_bots().unwrap()[0].name, "Aardvark helper");
    assert!(matches!(
        store.rename_bot("nope", "x", UpdateSource::Window),
        Err(Error::NoSuchBot(_))
    ));

    let copy_id = store.duplicate_bot("shop-orders", UpdateSource::Window).unwrap();
    let original = store.load_bot("shop-orders").unwrap();
    let copy = store.load_bot(copy_id.as_str()).unwrap();
    assert_eq!(copy.name, "Shop order alerts (copy)");
    assert_eq!(copy.variables, original.variables);
    assert_eq!(copy.channels, original.channels);
    let (a, b) = (
        original.webhook_blocks().next().unwrap(),
        copy.webhook_blocks().next().unwrap(),
    );
    assert_ne!(a.id, b.id, "a copy gets its own URL");
    assert_ne!(a.token, b.token, "a copy gets its own token");
    assert_eq!(a.form, b.form);
    assert_eq!(
        b.status,
        webhook_block::model::BlockStatus::Draft,
        "a copy's new URL serves nothing until it is submitted"
    );

    store
        .record_request(&captured("order-webhook", 0), UpdateSource::Window)
        .unwrap();
    store.delete_bot("shop-orders", UpdateSource::Window).unwrap();
    assert!(matches!(store.load_bot("shop-orders"), Err(Error::NoSuchBot(_))));
    assert!(
        store.captured_requests("order-webhook").unwrap().is_empty(),
        "captures cascade"
    );
    assert!(matches!(
        store.delete_bot("shop-orders", UpdateSource::Window),
        Err(Error::NoSuchBot(_))
    ));
    assert_eq!(store.load_bot(copy_id.as_str()).unwrap(), copy);
}

fn form_with(contact: &str) -> WebhookForm {
    WebhookForm {
        channel: Some(ChannelKind::Telegram),
        account: Some("orders-bot".into()),
        contact_reference_id: contact.into(),
        mappings: vec![Mapping {
            data: "data.order_id".into(),
            set_variable: "order_id".into(),
            optional: false,
        }],
        ..WebhookForm::default()
    }
}

#[test]
fn autosave_stores_the_draft_as_typed_and_a_submitted_block_keeps_serving_its_submitted_version() {
    let (dir, mut store) = store_with_examples();
    let before = store.load_bot("shop-orders").unwrap();
    let submitted = before.webhook("order-webhook").unwrap().form.clone();
    // Half typed: breaks rules, and is still saved exactly.
    let draft = form_with("+1 (415");
    store
        .update_webhook_form("shop-orders", "order-webhook", draft.clone(), UpdateSource::Window)
        .unwrap();
    drop(store);
    let store = Store::open(db_path(&dir)).unwrap();
    let after = store.load_bot("shop-orders").unwrap();
    let mut expected = before.clone();
    expected
        .webhook_mut("order-webhook")
        .unwrap()
        .edit(|f| *f = draft.clone());
    assert_eq!(after, expected);
    let block = after.webhook("order-webhook").unwrap();
    assert_eq!(block.status, BlockStatus::Edited);
    assert_eq!(block.live.as_ref(), Some(&submitted));

    let edits: Vec<_> = store
        .changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.action == "edit")
        .collect();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        (edits[0].source.as_str(), edits[0].entity_id.as_str()),
        ("window", "order-webhook")
    );
}

#[test]
fn autosave_of_an_unknown_block_says_which() {
    let (_dir, mut store) = store_with_examples();
    let error = store
        .update_webhook_form(
            "shop-orders",
            "welcome-message",
            WebhookForm::default(),
            UpdateSource::Window,
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "there is no webhook block welcome-message in bot shop-orders"
    );
}

#[test]
fn undo_and_redo_survive_reopening_and_a_new_edit_clears_redo() {
    let (dir, mut store) = store_with_examples();
    let original = store
        .load_bot("shop-orders")
        .unwrap()
        .webhook("order-webhook")
        .unwrap()
        .form
        .clone();
    for contact in ["{a}", "{b}", "{c}"] {
        store
            .update_webhook_form("shop-orders", "order-webhook", form_with(contact), UpdateSource::Window)
            .unwrap();
    }
    drop(store);
    let reopen = || Store::open(db_path(&dir)).unwrap();
    let (bot, block, w) = ("shop-orders", "order-webhook", UpdateSource::Window);

    let mut store = reopen();
    assert_eq!(
        store.undo_state(block).unwrap(),
        (true, false),
        "three edits, none undone"
    );
    assert_eq!(store.undo_webhook_form(bot, block, w).unwrap(), Some(form_with("{b}")));
    assert_eq!(store.undo_state(block).unwrap(), (true, true));
    drop(store);
    let mut store = reopen();
    assert_eq!(
        store.load_bot(bot).unwrap().webhook(block).unwrap().form,
        form_with("{b}")
    );
    assert_eq!(store.undo_webhook_form(bot, block, w).unwrap(), Some(form_with("{a}")));
    assert_eq!(store.undo_webhook_form(bot, block, w).unwrap(), Some(original.clone()));
    assert_eq!(store.undo_webhook_form(bot, block, w).unwrap(), None);
    assert_eq!(store.undo_state(block).unwrap(), (false, true), "everything undone");
    drop(store);
    let mut store = reopen();
    assert_eq!(store.redo_webhook_form(bot, block, w).unwrap(), Some(form_with("{a}")));
    drop(store);
    let mut store = reopen();
    assert_eq!(store.redo_webhook_form(bot, block, w).unwrap(), Some(form_with("{b}")));
    store.update_webhook_form(bot, block, form_with("{d}"), w).unwrap();
    assert_eq!(
        store.redo_webhook_form(bot, block, w).unwrap(),
        None,
        "a new edit clears redo"
    );
    assert_eq!(store.undo_webhook_form(bot, block, w).unwrap(), Some(form_with("{b}")));
    assert_eq!(
        store.load_bot(bot).unwrap().webhook(block).unwrap().form,
        form_with("{b}")
    );
}

#[test]
fn only_the_last_500_edits_of_a_block_can_be_undone() {
    let (_dir, mut store) = store_with_examples();
    let (bot, block, w) = ("shop-orders", "order-webhook", UpdateSource::Window);
    let extra = 7;
    for n in 0..webhook_store::UNDO_KEPT + extra {
        store
            .update_webhook_form(bot, block, form_with(&format!("{{v{n}}}")), w)
            .unwrap();
    }
    assert_eq!(store.form_history(block).unwrap().len(), webhook_store::UNDO_KEPT);
    for _ in 0..webhook_store::UNDO_KEPT {
        assert!(store.undo_webhook_form(bot, block, w).unwrap().is_some());
    }
    assert_eq!(store.undo_webhook_form(bot, block, w).unwrap(), None);
    let oldest_kept = format!("{{v{}}}", extra - 1);
    assert_eq!(
        store.load_bot(bot).unwrap().webhook(block).unwrap().form,
        form_with(&oldest_kept)
    );
}

#[test]
fn submit_follows_the_block_rules_adds_created_variables_and_refuses_a_broken_form_unchanged() {
    let (_dir, mut store) = store_with_examples();
    let (bot, block, w) = ("shop-orders", "order-webhook", UpdateSource::Window);
    store.update_webhook_form(bot, block, form_with("+1 (415"), w).unwrap();
    let before = store.load_bot(bot).unwrap();
    let error = store.submit_webhook(bot, block, w).unwrap_err();
    assert!(matches!(error, Error::Submit(_)), "{error:?}");
    assert_eq!(store.load_bot(bot).unwrap(), before);

    let mut form = form_with("{customer_phone}");
    form.mappings.push(Mapping {
        data: "data.phone".into(),
        set_variable: "customer_phone".into(),
        optional: false,
    });
    store.update_webhook_form(bot, block, form.clone(), w).unwrap();
    let mut expected = store.load_bot(bot).unwrap();
    let submitted = store.submit_webhook(bot, block, w).unwrap();
    assert_eq!(expected.submit_webhook(block).unwrap(), submitted);
    assert_eq!(submitted.created_variables.len(), 1);
    let after = store.load_bot(bot).unwrap();
    assert_eq!(after, expected);
    assert_eq!(after.webhook(block).unwrap().status, BlockStatus::Submitted);
    assert_eq!(after.webhook(block).unwrap().live, None);
    assert!(after.has_variable("customer_phone"));

    assert!(matches!(
        store.submit_webhook(bot, "order-alert", w),
        Err(Error::NoSuchBlock { .. })
    ));
}

#[test]
fn settings_are_kept_and_replaced() {
    let (dir, mut store) = store();
    assert_eq!(store.setting("api_base").unwrap(), None);
    store
        .set_setting("api_base", "https://a.example", UpdateSource::Window)
        .unwrap();
    store
        .set_setting("api_base", "https://b.example", UpdateSource::Sync)
        .unwrap();
    drop(store);
    let store = Store::open(db_path(&dir)).unwrap();
    assert_eq!(store.setting("api_base").unwrap().as_deref(), Some("https://b.example"));
    let sources: Vec<String> = store.changes().unwrap().into_iter().map(|c| c.source).collect();
    assert_eq!(sources, ["window", "sync"]);
    // Settings are this computer's own: they are not sent to the team server.
    assert_eq!(store.outbox_len().unwrap(), 0);
}

fn captured(block: &str, n: u64) -> CapturedRequest {
    CapturedRequest {
        id: 0,
        block_id: Id::parse(block).unwrap(),
        received_at: format!("2026-11-25T10:00:{:02}Z", n % 60),
        status: 202,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({"data": {"order_id": format!("A-{n}")}}),
        variables: json!({"order_id": format!("A-{n}")}),
        code: None,
        message: None,
    }
}

#[test]
fn only_the_last_50_captured_requests_of_a_block_are_kept_newest_first() {
    let (_dir, mut store) = store_with_examples();
    for n in 0..60 {
        store
            .record_request(&captured("order-webhook", n), UpdateSource::Window)
            .unwrap();
    }
    store
        .record_request(&captured("cart-webhook", 0), UpdateSource::Window)
        .unwrap();
    let kept = store.captured_requests("order-webhook").unwrap();
    assert_eq!(kept.len(), 50);
    // Ids are the store's: compare everything else.
    let without_id = |r: &CapturedRequest| CapturedRequest { id: 0, ..r.clone() };
    assert_eq!(without_id(&kept[0]), captured("order-webhook", 59));
    assert_eq!(without_id(&kept[49]), captured("order-webhook", 10));
    assert!(kept.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(store.captured_requests("cart-webhook").unwrap().len(), 1);
}

#[test]
fn every_write_lands_in_the_change_log_and_every_local_one_in_the_outbox() {
    let (_dir, mut store) = store();
    store
        .save_bot(&example("abandoned-cart"), UpdateSource::Import)
        .unwrap();
    store
        .update_webhook_form("cart-recovery", "cart-webhook", form_with("{x}"), UpdateSource::Window)
        .unwrap();
    store
        .undo_webhook_form("cart-recovery", "cart-webhook", UpdateSource::Cli)
        .unwrap();
    store.rename_bot("cart-recovery", "Carts", UpdateSource::Sync).unwrap();
    let log: Vec<(String, String)> = store
        .changes()
        .unwrap()
        .into_iter()
        .map(|c| (c.source, c.action))
        .collect();
    let expected = [
        ("import", "save"),
        ("window", "edit"),
        ("cli", "undo"),
        ("sync", "rename"),
    ];
    assert_eq!(log, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
    // The import queues each of the bot's entities, the edit and the undo one block each; the
    // rename came from sync and queues nothing.
    let entities = webhook_sync::entity::decompose(&example("abandoned-cart")).len();
    assert_eq!(store.outbox_len().unwrap(), entities as i64 + 2);
}

#[test]
fn debug_of_the_store_and_its_errors_never_print_a_token() {
    let (_dir, mut store) = store_with_examples();
    let bot = store.load_bot("shop-orders").unwrap();
    let token = bot.webhook("order-webhook").unwrap().token.clone().unwrap();
    let mut broken = bot.clone();
    let twin = broken.flows[0].sequences[0].blocks[0].clone();
    broken.flows[0].sequences[0].blocks.push(twin);
    let error = store.save_bot(&broken, UpdateSource::Window).unwrap_err();
    for shown in [
        format!("{store:?}"),
        format!("{error:?}"),
        error.to_string(),
        format!("{bot:?}"),
    ] {
        assert!(!shown.contains(token.expose_secret()), "{shown}");
    }
}
