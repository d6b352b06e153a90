//! The bot document: a versioned JSON file holding one bot with its channels, accounts,
//! variables, flows and blocks. The CLI reads it; the store will export and import it.
//!
//! Reading is strict and explains itself: a syntax error gives its line and column; a
//! misshapen value gives the JSON path of the problem (`bot.flows[0].sequences[0].blocks[1]
//! .webhook.form.type`); an unknown field is refused (it is usually a typo); a document from a
//! newer version is refused with that reason rather than misread. The JSON Schema in
//! `assets/schema/` is generated from these types.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Bot;

/// The `format` every bot document declares.
pub const FORMAT: &str = "webhook-studio.bot";
/// The version this build reads and writes.
pub const VERSION: u64 = 1;

/// A bot document, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Webhook Studio bot document")]
pub struct BotDocument {
    /// Optional pointer to this schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always `webhook-studio.bot`.
    #[schemars(extend("const" = FORMAT))]
    pub format: String,
    /// The format version; this build reads 1.
    #[schemars(extend("const" = VERSION))]
    pub version: u64,
    /// The bot.
    pub bot: Bot,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON parser found.
        message: String,
    },
    /// JSON, but not a bot document of this version.
    #[error("{}: {message}", if path.is_empty() { "(document)" } else { path.as_str() })]
    Shape {
        /// The JSON path of the problem (`bot.flows[0].name`); empty for the whole document.
        path: String,
        /// What is wrong there and how to fix it.
        message: String,
    },
}

impl BotDocument {
    /// Wraps a bot in a document of the current version.
    pub fn new(bot: Bot) -> Self {
        Self {
            schema: None,
            format: FORMAT.to_owned(),
            version: VERSION,
            bot,
        }
    }

    /// Reads a document from JSON text.
    pub fn from_json(text: &str) -> Result<Self, DocumentError> {
        let value: Value = serde_json::from_str(text).map_err(|e| DocumentError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string().split(" at line ").next().unwrap_or_default().to_owned(),
        })?;
        Self::from_value(value)
    }

    /// Reads a document from a parsed JSON value.
    pub fn from_value(value: Value) -> Result<Self, DocumentError> {
        let shape = |path: &str, message: String| DocumentError::Shape {
            path: path.to_owned(),
            message,
        };
        let Some(root) = value.as_object() else {
            return Err(shape(
                "",
                "a bot document is a JSON object with \"format\", \"version\" and \"bot\"".into(),
            ));
        };
        match root.get("format").and_then(Value::as_str) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(shape(
                    "format",
                    format!("\"{other}\" is not a bot document; expected \"{FORMAT}\""),
                ));
            }
            None => {
                return Err(shape(
                    "format",
                    format!("missing; a bot document starts with \"format\": \"{FORMAT}\""),
                ));
            }
        }
        match root.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            Some(newer) if newer > VERSION => {
                return Err(shape(
                    "version",
                    format!(
                        "this document is version {newer}, written by a newer Webhook Studio; this one reads version {VERSION}: update webhook-studio"
                    ),
                ));
            }
            _ => return Err(shape("version", format!("must be the number {VERSION}"))),
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            shape(&path, e.into_inner().to_string())
        })
    }

    /// Pretty JSON with keys in a stable order, ending in a newline: diffs well in git.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The JSON Schema of [`BotDocument`].
pub fn json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(BotDocument)).unwrap_or_default()
}

impl fmt::Display for BotDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} v{} ({})", FORMAT, self.version, self.bot.name)
    }
}
