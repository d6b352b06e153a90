//! What the sync engine asks of the store, on real files: the outbox written with every local
//! write (and only those), kept across a crash, acknowledged, conflicts that keep both versions
//! until a person chooses, and the server's changes written without overwriting local work.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use webhook_block::model::Mapping;
use webhook_block::{Block, Bot, ChannelKind, Id, WebhookForm};
use webhook_store::{CapturedRequest, Error, OutboxEntry, Store, UpdateSource};
use webhook_sync::conflict::{Side, merge};
use webhook_sync::entity::{EntityKey, decompose};
use webhook_sync::{ErrorBody, Versioned};

use crate::{db_path, example, store, store_with_examples};

const BOT: &str = "shop-orders";
const BLOCK: &str = "order-webhook";

fn id(text: &str) -> Id {
    Id::parse(text).unwrap()
}

fn block_key() -> EntityKey {
    EntityKey::block(&id(BOT), &id(BLOCK))
}

fn form(contact: &str) -> WebhookForm {
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

/// The block's body as the local tables hold it now.
fn block_body(store: &Store) -> Value {
    let bot = store.load_bot(BOT).unwrap();
    decompose(&bot).remove(&block_key()).unwrap().to_value()
}

/// Every queued row; acknowledges them all as revision 1 when `ack` (as a first push would).
fn drain(store: &mut Store) -> Vec<OutboxEntry> {
    let rows = store.pending(usize::MAX).unwrap();
    for row in &rows {
        assert!(store.ack(row.id, 1).unwrap());
    }
    rows
}

#[test]
fn an_edit_queues_exactly_one_row_with_the_blocks_whole_body() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{someone}"), UpdateSource::Window)
        .unwrap();
    let rows = store.pending(10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, block_key());
    assert_eq!(rows[0].body.as_ref(), Some(&block_body(&store)));
    assert_eq!(
        rows[0].body.as_ref().unwrap()["webhook"]["form"]["contact_reference_id"],
        "{someone}"
    );

    // The same form again changes nothing and queues nothing.
    store
        .update_webhook_form(BOT, BLOCK, form("{someone}"), UpdateSource::Window)
        .unwrap();
    assert_eq!(store.pending_count().unwrap(), 1);

    // Undo, redo and a sample each queue the block again, in order.
    store.undo_webhook_form(BOT, BLOCK, UpdateSource::Window).unwrap();
    store.redo_webhook_form(BOT, BLOCK, UpdateSource::Cli).unwrap();
    store
        .set_sample_payload(
            BOT,
            BLOCK,
            Some(json!({"data": {"order_id": "A-1"}})),
            UpdateSource::Window,
        )
        .unwrap();
    let rows = store.pending(10).unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.key == block_key()));
    assert!(rows.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(rows[3].body.as_ref(), Some(&block_body(&store)));
}

#[test]
fn writes_from_sync_and_local_only_data_queue_nothing() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{x}"), UpdateSource::Sync)
        .unwrap();
    let mut bot = store.load_bot(BOT).unwrap();
    bot.name = "Renamed by a teammate".into();
    store.save_bot(&bot, UpdateSource::Sync).unwrap();
    store.rename_bot(BOT, "Again", UpdateSource::Sync).unwrap();
    store.set_setting("port", "4000", UpdateSource::Window).unwrap();
    store
        .record_request(
            &CapturedRequest {
                id: 0,
                block_id: id(BLOCK),
                received_at: "2026-11-25T10:00:00Z".into(),
                status: 202,
                headers: vec![],
                body: Value::Null,
                variables: json!({}),
                code: None,
                message: None,
            },
            UpdateSource::Window,
        )
        .unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);
}

