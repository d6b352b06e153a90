//! The bot builder's canvas: the bot's flows, sequences and block cards, and the edits that
//! change its shape (add, remove, move and rename blocks and sequences; message text).

use serde::{Deserialize, Serialize};
use specta::Type;
use webhook_block::model::{BlockStatus, Flow, MessageBlock, Sequence};
use webhook_block::validate::{check_message, check_webhook};
use webhook_block::{Block, Bot, ChannelKind, Id, WebhookBlock};
use webhook_store::{Store, UpdateSource};

use crate::panel::{FieldProblem, problems_view};
use crate::{EditorError, Result};

/// The longest block or sequence name, so that it fits a card.
pub const MAX_NAME_CHARS: usize = 60;

/// A bot as the builder shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BotView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether at least one channel is connected.
    pub connected: bool,
    /// Its flows.
    pub flows: Vec<FlowView>,
}

/// A flow on the canvas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FlowView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its sequences, left to right.
    pub sequences: Vec<SequenceView>,
}

/// A sequence: a lane of blocks that run one after another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SequenceView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its blocks, top to bottom.
    pub blocks: Vec<BlockCard>,
}

/// What kind of block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Receives data from an outside service.
    Webhook,
    /// Sends a message to the contact.
    Message,
}

/// A block's card on the canvas: enough to see its state at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BlockCard {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What kind.
    pub kind: BlockKind,
    /// Webhook blocks: draft, submitted, or edited since submitted. None for other blocks.
    pub status: Option<BlockStatus>,
    /// How many problems its draft has (0: it may be submitted).
    pub problems: u32,
    /// One line about what it does ("WhatsApp · 3 variables", the message's text).
    pub summary: String,
}

/// A block just added, and the canvas after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    /// The new block's (or sequence's) id.
    pub id: String,
    /// The canvas.
    pub bot: BotView,
}

/// A message block's side panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MessagePanel {
    /// The bot.
    pub bot_id: String,
    /// The block.
    pub block_id: String,
    /// Its name.
    pub name: String,
    /// The text sent.
    pub text: String,
    /// Variables the text may use, each with the placeholder that inserts it.
    pub variables: Vec<VariableChip>,
    /// Every problem, by field.
    pub problems: Vec<FieldProblem>,
}

/// A variable a message may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VariableChip {
    /// Its name.
    pub name: String,
    /// What the text gets to use it: `{name}`.
    pub placeholder: String,
}

/// The bot's canvas.
pub fn view(store: &Store, bot: &str) -> Result<BotView> {
    Ok(view_of(&store.load_bot(bot)?))
}

