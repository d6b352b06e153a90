//! The Channels page of a bot: the six channels, their accounts, and the bot's integration on
//! each, turned on and off.

use serde::{Deserialize, Serialize};
use specta::Type;
use webhook_block::contact::normalise_phone;
use webhook_block::model::{Account, ChannelConnection};
use webhook_block::{Bot, ChannelKind, Id};
use webhook_store::{Store, UpdateSource};

use crate::{EditorError, Result, error::capitalise};

/// A bot's channels as the Channels page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChannelsView {
    /// The bot.
    pub bot_id: String,
    /// Its name.
    pub bot_name: String,
    /// Every channel, in the page's order, whether integrated or not.
    pub channels: Vec<ChannelRow>,
}

/// One channel of the bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChannelRow {
    /// Which channel.
    pub channel: ChannelKind,
    /// Its name.
    pub label: String,
    /// Whether the bot's integration is on.
    pub integration_active: bool,
    /// On, with at least one account: webhook blocks may use it.
    pub connected: bool,
    /// Its accounts.
    pub accounts: Vec<AccountView>,
    /// Whether its accounts and contacts are phone numbers (WhatsApp, SMS).
    pub uses_phone_numbers: bool,
}

/// One account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    /// Its alias (sent as `account` in requests).
    pub alias: String,
    /// Its name.
    pub name: String,
    /// Its own number, for phone channels.
    pub phone_number: Option<String>,
}

/// An account as typed in the "Connect an account" form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    /// Its name ("Support line").
    pub name: String,
    /// Its alias; made from the name when empty.
    pub alias: String,
    /// Its own number, required for WhatsApp and SMS.
    pub phone_number: String,
}

/// The bot's channels.
pub fn view(store: &Store, bot: &str) -> Result<ChannelsView> {
    let bot = store.load_bot(bot)?;
    Ok(view_of(&bot))
}

