//! The webhook block's side panel: the form as typed, every problem by its field, the options
//! each control offers, the URLs, the masked token, the sample cURL and the sample body's tree.
//!
//! The panel is recomputed from the store after every change, so what the window shows is
//! always what is saved.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;
use webhook_block::contact::ContactReference;
use webhook_block::curl::{Shell, TokenIn, sample_curl};
use webhook_block::model::BlockStatus;
use webhook_block::path::{DataPath, Step};
use webhook_block::validate::{Field, Problem, ProblemCode, SubmitError, placeholder};
use webhook_block::variable::{BUILT_IN_VARIABLES, SYS_CONTACT_REFERENCE_ID, VariableName};
use webhook_block::{Bot, ChannelKind, Environment, WebhookBlock, WebhookForm, WebhookType, check_webhook};
use webhook_store::{Store, UpdateSource};

use crate::{EditorError, Result, settings};

/// The form field a problem belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FieldRef {
    /// The block's name.
    Name,
    /// Authorization Token.
    Token,
    /// Select Webhook Type.
    Type,
    /// Select Channel.
    Channel,
    /// Select Account.
    Account,
    /// Data of a Save in variables row.
    MappingData {
        /// The row, from 0.
        row: u32,
    },
    /// Set Variable of a Save in variables row.
    MappingVariable {
        /// The row, from 0.
        row: u32,
    },
    /// Contact Reference ID.
    ContactReferenceId,
    /// A message's text.
    Text,
    /// The block's submission state.
    Status,
    /// Part of the bot outside the block.
    Bot {
        /// Where (`variables[2].name`).
        path: String,
    },
}

/// One problem, by its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldProblem {
    /// Where it is shown.
    pub field: FieldRef,
    /// What kind (the window branches on this, never on the message).
    pub code: ProblemCode,
    /// What is wrong and how to fix it.
    pub message: String,
    /// A corrected value to offer, when there is one.
    pub suggestion: Option<String>,
    /// An empty required field or row: the window may hold it back until the field was touched
    /// or Submit was pressed, so that a new block is not all red.
    pub incomplete: bool,
}

/// The rules' problems, as the window shows them.
pub fn problems_view(problems: Vec<Problem>) -> Vec<FieldProblem> {
    let row = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    problems
        .into_iter()
        .map(|p| FieldProblem {
            field: match p.field {
                Field::Name => FieldRef::Name,
                Field::Token => FieldRef::Token,
                Field::Type => FieldRef::Type,
                Field::Channel => FieldRef::Channel,
                Field::Account => FieldRef::Account,
                Field::MappingData(i) => FieldRef::MappingData { row: row(i) },
                Field::MappingVariable(i) => FieldRef::MappingVariable { row: row(i) },
                Field::ContactReferenceId => FieldRef::ContactReferenceId,
                Field::Text => FieldRef::Text,
                Field::Status => FieldRef::Status,
                Field::Bot(path) => FieldRef::Bot { path },
            },
            incomplete: matches!(p.code, ProblemCode::Required | ProblemCode::EmptyRow),
            code: p.code,
            message: p.message,
            suggestion: p.suggestion,
        })
        .collect()
}

/// A choice of "Select Webhook Type".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TypeOption {
    /// The value.
    pub value: WebhookType,
    /// Its name.
    pub label: String,
    /// What it means, in one line.
    pub explanation: String,
}

/// A choice of "Select Channel", with the accounts "Select Account" then offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChannelOption {
    /// The channel.
    pub channel: ChannelKind,
    /// Its name.
    pub label: String,
    /// Its accounts.
    pub accounts: Vec<AccountOption>,
}

/// A choice of "Select Account".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountOption {
    /// Its alias (the value).
    pub alias: String,
    /// What the list shows: the name, and the number for phone channels.
    pub label: String,
}

/// Where a variable offered by Set Variable comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum VariableSource {
    /// Built in (`sys_contact_reference_id`): may be read, never set.
    BuiltIn,
    /// Declared on the bot.
    Bot,
    /// Set by a row of this form and created on submit.
    NewHere,
}

/// A variable the form may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VariableOption {
    /// Its name.
    pub name: String,
    /// Where it comes from.
    pub source: VariableSource,
}

/// A "Save in variables" row of the saved form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MappingRowView {
    /// Its Set Variable, as typed.
    pub set_variable: String,
    /// Submitting creates this variable on the bot (it marks the row "new").
    pub creates_variable: bool,
}

