//! What happens to a request's JSON body: extraction of every mapping, and the request
//! contract's rules for accepting it (DESIGN.md). The receiver and the team server both answer
//! through [`CompiledWebhook::accept`], so the two can never disagree.
//!
//! [`trace`] is the designer's view of the same extraction: it runs a *draft* form (which may
//! break every rule) over a body and says, row by row, what each mapping found or why not. The
//! app replays captured requests through it after an edit.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::contact::{ContactReference, normalise_phone};
use crate::model::WebhookForm;
use crate::path::{DataPath, Miss};
use crate::scan::Scanner;
use crate::validate::CompiledWebhook;
use crate::variable::SYS_CONTACT_REFERENCE_ID;

/// The request's own top-level fields, read beside the mappings.
const ROOT_FIELDS: [&str; 3] = ["channel", "account", "contact_reference_id"];

/// The scanner for a block's mappings followed by [`ROOT_FIELDS`].
pub(crate) fn scanner_for(mappings: &[crate::validate::CompiledMapping]) -> Scanner {
    let root: Vec<DataPath> = ROOT_FIELDS.iter().filter_map(|f| DataPath::parse(f).ok()).collect();
    Scanner::new(mappings.iter().map(|m| &m.path).chain(&root))
}

/// Why a body as received was not accepted.
#[derive(Debug)]
pub enum BodyError {
    /// Not JSON (HTTP 400).
    Json(serde_json::Error),
    /// JSON the block cannot use (HTTP 422).
    Rejected(Rejected),
}

/// One mapping that found no value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappingMiss {
    /// The row (0-based).
    pub row: usize,
    /// The path, as the designer reads it.
    pub data: String,
    /// The variable it would have set.
    pub variable: String,
    /// Whether the row is optional (a miss is then no error).
    pub optional: bool,
    /// Where and why it missed.
    pub reason: Miss,
    /// The same, in a sentence.
    pub message: String,
}

/// The value of every mapping found in a body, and which missed and why.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Extraction {
    /// Variable name → value, in mapping order.
    pub values: Map<String, Value>,
    /// The mappings that found nothing.
    pub misses: Vec<MappingMiss>,
}

/// A request the block accepts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accepted {
    /// The extracted variables.
    pub variables: Map<String, Value>,
    /// Who the bot reaches, when it could be resolved from the block and the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_reference_id: Option<String>,
    /// Optional mappings that found nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<MappingMiss>,
}

/// Why a well-formed JSON request was refused (HTTP 422).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejected {
    /// Machine-readable reason.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// The required mappings that missed, for `missing_data`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub misses: Vec<MappingMiss>,
}

impl CompiledWebhook {
    /// Reads every mapping from `body`.
    pub fn extract(&self, body: &Value) -> Extraction {
        let mut extraction = Extraction::default();
        for mapping in &self.mappings {
            match mapping.path.get(body) {
                Ok(value) => {
                    extraction
                        .values
                        .insert(mapping.variable.as_str().to_owned(), value.clone());
                }
                Err(reason) => extraction.misses.push(MappingMiss {
                    row: mapping.row,
                    data: mapping.path.to_string(),
                    variable: mapping.variable.as_str().to_owned(),
                    optional: mapping.optional,
                    message: format!("{} → {}: {reason}", mapping.path, mapping.variable),
                    reason,
                }),
            }
        }
        extraction
    }

    /// Applies the request contract to a parsed JSON body.
    pub fn accept(&self, body: &Value) -> Result<Accepted, Rejected> {
        let Some(object) = body.as_object() else {
            return Err(reject(
                "body_not_object",
                "the body is JSON but not an object",
                r#"send an object like {"contact_reference_id": "+14155550123", "data": {"name": "Ada"}}"#,
            ));
        };
        self.decide(object, self.extract(body))
    }

    /// Applies the request contract to a body as received. Same answers as [`Self::accept`] on
    /// the parsed body, faster: the common case reads only the mapped paths (see [`crate::scan`]).
    pub fn accept_json(&self, bytes: &[u8]) -> Result<Accepted, BodyError> {
        if let Ok(scanned) = self.scanner.scan(bytes) {
            let found: Option<Vec<&Value>> = (0..self.mappings.len())
                .map(|i| scanned.get(&self.scanner, i))
                .collect();
            if let Some(found) = found {
                let mut root = Map::new();
                for (offset, field) in ROOT_FIELDS.iter().enumerate() {
                    if let Some(value) = scanned.get(&self.scanner, self.mappings.len() + offset) {
                        root.insert((*field).to_owned(), value.clone());
                    }
                }
                let values = self
                    .mappings
                    .iter()
                    .zip(found)
                    .map(|(m, v)| (m.variable.as_str().to_owned(), v.clone()))
                    .collect();
                return self
                    .decide(
                        &root,
                        Extraction {
                            values,
                            misses: Vec::new(),
                        },
                    )
                    .map_err(BodyError::Rejected);
            }
        }
        let value: Value = serde_json::from_slice(bytes).map_err(BodyError::Json)?;
        self.accept(&value).map_err(BodyError::Rejected)
    }

