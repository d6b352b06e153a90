//! Integration tests of the webhook block's rules, through the crate's public API only.

mod curl;
mod document;
mod examples;
mod request;
mod validate;

use webhook_block::model::{Account, BlockStatus, ChannelConnection, Flow, Mapping, Sequence};
use webhook_block::{Block, Bot, ChannelKind, Id, WebhookBlock, WebhookForm, WebhookToken, WebhookType};

pub fn id(text: &str) -> Id {
    Id::parse(text).unwrap()
}

/// A token fixed for snapshots: 32 zero bytes would look like a bug, so a readable pattern.
pub fn fixed_token() -> WebhookToken {
    WebhookToken::parse("whs_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").unwrap()
}

/// A bot with WhatsApp connected (account `support-line`, a US number), Telegram connected,
/// and SMS present but switched off; one webhook block `hook` holding `form`.
pub fn bot_with(form: WebhookForm) -> Bot {
    let account = |alias: &str, phone: Option<&str>| Account {
        alias: id(alias),
        name: alias.to_owned(),
        phone_number: phone.map(str::to_owned),
    };
    let mut block = WebhookBlock::new(id("hook"), "Order webhook").unwrap();
    block.token = Some(fixed_token());
    block.form = form;
    Bot {
        id: id("bot"),
        name: "Shop".into(),
        channels: vec![
            ChannelConnection {
                channel: ChannelKind::Whatsapp,
                integration_active: true,
                accounts: vec![account("support-line", Some("+14155550100"))],
            },
            ChannelConnection {
                channel: ChannelKind::Telegram,
                integration_active: true,
                accounts: vec![account("orders-bot", None)],
            },
            ChannelConnection {
                channel: ChannelKind::Sms,
                integration_active: false,
                accounts: vec![account("promo", Some("+14155550101"))],
            },
        ],
        variables: vec![],
        flows: vec![Flow {
            id: id("flow"),
            name: "Flow".into(),
            sequences: vec![Sequence {
                id: id("seq"),
                name: "Seq".into(),
                blocks: vec![Block::Webhook(Box::new(block))],
            }],
        }],
    }
}

/// A valid Conversational form on WhatsApp.
pub fn good_form() -> WebhookForm {
    WebhookForm {
        webhook_type: WebhookType::Conversational,
        channel: Some(ChannelKind::Whatsapp),
        account: Some("support-line".into()),
        mappings: vec![map("data.name", "customer_name"), map("data.order_id", "order_id")],
        contact_reference_id: "{sys_contact_reference_id}".into(),
    }
}

pub fn map(data: &str, variable: &str) -> Mapping {
    Mapping {
        data: data.into(),
        set_variable: variable.into(),
        optional: false,
    }
}

pub fn hook(bot: &Bot) -> &WebhookBlock {
    bot.webhook("hook").unwrap()
}

pub fn status(bot: &Bot) -> BlockStatus {
    hook(bot).status
}
