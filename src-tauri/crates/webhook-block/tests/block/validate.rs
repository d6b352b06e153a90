//! Each rule of the block, with its bad-input twin.

use webhook_block::validate::{Field, SubmitError};
use webhook_block::{Bot, ChannelKind, ProblemCode, WebhookForm, WebhookType, check_webhook};

use crate::{bot_with, good_form, hook, map};

fn problems(bot: &Bot) -> Vec<(String, ProblemCode)> {
    let block = hook(bot);
    check_webhook(bot, block, &block.form)
        .problems
        .into_iter()
        .map(|p| (p.field.to_string(), p.code))
        .collect()
}

fn problems_of(form: WebhookForm) -> Vec<(String, ProblemCode)> {
    problems(&bot_with(form))
}

#[test]
fn a_complete_conversational_block_has_no_problem() {
    assert_eq!(problems_of(good_form()), vec![]);
}

#[test]
fn a_bot_without_connected_channel_is_told_to_visit_the_channels_page() {
    let mut bot = bot_with(good_form());
    for connection in &mut bot.channels {
        connection.integration_active = false;
    }
    let block = hook(&bot);
    let checked = check_webhook(&bot, block, &block.form);
    let problem = checked
        .problems
        .iter()
        .find(|p| p.code == ProblemCode::NoConnectedChannel)
        .unwrap();
    assert_eq!(problem.field, Field::Channel);
    assert!(problem.message.contains("Channels page"), "{}", problem.message);
    assert!(problem.message.contains("Nothing you typed here is lost"));
    // The rest of the form was still understood: nothing typed is dropped.
    assert_eq!(checked.compiled.mappings.len(), 2);
}

#[test]
fn an_active_channel_without_accounts_is_not_connected() {
    let mut bot = bot_with(good_form());
    for connection in &mut bot.channels {
        connection.accounts.clear();
    }
    assert!(problems(&bot).contains(&("channel".into(), ProblemCode::NoConnectedChannel)));
}

#[test]
fn conversational_requires_channel_account_and_contact() {
    let form = WebhookForm {
        channel: None,
        account: None,
        contact_reference_id: String::new(),
        ..good_form()
    };
    let found = problems_of(form);
    assert!(found.contains(&("channel".into(), ProblemCode::Required)), "{found:?}");
    assert!(
        found.contains(&("contact_reference_id".into(), ProblemCode::Required)),
        "{found:?}"
    );
    let form = WebhookForm {
        account: None,
        ..good_form()
    };
    assert_eq!(problems_of(form), vec![("account".into(), ProblemCode::Required)]);
}

#[test]
fn workflow_needs_no_channel_account_or_contact() {
    let form = WebhookForm {
        webhook_type: WebhookType::Workflow,
        channel: None,
        account: None,
        contact_reference_id: String::new(),
        ..good_form()
    };
    assert_eq!(problems_of(form), vec![]);
}

#[test]
fn workflow_still_checks_what_is_given() {
    let form = WebhookForm {
        webhook_type: WebhookType::Workflow,
        contact_reference_id: "415 555 0123".into(),
        ..good_form()
    };
    assert_eq!(
        problems_of(form),
        vec![("contact_reference_id".into(), ProblemCode::MissingCountryCode)]
    );
}

#[test]
fn a_channel_switched_off_cannot_be_chosen() {
    let form = WebhookForm {
        channel: Some(ChannelKind::Sms),
        account: Some("promo".into()),
        ..good_form()
    };
    assert_eq!(
        problems_of(form),
        vec![("channel".into(), ProblemCode::ChannelNotActive)]
    );
    let form = WebhookForm {
        channel: Some(ChannelKind::Instagram),
        ..good_form()
    };
    assert!(problems_of(form).contains(&("channel".into(), ProblemCode::ChannelNotActive)));
}

#[test]
fn the_account_must_belong_to_the_channel() {
    let form = WebhookForm {
        account: Some("orders-bot".into()),
        ..good_form()
    };
    let bot = bot_with(form);
    let block = hook(&bot);
    let problem = check_webhook(&bot, block, &block.form).problems.remove(0);
    assert_eq!(problem.code, ProblemCode::UnknownAccount);
    assert!(
        problem.message.contains("support-line"),
        "lists the choices: {}",
        problem.message
    );
}