/// What Contact Reference ID expects, and what it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactHint {
    /// Whether the channel's contacts are phone numbers (E.164).
    pub expects_phone: bool,
    /// An example of what to type.
    pub placeholder: String,
    /// The typed value in its normal form, when that differs from what was typed
    /// (`+1 415-555-0123` → `+14155550123`).
    pub normalised: Option<String>,
    /// Variables that may stand for the contact: `{sys_contact_reference_id}` and the variables
    /// this form maps.
    pub offers: Vec<String>,
}

/// The sample commands, with the token masked for display (copy puts the real one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CurlPair {
    /// To the team server's production URL (bash, zsh, dash).
    pub production: String,
    /// To the development receiver on this computer (bash, zsh, dash).
    pub development: String,
    /// The production request for PowerShell (Windows PowerShell 5.1 and pwsh 7).
    pub production_powershell: String,
    /// The development request for PowerShell.
    pub development_powershell: String,
}

/// A node of the sample body's tree; clicking a leaf adds a mapping for its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SampleNode {
    /// The member name or `[index]`; empty for the root.
    pub key: String,
    /// The path a mapping would use (`data.items[0].sku`); none for the root.
    pub path: Option<String>,
    /// `object`, `array`, `string`, `number`, `boolean` or `null`.
    pub kind: String,
    /// The value as JSON, for leaves (shortened when long).
    pub preview: Option<String>,
    /// A variable name for a new mapping of this path.
    pub suggested_variable: Option<String>,
    /// The variable a row of the form already maps this path to.
    pub mapped_to: Option<String>,
    /// Children of objects and arrays (at most [`SAMPLE_CHILDREN_SHOWN`] each).
    pub children: Vec<SampleNode>,
    /// How many children were left out.
    pub more: u32,
}

/// Children shown per object or array of the sample tree.
pub const SAMPLE_CHILDREN_SHOWN: usize = 100;
const SAMPLE_DEPTH_SHOWN: usize = 12;

/// The submit button: enabled, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SubmitState {
    /// Whether Submit is enabled.
    pub enabled: bool,
    /// Why not, in one sentence.
    pub reason: Option<String>,
}

/// Everything the webhook panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookPanel {
    /// The bot.
    pub bot_id: String,
    /// The block.
    pub block_id: String,
    /// Its name.
    pub name: String,
    /// Draft, submitted, or edited since submitted.
    pub status: BlockStatus,
    /// The form as typed (and saved).
    pub form: WebhookForm,
    /// The choices of Select Webhook Type.
    pub types: Vec<TypeOption>,
    /// The production URL (the team server).
    pub production_url: String,
    /// The development URL (this computer's receiver).
    pub development_url: String,
    /// The token, masked; none when the block has no token (imported without secrets).
    pub token_masked: Option<String>,
    /// The channels Select Channel offers: those with an active integration on this bot.
    pub channels: Vec<ChannelOption>,
    /// The bot has no connected channel: the panel warns and links to the Channels page.
    pub no_connected_channel: bool,
    /// The variables Set Variable offers.
    pub variables: Vec<VariableOption>,
    /// Each "Save in variables" row of `form`, in order, as Rust reads it.
    pub mappings: Vec<MappingRowView>,
    /// What Contact Reference ID expects and offers.
    pub contact: ContactHint,
    /// Every problem of the draft, by field.
    pub problems: Vec<FieldProblem>,
    /// Whether Submit is enabled, and why not.
    pub submit: SubmitState,
    /// The sample cURL commands.
    pub curl: CurlPair,
    /// The sample body as a tree, when the block has one.
    pub sample: Option<SampleNode>,
    /// Whether an edit can be undone.
    pub can_undo: bool,
    /// Whether an undone edit can be redone.
    pub can_redo: bool,
}

/// The panel of a webhook block.
pub fn view(store: &Store, bot: &str, block: &str) -> Result<WebhookPanel> {
    let whole = store.load_bot(bot)?;
    panel_of(store, &whole, block)
}

fn webhook<'b>(bot: &'b Bot, block: &str) -> Result<&'b WebhookBlock> {
    bot.webhook(block).ok_or_else(|| {
        EditorError::not_found(format!(
            "This bot has no webhook block {block}; it may have been removed."
        ))
    })
}