fn view_of(bot: &Bot) -> ChannelsView {
    let channels = ChannelKind::ALL
        .iter()
        .map(|&kind| {
            let connection = bot.channel(kind);
            ChannelRow {
                channel: kind,
                label: kind.label().to_owned(),
                integration_active: connection.is_some_and(|c| c.integration_active),
                connected: connection.is_some_and(ChannelConnection::is_connected),
                accounts: connection
                    .map(|c| {
                        c.accounts
                            .iter()
                            .map(|a| AccountView {
                                alias: a.alias.to_string(),
                                name: a.name.clone(),
                                phone_number: a.phone_number.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                uses_phone_numbers: kind.uses_phone_numbers(),
            }
        })
        .collect();
    ChannelsView {
        bot_id: bot.id.to_string(),
        bot_name: bot.name.clone(),
        channels,
    }
}

fn change(store: &mut Store, bot: &str, edit: impl FnOnce(&mut Bot) -> Result<()>) -> Result<ChannelsView> {
    let mut whole = store.load_bot(bot)?;
    edit(&mut whole)?;
    store.save_bot(&whole, UpdateSource::Window)?;
    Ok(view_of(&whole))
}

fn connection(bot: &mut Bot, kind: ChannelKind) -> &mut ChannelConnection {
    if let Some(at) = bot.channels.iter().position(|c| c.channel == kind) {
        &mut bot.channels[at]
    } else {
        bot.channels.push(ChannelConnection {
            channel: kind,
            integration_active: true,
            accounts: Vec::new(),
        });
        bot.channels.sort_by_key(|c| c.channel);
        let at = bot.channels.iter().position(|c| c.channel == kind).unwrap_or_default();
        &mut bot.channels[at]
    }
}

/// Connects an account to a channel (turning the bot's integration on when it is the channel's
/// first account).
pub fn connect_account(store: &mut Store, bot: &str, kind: ChannelKind, input: AccountInput) -> Result<ChannelsView> {
    change(store, bot, |whole| {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(EditorError::invalid(
                "name",
                "Give the account a name, like “Support line”.",
            ));
        }
        let alias_text = if input.alias.trim().is_empty() {
            alias_from(name)
        } else {
            input.alias.trim().to_owned()
        };
        let alias = Id::parse(&alias_text).map_err(|e| EditorError::invalid("alias", capitalise(&e.to_string())))?;
        let phone_number = if kind.uses_phone_numbers() {
            let number = normalise_phone(&input.phone_number, kind, None)
                .map_err(|e| EditorError::invalid("phoneNumber", capitalise(&e.to_string())))?;
            Some(number)
        } else {
            None
        };
        let connection = connection(whole, kind);
        if connection.accounts.iter().any(|a| a.alias == alias) {
            return Err(EditorError::invalid(
                "alias",
                format!(
                    "{} already has an account `{alias}`; choose another alias.",
                    kind.label()
                ),
            ));
        }
        if connection.accounts.is_empty() {
            connection.integration_active = true;
        }
        connection.accounts.push(Account {
            alias,
            name: name.to_owned(),
            phone_number,
        });
        Ok(())
    })
}

/// Disconnects one account. Webhook blocks that chose it show the problem by their Select
/// Account field.
pub fn remove_account(store: &mut Store, bot: &str, kind: ChannelKind, alias: &str) -> Result<ChannelsView> {
    change(store, bot, |whole| {
        let connection = connection(whole, kind);
        let before = connection.accounts.len();
        connection.accounts.retain(|a| a.alias.as_str() != alias);
        if connection.accounts.len() == before {
            return Err(EditorError::not_found(format!(
                "{} has no account `{alias}`; it may have been removed already.",
                kind.label()
            )));
        }
        Ok(())
    })
}

/// Turns the bot's integration on a channel on or off. Accounts are kept either way.
pub fn set_integration(store: &mut Store, bot: &str, kind: ChannelKind, active: bool) -> Result<ChannelsView> {
    change(store, bot, |whole| {
        connection(whole, kind).integration_active = active;
        Ok(())
    })
}

/// An alias made from an account name: lowercase letters and digits, words joined by `-`.
fn alias_from(name: &str) -> String {
    let mut alias = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            alias.push(c.to_ascii_lowercase());
        } else if !alias.is_empty() && !alias.ends_with('-') {
            alias.push('-');
        }
    }
    let alias = alias.trim_end_matches('-');
    let alias: String = alias.chars().take(64).collect();
    if alias.is_empty() { "account".to_owned() } else { alias }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bot() -> (tempfile::TempDir, Store, String) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let id = crate::dashboard::create(&mut store, "Shop").unwrap();
        (dir, store, id.to_string())
    }

    fn input(name: &str, alias: &str, phone: &str) -> AccountInput {
        AccountInput {
            name: name.into(),
            alias: alias.into(),
            phone_number: phone.into(),
        }
    }

    #[test]
    fn connect_an_account_then_turn_the_integration_off_and_on() {
        let (_dir, mut store, bot) = bot();
        let fresh = view(&store, &bot).unwrap();
        assert_eq!(fresh.channels.len(), 6);
        assert!(fresh.channels.iter().all(|c| !c.connected));

        let after = connect_account(
            &mut store,
            &bot,
            ChannelKind::Whatsapp,
            input("Support line", "", "+1 415-555-0123"),
        )
        .unwrap();
        let whatsapp = &after.channels[0];
        assert!(whatsapp.connected);
        assert_eq!(whatsapp.accounts[0].alias, "support-line");
        assert_eq!(whatsapp.accounts[0].phone_number.as_deref(), Some("+14155550123"));

        let off = set_integration(&mut store, &bot, ChannelKind::Whatsapp, false).unwrap();
        assert!(!off.channels[0].connected);
        assert_eq!(off.channels[0].accounts.len(), 1, "accounts are kept");
        let on = set_integration(&mut store, &bot, ChannelKind::Whatsapp, true).unwrap();
        assert!(on.channels[0].connected);
        let removed = remove_account(&mut store, &bot, ChannelKind::Whatsapp, "support-line").unwrap();
        assert!(!removed.channels[0].connected);
    }

    #[test]
    fn bad_accounts_say_which_field_and_change_nothing() {
        let (_dir, mut store, bot) = bot();
        let cases = [
            (ChannelKind::Whatsapp, input("", "", "+14155550123"), "name"),
            (ChannelKind::Whatsapp, input("Line", "", "415 555 0123"), "phoneNumber"),
            (ChannelKind::Sms, input("Line", "", "+1 000"), "phoneNumber"),
            (ChannelKind::Telegram, input("Team", "has space", ""), "alias"),
        ];
        for (kind, typed, field) in cases {
            let error = connect_account(&mut store, &bot, kind, typed).unwrap_err();
            assert_eq!(error.field.as_deref(), Some(field), "{}", error.message);
        }
        connect_account(&mut store, &bot, ChannelKind::Telegram, input("Team", "", "")).unwrap();
        let twice = connect_account(&mut store, &bot, ChannelKind::Telegram, input("Team", "", "")).unwrap_err();
        assert!(twice.message.contains("already has"), "{}", twice.message);
        assert_eq!(view(&store, &bot).unwrap().channels[2].accounts.len(), 1);
        assert!(view(&store, &bot).unwrap().channels[0].accounts.is_empty());
    }
}
