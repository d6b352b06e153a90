//! The webhook block's rules: a draft goes in, a [`CompiledWebhook`] and every problem come out.
//!
//! Validation never stops at the first problem: a designer sees all of them at once, each tied to
//! its field, in words that say what is wrong and how to fix it. The compiled block holds what
//! could be understood even when there are problems, so a draft still gets a URL and a sample
//! cURL; [`Checked::into_valid`] is the gate that submission and the receiver go through.
//!
//! ## What each type requires
//! Every webhook needs the bot to have a connected channel (an active integration with at least
//! one account): the FAQ's rule, because a webhook may need to act on a channel.
//! - **Conversational**: the data drives a reply, so it needs the channel, the account and the
//!   Contact Reference ID the reply goes to.
//! - **Workflow**: automation with no immediate reply (tagging, updating a CRM, scheduling), so
//!   channel, account and contact are optional: nobody is being answered. When given they are
//!   checked by the same rules, so a later step of the workflow can rely on them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::contact::{ContactError, ContactReference};
use crate::model::{Block, Bot, ChannelKind, Id, MessageBlock, WebhookBlock, WebhookForm, WebhookType};
use crate::path::{DataPath, PathError};
use crate::token::WebhookToken;
use crate::variable::{SYS_CONTACT_REFERENCE_ID, VariableName, VariableNameError};

/// The form field (or bot part) a problem belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The block's name.
    Name,
    /// The Authorization Token.
    Token,
    /// Select Webhook Type.
    Type,
    /// Select Channel.
    Channel,
    /// Select Account.
    Account,
    /// The Data of mapping row `n` (0-based).
    MappingData(usize),
    /// The Set Variable of mapping row `n` (0-based).
    MappingVariable(usize),
    /// Contact Reference ID.
    ContactReferenceId,
    /// A message block's text.
    Text,
    /// The block's submission state.
    Status,
    /// A part of the bot outside any block, as a path (`variables[2].name`).
    Bot(String),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name => f.write_str("name"),
            Self::Token => f.write_str("token"),
            Self::Type => f.write_str("type"),
            Self::Channel => f.write_str("channel"),
            Self::Account => f.write_str("account"),
            Self::MappingData(i) => write!(f, "mappings[{i}].data"),
            Self::MappingVariable(i) => write!(f, "mappings[{i}].set_variable"),
            Self::ContactReferenceId => f.write_str("contact_reference_id"),
            Self::Text => f.write_str("text"),
            Self::Status => f.write_str("status"),
            Self::Bot(path) => f.write_str(path),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What kind of problem it is; the UI branches on this, never on the message.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// A required field is empty.
    Required,
    /// The bot has no connected channel: the block links to the Channels page.
    NoConnectedChannel,
    /// The chosen channel is not active on this bot.
    ChannelNotActive,
    /// The account is not one of the channel's.
    UnknownAccount,
    /// An account was chosen without a channel.
    AccountWithoutChannel,
    /// A mapping row is blank.
    EmptyRow,
    /// Data is not a valid path.
    InvalidPath,
    /// Data can pick several values.
    PathNotSingular,
    /// Two rows read the same part of the body as different kinds of value.
    ConflictingPaths,
    /// Set Variable breaks the naming rule.
    InvalidVariableName,
    /// Set Variable names a built-in variable.
    ReservedVariable,
    /// Two rows set the same variable.
    DuplicateVariable,
    /// A `{variable}` that the bot does not have.
    UnknownVariable,
    /// A phone number without its country code.
    MissingCountryCode,
    /// A phone number that cannot exist.
    InvalidPhoneNumber,
    /// A contact reference of the wrong shape.
    InvalidContact,
    /// The block has no token.
    MissingToken,
    /// The same id is used twice.
    DuplicateId,
    /// `status` and `live` disagree.
    InconsistentStatus,
}

/// One broken rule, tied to its field, in a designer's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The block it belongs to; `None` for the bot itself.
    pub block: Option<Id>,
    /// The field it belongs to.
    pub field: Field,
    /// What kind of problem.
    pub code: ProblemCode,
    /// What is wrong and how to fix it.
    pub message: String,
    /// A corrected value to offer, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl fmt::Display for Problem {
    /// `block/field: message`, the CLI's format.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.block {
            Some(id) => write!(f, "{id}/{}: {}", self.field, self.message),
            None => write!(f, "bot/{}: {}", self.field, self.message),
        }
    }
}

