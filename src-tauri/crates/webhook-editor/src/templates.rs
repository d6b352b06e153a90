//! The templates a bot can start from: the three uses the FAQ names, each a working flow with
//! its channel, mappings and messages. They are the example bot documents in `assets/examples`
//! (checked and tested there), embedded in the binary.

use serde::{Deserialize, Serialize};
use specta::Type;
use webhook_block::{Bot, BotDocument, ChannelKind, Id};
use webhook_store::{Store, UpdateSource};

use crate::{EditorError, Result};

/// Which template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum TemplateId {
    /// Greet a contact when a sign-up form sends their details (WhatsApp).
    WelcomeOnSignUp,
    /// Alert the team when the shop records an order (Telegram).
    OrderReceivedAlert,
    /// Remind a contact of the cart they left (SMS).
    AbandonedCart,
}

/// A template as the dashboard offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateCard {
    /// Which template.
    pub id: TemplateId,
    /// Its name, also the new bot's name.
    pub name: String,
    /// What it does, in one sentence.
    pub description: String,
    /// The channel it works on.
    pub channel: String,
}

impl TemplateId {
    /// Every template, in the order the dashboard shows them.
    pub const ALL: [Self; 3] = [Self::WelcomeOnSignUp, Self::OrderReceivedAlert, Self::AbandonedCart];

    fn document(self) -> &'static str {
        match self {
            Self::WelcomeOnSignUp => include_str!("../../../../assets/examples/welcome-on-sign-up.bot.json"),
            Self::OrderReceivedAlert => include_str!("../../../../assets/examples/order-received-alert.bot.json"),
            Self::AbandonedCart => include_str!("../../../../assets/examples/abandoned-cart.bot.json"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::WelcomeOnSignUp => "Welcome on sign-up",
            Self::OrderReceivedAlert => "Order received alert",
            Self::AbandonedCart => "Abandoned cart",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Self::WelcomeOnSignUp => "Greet a contact on WhatsApp the moment your sign-up form sends their details.",
            Self::OrderReceivedAlert => "Tell your team on Telegram as soon as the shop records an order.",
            Self::AbandonedCart => "Remind a contact by SMS of the items still waiting in their cart.",
        }
    }

    /// The template's bot as shipped (its ids and tokens are the example's).
    pub fn bot(self) -> Bot {
        // The documents are checked by this crate's tests and by webhook-block's example tests;
        // a broken one is a build defect, not a runtime condition.
        BotDocument::from_json(self.document())
            .map(|doc| doc.bot)
            .unwrap_or_else(|error| panic!("the {:?} template is not a valid bot document: {error}", self))
    }

    fn channel(self) -> ChannelKind {
        self.bot()
            .channels
            .iter()
            .find(|c| c.is_connected())
            .map(|c| c.channel)
            .unwrap_or(ChannelKind::Whatsapp)
    }
}

/// The templates the dashboard offers.
pub fn list() -> Vec<TemplateCard> {
    TemplateId::ALL
        .iter()
        .map(|&id| TemplateCard {
            id,
            name: id.name().to_owned(),
            description: id.description().to_owned(),
            channel: id.channel().label().to_owned(),
        })
        .collect()
}

/// Creates a bot from a template: the template's flow, channel, variables and mappings, with new
/// ids and tokens; its webhook blocks are drafts until the designer submits them.
pub fn create_bot(store: &mut Store, template: TemplateId) -> Result<Id> {
    let mut bot = template.bot();
    bot.become_new(template.name())?;
    store.save_bot(&bot, UpdateSource::Window).map_err(EditorError::from)?;
    Ok(bot.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use webhook_block::model::BlockStatus;

    #[test]
    fn every_template_makes_a_new_bot_that_passes_every_rule_once_submitted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        for template in TemplateId::ALL {
            let first = create_bot(&mut store, template).unwrap();
            let second = create_bot(&mut store, template).unwrap();
            assert_ne!(first, second, "each bot from a template is its own");
            let bot = store.load_bot(first.as_str()).unwrap();
            assert_eq!(bot.name, template.name());
            let shipped = template.bot();
            let block = bot.webhook_blocks().next().expect("a webhook block");
            let original = shipped.webhook_blocks().next().unwrap();
            assert_ne!(block.id, original.id, "a new URL");
            assert_ne!(block.token, original.token, "a new token");
            assert_eq!(block.form, original.form, "the template's mappings");
            assert_eq!(block.status, BlockStatus::Draft);
            store
                .submit_webhook(first.as_str(), block.id.as_str(), UpdateSource::Window)
                .unwrap_or_else(|e| panic!("{template:?}: {e}"));
        }
        assert_eq!(store.list_bots().unwrap().len(), 6);
        assert_eq!(
            list().iter().map(|t| t.channel.as_str()).collect::<Vec<_>>(),
            ["WhatsApp", "Telegram", "SMS"]
        );
    }
}
