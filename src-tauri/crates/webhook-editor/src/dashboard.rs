//! The dashboard: the bots as cards (with their channel status), and creating, renaming,
//! duplicating and deleting them.

use serde::Serialize;
use specta::Type;
use webhook_block::model::{Flow, Sequence};
use webhook_block::{Bot, ChannelKind, Id};
use webhook_store::{BotOverview, Store, UpdateSource};

use crate::{EditorError, Result};

/// The longest bot name, so that it fits a card and a title bar.
pub const MAX_NAME_CHARS: usize = 80;

/// A bot on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BotCard {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
    /// The same moment as the card says it, in this machine's time zone:
    /// `Dec 3, 2026, 12:52 PM` ([`crate::when::day_and_time`]).
    pub changed: String,
    /// The channels it is integrated with, connected or not.
    pub channels: Vec<ChannelBadge>,
    /// Whether at least one channel is connected (active, with an account).
    pub connected: bool,
    /// How many webhook blocks it has.
    pub webhook_blocks: u32,
    /// How many of them are submitted (their URL answers).
    pub submitted_blocks: u32,
}

/// One channel of a bot, as a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChannelBadge {
    /// Which channel.
    pub channel: ChannelKind,
    /// Its name.
    pub label: String,
    /// Active with at least one account.
    pub connected: bool,
}

/// Every bot, by name: one query, none of the bots loaded whole.
pub fn list(store: &Store) -> Result<Vec<BotCard>> {
    Ok(store.bot_overviews()?.into_iter().map(card).collect())
}

fn card(bot: BotOverview) -> BotCard {
    BotCard {
        id: bot.summary.id.to_string(),
        name: bot.summary.name,
        changed: crate::when::local_day_and_time(&bot.summary.updated_at),
        updated_at: bot.summary.updated_at,
        connected: bot.channels.iter().any(|c| c.connected),
        channels: bot
            .channels
            .iter()
            .map(|c| ChannelBadge {
                channel: c.channel,
                label: c.channel.label().to_owned(),
                connected: c.connected,
            })
            .collect(),
        webhook_blocks: bot.webhook_blocks,
        submitted_blocks: bot.submitted_blocks,
    }
}