/// A mapping row that could be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledMapping {
    /// The row's position in the form (0-based).
    pub row: usize,
    /// Where the value is read from.
    pub path: DataPath,
    /// Which variable receives it.
    pub variable: VariableName,
    /// Whether a request may lack it.
    pub optional: bool,
}

/// A webhook block as far as it could be understood: what the receiver, the sample builder and
/// the cURL generator work from.
#[derive(Debug, Clone)]
pub struct CompiledWebhook {
    /// The block's id.
    pub block: Id,
    /// The block's token, if it has one.
    pub token: Option<WebhookToken>,
    /// Conversational or Workflow.
    pub webhook_type: WebhookType,
    /// The channel, when chosen and active on the bot.
    pub channel: Option<ChannelKind>,
    /// The account alias, when it belongs to the channel.
    pub account: Option<Id>,
    /// The rows that could be understood, in form order.
    pub mappings: Vec<CompiledMapping>,
    /// Who the bot reaches, when given and well-formed.
    pub contact: Option<ContactReference>,
    /// The block's stored sample payload.
    pub sample_payload: Option<Value>,
    /// Reads the mapped paths (and the request's own fields) from a body in one pass.
    pub(crate) scanner: crate::scan::Scanner,
}

/// The result of checking a form: what was understood, and every problem.
#[derive(Debug, Clone)]
pub struct Checked {
    /// What could be understood.
    pub compiled: CompiledWebhook,
    /// Every broken rule; empty when the block may be submitted.
    pub problems: Vec<Problem>,
}

impl Checked {
    /// The compiled block when there is no problem; the problems otherwise.
    pub fn into_valid(self) -> Result<CompiledWebhook, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(self.compiled)
        } else {
            Err(self.problems)
        }
    }
}

struct Problems {
    block: Option<Id>,
    list: Vec<Problem>,
}

impl Problems {
    fn add(&mut self, field: Field, code: ProblemCode, message: impl Into<String>) {
        self.add_with(field, code, message, None);
    }

    fn add_with(&mut self, field: Field, code: ProblemCode, message: impl Into<String>, suggestion: Option<String>) {
        self.list.push(Problem {
            block: self.block.clone(),
            field,
            code,
            message: message.into(),
            suggestion,
        });
    }
}

/// Checks `form` as the webhook block `block` of `bot`.
pub fn check_webhook(bot: &Bot, block: &WebhookBlock, form: &WebhookForm) -> Checked {
    let mut problems = Problems {
        block: Some(block.id.clone()),
        list: Vec::new(),
    };
    let conversational = form.webhook_type == WebhookType::Conversational;

    if block.name.trim().is_empty() {
        problems.add(
            Field::Name,
            ProblemCode::Required,
            "Give the block a name so you can find it on the canvas.",
        );
    }
    if block.token.is_none() {
        problems.add(
            Field::Token,
            ProblemCode::MissingToken,
            "This block has no authorization token (it was exported without secrets). Rotate the token to issue a new one.",
        );
    }

    let (channel, account) = check_channel(bot, form, conversational, &mut problems);
    let mappings = check_mappings(form, &mut problems);
    let contact = check_contact(
        bot,
        form,
        channel,
        account.as_ref(),
        &mappings,
        conversational,
        &mut problems,
    );

    let scanner = crate::request::scanner_for(&mappings);
    let compiled = CompiledWebhook {
        scanner,
        block: block.id.clone(),
        token: block.token.clone(),
        webhook_type: form.webhook_type,
        channel,
        account,
        mappings,
        contact,
        sample_payload: block.sample_payload.clone(),
    };
    check_paths_agree(&compiled, &mut problems);
    Checked {
        compiled,
        problems: problems.list,
    }
}