#[test]
fn bot_writes_queue_the_entities_they_changed() {
    let (_dir, mut store) = store();
    let created = store.create_bot("Leads", UpdateSource::Window).unwrap();
    let rows = drain(&mut store);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, EntityKey::bot(&created));
    assert_eq!(rows[0].body.as_ref().unwrap()["name"], "Leads");

    store
        .rename_bot(created.as_str(), "Hot leads", UpdateSource::Window)
        .unwrap();
    let rows = drain(&mut store);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].body.as_ref().unwrap()["name"], "Hot leads");

    // A whole bot saved: every entity once, exactly the decomposition.
    let bot = example("order-received-alert");
    store.save_bot(&bot, UpdateSource::Import).unwrap();
    let rows = drain(&mut store);
    let expected: Vec<(EntityKey, Option<Value>)> = decompose(&bot)
        .into_iter()
        .map(|(k, b)| (k, Some(b.to_value())))
        .collect();
    let queued: Vec<(EntityKey, Option<Value>)> = rows.into_iter().map(|r| (r.key, r.body)).collect();
    assert_eq!(queued, expected);

    // Saving it again unchanged queues nothing; moving a block queues its flow only.
    store.save_bot(&bot, UpdateSource::Window).unwrap();
    assert_eq!(store.pending_count().unwrap(), 0);
    let mut moved = bot.clone();
    moved.flows[0].sequences[0].blocks.reverse();
    store.save_bot(&moved, UpdateSource::Window).unwrap();
    let rows = drain(&mut store);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, EntityKey::flow(&bot.id, &bot.flows[0].id));

    // A copy queues all of its own entities, under its new id.
    let copy = store.duplicate_bot(BOT, UpdateSource::Window).unwrap();
    let rows = drain(&mut store);
    assert_eq!(rows.len(), decompose(&bot).len());
    assert!(rows.iter().all(|r| r.key.bot == copy && r.body.is_some()));

    // A delete queues a delete of each entity.
    store.delete_bot(BOT, UpdateSource::Window).unwrap();
    let rows = drain(&mut store);
    let keys: Vec<EntityKey> = decompose(&moved).into_keys().collect();
    assert_eq!(rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>(), keys);
    assert!(rows.iter().all(|r| r.body.is_none()));
}

#[test]
fn a_submit_that_creates_variables_queues_the_block_and_the_bot() {
    let (_dir, mut store) = store_with_examples();
    let mut form = form("{customer_phone}");
    form.mappings.push(Mapping {
        data: "data.phone".into(),
        set_variable: "customer_phone".into(),
        optional: false,
    });
    store
        .update_webhook_form(BOT, BLOCK, form, UpdateSource::Window)
        .unwrap();
    drain(&mut store);
    let submitted = store.submit_webhook(BOT, BLOCK, UpdateSource::Window).unwrap();
    assert_eq!(submitted.created_variables.len(), 1);
    let rows = store.pending(10).unwrap();
    let keys: Vec<_> = rows.iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys, [block_key(), EntityKey::bot(&id(BOT))]);
    assert_eq!(rows[0].body.as_ref().unwrap()["webhook"]["status"], "submitted");
    let variables = rows[1].body.as_ref().unwrap()["variables"].as_array().unwrap().clone();
    assert!(variables.iter().any(|v| v["name"] == "customer_phone"));
}

#[test]
fn a_crash_between_a_write_and_its_push_loses_nothing() {
    let (dir, mut store) = store_with_examples();
    drain(&mut store);
    for n in 0..5 {
        store
            .update_webhook_form(BOT, BLOCK, form(&format!("+1415555010{n}")), UpdateSource::Window)
            .unwrap();
    }
    let before = store.pending(100).unwrap();
    let client = store.client_id().unwrap();
    // Dropped without any goodbye: what is on disk is what a killed process leaves.
    drop(store);
    let store = Store::open(db_path(&dir)).unwrap();
    assert_eq!(store.pending(100).unwrap(), before);
    assert_eq!(store.client_id().unwrap(), client, "the client id is made once");
    assert_eq!(before.len(), 5);
    assert_eq!(
        before[4].body.as_ref().unwrap()["webhook"]["form"]["contact_reference_id"],
        "+14155550104"
    );
}

#[test]
fn the_client_id_is_random_per_file_and_the_cursor_is_kept() {
    let (dir_a, mut a) = store();
    let (_dir_b, b) = store();
    assert_ne!(a.client_id().unwrap(), b.client_id().unwrap());
    assert_eq!(a.client_id().unwrap().len(), 32);
    assert_eq!(a.cursor().unwrap(), None);
    a.set_cursor(42).unwrap();
    drop(a);
    let a = Store::open(db_path(&dir_a)).unwrap();
    assert_eq!(a.cursor().unwrap(), Some(42));
}

