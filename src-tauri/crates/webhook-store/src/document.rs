//! The structural checks of a bot before it is stored: what the tables cannot hold.
//!
//! A draft may break every rule of [`webhook_block::check_bot`]; those are the designer's to fix
//! in the form, so an import keeps them. Only what would make two rows one (duplicate ids,
//! channels, aliases or variable names) is refused, each at its JSON pointer in the document.

use std::collections::HashSet;

use webhook_block::{Block, Bot, BotDocument};

use crate::error::ImportProblem;

/// Every structural problem of a document, at its JSON pointer.
pub fn import_problems(document: &BotDocument) -> Vec<ImportProblem> {
    structural_problems(&document.bot)
}

/// Each block with its JSON pointer (`/bot/flows/0/sequences/1/blocks/2/webhook`).
pub(crate) fn block_pointers(bot: &Bot) -> impl Iterator<Item = (String, &Block)> {
    bot.flows.iter().enumerate().flat_map(|(i, flow)| {
        flow.sequences.iter().enumerate().flat_map(move |(j, sequence)| {
            sequence.blocks.iter().enumerate().map(move |(k, block)| {
                let kind = match block {
                    Block::Webhook(_) => "webhook",
                    Block::Message(_) => "message",
                };
                (format!("/bot/flows/{i}/sequences/{j}/blocks/{k}/{kind}"), block)
            })
        })
    })
}

pub(crate) fn structural_problems(bot: &Bot) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    let mut twice = |pointer: String, message: String| problems.push(ImportProblem { pointer, message });
    let mut channels = HashSet::new();
    for (i, connection) in bot.channels.iter().enumerate() {
        if !channels.insert(connection.channel) {
            twice(
                format!("/bot/channels/{i}/channel"),
                format!(
                    "{} is listed twice; keep one entry per channel",
                    connection.channel.label()
                ),
            );
        }
        let mut aliases = HashSet::new();
        for (j, account) in connection.accounts.iter().enumerate() {
            if !aliases.insert(account.alias.as_str()) {
                twice(
                    format!("/bot/channels/{i}/accounts/{j}/alias"),
                    format!(
                        "the account alias {} is used twice on this channel; rename one",
                        account.alias
                    ),
                );
            }
        }
    }
    let mut variables = HashSet::new();
    for (i, variable) in bot.variables.iter().enumerate() {
        if !variables.insert(variable.name.as_str()) {
            twice(
                format!("/bot/variables/{i}/name"),
                format!("the variable {} is declared twice; remove one", variable.name),
            );
        }
    }
    let mut flows = HashSet::new();
    let mut sequences = HashSet::new();
    for (i, flow) in bot.flows.iter().enumerate() {
        if !flows.insert(flow.id.as_str()) {
            twice(
                format!("/bot/flows/{i}/id"),
                format!("two flows have the id {}; give one another id", flow.id),
            );
        }
        for (j, sequence) in flow.sequences.iter().enumerate() {
            if !sequences.insert(sequence.id.as_str()) {
                twice(
                    format!("/bot/flows/{i}/sequences/{j}/id"),
                    format!("two sequences have the id {}; give one another id", sequence.id),
                );
            }
        }
    }
    let mut blocks = HashSet::new();
    for (pointer, block) in block_pointers(bot) {
        if !blocks.insert(block.id().as_str()) {
            twice(
                format!("{pointer}/id"),
                format!(
                    "two blocks have the id {}; block ids are unique within a bot",
                    block.id()
                ),
            );
        }
    }
    problems
}