fn check_channel(
    bot: &Bot,
    form: &WebhookForm,
    conversational: bool,
    problems: &mut Problems,
) -> (Option<ChannelKind>, Option<Id>) {
    if bot.connected_channels().next().is_none() {
        problems.add(
            Field::Channel,
            ProblemCode::NoConnectedChannel,
            "This bot is not connected to any channel yet. A webhook needs at least one: connect a channel and link an account on the Channels page, then come back. Nothing you typed here is lost.",
        );
        return (None, None);
    }
    let Some(kind) = form.channel else {
        if conversational {
            problems.add(
                Field::Channel,
                ProblemCode::Required,
                "Select the channel the bot replies on. A Conversational webhook answers the contact there.",
            );
        }
        if form.account.is_some() {
            problems.add(
                Field::Account,
                ProblemCode::AccountWithoutChannel,
                "Select a channel first, then one of its accounts.",
            );
        }
        return (None, None);
    };
    let Some(connection) = bot.channel(kind).filter(|c| c.is_connected()) else {
        problems.add(
            Field::Channel,
            ProblemCode::ChannelNotActive,
            format!(
                "{} is not active on this bot. Turn its integration on and link an account on the Channels page, or select another channel.",
                kind.label()
            ),
        );
        return (None, None);
    };
    let account = match form.account.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => {
            if conversational {
                problems.add(
                    Field::Account,
                    ProblemCode::Required,
                    format!("Select the {} account the bot replies from.", kind.label()),
                );
            }
            None
        }
        Some(alias) => match connection.accounts.iter().find(|a| a.alias.as_str() == alias) {
            Some(account) => Some(account.alias.clone()),
            None => {
                let known: Vec<&str> = connection.accounts.iter().map(|a| a.alias.as_str()).collect();
                problems.add(
                    Field::Account,
                    ProblemCode::UnknownAccount,
                    format!(
                        "\"{alias}\" is not a {} account of this bot. Select one of: {}.",
                        kind.label(),
                        known.join(", ")
                    ),
                );
                None
            }
        },
    };
    (Some(kind), account)
}

fn check_mappings(form: &WebhookForm, problems: &mut Problems) -> Vec<CompiledMapping> {
    let mut compiled = Vec::new();
    // Each variable's first row: its index and its Data, which names it in the message (the
    // rows carry no number on screen).
    let mut first_row_of: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    for (row, mapping) in form.mappings.iter().enumerate() {
        let shown_row = row + 1;
        let (data, variable) = (mapping.data.trim(), mapping.set_variable.trim());
        if data.is_empty() && variable.is_empty() {
            problems.add(
                Field::MappingData(row),
                ProblemCode::EmptyRow,
                format!("Row {shown_row} is empty: fill in Data and Set Variable, or remove the row."),
            );
            continue;
        }
        let path = match DataPath::parse(data) {
            Ok(path) => Some(path),
            Err(e) => {
                let code = match e {
                    PathError::NotSingular { .. } => ProblemCode::PathNotSingular,
                    PathError::Empty => ProblemCode::Required,
                    _ => ProblemCode::InvalidPath,
                };
                let suggestion = e.suggestion().map(str::to_owned);
                let message = match &suggestion {
                    Some(s) => format!("{}. Did you mean {s}?", capitalise(&e.to_string())),
                    None => format!("{}.", capitalise(&e.to_string())),
                };
                problems.add_with(Field::MappingData(row), code, message, suggestion);
                None
            }
        };
        let name = match VariableName::parse(variable) {
            Ok(name) if name.is_reserved() => {
                problems.add(
                    Field::MappingVariable(row),
                    ProblemCode::ReservedVariable,
                    format!("{name} is a built-in variable and is filled by the bot; choose another name."),
                );
                None
            }
            Ok(name) => {
                if let Some(&(first, first_data)) = first_row_of.get(name.as_str()) {
                    let which = if first_data.is_empty() {
                        format!("Row {}", first + 1)
                    } else {
                        format!("Row {} (`{first_data}`)", first + 1)
                    };
                    problems.add(
                        Field::MappingVariable(row),
                        ProblemCode::DuplicateVariable,
                        format!("{which} already sets {name}. Each variable is set by one row: choose another variable or remove this row."),
                    );
                    None
                } else {
                    first_row_of.insert(name.as_str().to_owned(), (row, data));
                    Some(name)
                }
            }
            Err(VariableNameError::Empty) => {
                problems.add(
                    Field::MappingVariable(row),
                    ProblemCode::Required,
                    "Choose the variable that receives this value, or type a new name.",
                );
                None
            }
            Err(e) => {
                let suggestion = e.suggestion().map(str::to_owned);
                let message = match &suggestion {
                    Some(s) => format!("\"{variable}\" can't be a variable name: {e}. Try {s}."),
                    None => format!("\"{variable}\" can't be a variable name: {e}."),
                };
                problems.add_with(
                    Field::MappingVariable(row),
                    ProblemCode::InvalidVariableName,
                    message,
                    suggestion,
                );
                None
            }
        };
        if let (Some(path), Some(variable)) = (path, name) {
            compiled.push(CompiledMapping {
                row,
                path,
                variable,
                optional: mapping.optional,
            });
        }
    }
    compiled
}