#[test]
fn ack_removes_the_row_and_records_the_revision_a_missing_row_changes_nothing() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    assert_eq!(store.known_revision(&block_key()).unwrap(), Some(1));
    store
        .update_webhook_form(BOT, BLOCK, form("{a}"), UpdateSource::Window)
        .unwrap();
    let row = store.pending(1).unwrap().remove(0);
    assert!(store.ack(row.id, 2).unwrap());
    assert_eq!(store.known_revision(&block_key()).unwrap(), Some(2));
    assert_eq!(store.pending_count().unwrap(), 0);
    assert!(!store.ack(row.id, 3).unwrap(), "already acknowledged");
    assert_eq!(store.known_revision(&block_key()).unwrap(), Some(2));
    let unknown = EntityKey::block(&id(BOT), &id("never-pushed"));
    assert_eq!(store.known_revision(&unknown).unwrap(), None);
}

#[test]
fn ack_all_acknowledges_a_push_answer_in_order_and_skips_rows_already_gone() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    for contact in ["{a}", "{b}", "{c}"] {
        store
            .update_webhook_form(BOT, BLOCK, form(contact), UpdateSource::Window)
            .unwrap();
    }
    let rows = store.pending(10).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(store.ack(rows[0].id, 2).unwrap());
    let answer = [(rows[0].id, 2), (rows[1].id, 3), (rows[2].id, 4)];
    assert_eq!(store.ack_all(&answer).unwrap(), 2, "the first was acknowledged already");
    assert_eq!(store.pending_count().unwrap(), 0);
    assert_eq!(
        store.known_revision(&block_key()).unwrap(),
        Some(4),
        "the last one's revision stands"
    );
}

#[test]
fn a_rejected_change_leaves_the_outbox_and_is_kept_with_the_reason() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{a}"), UpdateSource::Window)
        .unwrap();
    let row = store.pending(1).unwrap().remove(0);
    let error = ErrorBody {
        code: "block_id_taken".into(),
        message: "another team uses this block id".into(),
        fix: "duplicate the bot to give its blocks new ids".into(),
    };
    assert!(store.reject(row.id, &error).unwrap());
    assert_eq!(store.pending_count().unwrap(), 0);
    let rejections = store.rejections().unwrap();
    assert_eq!(rejections.len(), 1);
    assert_eq!((&rejections[0].key, &rejections[0].error), (&block_key(), &error));
    assert_eq!(rejections[0].body, row.body);
    // The local edit is untouched.
    assert_eq!(
        store
            .load_bot(BOT)
            .unwrap()
            .webhook(BLOCK)
            .unwrap()
            .form
            .contact_reference_id,
        "{a}"
    );
    assert!(store.dismiss_rejection(rejections[0].id).unwrap());
    assert!(!store.dismiss_rejection(rejections[0].id).unwrap());
    assert!(store.rejections().unwrap().is_empty());
}

#[test]
fn a_later_change_the_server_accepts_clears_the_entitys_refusals() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    let refused = ErrorBody {
        code: "invalid".into(),
        message: "no".into(),
        fix: "edit it".into(),
    };
    store
        .update_webhook_form(BOT, BLOCK, form("{a}"), UpdateSource::Window)
        .unwrap();
    let row = store.pending(1).unwrap().remove(0);
    store.reject(row.id, &refused).unwrap();
    // A refusal of another entity stays.
    store.rename_bot(BOT, "Other", UpdateSource::Window).unwrap();
    let other = store.pending(1).unwrap().remove(0);
    store.reject(other.id, &refused).unwrap();
    store
        .update_webhook_form(BOT, BLOCK, form("{fixed}"), UpdateSource::Window)
        .unwrap();
    let fixed = store.pending(1).unwrap().remove(0);
    store.ack(fixed.id, 2).unwrap();
    let left: Vec<EntityKey> = store.rejections().unwrap().into_iter().map(|r| r.key).collect();
    assert_eq!(left, [EntityKey::bot(&id(BOT))]);
}

#[test]
fn resolving_replaces_the_edits_queued_since_the_conflict_with_the_choice() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{mine}"), UpdateSource::Window)
        .unwrap();
    let server = theirs(&store, "{theirs}", 4);
    store.record_conflict(&block_key(), &server).unwrap();
    // The designer keeps typing in the conflicted block before choosing.
    store
        .update_webhook_form(BOT, BLOCK, form("{mine, later}"), UpdateSource::Window)
        .unwrap();
    assert_eq!(store.pending_count().unwrap(), 1);
    store.resolve_conflict(&block_key(), server.body.clone()).unwrap();
    let rows = store.pending(10).unwrap();
    assert_eq!(rows.len(), 1, "only the choice is sent");
    assert_eq!(rows[0].body, server.body);
    assert_eq!(form_contact(&store), "{theirs}");
}