fn panel_of(store: &Store, bot: &Bot, block_id: &str) -> Result<WebhookPanel> {
    let block = webhook(bot, block_id)?;
    let endpoints = settings::endpoints(store)?;
    let checked = check_webhook(bot, block, &block.form);
    let form = &block.form;

    let no_connected_channel = bot.connected_channels().next().is_none();
    let problems = problems_view(checked.problems);
    let submit = if store.is_read_only() {
        // The banner above the page says why (the store's own words); this is what it means here.
        SubmitState {
            enabled: false,
            reason: Some("This file is read-only: the block can be read and copied, not submitted.".to_owned()),
        }
    } else if no_connected_channel {
        SubmitState {
            enabled: false,
            reason: Some("Connect a channel to this bot first: a webhook needs a channel to act on.".to_owned()),
        }
    } else if !problems.is_empty() {
        let n = problems.len();
        SubmitState {
            enabled: false,
            reason: Some(if n == 1 {
                "Fix the problem marked in the form to submit.".to_owned()
            } else {
                format!("Fix the {n} problems marked in the form to submit.")
            }),
        }
    } else if block.status == BlockStatus::Submitted {
        SubmitState {
            enabled: false,
            reason: Some("Submitted: the URL serves this version.".to_owned()),
        }
    } else {
        SubmitState {
            enabled: true,
            reason: None,
        }
    };

    let curl_for = |env, shell| {
        let text = sample_curl(&checked.compiled, &endpoints, env, shell, TokenIn::Inline);
        match &block.token {
            Some(token) => text.replace(token.expose_secret(), &token.masked()),
            None => text,
        }
    };
    let (can_undo, can_redo) = store.undo_state(block_id)?;

    Ok(WebhookPanel {
        bot_id: bot.id.to_string(),
        block_id: block.id.to_string(),
        name: block.name.clone(),
        status: block.status,
        form: form.clone(),
        types: [WebhookType::Conversational, WebhookType::Workflow]
            .into_iter()
            .map(|value| TypeOption {
                value,
                label: match value {
                    WebhookType::Conversational => "Conversational",
                    WebhookType::Workflow => "Workflow",
                }
                .to_owned(),
                explanation: value.explanation().to_owned(),
            })
            .collect(),
        production_url: endpoints.webhook_url(&block.id, Environment::Production),
        development_url: endpoints.webhook_url(&block.id, Environment::Development),
        token_masked: block.token.as_ref().map(webhook_block::WebhookToken::masked),
        channels: bot
            .channels
            .iter()
            .filter(|c| c.integration_active)
            .map(|c| ChannelOption {
                channel: c.channel,
                label: c.channel.label().to_owned(),
                accounts: c
                    .accounts
                    .iter()
                    .map(|a| AccountOption {
                        alias: a.alias.to_string(),
                        label: match &a.phone_number {
                            Some(number) => format!("{} ({number})", a.name),
                            None => a.name.clone(),
                        },
                    })
                    .collect(),
            })
            .collect(),
        no_connected_channel,
        variables: variables(bot, form),
        mappings: form
            .mappings
            .iter()
            .map(|m| MappingRowView {
                set_variable: m.set_variable.clone(),
                creates_variable: creates_variable(bot, &m.set_variable),
            })
            .collect(),
        contact: contact_hint(bot, form),
        problems,
        submit,
        curl: CurlPair {
            production: curl_for(Environment::Production, Shell::Posix),
            development: curl_for(Environment::Development, Shell::Posix),
            production_powershell: curl_for(Environment::Production, Shell::Powershell),
            development_powershell: curl_for(Environment::Development, Shell::Powershell),
        },
        sample: block.sample_payload.as_ref().map(|body| sample_tree(body, form)),
        can_undo,
        can_redo,
    })
}

fn variables(bot: &Bot, form: &WebhookForm) -> Vec<VariableOption> {
    let mut out: Vec<VariableOption> = BUILT_IN_VARIABLES
        .iter()
        .map(|name| VariableOption {
            name: (*name).to_owned(),
            source: VariableSource::BuiltIn,
        })
        .chain(bot.variables.iter().map(|v| VariableOption {
            name: v.name.to_string(),
            source: VariableSource::Bot,
        }))
        .collect();
    for mapping in &form.mappings {
        let name = mapping.set_variable.trim();
        if creates_variable(bot, name) && !out.iter().any(|v| v.name == name) {
            out.push(VariableOption {
                name: name.to_owned(),
                source: VariableSource::NewHere,
            });
        }
    }
    out
}

