//! Sample bodies and sample cURL: snapshots of what a designer copies.

use serde_json::json;
use webhook_block::curl::{Shell, TokenIn, sample_curl};
use webhook_block::{ApiBase, Endpoints, Environment, WebhookForm, check_webhook};

use crate::{bot_with, good_form, hook, map};

fn endpoints() -> Endpoints {
    Endpoints {
        api_base: ApiBase::parse("https://bots.example.com").unwrap(),
        receiver_port: Some(8787),
    }
}

fn curl_for(
    form: WebhookForm,
    payload: Option<serde_json::Value>,
    env: Environment,
    shell: Shell,
    token_in: TokenIn,
) -> String {
    let mut bot = bot_with(form);
    bot.webhook_mut("hook").unwrap().sample_payload = payload;
    let block = hook(&bot);
    let compiled = check_webhook(&bot, block, &block.form).compiled;
    sample_curl(&compiled, &endpoints(), env, shell, token_in)
}

#[test]
fn development_curl_is_prefilled_with_channel_and_account() {
    insta::assert_snapshot!(curl_for(
        good_form(),
        None,
        Environment::Development,
        Shell::Posix,
        TokenIn::Inline
    ));
}

#[test]
fn production_curl_has_no_aliases() {
    insta::assert_snapshot!(curl_for(
        good_form(),
        None,
        Environment::Production,
        Shell::Posix,
        TokenIn::Inline
    ));
}

#[test]
fn the_token_can_stay_out_of_the_command() {
    insta::assert_snapshot!(curl_for(
        good_form(),
        None,
        Environment::Production,
        Shell::Posix,
        TokenIn::EnvVar
    ));
}

#[test]
fn powershell_variant() {
    insta::assert_snapshot!(curl_for(
        good_form(),
        None,
        Environment::Development,
        Shell::Powershell,
        TokenIn::Inline
    ));
}

#[test]
fn values_come_from_the_stored_sample_and_awkward_text_is_quoted() {
    let form = WebhookForm {
        mappings: vec![
            map("data.name", "customer_name"),
            map("data.items[1].sku", "second_sku"),
            map(r#"data["note"]"#, "note"),
        ],
        ..good_form()
    };
    let payload = json!({"contact_reference_id": "+447400123456", "data": {"name": "O'Brien \"$HOME\" `id` \\ 100% ✓ שלום\nnext"}});
    insta::assert_snapshot!(curl_for(
        form,
        Some(payload),
        Environment::Development,
        Shell::Posix,
        TokenIn::Inline
    ));
}