fn form_contact(store: &Store) -> String {
    store
        .load_bot(BOT)
        .unwrap()
        .webhook(BLOCK)
        .unwrap()
        .form
        .contact_reference_id
        .clone()
}

/// The server's version of the order block: another contact, at `revision`.
fn theirs(store: &Store, contact: &str, revision: i64) -> Versioned {
    let mut body = block_body(store);
    body["webhook"]["form"]["contact_reference_id"] = json!(contact);
    Versioned {
        key: block_key(),
        revision,
        seq: 100 + revision,
        body: Some(body),
    }
}

#[test]
fn a_conflict_keeps_both_versions_until_a_person_chooses_then_queues_the_choice_on_their_revision() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{mine}"), UpdateSource::Window)
        .unwrap();
    store
        .update_webhook_form(BOT, BLOCK, form("{mine, again}"), UpdateSource::Window)
        .unwrap();
    let mine = block_body(&store);
    let server = theirs(&store, "{theirs}", 5);
    store.record_conflict(&block_key(), &server).unwrap();

    assert_eq!(store.pending_count().unwrap(), 0, "the key's queued rows are taken out");
    let conflicts = store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].mine.as_ref(), Some(&mine));
    assert_eq!(conflicts[0].theirs, server.body);
    assert_eq!(conflicts[0].their_revision, 5);
    assert_eq!(
        block_body(&store),
        mine,
        "the local block stays as the designer left it"
    );

    // A pull meanwhile does not overwrite it either.
    let report = store.apply_remote(&[theirs(&store, "{theirs, later}", 6)]).unwrap();
    assert_eq!(report.kept_local, [block_key()]);
    assert_eq!(block_body(&store), mine);

    // Resolving with a field-by-field choice: their contact, everything else agrees.
    let choices = BTreeMap::from([("/webhook/form/contact_reference_id".to_owned(), Side::Theirs)]);
    let chosen = merge(conflicts[0].mine.as_ref(), conflicts[0].theirs.as_ref(), &choices).unwrap();
    store.resolve_conflict(&block_key(), chosen.clone()).unwrap();
    assert!(store.conflicts().unwrap().is_empty());
    assert_eq!(Some(block_body(&store)), chosen);
    assert_eq!(
        store
            .load_bot(BOT)
            .unwrap()
            .webhook(BLOCK)
            .unwrap()
            .form
            .contact_reference_id,
        "{theirs}"
    );
    let rows = store.pending(10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].body, chosen);
    assert_eq!(
        store.known_revision(&block_key()).unwrap(),
        Some(5),
        "sent based on theirs"
    );
    assert!(matches!(
        store.resolve_conflict(&block_key(), None),
        Err(Error::NoSuchConflict(_))
    ));
}

#[test]
fn a_chosen_version_that_is_not_a_block_is_refused_and_nothing_changes() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{mine}"), UpdateSource::Window)
        .unwrap();
    let server = theirs(&store, "{theirs}", 3);
    store.record_conflict(&block_key(), &server).unwrap();
    let before = store.load_bot(BOT).unwrap();
    let error = store
        .resolve_conflict(&block_key(), Some(json!({"webhook": {"name": 7}})))
        .unwrap_err();
    assert!(matches!(error, Error::EntityBody { .. }), "{error:?}");
    assert!(error.to_string().contains("webhook"), "{error}");
    assert_eq!(store.load_bot(BOT).unwrap(), before);
    assert_eq!(store.conflicts().unwrap().len(), 1);
    assert_eq!(store.pending_count().unwrap(), 0);
}

#[test]
fn apply_remote_never_overwrites_a_key_with_queued_changes() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{mine}"), UpdateSource::Window)
        .unwrap();
    let mine = block_body(&store);
    let report = store.apply_remote(&[theirs(&store, "{theirs}", 2)]).unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(report.kept_local, [block_key()]);
    assert_eq!(block_body(&store), mine);
    assert_eq!(
        store.known_revision(&block_key()).unwrap(),
        Some(1),
        "not recorded: the push will conflict"
    );
    assert_eq!(store.pending_count().unwrap(), 1);
}