/// Whether a row setting `set_variable` adds a variable to the bot when submitted.
fn creates_variable(bot: &Bot, set_variable: &str) -> bool {
    let name = set_variable.trim();
    VariableName::parse(name).is_ok() && !bot.has_variable(name)
}

fn contact_hint(bot: &Bot, form: &WebhookForm) -> ContactHint {
    let expects_phone = form.channel.is_some_and(ChannelKind::uses_phone_numbers);
    let account_number = form
        .channel
        .and_then(|c| bot.channel(c))
        .and_then(|c| {
            c.accounts
                .iter()
                .find(|a| Some(a.alias.as_str()) == form.account.as_deref())
        })
        .and_then(|a| a.phone_number.as_deref());
    let typed = form.contact_reference_id.trim();
    let normalised = match ContactReference::parse(typed, form.channel, account_number) {
        Ok(ContactReference::Phone(number)) if number != typed => Some(number),
        _ => None,
    };
    let offers = std::iter::once(SYS_CONTACT_REFERENCE_ID.to_owned())
        .chain(
            form.mappings
                .iter()
                .map(|m| m.set_variable.trim().to_owned())
                .filter(|v| VariableName::parse(v).is_ok()),
        )
        .map(|name| placeholder(&name))
        .collect();
    ContactHint {
        expects_phone,
        placeholder: if expects_phone {
            "+14155550123 or {customer_phone}".to_owned()
        } else {
            "{sys_contact_reference_id} or a contact id".to_owned()
        },
        normalised,
        offers,
    }
}

/// The sample body as a tree, each node with the path a mapping would use.
pub fn sample_tree(body: &Value, form: &WebhookForm) -> SampleNode {
    let mapped: Vec<(DataPath, &str)> = form
        .mappings
        .iter()
        .filter_map(|m| DataPath::parse(&m.data).ok().map(|p| (p, m.set_variable.trim())))
        .collect();
    node(String::new(), &mut Vec::new(), body, &mapped)
}

fn node(key: String, steps: &mut Vec<Step>, value: &Value, mapped: &[(DataPath, &str)]) -> SampleNode {
    let path = DataPath::from_steps(steps.clone());
    let kind = match value {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
    };
    let mut children = Vec::new();
    let mut more = 0usize;
    if steps.len() < SAMPLE_DEPTH_SHOWN {
        match value {
            Value::Object(map) => {
                more = map.len().saturating_sub(SAMPLE_CHILDREN_SHOWN);
                for (name, child) in map.iter().take(SAMPLE_CHILDREN_SHOWN) {
                    steps.push(Step::Name(name.clone()));
                    children.push(node(name.clone(), steps, child, mapped));
                    steps.pop();
                }
            }
            Value::Array(items) => {
                more = items.len().saturating_sub(SAMPLE_CHILDREN_SHOWN);
                for (i, child) in items.iter().take(SAMPLE_CHILDREN_SHOWN).enumerate() {
                    steps.push(Step::Index(i64::try_from(i).unwrap_or(i64::MAX)));
                    children.push(node(format!("[{i}]"), steps, child, mapped));
                    steps.pop();
                }
            }
            _ => {}
        }
    }
    let leaf = !matches!(value, Value::Object(_) | Value::Array(_));
    SampleNode {
        suggested_variable: path.as_ref().filter(|_| leaf).and_then(suggest_variable),
        mapped_to: path
            .as_ref()
            .and_then(|p| mapped.iter().find(|(m, _)| m == p))
            .map(|(_, v)| (*v).to_owned()),
        path: path.map(|p| p.to_string()),
        key,
        kind: kind.to_owned(),
        preview: leaf.then(|| shorten(&value.to_string())),
        children,
        more: u32::try_from(more).unwrap_or(u32::MAX),
    }
}

/// A variable name for a path: its last member name in snake_case (`data.customer.firstName`
/// → `first_name`... as far as the naming rule's suggestion goes), never a built-in one.
fn suggest_variable(path: &DataPath) -> Option<String> {
    let name = path.last_name()?;
    let candidate = match VariableName::parse(name) {
        Ok(ok) => ok.as_str().to_owned(),
        Err(error) => error.suggestion()?.to_owned(),
    };
    let parsed = VariableName::parse(&candidate).ok()?;
    if parsed.is_reserved() { None } else { Some(candidate) }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(79).collect();
        format!("{cut}…")
    } else {
        text.to_owned()
    }
}