pub(crate) fn view_of(bot: &Bot) -> BotView {
    BotView {
        id: bot.id.to_string(),
        name: bot.name.clone(),
        connected: bot.connected_channels().next().is_some(),
        flows: bot
            .flows
            .iter()
            .map(|flow| FlowView {
                id: flow.id.to_string(),
                name: flow.name.clone(),
                sequences: flow
                    .sequences
                    .iter()
                    .map(|sequence| SequenceView {
                        id: sequence.id.to_string(),
                        name: sequence.name.clone(),
                        blocks: sequence.blocks.iter().map(|block| card(bot, block)).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn card(bot: &Bot, block: &Block) -> BlockCard {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    match block {
        Block::Webhook(w) => {
            let problems = check_webhook(bot, w, &w.form).problems.len();
            let channel = w.form.channel.map_or("No channel", ChannelKind::label);
            let mapped = w.form.mappings.len();
            let variables = if mapped == 1 { "variable" } else { "variables" };
            BlockCard {
                id: w.id.to_string(),
                name: w.name.clone(),
                kind: BlockKind::Webhook,
                status: Some(w.status),
                problems: count(problems),
                summary: format!("{channel} · {mapped} {variables}"),
            }
        }
        Block::Message(m) => BlockCard {
            id: m.id.to_string(),
            name: m.name.clone(),
            kind: BlockKind::Message,
            status: None,
            problems: count(check_message(bot, m).len()),
            summary: summary_of(&m.text),
        },
    }
}

fn summary_of(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("No text yet")
        .trim();
    if line.chars().count() > 60 {
        let cut: String = line.chars().take(59).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

fn check_name(text: &str, what: &str) -> Result<String> {
    let name = text.trim();
    if name.is_empty() {
        return Err(EditorError::invalid(
            "name",
            format!("Give the {what} a name you will recognise on the canvas."),
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

fn change<T>(store: &mut Store, bot: &str, edit: impl FnOnce(&mut Bot) -> Result<T>) -> Result<(T, BotView)> {
    let mut whole = store.load_bot(bot)?;
    let out = edit(&mut whole)?;
    store.save_bot(&whole, UpdateSource::Window)?;
    Ok((out, view_of(&whole)))
}

fn sequence_mut<'b>(bot: &'b mut Bot, sequence: &str) -> Result<&'b mut Sequence> {
    bot.flows
        .iter_mut()
        .flat_map(|f| &mut f.sequences)
        .find(|s| s.id.as_str() == sequence)
        .ok_or_else(|| {
            EditorError::not_found(format!(
                "This bot has no sequence {sequence}; it may have been removed."
            ))
        })
}

/// Removes the block from wherever it is; returns it.
fn take_block(bot: &mut Bot, block: &str) -> Result<Block> {
    for sequence in bot.flows.iter_mut().flat_map(|f| &mut f.sequences) {
        if let Some(at) = sequence.blocks.iter().position(|b| b.id().as_str() == block) {
            return Ok(sequence.blocks.remove(at));
        }
    }
    Err(EditorError::not_found(format!(
        "This bot has no block {block}; it may have been removed."
    )))
}

fn block_mut<'b>(bot: &'b mut Bot, block: &str) -> Result<&'b mut Block> {
    bot.flows
        .iter_mut()
        .flat_map(|f| &mut f.sequences)
        .flat_map(|s| &mut s.blocks)
        .find(|b| b.id().as_str() == block)
        .ok_or_else(|| EditorError::not_found(format!("This bot has no block {block}; it may have been removed.")))
}

/// Adds a block of `kind` at the end of `sequence`.
pub fn add_block(store: &mut Store, bot: &str, sequence: &str, kind: BlockKind) -> Result<Added> {
    let (id, bot) = change(store, bot, |whole| {
        let block = match kind {
            BlockKind::Webhook => Block::Webhook(Box::new(WebhookBlock::new(Id::generate("wh"), "Webhook")?)),
            BlockKind::Message => Block::Message(MessageBlock {
                id: Id::generate("msg"),
                name: "Message".to_owned(),
                text: String::new(),
            }),
        };
        let id = block.id().to_string();
        sequence_mut(whole, sequence)?.blocks.push(block);
        Ok(id)
    })?;
    Ok(Added { id, bot })
}

/// Adds an empty sequence at the end of the bot's first flow (creating the flow if it has none).
pub fn add_sequence(store: &mut Store, bot: &str, name: &str) -> Result<Added> {
    let name = check_name(name, "sequence")?;
    let (id, bot) = change(store, bot, |whole| {
        if whole.flows.is_empty() {
            whole.flows.push(Flow {
                id: Id::generate("flow"),
                name: "Main flow".to_owned(),
                sequences: Vec::new(),
            });
        }
        let id = Id::generate("seq");
        whole.flows[0].sequences.push(Sequence {
            id: id.clone(),
            name,
            blocks: Vec::new(),
        });
        Ok(id.to_string())
    })?;
    Ok(Added { id, bot })
}

/// Removes a block (its captured requests and undo history go with it).
pub fn remove_block(store: &mut Store, bot: &str, block: &str) -> Result<BotView> {
    Ok(change(store, bot, |whole| take_block(whole, block).map(drop))?.1)
}

/// Moves a block to position `index` of `sequence` (clamped to its length).
pub fn move_block(store: &mut Store, bot: &str, block: &str, sequence: &str, index: u32) -> Result<BotView> {
    Ok(change(store, bot, |whole| {
        sequence_mut(whole, sequence)?;
        let moving = take_block(whole, block)?;
        let target = sequence_mut(whole, sequence)?;
        let at = usize::try_from(index).unwrap_or(usize::MAX).min(target.blocks.len());
        target.blocks.insert(at, moving);
        Ok(())
    })?
    .1)
}

/// Renames a block.
pub fn rename_block(store: &mut Store, bot: &str, block: &str, name: &str) -> Result<BotView> {
    let name = check_name(name, "block")?;
    Ok(change(store, bot, |whole| {
        match block_mut(whole, block)? {
            Block::Webhook(w) => w.name = name,
            Block::Message(m) => m.name = name,
        }
        Ok(())
    })?
    .1)
}

/// Renames a sequence.
pub fn rename_sequence(store: &mut Store, bot: &str, sequence: &str, name: &str) -> Result<BotView> {
    let name = check_name(name, "sequence")?;
    Ok(change(store, bot, |whole| {
        sequence_mut(whole, sequence)?.name = name;
        Ok(())
    })?
    .1)
}

/// A message block's panel.
pub fn message_panel(store: &Store, bot: &str, block: &str) -> Result<MessagePanel> {
    let whole = store.load_bot(bot)?;
    message_panel_of(&whole, block)
}

fn message_panel_of(bot: &Bot, block: &str) -> Result<MessagePanel> {
    let message = bot
        .blocks()
        .find_map(|b| match b {
            Block::Message(m) if m.id.as_str() == block => Some(m),
            _ => None,
        })
        .ok_or_else(|| EditorError::not_found(format!("This bot has no message block {block}.")))?;
    let mut variables: Vec<String> = webhook_block::variable::BUILT_IN_VARIABLES
        .iter()
        .map(|v| (*v).to_owned())
        .chain(bot.variables.iter().map(|v| v.name.to_string()))
        .chain(
            bot.webhook_blocks()
                .flat_map(|w| &w.form.mappings)
                .map(|m| m.set_variable.trim().to_owned())
                .filter(|v| webhook_block::variable::VariableName::parse(v).is_ok()),
        )
        .collect();
    variables.sort();
    variables.dedup();
    Ok(MessagePanel {
        bot_id: bot.id.to_string(),
        block_id: message.id.to_string(),
        name: message.name.clone(),
        text: message.text.clone(),
        variables: variables
            .into_iter()
            .map(|name| VariableChip {
                placeholder: webhook_block::validate::placeholder(&name),
                name,
            })
            .collect(),
        problems: problems_view(check_message(bot, message)),
    })
}

/// Saves a message block's text (autosave, like the webhook form).
pub fn edit_message(store: &mut Store, bot: &str, block: &str, text: &str) -> Result<MessagePanel> {
    let mut whole = store.load_bot(bot)?;
    match block_mut(&mut whole, block)? {
        Block::Message(m) => text.clone_into(&mut m.text),
        Block::Webhook(_) => {
            return Err(EditorError::not_found(format!(
                "{block} is a webhook block, not a message."
            )));
        }
    }
    store.save_bot(&whole, UpdateSource::Window)?;
    message_panel_of(&whole, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bot() -> (tempfile::TempDir, Store, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let id = crate::dashboard::create(&mut store, "Shop").unwrap().to_string();
        let sequence = view(&store, &id).unwrap().flows[0].sequences[0].id.clone();
        (dir, store, id, sequence)
    }

    #[test]
    fn add_move_rename_and_remove_blocks() {
        let (_dir, mut store, bot, start) = bot();
        let webhook = add_block(&mut store, &bot, &start, BlockKind::Webhook).unwrap();
        let message = add_block(&mut store, &bot, &start, BlockKind::Message).unwrap();
        let cards = &message.bot.flows[0].sequences[0].blocks;
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].status, Some(BlockStatus::Draft));
        assert!(cards[0].problems > 0, "an empty webhook form has problems to fix");
        assert_eq!(cards[0].summary, "No channel · 0 variables");
        assert_eq!(cards[1].summary, "No text yet");

        let later = add_sequence(&mut store, &bot, "Later").unwrap();
        let moved = move_block(&mut store, &bot, &message.id, &later.id, 0).unwrap();
        assert_eq!(moved.flows[0].sequences[1].blocks[0].id, message.id);
        let renamed = rename_block(&mut store, &bot, &webhook.id, "Shop order").unwrap();
        assert_eq!(renamed.flows[0].sequences[0].blocks[0].name, "Shop order");
        let panel = edit_message(&mut store, &bot, &message.id, "Hi {first_name}").unwrap();
        assert_eq!(panel.problems.len(), 1, "{:?}", panel.problems);
        assert!(panel.problems[0].message.contains("first_name"));
        let chip = panel
            .variables
            .iter()
            .find(|v| v.name == "sys_contact_reference_id")
            .expect("built-in variables are offered");
        assert_eq!(chip.placeholder, "{sys_contact_reference_id}");
        let used = edit_message(&mut store, &bot, &message.id, &format!("Hi {}", chip.placeholder)).unwrap();
        assert!(
            used.problems.is_empty(),
            "the chip's placeholder is one the text may use: {:?}",
            used.problems
        );
        let gone = remove_block(&mut store, &bot, &webhook.id).unwrap();
        assert!(gone.flows[0].sequences[0].blocks.is_empty());
        assert_eq!(
            view(&store, &bot).unwrap(),
            gone,
            "the store holds what the canvas shows"
        );
    }

    #[test]
    fn bad_names_and_missing_blocks_are_refused_and_nothing_changes() {
        let (_dir, mut store, bot, start) = bot();
        let webhook = add_block(&mut store, &bot, &start, BlockKind::Webhook).unwrap();
        let before = view(&store, &bot).unwrap();
        assert_eq!(
            rename_block(&mut store, &bot, &webhook.id, " ")
                .unwrap_err()
                .field
                .as_deref(),
            Some("name")
        );
        assert!(rename_block(&mut store, &bot, &webhook.id, &"x".repeat(61)).is_err());
        assert!(move_block(&mut store, &bot, "wh-nope", &start, 0).is_err());
        assert!(move_block(&mut store, &bot, &webhook.id, "seq-nope", 0).is_err());
        assert!(add_block(&mut store, &bot, "seq-nope", BlockKind::Message).is_err());
        assert_eq!(view(&store, &bot).unwrap(), before);
    }
}