#[test]
fn apply_remote_writes_the_servers_version_as_sync_skips_echoes_and_keeps_the_local_token() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    let token = store
        .load_bot(BOT)
        .unwrap()
        .webhook(BLOCK)
        .unwrap()
        .token
        .clone()
        .unwrap();
    let mut server = theirs(&store, "{theirs}", 2);
    // Sent over plain http, the server never saw the token.
    server.body.as_mut().unwrap()["webhook"]
        .as_object_mut()
        .unwrap()
        .remove("token");
    let echo = Versioned {
        key: EntityKey::bot(&id(BOT)),
        revision: 1,
        seq: 1,
        body: Some(json!({"name": "an old name the server echoes"})),
    };
    let report = store.apply_remote(&[server, echo]).unwrap();
    assert_eq!((report.applied, report.echoes), (1, 1));
    let block = store.load_bot(BOT).unwrap().webhook(BLOCK).unwrap().clone();
    assert_eq!(block.form.contact_reference_id, "{theirs}");
    assert_eq!(
        block.token.as_ref().map(|t| t.expose_secret()),
        Some(token.expose_secret())
    );
    assert_eq!(store.load_bot(BOT).unwrap().name, example("order-received-alert").name);
    assert_eq!(store.known_revision(&block_key()).unwrap(), Some(2));
    assert_eq!(store.pending_count().unwrap(), 0, "a pulled change is not sent back");
    assert_eq!(store.changes().unwrap().last().unwrap().source, "sync");
}

#[test]
fn apply_remote_creates_a_new_bot_from_its_entities_and_deletes_a_deleted_one() {
    let (_dir, mut store) = store();
    let bot = example("order-received-alert");
    // Children first: the bot is composed once all its entities are in.
    let mut changes: Vec<Versioned> = decompose(&bot)
        .into_iter()
        .rev()
        .enumerate()
        .map(|(n, (key, body))| Versioned {
            key,
            revision: 1,
            seq: n as i64 + 1,
            body: Some(body.to_value()),
        })
        .collect();
    let report = store.apply_remote(&changes).unwrap();
    assert_eq!(report.applied, changes.len());
    assert_eq!(store.load_bot(BOT).unwrap(), bot);
    assert_eq!(store.pending_count().unwrap(), 0);

    for change in &mut changes {
        change.revision = 2;
        change.body = None;
    }
    store.apply_remote(&changes).unwrap();
    assert!(matches!(store.load_bot(BOT), Err(Error::NoSuchBot(_))));
    assert_eq!(store.pending_count().unwrap(), 0);
}

#[test]
fn a_block_pulled_before_its_flow_is_placed_when_the_flow_arrives() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    let bot: Bot = store.load_bot(BOT).unwrap();
    let mut grown = bot.clone();
    let mut extra = match grown.webhook(BLOCK).cloned() {
        Some(w) => w,
        None => unreachable!(),
    };
    extra.id = id("order-webhook-2");
    grown.flows[0].sequences[0].blocks.push(Block::Webhook(Box::new(extra)));
    let entities = decompose(&grown);
    let block = EntityKey::block(&id(BOT), &id("order-webhook-2"));
    let flow = EntityKey::flow(&id(BOT), &grown.flows[0].id);
    let versioned = |key: &EntityKey| Versioned {
        key: key.clone(),
        revision: 2,
        seq: 9,
        body: Some(entities[key].to_value()),
    };
    store.apply_remote(&[versioned(&block)]).unwrap();
    assert_eq!(store.load_bot(BOT).unwrap(), bot, "no flow lists it yet");
    store.apply_remote(&[versioned(&flow)]).unwrap();
    assert_eq!(store.load_bot(BOT).unwrap(), grown);
}

#[test]
fn a_remote_body_that_does_not_fit_its_kind_is_refused_and_nothing_changes() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    let before = store.load_bot(BOT).unwrap();
    let bad = Versioned {
        key: block_key(),
        revision: 2,
        seq: 2,
        body: Some(json!({"webhook": {"form": "not a form"}})),
    };
    let report = store.apply_remote(&[bad]).unwrap();
    assert_eq!(report.refused.len(), 1);
    assert_eq!(store.load_bot(BOT).unwrap(), before);
    assert_eq!(store.known_revision(&block_key()).unwrap(), Some(1));
}