/// Autosave: saves the form as typed (one small transaction, undoable) and returns the panel.
///
/// `base` is the form the panel last saw: the one it last sent to be saved (saves go in order), or
/// the one it loaded. When the stored form is no longer `base` (a teammate's change arrived
/// through sync meanwhile), nothing is written: the edit is kept as the `mine` of a sync conflict
/// and the error's code is [`EditorErrorCode::ChangedElsewhere`](crate::EditorErrorCode); the
/// panel then reads the block again.
pub fn edit(store: &mut Store, bot: &str, block: &str, base: &WebhookForm, form: WebhookForm) -> Result<WebhookPanel> {
    store.update_webhook_form_from(bot, block, base, form, UpdateSource::Window)?;
    view(store, bot, block)
}

/// Undoes the block's last edit (across restarts); the panel after it.
pub fn undo(store: &mut Store, bot: &str, block: &str) -> Result<WebhookPanel> {
    store.undo_webhook_form(bot, block, UpdateSource::Window)?;
    view(store, bot, block)
}

/// Redoes the block's last undone edit; the panel after it.
pub fn redo(store: &mut Store, bot: &str, block: &str) -> Result<WebhookPanel> {
    store.redo_webhook_form(bot, block, UpdateSource::Window)?;
    view(store, bot, block)
}

/// Issues a new token; the old one stops working at once.
pub fn rotate_token(store: &mut Store, bot: &str, block: &str) -> Result<WebhookPanel> {
    let mut whole = store.load_bot(bot)?;
    let Some(target) = whole.webhook_mut(block) else {
        return Err(webhook(&whole, block)
            .err()
            .unwrap_or_else(|| EditorError::not_found(block)));
    };
    target.rotate_token()?;
    store.save_bot(&whole, UpdateSource::Window)?;
    panel_of(store, &whole, block)
}

/// What a submit did.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SubmitOutcome {
    /// Whether the form is now what the URL serves.
    pub accepted: bool,
    /// What happened, in one sentence.
    pub message: String,
    /// Variables the submit added to the bot.
    pub created_variables: Vec<String>,
    /// The panel after it (with every problem when refused).
    pub panel: WebhookPanel,
}

/// Submits the block: on success its form is what the URL serves; on any problem nothing
/// changes and every problem is in the panel, by its field.
pub fn submit(store: &mut Store, bot: &str, block: &str) -> Result<SubmitOutcome> {
    match store.submit_webhook(bot, block, UpdateSource::Window) {
        Ok(submitted) => {
            let created: Vec<String> = submitted.created_variables.iter().map(ToString::to_string).collect();
            let message = match created.len() {
                0 => "Submitted: the webhook URL now serves this version.".to_owned(),
                _ => format!(
                    "Submitted: the webhook URL now serves this version. New variables: {}.",
                    created.join(", ")
                ),
            };
            Ok(SubmitOutcome {
                accepted: true,
                message,
                created_variables: created,
                panel: view(store, bot, block)?,
            })
        }
        Err(webhook_store::Error::Submit(SubmitError::Invalid(problems))) => {
            let n = problems.len();
            Ok(SubmitOutcome {
                accepted: false,
                message: if n == 1 {
                    "Not submitted: fix the problem marked in the form.".to_owned()
                } else {
                    format!("Not submitted: fix the {n} problems marked in the form.")
                },
                created_variables: Vec::new(),
                panel: view(store, bot, block)?,
            })
        }
        Err(error) => Err(error.into()),
    }
}

/// What a copy button copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Type)]
#[serde(tag = "what", rename_all = "camelCase")]
pub enum CopyTarget {
    /// The webhook URL of an environment.
    Url {
        /// Which.
        env: Environment,
    },
    /// The Authorization Token.
    Token,
    /// The sample command of an environment, with the real token in it.
    Curl {
        /// Which.
        env: Environment,
        /// For which shell.
        shell: Shell,
    },
}

/// A text to put on the clipboard. Its `Debug` never shows the text (it may hold a token).
#[derive(Clone, PartialEq, Eq)]
pub struct CopyText {
    /// The text.
    pub text: String,
    /// Whether it holds a secret: kept out of clipboard history, cleared after a delay.
    pub secret: bool,
    /// What the toast says; never the whole token.
    pub toast: String,
    /// Seconds before a secret is cleared from the clipboard; 0 keeps it.
    pub clear_after_seconds: u32,
}