/// Checks a bot name as typed: trimmed, not empty, at most [`MAX_NAME_CHARS`].
pub fn check_name(text: &str) -> Result<String> {
    let name = text.trim();
    if name.is_empty() {
        return Err(EditorError::invalid(
            "name",
            "Give the bot a name, like “Order alerts”.",
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(EditorError::invalid(
            "name",
            format!("The name has {chars} characters; keep it to {MAX_NAME_CHARS} so it fits its card."),
        ));
    }
    Ok(name.to_owned())
}

/// Creates a bot with one flow and an empty first sequence, ready for its first block.
pub fn create(store: &mut Store, name: &str) -> Result<Id> {
    let bot = Bot {
        id: Id::generate("bot"),
        name: check_name(name)?,
        channels: Vec::new(),
        variables: Vec::new(),
        flows: vec![Flow {
            id: Id::generate("flow"),
            name: "Main flow".to_owned(),
            sequences: vec![Sequence {
                id: Id::generate("seq"),
                name: "Start".to_owned(),
                blocks: Vec::new(),
            }],
        }],
    };
    store.save_bot(&bot, UpdateSource::Window)?;
    Ok(bot.id)
}

/// Renames a bot.
pub fn rename(store: &mut Store, bot: &str, name: &str) -> Result<()> {
    store.rename_bot(bot, &check_name(name)?, UpdateSource::Window)?;
    Ok(())
}

/// Copies a bot: new ids and tokens, drafts until submitted.
pub fn duplicate(store: &mut Store, bot: &str) -> Result<Id> {
    Ok(store.duplicate_bot(bot, UpdateSource::Window)?)
}

/// Deletes a bot and everything it owns. The window asks first.
pub fn delete(store: &mut Store, bot: &str) -> Result<()> {
    Ok(store.delete_bot(bot, UpdateSource::Window)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EditorErrorCode;

    #[test]
    fn a_card_says_when_its_bot_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        create(&mut store, "Order alerts").unwrap();
        let card = &list(&store).unwrap()[0];
        assert_eq!(card.changed, crate::when::local_day_and_time(&card.updated_at));
        // The store's moment was RFC 3339, so it was formatted: `Dec 3, 2026, 12:52 PM`.
        assert_ne!(card.changed, card.updated_at);
        assert!(card.changed.contains(", 20"), "{}", card.changed);
    }

    #[test]
    fn create_rename_duplicate_delete_and_the_cards_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let id = create(&mut store, "  Order alerts ").unwrap();
        let cards = list(&store).unwrap();
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].name, "Order alerts");
        assert!(!cards[0].connected);
        assert_eq!(store.load_bot(id.as_str()).unwrap().flows[0].sequences.len(), 1);

        rename(&mut store, id.as_str(), "Shop alerts").unwrap();
        let copy = duplicate(&mut store, id.as_str()).unwrap();
        let names: Vec<_> = list(&store).unwrap().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["Shop alerts", "Shop alerts (copy)"]);
        delete(&mut store, copy.as_str()).unwrap();
        assert_eq!(list(&store).unwrap().len(), 1);
    }

    /// The card as the whole bot says it should be: what the single query must agree with.
    fn card_of_whole_bot(bot: &Bot) -> (Vec<(ChannelKind, bool)>, bool, u32, u32) {
        let channels: Vec<_> = bot.channels.iter().map(|c| (c.channel, c.is_connected())).collect();
        let count = |f: &dyn Fn(&webhook_block::WebhookBlock) -> bool| {
            u32::try_from(bot.webhook_blocks().filter(|b| f(b)).count()).unwrap()
        };
        (
            channels,
            bot.connected_channels().next().is_some(),
            count(&|_| true),
            count(&|b| b.live_form().is_some()),
        )
    }

    #[test]
    fn each_card_agrees_with_its_whole_bot_channels_in_order_and_counts() {
        use webhook_block::model::{Account, BlockStatus, ChannelConnection};

        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let mut ids = Vec::new();
        for template in crate::templates::TemplateId::ALL {
            ids.push(crate::templates::create_bot(&mut store, template).unwrap());
        }
        // A bot with every case: a channel on but without accounts, one with an account but off,
        // one connected; a submitted block, an edited one and a draft.
        let mut mixed = store.load_bot(ids[0].as_str()).unwrap();
        mixed.channels = vec![
            ChannelConnection {
                channel: ChannelKind::Telegram,
                integration_active: true,
                accounts: Vec::new(),
            },
            ChannelConnection {
                channel: ChannelKind::Sms,
                integration_active: false,
                accounts: vec![Account {
                    alias: Id::parse("sms-line").unwrap(),
                    name: "SMS line".into(),
                    phone_number: Some("+14155550100".into()),
                }],
            },
            ChannelConnection {
                channel: ChannelKind::Livechat,
                integration_active: true,
                accounts: vec![Account {
                    alias: Id::parse("site").unwrap(),
                    name: "Site".into(),
                    phone_number: None,
                }],
            },
        ];
        let webhooks: Vec<String> = mixed.webhook_blocks().map(|b| b.id.to_string()).collect();
        assert!(!webhooks.is_empty());
        mixed.webhook_mut(&webhooks[0]).unwrap().status = BlockStatus::Submitted;
        store.save_bot(&mixed, UpdateSource::Window).unwrap();
        create(&mut store, "Empty").unwrap();

        let cards = list(&store).unwrap();
        assert_eq!(cards.len(), 4, "three templates, one of them changed, and an empty bot");
        for card in &cards {
            let bot = store.load_bot(&card.id).unwrap();
            let channels: Vec<_> = card.channels.iter().map(|c| (c.channel, c.connected)).collect();
            assert_eq!(
                (channels, card.connected, card.webhook_blocks, card.submitted_blocks),
                card_of_whole_bot(&bot),
                "{}",
                card.name
            );
        }
        let mixed = cards.iter().find(|c| c.id == ids[0].as_str()).unwrap();
        let badges: Vec<_> = mixed.channels.iter().map(|c| (c.label.as_str(), c.connected)).collect();
        assert_eq!(badges, [("Telegram", false), ("SMS", false), ("Livechat", true)]);
        assert!(mixed.connected);
        assert_eq!(mixed.submitted_blocks, 1);
    }

    #[test]
    fn bad_names_are_refused_with_the_reason_and_the_old_name_stays() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let id = create(&mut store, "Kept").unwrap();
        for bad in ["", "   ", &"x".repeat(81)] {
            let error = rename(&mut store, id.as_str(), bad).unwrap_err();
            assert_eq!(error.code, EditorErrorCode::InvalidInput);
            assert_eq!(error.field.as_deref(), Some("name"));
        }
        assert_eq!(list(&store).unwrap()[0].name, "Kept");
        assert!(create(&mut store, "").is_err());
        let gone = rename(&mut store, "bot-gone", "x").unwrap_err();
        assert_eq!(gone.code, EditorErrorCode::NotFound);
    }
}
