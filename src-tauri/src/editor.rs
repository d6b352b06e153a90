//! The builder's commands: dashboard, canvas, webhook and message panels, channels, settings.
//! Each one hands its arguments to `webhook_editor` with the open store and returns its view;
//! nothing is decided here.

use std::time::Duration;

use serde::Serialize;
use specta::Type;
use tauri::State;
use webhook_block::{ChannelKind, WebhookForm};
use webhook_editor::canvas::{Added, BlockKind, BotView, MessagePanel};
use webhook_editor::channels::{AccountInput, ChannelsView};
use webhook_editor::dashboard::BotCard;
use webhook_editor::panel::{CopyTarget, SubmitOutcome, WebhookPanel};
use webhook_editor::settings::{SettingChange, SettingsView};
use webhook_editor::templates::{TemplateCard, TemplateId};
use webhook_editor::{EditorError, EditorErrorCode, canvas, channels, dashboard, panel, settings, templates};

use crate::StoreState;
use crate::clipboard::{Clipboard, CopyKind};
use crate::live::Listener;

type Answer<T> = Result<T, EditorError>;

/// The bots, as dashboard cards.
#[tauri::command]
#[specta::specta]
pub fn list_bots(store: State<'_, StoreState>) -> Answer<Vec<BotCard>> {
    store.editor(|s| dashboard::list(s))
}

/// The templates a bot can start from.
#[tauri::command]
#[specta::specta]
pub fn list_templates() -> Vec<TemplateCard> {
    templates::list()
}

/// Creates a bot with an empty first sequence; returns its id.
#[tauri::command]
#[specta::specta]
pub fn create_bot(store: State<'_, StoreState>, name: String) -> Answer<String> {
    store.editor(|s| dashboard::create(s, &name).map(|id| id.to_string()))
}

/// Creates a bot from a template; returns its id.
#[tauri::command]
#[specta::specta]
pub fn create_bot_from_template(store: State<'_, StoreState>, template: TemplateId) -> Answer<String> {
    store.editor(|s| templates::create_bot(s, template).map(|id| id.to_string()))
}

/// Renames a bot.
#[tauri::command]
#[specta::specta]
pub fn rename_bot(store: State<'_, StoreState>, bot: String, name: String) -> Answer<()> {
    store.editor(|s| dashboard::rename(s, &bot, &name))
}

/// Copies a bot (new ids and tokens); returns the copy's id.
#[tauri::command]
#[specta::specta]
pub fn duplicate_bot(store: State<'_, StoreState>, bot: String) -> Answer<String> {
    store.editor(|s| dashboard::duplicate(s, &bot).map(|id| id.to_string()))
}

/// Deletes a bot and everything it owns.
#[tauri::command]
#[specta::specta]
pub fn delete_bot(store: State<'_, StoreState>, bot: String) -> Answer<()> {
    store.editor(|s| dashboard::delete(s, &bot))
}

/// The bot's canvas.
#[tauri::command]
#[specta::specta]
pub fn open_bot(store: State<'_, StoreState>, bot: String) -> Answer<BotView> {
    store.editor(|s| canvas::view(s, &bot))
}

/// Adds a block at the end of a sequence.
#[tauri::command]
#[specta::specta]
pub fn add_block(store: State<'_, StoreState>, bot: String, sequence: String, kind: BlockKind) -> Answer<Added> {
    store.editor(|s| canvas::add_block(s, &bot, &sequence, kind))
}

/// Adds an empty sequence.
#[tauri::command]
#[specta::specta]
pub fn add_sequence(store: State<'_, StoreState>, bot: String, name: String) -> Answer<Added> {
    store.editor(|s| canvas::add_sequence(s, &bot, &name))
}

/// Removes a block.
#[tauri::command]
#[specta::specta]
pub fn remove_block(store: State<'_, StoreState>, bot: String, block: String) -> Answer<BotView> {
    store.editor(|s| canvas::remove_block(s, &bot, &block))
}