impl std::fmt::Debug for CopyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopyText")
            .field("text", &"<not shown>")
            .field("secret", &self.secret)
            .field("toast", &self.toast)
            .finish()
    }
}

/// The text a copy button puts on the clipboard, and the toast that says so.
pub fn copy_text(store: &Store, bot: &str, block: &str, target: CopyTarget) -> Result<CopyText> {
    let whole = store.load_bot(bot)?;
    let block = webhook(&whole, block)?;
    let endpoints = settings::endpoints(store)?;
    let clear = settings::read(store)?.clipboard_clear_seconds;
    let env_name = |env| match env {
        Environment::Production => "Production",
        Environment::Development => "Development",
    };
    let later = if clear == 0 {
        String::new()
    } else {
        format!(" It is cleared from the clipboard in {clear} s.")
    };
    let no_token = || {
        EditorError::invalid(
            "token",
            "This block has no token (it was imported without secrets). Rotate the token to issue one.",
        )
    };
    Ok(match target {
        CopyTarget::Url { env } => CopyText {
            text: endpoints.webhook_url(&block.id, env),
            secret: false,
            toast: format!("{} webhook URL copied.", env_name(env)),
            clear_after_seconds: 0,
        },
        CopyTarget::Token => {
            let token = block.token.as_ref().ok_or_else(no_token)?;
            CopyText {
                text: token.expose_secret().to_owned(),
                secret: true,
                toast: format!("Authorization token {} copied.{later}", token.masked()),
                clear_after_seconds: clear,
            }
        }
        CopyTarget::Curl { env, shell } => {
            let checked = check_webhook(&whole, block, &block.form);
            let text = sample_curl(&checked.compiled, &endpoints, env, shell, TokenIn::Inline);
            let secret = block.token.is_some();
            CopyText {
                text,
                secret,
                toast: {
                    let what = match shell {
                        Shell::Posix => "cURL",
                        Shell::Powershell => "PowerShell command",
                    };
                    if secret {
                        format!("{} {what} copied, with the token in it.{later}", env_name(env))
                    } else {
                        format!(
                            "{} {what} copied; it reads the token from $WEBHOOK_TOKEN.",
                            env_name(env)
                        )
                    }
                },
                clear_after_seconds: if secret { clear } else { 0 },
            }
        }
    })
}

/// Chooses the channel of "Select Channel" (none clears it) and saves the form. The account stays
/// when the new channel has it (an account of another channel cannot stay chosen); otherwise
/// "Select Account" is empty again.
pub fn choose_channel(store: &mut Store, bot: &str, block: &str, channel: Option<ChannelKind>) -> Result<WebhookPanel> {
    let whole = store.load_bot(bot)?;
    let stored = webhook(&whole, block)?.form.clone();
    let keeps_account = |account: &String| {
        channel
            .and_then(|c| whole.channel(c))
            .is_some_and(|c| c.accounts.iter().any(|a| a.alias.as_str() == account))
    };
    let form = WebhookForm {
        channel,
        account: stored.account.clone().filter(keeps_account),
        ..stored.clone()
    };
    edit(store, bot, block, &stored, form)
}

/// Adds a "Save in variables" row for a path picked in the sample tree.
pub fn add_mapping_for(store: &mut Store, bot: &str, block: &str, path: &str) -> Result<WebhookPanel> {
    let whole = store.load_bot(bot)?;
    let stored = webhook(&whole, block)?.form.clone();
    let mut form = stored.clone();
    let parsed =
        DataPath::parse(path).map_err(|e| EditorError::invalid("data", crate::error::capitalise(&e.to_string())))?;
    let mut variable = suggest_variable(&parsed).unwrap_or_default();
    // A second `id` becomes `id_2`: two rows may not set one variable.
    let taken = |name: &str| form.mappings.iter().any(|m| m.set_variable.trim() == name);
    if !variable.is_empty() && taken(&variable) {
        let base = variable.clone();
        variable = (2..).map(|n| format!("{base}_{n}")).find(|v| !taken(v)).unwrap_or(base);
    }
    form.mappings.push(webhook_block::model::Mapping {
        data: parsed.to_string(),
        set_variable: variable,
        optional: false,
    });
    edit(store, bot, block, &stored, form)
}