fn check_contact(
    bot: &Bot,
    form: &WebhookForm,
    channel: Option<ChannelKind>,
    account: Option<&Id>,
    mappings: &[CompiledMapping],
    conversational: bool,
    problems: &mut Problems,
) -> Option<ContactReference> {
    let text = form.contact_reference_id.trim();
    if text.is_empty() {
        if conversational {
            let example = match channel {
                Some(c) if c.uses_phone_numbers() => {
                    "a phone number with its country code (like +14155550123) or {sys_contact_reference_id}"
                }
                _ => "a contact id or {sys_contact_reference_id}",
            };
            problems.add(
                Field::ContactReferenceId,
                ProblemCode::Required,
                format!("Enter who the bot replies to: {example}."),
            );
        }
        return None;
    }
    let account_number = channel
        .and_then(|kind| bot.channel(kind))
        .and_then(|c| c.accounts.iter().find(|a| Some(&a.alias) == account))
        .and_then(|a| a.phone_number.as_deref());
    let parsed = ContactReference::parse(text, channel, account_number);
    match parsed {
        Ok(ContactReference::Variable(name)) => {
            let mapped = mappings.iter().any(|m| m.variable == name);
            if name.as_str() == SYS_CONTACT_REFERENCE_ID || mapped || bot.has_variable(name.as_str()) {
                Some(ContactReference::Variable(name))
            } else {
                problems.add(
                    Field::ContactReferenceId,
                    ProblemCode::UnknownVariable,
                    format!("This bot has no variable {{{name}}}. Map it in Save in variables, or use {{{SYS_CONTACT_REFERENCE_ID}}}."),
                );
                None
            }
        }
        Ok(contact) => Some(contact),
        Err(e) => {
            let code = match e {
                ContactError::MissingCountryCode { .. } => ProblemCode::MissingCountryCode,
                ContactError::InvalidPhone { .. } => ProblemCode::InvalidPhoneNumber,
                ContactError::Empty => ProblemCode::Required,
                ContactError::BadVariable { .. } | ContactError::BadContactId => ProblemCode::InvalidContact,
            };
            // The message already gives the completed number as its example; the suggestion
            // travels beside it for a one-click fix.
            let suggestion = e.suggestion().map(str::to_owned);
            let message = format!("{}.", capitalise(&e.to_string()));
            problems.add_with(Field::ContactReferenceId, code, message, suggestion);
            None
        }
    }
}

/// Two rows that need the same part of the body to be different things (`data.items[0]` and
/// `data.items.sku`) can never both be satisfied.
fn check_paths_agree(compiled: &CompiledWebhook, problems: &mut Problems) {
    for (row, miss) in crate::sample::path_conflicts(&compiled.mappings) {
        problems.add(
            Field::MappingData(row),
            ProblemCode::ConflictingPaths,
            format!(
                "Row {} needs a part of the body that an earlier row needs to be something else ({miss}); no request can fill both. Change one of the paths.",
                row + 1
            ),
        );
    }
}

/// Checks a message block: it has text, and every `{variable}` in it exists on the bot or is
/// set by one of its webhook blocks.
pub fn check_message(bot: &Bot, block: &MessageBlock) -> Vec<Problem> {
    let mut problems = Problems {
        block: Some(block.id.clone()),
        list: Vec::new(),
    };
    if block.text.trim().is_empty() {
        problems.add(Field::Text, ProblemCode::Required, "Write the message the bot sends.");
    }
    let mapped: Vec<String> = bot
        .webhook_blocks()
        .flat_map(|w| w.form.mappings.iter().map(|m| m.set_variable.trim().to_owned()))
        .collect();
    for name in placeholders(&block.text) {
        if !bot.has_variable(name) && !mapped.iter().any(|m| m == name) {
            problems.add(
                Field::Text,
                ProblemCode::UnknownVariable,
                format!("The text uses {{{name}}}, which this bot does not have. Map it in a webhook's Save in variables, or fix the name."),
            );
        }
    }
    problems.list
}

/// How a text refers to a variable: `{name}`, what [`placeholders`] finds again.
pub fn placeholder(name: &str) -> String {
    format!("{{{name}}}")
}

/// The `{name}` placeholders of a message text that look like variable names.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.trim()))
        .filter(|n| VariableName::parse(n).is_ok())
}

