//! Export and import of a bot document from the window: the same versioned format, checks and
//! all-or-nothing import as the command line's `export` and `import`.

use serde::Serialize;
use specta::Type;
use webhook_block::BotDocument;
use webhook_store::{Store, UpdateSource};

use crate::Result;

/// A bot written as a document.
#[derive(Clone, PartialEq, Eq)]
pub struct Exported {
    /// The document's text: pretty JSON, keys in a stable order, so that it diffs well.
    pub text: String,
    /// A file name to offer (`acme-sign-ups.bot.json`).
    pub file_name: String,
}

impl std::fmt::Debug for Exported {
    /// The text may hold tokens (an export with secrets): it is never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exported")
            .field("file_name", &self.file_name)
            .finish_non_exhaustive()
    }
}

/// The bot as a document; tokens are left out unless `include_secrets`.
pub fn export(store: &Store, bot: &str, include_secrets: bool) -> Result<Exported> {
    let document = store.export_bot(bot, include_secrets)?;
    let file_name = format!("{}.bot.json", file_stem(&document.bot.name));
    Ok(Exported {
        text: document.to_json(),
        file_name,
    })
}

/// What an import did, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum ImportOutcome {
    /// The bot was imported.
    #[serde(rename_all = "camelCase")]
    Imported {
        /// Its id.
        bot_id: String,
        /// What happened, in one sentence.
        message: String,
    },
    /// A bot with the same id exists: import again with `replace` to overwrite it.
    #[serde(rename_all = "camelCase")]
    AlreadyExists {
        /// The bot's id.
        bot_id: String,
        /// The existing bot's name.
        existing_name: String,
    },
    /// The document has problems; nothing was imported.
    Refused {
        /// What is wrong overall.
        message: String,
        /// Every problem, with its JSON pointer (`/bot/flows/0/...: ...`).
        problems: Vec<String>,
    },
}

/// Imports a document's text: everything is checked first and nothing is imported on any
/// problem. An existing bot is replaced only with `replace` (the window asks first).
pub fn import(store: &mut Store, text: &str, replace: bool) -> Result<ImportOutcome> {
    let document = match BotDocument::from_json(text) {
        Ok(document) => document,
        Err(error) => {
            return Ok(ImportOutcome::Refused {
                message: "This file is not a Webhook Studio bot document; nothing was imported.".to_owned(),
                problems: vec![error.to_string()],
            });
        }
    };
    let id = document.bot.id.to_string();
    if !replace && let Ok(existing) = store.load_bot(&id) {
        return Ok(ImportOutcome::AlreadyExists {
            bot_id: id,
            existing_name: existing.name,
        });
    }
    match store.import_document(&document, replace, UpdateSource::Import) {
        Ok(bot) => Ok(ImportOutcome::Imported {
            bot_id: bot.to_string(),
            message: format!("Imported “{}”.", document.bot.name),
        }),
        Err(webhook_store::Error::Invalid(problems)) => Ok(ImportOutcome::Refused {
            message: format!("The document has {} problem(s); nothing was imported.", problems.len()),
            problems: problems.iter().map(ToString::to_string).collect(),
        }),
        Err(error) => Err(error.into()),
    }
}

fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            stem.extend(c.to_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "bot".to_owned()
    } else {
        stem.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::{self, TemplateId};

    #[test]
    fn export_then_import_asks_before_replacing_and_refuses_broken_documents_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let bot = templates::create_bot(&mut store, TemplateId::AbandonedCart).unwrap();
        let plain = export(&store, bot.as_str(), false).unwrap();
        assert_eq!(plain.file_name, "abandoned-cart.bot.json");
        assert!(!plain.text.contains("whs_"), "no token without include_secrets");
        let with_secrets = export(&store, bot.as_str(), true).unwrap();
        assert!(with_secrets.text.contains("whs_"));
        assert!(!format!("{with_secrets:?}").contains("whs_"));

        let asked = import(&mut store, &plain.text, false).unwrap();
        assert!(
            matches!(asked, ImportOutcome::AlreadyExists { ref existing_name, .. } if existing_name == "Abandoned cart")
        );
        let replaced = import(&mut store, &plain.text, true).unwrap();
        assert!(matches!(replaced, ImportOutcome::Imported { .. }), "{replaced:?}");

        let before = store.list_bots().unwrap();
        let broken = plain.text.replace("\"version\": 1", "\"version\": 99");
        assert!(matches!(
            import(&mut store, &broken, false).unwrap(),
            ImportOutcome::Refused { .. }
        ));
        let not_json = import(&mut store, "{ not json", false).unwrap();
        let ImportOutcome::Refused { problems, .. } = not_json else {
            panic!("{not_json:?}")
        };
        assert!(problems[0].contains("line"), "{problems:?}");
        assert_eq!(store.list_bots().unwrap(), before, "nothing imported");
    }
}
