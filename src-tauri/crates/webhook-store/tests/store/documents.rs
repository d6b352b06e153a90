//! Export and import of bot documents.

use proptest::prelude::*;
use serde_json::json;
use webhook_block::model::{BlockStatus, MessageBlock};
use webhook_block::{Block, BotDocument, Id, check_bot};
use webhook_store::{Error, UpdateSource};

use crate::{EXAMPLES, example, store, store_with_examples};

const IMPORT: UpdateSource = UpdateSource::Import;

#[test]
fn export_leaves_tokens_out_unless_secrets_are_asked_for() {
    let (_dir, store) = store_with_examples();
    for name in EXAMPLES {
        let bot = example(name);
        let with = store.export_bot(bot.id.as_str(), true).unwrap();
        assert_eq!(with, BotDocument::new(bot.clone()));
        let without = store.export_bot(bot.id.as_str(), false).unwrap();
        assert!(without.bot.webhook_blocks().all(|b| b.token.is_none()));
        assert!(!without.to_json().contains("whs_"), "{name}");
    }
}

#[test]
fn an_import_lists_every_structural_problem_with_its_pointer_and_imports_nothing() {
    let (_dir, mut store) = store();
    let mut bot = example("order-received-alert");
    let twin = bot.flows[0].sequences[0].blocks[1].clone();
    bot.flows[0].sequences[0].blocks.push(twin);
    let flow = bot.flows[0].clone();
    bot.flows.push(flow);
    let variable = bot.variables[0].clone();
    bot.variables.push(variable);
    let error = store
        .import_document(&BotDocument::new(bot), false, IMPORT)
        .unwrap_err();
    let Error::Invalid(problems) = &error else {
        panic!("{error:?}")
    };
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/bot/variables/4/name",
            "/bot/flows/1/id",
            "/bot/flows/1/sequences/0/id",
            "/bot/flows/0/sequences/0/blocks/2/message/id",
            "/bot/flows/1/sequences/0/blocks/0/webhook/id",
            "/bot/flows/1/sequences/0/blocks/1/message/id",
            "/bot/flows/1/sequences/0/blocks/2/message/id",
        ]
    );
    assert!(
        error
            .to_string()
            .starts_with("7 problem(s):\n/bot/variables/4/name: the variable order_id")
    );
    assert!(store.list_bots().unwrap().is_empty(), "nothing was imported");
}

#[test]
fn an_existing_bot_needs_replace_and_replacing_keeps_the_history_of_blocks_that_stay() {
    let (_dir, mut store) = store_with_examples();
    store
        .update_webhook_form("shop-orders", "order-webhook", Default::default(), UpdateSource::Window)
        .unwrap();
    let mut document = store.export_bot("shop-orders", true).unwrap();
    document.bot.name = "Renamed by import".into();

    let error = store.import_document(&document, false, IMPORT).unwrap_err();
    let Error::Invalid(problems) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].pointer, "/bot/id");
    assert!(problems[0].message.contains("--replace"), "{}", problems[0]);
    assert_eq!(store.load_bot("shop-orders").unwrap().name, "Shop order alerts");

    store.import_document(&document, true, IMPORT).unwrap();
    assert_eq!(store.load_bot("shop-orders").unwrap(), document.bot);
    assert_eq!(store.form_history("order-webhook").unwrap().len(), 1);
    assert_eq!(store.changes().unwrap().last().unwrap().action, "import");
}

#[test]
fn a_draft_that_breaks_block_rules_is_imported_as_typed() {
    let (_dir, mut store) = store();
    let mut bot = example("welcome-on-sign-up");
    let block = bot.webhook_mut("signup-webhook").unwrap();
    block.status = BlockStatus::Draft;
    block.form.contact_reference_id = "(415) 555".into();
    block.form.mappings[0].data = "data..name[".into();
    assert!(!check_bot(&bot).is_empty());
    store
        .import_document(&BotDocument::new(bot.clone()), false, IMPORT)
        .unwrap();
    assert_eq!(store.load_bot("acme-signups").unwrap(), bot);
}

#[test]
fn a_webhook_block_imported_without_a_token_gets_a_fresh_one() {
    let (_dir, mut store) = store();
    let mut bot = example("abandoned-cart");
    bot.webhook_mut("cart-webhook").unwrap().token = None;
    store
        .import_document(&BotDocument::new(bot.clone()), false, IMPORT)
        .unwrap();
    let loaded = store.load_bot("cart-recovery").unwrap();
    let token = loaded.webhook("cart-webhook").unwrap().token.as_ref().unwrap();
    assert!(token.expose_secret().starts_with("whs_"));
    assert_ne!(
        Some(token),
        example("abandoned-cart")
            .webhook("cart-webhook")
            .unwrap()
            .token
            .as_ref()
    );
}

/// A variation of an example: other names, reordered blocks, statuses, samples and extra blocks.
fn variation() -> impl Strategy<Value = BotDocument> {
    (
        0..EXAMPLES.len(),
        "[a-z][a-z0-9-]{0,20}",
        "\\PC{0,30}",
        any::<bool>(),
        0..3u8,
        proptest::option::of("\\PC{0,20}"),
        proptest::collection::vec("\\PC{0,40}", 0..4),
    )
        .prop_map(|(example_index, id, name, reverse, status, sample, messages)| {
            let mut bot = example(EXAMPLES[example_index]);
            bot.id = Id::parse(&id).unwrap();
            bot.name = name;
            let sequence = &mut bot.flows[0].sequences[0];
            for (i, text) in messages.into_iter().enumerate() {
                sequence.blocks.push(Block::Message(MessageBlock {
                    id: Id::parse(&format!("extra-{i}")).unwrap(),
                    name: format!("Extra {i}"),
                    text,
                }));
            }
            if reverse {
                sequence.blocks.reverse();
            }
            let webhook_id = bot.webhook_blocks().next().unwrap().id.to_string();
            let block = bot.webhook_mut(&webhook_id).unwrap();
            match status {
                0 => block.status = BlockStatus::Draft,
                1 => block.edit(|f| f.contact_reference_id.push('9')),
                _ => {}
            }
            block.sample_payload = sample.map(|s| json!({"data": {"note": s, "n": 1.25}}));
            BotDocument::new(bot)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn export_then_import_then_export_gives_the_same_document(document in variation(), secrets in any::<bool>()) {
        let (_a, mut first) = store();
        first.import_document(&document, false, IMPORT).unwrap();
        let exported = first.export_bot(document.bot.id.as_str(), secrets).unwrap();
        if secrets {
            prop_assert_eq!(&exported, &document);
        }
        let (_b, mut second) = store();
        second.import_document(&BotDocument::from_json(&exported.to_json()).unwrap(), false, IMPORT).unwrap();
        let again = second.export_bot(document.bot.id.as_str(), secrets).unwrap();
        prop_assert_eq!(again.to_json(), exported.to_json());
    }
}