/// Every problem of the bot: its blocks' drafts and the bot's own consistency (duplicate ids,
/// duplicate variables, status without a live version). `check` prints these.
pub fn check_bot(bot: &Bot) -> Vec<Problem> {
    let mut problems = Problems {
        block: None,
        list: Vec::new(),
    };
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (i, variable) in bot.variables.iter().enumerate() {
        if !seen.insert(variable.name.as_str()) {
            problems.add(
                Field::Bot(format!("variables[{i}]")),
                ProblemCode::DuplicateId,
                format!("The variable {} is declared twice; remove one.", variable.name),
            );
        }
        if variable.name.is_reserved() {
            problems.add(
                Field::Bot(format!("variables[{i}]")),
                ProblemCode::ReservedVariable,
                format!(
                    "{} is a built-in name (sys_ is reserved); rename the variable.",
                    variable.name
                ),
            );
        }
    }
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for block in bot.blocks() {
        if !ids.insert(block.id().as_str()) {
            problems.add(
                Field::Bot(format!("block {}", block.id())),
                ProblemCode::DuplicateId,
                format!(
                    "Two blocks have the id {}; block ids are unique within a bot.",
                    block.id()
                ),
            );
        }
    }
    let mut channels: BTreeSet<ChannelKind> = BTreeSet::new();
    for (i, connection) in bot.channels.iter().enumerate() {
        if !channels.insert(connection.channel) {
            problems.add(
                Field::Bot(format!("channels[{i}]")),
                ProblemCode::DuplicateId,
                format!(
                    "{} is listed twice; keep one entry per channel.",
                    connection.channel.label()
                ),
            );
        }
        let mut aliases: BTreeSet<&str> = BTreeSet::new();
        for account in &connection.accounts {
            if !aliases.insert(account.alias.as_str()) {
                problems.add(
                    Field::Bot(format!("channels[{i}]")),
                    ProblemCode::DuplicateId,
                    format!(
                        "The {} account alias {} is used twice.",
                        connection.channel.label(),
                        account.alias
                    ),
                );
            }
        }
    }
    let mut list = problems.list;
    for block in bot.blocks() {
        match block {
            Block::Webhook(webhook) => {
                list.extend(check_webhook(bot, webhook, &webhook.form).problems);
                list.extend(check_status(bot, webhook));
            }
            Block::Message(message) => list.extend(check_message(bot, message)),
        }
    }
    list
}

fn check_status(bot: &Bot, block: &WebhookBlock) -> Vec<Problem> {
    use crate::model::BlockStatus::*;
    let mut problems = Problems {
        block: Some(block.id.clone()),
        list: Vec::new(),
    };
    match (block.status, &block.live) {
        (Edited, None) => problems.add(Field::Status, ProblemCode::InconsistentStatus, "The status says the block was edited after submitting, but the submitted version (live) is missing. Submit the block again."),
        (Draft | Submitted, Some(_)) => problems.add(Field::Status, ProblemCode::InconsistentStatus, "A live version is only kept for a block edited after submitting (status: edited). Remove live, or set the status."),
        (Edited, Some(live)) => {
            let broken = check_webhook(bot, block, live).problems.len();
            if broken > 0 {
                problems.add(Field::Status, ProblemCode::InconsistentStatus, format!("The submitted version has {broken} problem(s), so its URL cannot serve it. Fix the form and submit again."));
            }
        }
        (Draft | Submitted, None) => {}
    }
    problems.list
}

/// What a successful submit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submitted {
    /// Variables that did not exist and were added to the bot.
    pub created_variables: Vec<VariableName>,
}

/// Why a submit did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// No webhook block has that id.
    #[error("there is no webhook block {0} in this bot")]
    NoSuchBlock(String),
    /// The form breaks rules; nothing was changed.
    #[error("the block has {} problem(s); fix them and submit again", .0.len())]
    Invalid(Vec<Problem>),
}

impl Bot {
    /// Submits a webhook block: checks it, adds the variables its mappings create, and makes its
    /// form the version the URL serves. On any problem nothing changes.
    pub fn submit_webhook(&mut self, block_id: &str) -> Result<Submitted, SubmitError> {
        let block = self
            .webhook(block_id)
            .ok_or_else(|| SubmitError::NoSuchBlock(block_id.to_owned()))?;
        let compiled = check_webhook(self, block, &block.form)
            .into_valid()
            .map_err(SubmitError::Invalid)?;
        let created: Vec<VariableName> = compiled
            .mappings
            .into_iter()
            .map(|m| m.variable)
            .filter(|v| !self.has_variable(v.as_str()))
            .collect();
        self.variables.extend(created.iter().map(|name| crate::model::Variable {
            name: name.clone(),
            description: String::new(),
        }));
        let block = self
            .webhook_mut(block_id)
            .ok_or_else(|| SubmitError::NoSuchBlock(block_id.to_owned()))?;
        block.status = crate::model::BlockStatus::Submitted;
        block.live = None;
        Ok(Submitted {
            created_variables: created,
        })
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