    /// The contract's decision once the body's top-level fields and the mappings are known.
    fn decide(&self, root: &Map<String, Value>, extraction: Extraction) -> Result<Accepted, Rejected> {
        self.check_alias(root, "channel", self.channel.map(|c| c.alias()))?;
        self.check_alias(root, "account", self.account.as_ref().map(|a| a.as_str()))?;
        let (missed, skipped): (Vec<_>, Vec<_>) = extraction.misses.into_iter().partition(|m| !m.optional);
        if !missed.is_empty() {
            let list: Vec<&str> = missed.iter().map(|m| m.message.as_str()).collect();
            return Err(Rejected {
                code: "missing_data",
                message: format!("{} mapped value(s) are missing: {}", missed.len(), list.join("; ")),
                fix: "send every mapped path in the body (the block's sample cURL shows one), or mark the mapping optional"
                    .into(),
                misses: missed,
            });
        }
        let contact_reference_id = self.resolve_contact(root, &extraction.values)?;
        Ok(Accepted {
            variables: extraction.values,
            contact_reference_id,
            skipped,
        })
    }

    fn check_alias(&self, body: &Map<String, Value>, field: &str, expected: Option<&str>) -> Result<(), Rejected> {
        let (Some(sent), Some(expected)) = (body.get(field), expected) else {
            return Ok(());
        };
        if sent.as_str() == Some(expected) {
            return Ok(());
        }
        Err(reject(
            if field == "channel" {
                "channel_mismatch"
            } else {
                "account_mismatch"
            },
            &format!("\"{field}\" is {sent}, but this block is set to \"{expected}\""),
            &format!("send \"{field}\": \"{expected}\", or leave \"{field}\" out"),
        ))
    }

    fn resolve_contact(
        &self,
        body: &Map<String, Value>,
        variables: &Map<String, Value>,
    ) -> Result<Option<String>, Rejected> {
        let from_request = match &self.contact {
            None => return Ok(None),
            Some(ContactReference::Phone(p)) => return Ok(Some(p.clone())),
            Some(ContactReference::ContactId(id)) => return Ok(Some(id.clone())),
            Some(ContactReference::Variable(name)) if name.as_str() == SYS_CONTACT_REFERENCE_ID => {
                match body.get("contact_reference_id").and_then(scalar_text) {
                    Some(text) => text,
                    None => {
                        return Err(reject(
                            "missing_contact",
                            "this block replies to {sys_contact_reference_id}, but the body has no \"contact_reference_id\"",
                            r#"add "contact_reference_id": the contact's phone number with country code or their id"#,
                        ));
                    }
                }
            }
            Some(ContactReference::Variable(name)) => match variables.get(name.as_str()).and_then(scalar_text) {
                Some(text) => text,
                // A bot variable this block does not map: the bot resolves it when it runs.
                None => return Ok(Some(format!("{{{name}}}"))),
            },
        };
        match self.channel {
            Some(channel) if channel.uses_phone_numbers() => {
                normalise_phone(&from_request, channel, None).map(Some).map_err(|e| {
                    reject(
                        "invalid_contact",
                        &format!("the contact reference id {from_request:?} is not usable: {e}"),
                        "send the phone number with its country code, like +14155550123",
                    )
                })
            }
            _ => Ok(Some(from_request)),
        }
    }
}

/// What one mapping row of a draft form made of a body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappingTrace {
    /// The row (0-based), as in the form.
    pub row: usize,
    /// The Data text as typed.
    pub data: String,
    /// The Set Variable text as typed.
    pub set_variable: String,
    /// Whether the row is marked optional.
    pub optional: bool,
    /// What the row found, or why not.
    pub outcome: TraceOutcome,
}