#[test]
fn seed_queues_what_the_server_never_confirmed_once() {
    let (_dir, mut store) = store_with_examples();
    let pending = store.pending(usize::MAX).unwrap();
    // As if the data were made before sync existed: nothing queued.
    for row in &pending {
        store
            .reject(
                row.id,
                &ErrorBody {
                    code: "x".into(),
                    message: "x".into(),
                    fix: "x".into(),
                },
            )
            .unwrap();
    }
    let total: usize = ["welcome-on-sign-up", "order-received-alert", "abandoned-cart"]
        .map(|n| decompose(&example(n)).len())
        .iter()
        .sum();
    assert_eq!(store.seed_outbox().unwrap(), total);
    assert_eq!(store.seed_outbox().unwrap(), 0, "already queued");
    drain(&mut store);
    assert_eq!(store.seed_outbox().unwrap(), 0, "already confirmed");
    assert!(store.pending(1).unwrap().is_empty());
}

#[test]
fn debug_of_queued_conflicted_and_refused_changes_never_prints_a_token() {
    let (_dir, mut store) = store_with_examples();
    let token = store
        .load_bot(BOT)
        .unwrap()
        .webhook(BLOCK)
        .unwrap()
        .token
        .clone()
        .unwrap();
    let secret = token.expose_secret().to_owned();
    let rows = store.pending(usize::MAX).unwrap();
    assert!(
        rows.iter()
            .any(|r| r.body.as_ref().is_some_and(|b| b.to_string().contains(&secret)))
    );
    let shown = format!("{rows:?}");
    assert!(!shown.contains(&secret) && shown.contains("<body>"), "{shown}");
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{mine}"), UpdateSource::Window)
        .unwrap();
    let row = store.pending(1).unwrap().remove(0);
    store
        .reject(
            row.id,
            &ErrorBody {
                code: "x".into(),
                message: "y".into(),
                fix: "z".into(),
            },
        )
        .unwrap();
    store
        .update_webhook_form(BOT, BLOCK, form("{mine, again}"), UpdateSource::Window)
        .unwrap();
    store
        .record_conflict(&block_key(), &theirs(&store, "{theirs}", 3))
        .unwrap();
    for shown in [
        format!("{:?}", store.conflicts().unwrap()),
        format!("{:?}", store.rejections().unwrap()),
    ] {
        assert!(!shown.contains(&secret), "{shown}");
    }
}

#[test]
fn a_bot_deleted_on_the_server_is_kept_while_it_has_local_work() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    store
        .update_webhook_form(BOT, BLOCK, form("{still typing}"), UpdateSource::Window)
        .unwrap();
    let before = store.load_bot(BOT).unwrap();
    let deleted: Vec<Versioned> = decompose(&before)
        .into_keys()
        .map(|key| Versioned {
            key,
            revision: 2,
            seq: 50,
            body: None,
        })
        .collect();
    let report = store.apply_remote(&deleted).unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(report.kept_local.len(), deleted.len());
    assert_eq!(
        store.load_bot(BOT).unwrap(),
        before,
        "the designer's bot and edit are kept"
    );

    // Once the work is settled (pushed and acknowledged), the deletion goes through.
    drain(&mut store);
    let report = store.apply_remote(&deleted).unwrap();
    assert_eq!(report.applied, deleted.len());
    assert!(matches!(store.load_bot(BOT), Err(Error::NoSuchBot(_))));
}

/// The form the panel loaded: the block's stored form now.
fn stored_form(store: &Store) -> WebhookForm {
    store.load_bot(BOT).unwrap().webhook(BLOCK).unwrap().form.clone()
}