/// Moves a block to a position in a sequence.
#[tauri::command]
#[specta::specta]
pub fn move_block(
    store: State<'_, StoreState>,
    bot: String,
    block: String,
    sequence: String,
    index: u32,
) -> Answer<BotView> {
    store.editor(|s| canvas::move_block(s, &bot, &block, &sequence, index))
}

/// Renames a block.
#[tauri::command]
#[specta::specta]
pub fn rename_block(store: State<'_, StoreState>, bot: String, block: String, name: String) -> Answer<BotView> {
    store.editor(|s| canvas::rename_block(s, &bot, &block, &name))
}

/// Renames a sequence.
#[tauri::command]
#[specta::specta]
pub fn rename_sequence(store: State<'_, StoreState>, bot: String, sequence: String, name: String) -> Answer<BotView> {
    store.editor(|s| canvas::rename_sequence(s, &bot, &sequence, &name))
}

/// A message block's panel.
#[tauri::command]
#[specta::specta]
pub fn message_panel(store: State<'_, StoreState>, bot: String, block: String) -> Answer<MessagePanel> {
    store.editor(|s| canvas::message_panel(s, &bot, &block))
}

/// Autosaves a message block's text.
#[tauri::command]
#[specta::specta]
pub fn edit_message(store: State<'_, StoreState>, bot: String, block: String, text: String) -> Answer<MessagePanel> {
    store.editor(|s| canvas::edit_message(s, &bot, &block, &text))
}

/// A webhook block's panel.
#[tauri::command]
#[specta::specta]
pub fn webhook_panel(store: State<'_, StoreState>, bot: String, block: String) -> Answer<WebhookPanel> {
    store.editor(|s| panel::view(s, &bot, &block))
}

/// Autosaves a webhook block's form as typed, based on `base` (the form the panel last sent to be
/// saved, or loaded); returns the panel after it. A block a teammate changed since is not
/// overwritten: the error's code is `changed_elsewhere` and the edit waits in Sync conflicts.
#[tauri::command]
#[specta::specta]
pub fn edit_webhook_form(
    store: State<'_, StoreState>,
    bot: String,
    block: String,
    base: WebhookForm,
    form: WebhookForm,
) -> Answer<WebhookPanel> {
    store.editor(|s| panel::edit(s, &bot, &block, &base, form))
}

/// Chooses the webhook form's channel (none clears it); the account stays only if the channel has
/// it.
#[tauri::command]
#[specta::specta]
pub fn choose_webhook_channel(
    store: State<'_, StoreState>,
    bot: String,
    block: String,
    channel: Option<ChannelKind>,
) -> Answer<WebhookPanel> {
    store.editor(|s| panel::choose_channel(s, &bot, &block, channel))
}

/// Undoes the block's last edit.
#[tauri::command]
#[specta::specta]
pub fn undo_webhook_edit(store: State<'_, StoreState>, bot: String, block: String) -> Answer<WebhookPanel> {
    store.editor(|s| panel::undo(s, &bot, &block))
}

/// Redoes the block's last undone edit.
#[tauri::command]
#[specta::specta]
pub fn redo_webhook_edit(store: State<'_, StoreState>, bot: String, block: String) -> Answer<WebhookPanel> {
    store.editor(|s| panel::redo(s, &bot, &block))
}

/// Adds a Save in variables row for a path picked in the sample body.
#[tauri::command]
#[specta::specta]
pub fn add_mapping_for_path(
    store: State<'_, StoreState>,
    bot: String,
    block: String,
    path: String,
) -> Answer<WebhookPanel> {
    store.editor(|s| panel::add_mapping_for(s, &bot, &block, &path))
}

/// Issues a new token; the old one stops working at once.
#[tauri::command]
#[specta::specta]
pub fn rotate_token(
    store: State<'_, StoreState>,
    listener: State<'_, Listener>,
    bot: String,
    block: String,
) -> Answer<WebhookPanel> {
    let panel = store.editor(|s| panel::rotate_token(s, &bot, &block))?;
    serve_latest(&listener, &store, &bot);
    Ok(panel)
}