/// What one mapping row found in a body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceOutcome {
    /// The path found this value.
    Extracted {
        /// The value the variable would receive.
        value: Value,
    },
    /// A required row found nothing: the receiver would answer 422.
    Missed {
        /// Where and why it missed.
        reason: Miss,
        /// The same, in a sentence.
        message: String,
    },
    /// An optional row found nothing: the request is still accepted, the variable stays unset.
    Skipped {
        /// Where and why it missed.
        reason: Miss,
        /// The same, in a sentence.
        message: String,
    },
    /// The Data text is not a usable path, so nothing can be read with it.
    BadPath {
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// Runs every mapping row of a draft `form` over `body`, in form order, one trace per row.
///
/// Unlike [`CompiledWebhook::extract`] this needs no valid form: a row whose path cannot be
/// parsed is reported as [`TraceOutcome::BadPath`] and the others still run, so a designer sees
/// at once what an edit does to requests already received. The Set Variable text is reported as
/// typed and not checked here (validation says what is wrong with it).
pub fn trace(form: &WebhookForm, body: &Value) -> Vec<MappingTrace> {
    form.mappings
        .iter()
        .enumerate()
        .map(|(row, mapping)| {
            let outcome = match DataPath::parse(&mapping.data) {
                Err(error) => TraceOutcome::BadPath {
                    message: match error.suggestion() {
                        Some(fixed) => format!("{error}. Did you mean {fixed}?"),
                        None => error.to_string(),
                    },
                },
                Ok(path) => match path.get(body) {
                    Ok(value) => TraceOutcome::Extracted { value: value.clone() },
                    Err(reason) => {
                        let message = reason.to_string();
                        if mapping.optional {
                            TraceOutcome::Skipped { reason, message }
                        } else {
                            TraceOutcome::Missed { reason, message }
                        }
                    }
                },
            };
            MappingTrace {
                row,
                data: mapping.data.clone(),
                set_variable: mapping.set_variable.clone(),
                optional: mapping.optional,
                outcome,
            }
        })
        .collect()
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn reject(code: &'static str, message: &str, fix: &str) -> Rejected {
    Rejected {
        code,
        message: message.to_owned(),
        fix: fix.to_owned(),
        misses: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::Mapping;

    fn row(data: &str, variable: &str, optional: bool) -> Mapping {
        Mapping {
            data: data.into(),
            set_variable: variable.into(),
            optional,
        }
    }

    fn form(rows: Vec<Mapping>) -> WebhookForm {
        WebhookForm {
            mappings: rows,
            ..WebhookForm::default()
        }
    }

    #[test]
    fn each_row_gets_its_value_its_miss_or_its_skip() {
        let body = json!({"data": {"name": "Ada", "items": []}});
        let traces = trace(
            &form(vec![
                row("data.name", "customer_name", false),
                row("data.order_id", "order_id", false),
                row("data.items[0].sku", "first_sku", true),
            ]),
            &body,
        );
        assert_eq!(traces.len(), 3);
        assert_eq!(traces[0].outcome, TraceOutcome::Extracted { value: json!("Ada") });
        let TraceOutcome::Missed { reason, message } = &traces[1].outcome else {
            panic!("{:?}", traces[1].outcome)
        };
        assert!(matches!(reason, Miss::NoField { field, .. } if field == "order_id"));
        assert!(message.contains("order_id") && message.contains("name"), "{message}");
        assert!(matches!(&traces[2].outcome, TraceOutcome::Skipped { message, .. } if message.contains("0 items")));
        assert_eq!((traces[2].row, traces[2].set_variable.as_str()), (2, "first_sku"));
    }

    #[test]
    fn a_bad_path_is_reported_and_the_other_rows_still_run() {
        let body = json!({"data": {"name": "Ada"}});
        let traces = trace(
            &form(vec![
                row("data.items.0.sku", "sku", false),
                row("", "", false),
                row("$..name", "name", false),
                row("data.name", "not a variable!", false),
            ]),
            &body,
        );
        let messages: Vec<String> = traces
            .iter()
            .take(3)
            .map(|t| match &t.outcome {
                TraceOutcome::BadPath { message } => message.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(
            messages[0].contains("Did you mean data.items[0].sku?"),
            "{}",
            messages[0]
        );
        assert!(messages[1].contains("enter the path"), "{}", messages[1]);
        assert!(messages[2].contains("several values"), "{}", messages[2]);
        // The variable name is validation's business; the trace still shows what the path finds.
        assert_eq!(traces[3].outcome, TraceOutcome::Extracted { value: json!("Ada") });
    }

    #[test]
    fn a_body_that_is_not_an_object_misses_every_row_saying_what_it_is() {
        for (body, found) in [
            (json!([1, 2]), "a list"),
            (json!("text"), "a text"),
            (Value::Null, "null"),
        ] {
            let traces = trace(&form(vec![row("data.name", "name", false)]), &body);
            let TraceOutcome::Missed { message, .. } = &traces[0].outcome else {
                panic!("{:?}", traces[0].outcome)
            };
            assert!(message.contains(found), "{message}");
        }
    }

    #[test]
    fn an_empty_form_traces_nothing() {
        assert!(trace(&WebhookForm::default(), &json!({"data": {}})).is_empty());
    }

    #[test]
    fn a_trace_serialises_with_its_kind() {
        let traces = trace(&form(vec![row("data.x", "x", false)]), &json!({"data": {"x": 1}}));
        assert_eq!(
            serde_json::to_value(&traces[0]).unwrap(),
            json!({"row": 0, "data": "data.x", "set_variable": "x", "optional": false,
                   "outcome": {"kind": "extracted", "value": 1}})
        );
    }
}