#[test]
fn a_form_saved_on_a_base_a_teammate_changed_since_becomes_a_conflict_not_an_overwrite() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    // The panel opens on the stored form...
    let loaded = stored_form(&store);
    // ...a pull writes a teammate's change of the block...
    let server = theirs(&store, "{teammate}", 3);
    assert_eq!(store.apply_remote(std::slice::from_ref(&server)).unwrap().applied, 1);
    let theirs_now = block_body(&store);
    // ...and the designer's next keystroke autosaves the old form plus the keystroke.
    let mut typed = loaded.clone();
    typed.account = Some("orders-bot-2".into());
    let error = store
        .update_webhook_form_from(BOT, BLOCK, &loaded, typed.clone(), UpdateSource::Window)
        .unwrap_err();
    assert!(matches!(&error, Error::ChangedElsewhere { block } if block == BLOCK));
    assert_eq!(
        error.to_string(),
        "This block was changed by a teammate while you were editing; your version is kept in Sync conflicts — choose there what to keep."
    );

    // The teammate's change is still what is stored, and nothing is sent.
    assert_eq!(form_contact(&store), "{teammate}");
    assert_eq!(block_body(&store), theirs_now);
    assert_eq!(store.pending_count().unwrap(), 0);
    // Undo has nothing of it: the form was not written.
    assert_eq!(store.undo_webhook_form(BOT, BLOCK, UpdateSource::Window).unwrap(), None);

    // What was typed is in the conflict's `mine`; the teammate's version in `theirs`.
    let conflicts = store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].key, block_key());
    assert_eq!(conflicts[0].theirs.as_ref(), Some(&theirs_now));
    assert_eq!(conflicts[0].their_revision, 3);
    let mine = conflicts[0].mine.clone().unwrap();
    assert_eq!(mine["webhook"]["form"]["account"], "orders-bot-2");
    assert_eq!(
        mine["webhook"]["form"]["contact_reference_id"],
        json!(loaded.contact_reference_id)
    );
    assert_eq!(store.conflict_count().unwrap(), 1);

    // Choosing mine there writes it and queues it based on the teammate's revision.
    store.resolve_conflict(&block_key(), Some(mine.clone())).unwrap();
    assert!(store.conflicts().unwrap().is_empty());
    assert_eq!(stored_form(&store), typed);
    let rows = store.pending(10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].body.as_ref(), Some(&mine));
    assert_eq!(store.known_revision(&block_key()).unwrap(), Some(3));
}

#[test]
fn a_form_saved_on_a_stale_base_when_nothing_changed_since_is_a_plain_edit() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    let loaded = stored_form(&store);
    // Same base as stored: saved as today.
    store
        .update_webhook_form_from(BOT, BLOCK, &loaded, form("{a}"), UpdateSource::Window)
        .unwrap();
    assert_eq!(form_contact(&store), "{a}");
    // A base that is stale but already equal to what is typed: nothing to write, no conflict.
    store
        .update_webhook_form_from(BOT, BLOCK, &loaded, form("{a}"), UpdateSource::Window)
        .unwrap();
    assert!(store.conflicts().unwrap().is_empty());
    assert_eq!(store.pending_count().unwrap(), 1);
}

#[test]
fn ordered_autosaves_each_based_on_the_previous_one_never_conflict() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    // Rapid typing: every save is based on the form the previous save sent.
    let mut base = stored_form(&store);
    let mut contact = String::new();
    for c in "{customer_phone}".chars() {
        contact.push(c);
        let mut typed = base.clone();
        typed.contact_reference_id.clone_from(&contact);
        store
            .update_webhook_form_from(BOT, BLOCK, &base, typed.clone(), UpdateSource::Window)
            .unwrap();
        base = typed;
    }
    assert_eq!(form_contact(&store), "{customer_phone}");
    assert!(store.conflicts().unwrap().is_empty());
    // Undo steps back through them one by one.
    assert_eq!(
        store
            .undo_webhook_form(BOT, BLOCK, UpdateSource::Window)
            .unwrap()
            .unwrap()
            .contact_reference_id,
        "{customer_phone"
    );
}

#[test]
fn a_stale_edit_of_a_block_already_in_conflict_keeps_the_servers_side() {
    let (_dir, mut store) = store_with_examples();
    drain(&mut store);
    let loaded = stored_form(&store);
    store.apply_remote(&[theirs(&store, "{teammate}", 3)]).unwrap();
    let server_side = block_body(&store);
    store
        .update_webhook_form_from(BOT, BLOCK, &loaded, form("{first try}"), UpdateSource::Window)
        .unwrap_err();
    // The panel reloaded (base = the teammate's form); a save on the old base again.
    store
        .update_webhook_form_from(BOT, BLOCK, &loaded, form("{second try}"), UpdateSource::Window)
        .unwrap_err();
    let conflicts = store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].theirs.as_ref(), Some(&server_side));
    assert_eq!(conflicts[0].their_revision, 3);
    assert_eq!(
        conflicts[0].mine.as_ref().unwrap()["webhook"]["form"]["contact_reference_id"],
        "{second try}"
    );
}