/// The token itself, for the reveal toggle.
#[tauri::command]
#[specta::specta]
pub fn reveal_token(store: State<'_, StoreState>, bot: String, block: String) -> Answer<String> {
    store.editor(|s| panel::copy_text(s, &bot, &block, panel::CopyTarget::Token).map(|copy| copy.text))
}

/// Submits a webhook block.
#[tauri::command]
#[specta::specta]
pub fn submit_webhook(
    store: State<'_, StoreState>,
    listener: State<'_, Listener>,
    bot: String,
    block: String,
) -> Answer<SubmitOutcome> {
    let outcome = store.editor(|s| panel::submit(s, &bot, &block))?;
    if outcome.accepted {
        serve_latest(&listener, &store, &bot);
    }
    Ok(outcome)
}

/// After a submit or a new token, the development receiver (when it listens for this bot) serves
/// the new version from the next request on.
fn serve_latest(listener: &Listener, store: &StoreState, bot: &str) {
    if let Err(problem) = listener.refresh(store, bot) {
        eprintln!(
            "webhook-studio-app: the test listener still serves the previous version: {}",
            problem.message
        );
    }
}

/// The bot's channels.
#[tauri::command]
#[specta::specta]
pub fn bot_channels(store: State<'_, StoreState>, bot: String) -> Answer<ChannelsView> {
    store.editor(|s| channels::view(s, &bot))
}

/// Connects an account to a channel.
#[tauri::command]
#[specta::specta]
pub fn connect_account(
    store: State<'_, StoreState>,
    bot: String,
    channel: ChannelKind,
    account: AccountInput,
) -> Answer<ChannelsView> {
    store.editor(|s| channels::connect_account(s, &bot, channel, account))
}

/// Disconnects an account.
#[tauri::command]
#[specta::specta]
pub fn remove_account(
    store: State<'_, StoreState>,
    bot: String,
    channel: ChannelKind,
    alias: String,
) -> Answer<ChannelsView> {
    store.editor(|s| channels::remove_account(s, &bot, channel, &alias))
}

/// Turns the bot's integration on a channel on or off.
#[tauri::command]
#[specta::specta]
pub fn set_integration(
    store: State<'_, StoreState>,
    bot: String,
    channel: ChannelKind,
    active: bool,
) -> Answer<ChannelsView> {
    store.editor(|s| channels::set_integration(s, &bot, channel, active))
}

/// The settings.
#[tauri::command]
#[specta::specta]
pub fn read_settings(store: State<'_, StoreState>) -> Answer<SettingsView> {
    store.editor(|s| settings::read(s))
}

/// Checks and saves one setting.
#[tauri::command]
#[specta::specta]
pub fn change_setting(store: State<'_, StoreState>, change: SettingChange) -> Answer<SettingsView> {
    store.editor(|s| settings::change(s, change))
}

/// What a copy did: the toast to show (never a whole token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CopyReceipt {
    /// What was copied, in one sentence.
    pub toast: String,
}

/// Copies a block's URL, token or sample cURL to the system clipboard. A token (and a cURL that
/// holds one) is kept out of clipboard history and cleared after the delay in Settings.
/// Asynchronous, so that a slow clipboard owner never blocks the window.
#[tauri::command]
#[specta::specta]
pub async fn copy_to_clipboard(
    store: State<'_, StoreState>,
    clipboard: State<'_, Clipboard>,
    bot: String,
    block: String,
    target: CopyTarget,
) -> Answer<CopyReceipt> {
    let copy = store.editor(|s| panel::copy_text(s, &bot, &block, target))?;
    let kind = if copy.secret { CopyKind::Secret } else { CopyKind::Plain };
    let clear_after = (copy.clear_after_seconds > 0).then(|| Duration::from_secs(copy.clear_after_seconds.into()));
    clipboard
        .copy(&copy.text, kind, clear_after)
        .map_err(|error| EditorError {
            code: EditorErrorCode::Clipboard,
            message: error.to_string(),
            field: None,
        })?;
    Ok(CopyReceipt { toast: copy.toast })
}