#[test]
fn mapping_rows_are_checked_one_by_one() {
    let form = WebhookForm {
        mappings: vec![
            map("data.name", "customer_name"),
            map("", ""),
            map("data..email", "email"),
            map("data.items[*].sku", "sku"),
            map("data.phone", "Customer Phone"),
            map("data.city", "sys_city"),
            map("data.other_name", "customer_name"),
            map("data.zip", ""),
            map("", "zip"),
        ],
        ..good_form()
    };
    assert_eq!(
        problems_of(form),
        vec![
            ("mappings[1].data".into(), ProblemCode::EmptyRow),
            ("mappings[2].data".into(), ProblemCode::InvalidPath),
            ("mappings[3].data".into(), ProblemCode::PathNotSingular),
            ("mappings[4].set_variable".into(), ProblemCode::InvalidVariableName),
            ("mappings[5].set_variable".into(), ProblemCode::ReservedVariable),
            ("mappings[6].set_variable".into(), ProblemCode::DuplicateVariable),
            ("mappings[7].set_variable".into(), ProblemCode::Required),
            ("mappings[8].data".into(), ProblemCode::Required),
        ]
    );
}

#[test]
fn problems_offer_the_fix_when_there_is_an_obvious_one() {
    let form = WebhookForm {
        mappings: vec![map("data.items.0.sku", "first_sku"), map("data.name", "Customer Name")],
        contact_reference_id: "(415) 555-0123".into(),
        ..good_form()
    };
    let bot = bot_with(form);
    let block = hook(&bot);
    let suggestions: Vec<Option<String>> = check_webhook(&bot, block, &block.form)
        .problems
        .into_iter()
        .map(|p| p.suggestion)
        .collect();
    assert_eq!(
        suggestions,
        vec![
            Some("data.items[0].sku".into()),
            Some("customer_name".into()),
            // From the account's own number (+1): offered, never applied.
            Some("+14155550123".into()),
        ]
    );
}

#[test]
fn duplicate_variable_message_names_the_first_row() {
    let form = WebhookForm {
        mappings: vec![map("data.a", "x"), map("data.b", "x")],
        ..good_form()
    };
    let bot = bot_with(form);
    let block = hook(&bot);
    let problem = check_webhook(&bot, block, &block.form).problems.remove(0);
    assert!(
        problem.message.starts_with("Row 1 (`data.a`) already sets x"),
        "{}",
        problem.message
    );
}

#[test]
fn paths_that_no_body_can_satisfy_together_are_caught() {
    let form = WebhookForm {
        mappings: vec![map("data.items[0]", "first"), map("data.items.sku", "sku")],
        ..good_form()
    };
    assert_eq!(
        problems_of(form),
        vec![("mappings[1].data".into(), ProblemCode::ConflictingPaths)]
    );
    // Nested paths that agree are fine: data.customer is an object holding name.
    let form = WebhookForm {
        mappings: vec![map("data.customer", "customer"), map("data.customer.name", "name")],
        ..good_form()
    };
    assert_eq!(problems_of(form), vec![]);
}

#[test]
fn whatsapp_contact_is_normalised_to_e164() {
    let form = WebhookForm {
        contact_reference_id: "+1 (415) 555-0123".into(),
        ..good_form()
    };
    let bot = bot_with(form);
    let block = hook(&bot);
    let compiled = check_webhook(&bot, block, &block.form).into_valid().unwrap();
    assert_eq!(compiled.contact.unwrap().to_string(), "+14155550123");
}

#[test]
fn bad_contacts_are_refused_by_kind() {
    let cases = [
        ("+1 555", ProblemCode::InvalidPhoneNumber),
        ("555 0123", ProblemCode::MissingCountryCode),
        ("{unknown_var}", ProblemCode::UnknownVariable),
        ("{Bad Name}", ProblemCode::InvalidContact),
    ];
    for (text, code) in cases {
        let form = WebhookForm {
            contact_reference_id: text.into(),
            ..good_form()
        };
        assert_eq!(problems_of(form), vec![("contact_reference_id".into(), code)], "{text}");
    }
}

#[test]
fn contact_variables_may_be_mapped_here_or_declared_on_the_bot() {
    let form = WebhookForm {
        contact_reference_id: "{customer_name}".into(),
        ..good_form()
    };
    assert_eq!(problems_of(form), vec![]);
    let mut bot = bot_with(WebhookForm {
        contact_reference_id: "{crm_contact}".into(),
        ..good_form()
    });
    assert_eq!(
        problems(&bot),
        vec![("contact_reference_id".into(), ProblemCode::UnknownVariable)]
    );
    bot.variables.push(webhook_block::model::Variable {
        name: webhook_block::variable::VariableName::parse("crm_contact").unwrap(),
        description: String::new(),
    });
    assert_eq!(problems(&bot), vec![]);
}

