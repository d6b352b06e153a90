//! The example bots in assets/examples: the FAQ's three uses, each valid, each sample accepted.

use webhook_block::{BotDocument, Environment, check_bot, check_webhook, sample::sample_body};

fn examples() -> Vec<(String, BotDocument)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../assets/examples");
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".bot.json"))
        .map(|p| {
            let doc = BotDocument::from_json(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), doc)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn the_three_faq_templates_are_there() {
    let names: Vec<String> = examples().into_iter().map(|(n, _)| n).collect();
    for wanted in [
        "welcome-on-sign-up.bot.json",
        "order-received-alert.bot.json",
        "abandoned-cart.bot.json",
    ] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} missing from {names:?}");
    }
}

#[test]
fn every_example_is_valid_and_submitted() {
    for (name, doc) in examples() {
        assert_eq!(check_bot(&doc.bot), vec![], "{name}");
        for block in doc.bot.webhook_blocks() {
            assert!(block.live_form().is_some(), "{name}: {} is not submitted", block.id);
            assert!(
                block.sample_payload.is_some(),
                "{name}: {} has no sample payload",
                block.id
            );
        }
    }
}

#[test]
fn every_sample_payload_and_sample_body_is_accepted() {
    for (name, doc) in examples() {
        for block in doc.bot.webhook_blocks() {
            let compiled = check_webhook(&doc.bot, block, &block.form).into_valid().unwrap();
            let payload = block.sample_payload.clone().unwrap();
            let accepted = compiled.accept(&payload).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(
                accepted.variables.len(),
                compiled.mappings.len() - accepted.skipped.len(),
                "{name}"
            );
            for env in [Environment::Production, Environment::Development] {
                let body = sample_body(&compiled, env);
                compiled.accept(&body).unwrap_or_else(|e| panic!("{name} {env}: {e:?}"));
            }
        }
    }
}