#[test]
fn other_channels_take_contact_ids() {
    let form = WebhookForm {
        channel: Some(ChannelKind::Telegram),
        account: Some("orders-bot".into()),
        contact_reference_id: "-1001234567890".into(),
        ..good_form()
    };
    assert_eq!(problems_of(form), vec![]);
    let form = WebhookForm {
        channel: Some(ChannelKind::Telegram),
        account: Some("orders-bot".into()),
        contact_reference_id: "two words".into(),
        ..good_form()
    };
    assert_eq!(
        problems_of(form),
        vec![("contact_reference_id".into(), ProblemCode::InvalidContact)]
    );
}

#[test]
fn a_block_without_token_cannot_be_submitted() {
    let mut bot = bot_with(good_form());
    bot.webhook_mut("hook").unwrap().token = None;
    assert_eq!(problems(&bot), vec![("token".into(), ProblemCode::MissingToken)]);
    bot.webhook_mut("hook").unwrap().rotate_token().unwrap();
    assert_eq!(problems(&bot), vec![]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let form = WebhookForm {
        channel: None,
        account: None,
        mappings: vec![map("data..x", "Bad Name")],
        contact_reference_id: String::new(),
        ..good_form()
    };
    assert_eq!(problems_of(form).len(), 4);
}

#[test]
fn submit_creates_new_variables_and_makes_the_form_live() {
    let mut bot = bot_with(good_form());
    assert!(hook(&bot).live_form().is_none());
    let submitted = bot.submit_webhook("hook").unwrap();
    let created: Vec<&str> = submitted.created_variables.iter().map(|v| v.as_str()).collect();
    assert_eq!(created, vec!["customer_name", "order_id"]);
    assert!(bot.has_variable("customer_name"));
    assert_eq!(crate::status(&bot), webhook_block::model::BlockStatus::Submitted);
    assert_eq!(hook(&bot).live_form(), Some(&good_form()));
    // Submitting again creates nothing twice.
    assert!(bot.submit_webhook("hook").unwrap().created_variables.is_empty());
    assert_eq!(bot.variables.len(), 2);
}

#[test]
fn submit_with_problems_changes_nothing() {
    let mut bot = bot_with(WebhookForm {
        channel: None,
        ..good_form()
    });
    let before = bot.clone();
    match bot.submit_webhook("hook") {
        Err(SubmitError::Invalid(problems)) => assert!(!problems.is_empty()),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(bot, before);
    assert!(matches!(bot.submit_webhook("nope"), Err(SubmitError::NoSuchBlock(_))));
}

#[test]
fn editing_a_submitted_block_keeps_serving_the_submitted_version() {
    let mut bot = bot_with(good_form());
    bot.submit_webhook("hook").unwrap();
    bot.webhook_mut("hook")
        .unwrap()
        .edit(|form| form.mappings.push(map("data.email", "email")));
    let block = hook(&bot);
    assert_eq!(block.status, webhook_block::model::BlockStatus::Edited);
    assert_eq!(block.live_form(), Some(&good_form()));
    assert_eq!(block.form.mappings.len(), 3);
    bot.submit_webhook("hook").unwrap();
    assert_eq!(hook(&bot).live_form().unwrap().mappings.len(), 3);
    assert!(hook(&bot).live.is_none());
}

#[test]
fn a_draft_with_problems_still_gets_a_url_and_a_sample() {
    let bot = bot_with(WebhookForm {
        contact_reference_id: "bad".into(),
        ..good_form()
    });
    let block = hook(&bot);
    let checked = check_webhook(&bot, block, &block.form);
    assert!(!checked.problems.is_empty());
    let body = webhook_block::sample::sample_body(&checked.compiled, webhook_block::Environment::Development);
    assert_eq!(body["data"]["name"], "Ada Lovelace");
}

#[test]
fn message_blocks_must_use_known_variables() {
    use webhook_block::model::{Block, MessageBlock};
    let mut bot = bot_with(good_form());
    let message = |text: &str| {
        Block::Message(MessageBlock {
            id: crate::id("msg"),
            name: "Reply".into(),
            text: text.into(),
        })
    };
    bot.flows[0].sequences[0]
        .blocks
        .push(message("Hi {customer_name}, order {order_id} is in."));
    assert!(webhook_block::check_bot(&bot).is_empty());
    bot.flows[0].sequences[0].blocks[1] = message("Hi {customer_nme}");
    let problems = webhook_block::check_bot(&bot);
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "msg/text: The text uses {customer_nme}, which this bot does not have. Map it in a webhook's Save in variables, or fix the name."
    );
}

#[test]
fn bot_level_duplicates_are_reported() {
    let mut bot = bot_with(good_form());
    let block = bot.flows[0].sequences[0].blocks[0].clone();
    bot.flows[0].sequences[0].blocks.push(block);
    let text: Vec<String> = webhook_block::check_bot(&bot).iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("bot/block hook: Two blocks have the id hook")),
        "{text:?}"
    );
}
