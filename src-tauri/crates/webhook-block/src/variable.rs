//! Bot variable names: the one rule for `Set Variable`.
//!
//! A variable name is 1 to 64 characters: a lowercase ASCII letter first, then lowercase
//! letters, digits or `_` (snake_case, as in `customer_name`). One case only, so `Name` and
//! `name` can never be two variables a designer confuses. Names starting with `sys_` belong to
//! the built-in variables and cannot be set by a mapping.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The built-in variable that holds who the bot reaches: filled from a request's
/// `contact_reference_id`.
pub const SYS_CONTACT_REFERENCE_ID: &str = "sys_contact_reference_id";
/// Every built-in variable a bot has without declaring it.
pub const BUILT_IN_VARIABLES: &[&str] = &[SYS_CONTACT_REFERENCE_ID];
/// The prefix reserved for built-in variables.
pub const RESERVED_PREFIX: &str = "sys_";
const MAX_LEN: usize = 64;

/// A name that follows the rule in the module docs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VariableName(String);

/// Why a text is not a variable name, with the name we would suggest instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VariableNameError {
    /// Nothing was typed.
    #[error("a variable name is required")]
    Empty,
    /// Too long.
    #[error("a variable name has at most {MAX_LEN} characters")]
    TooLong,
    /// Characters outside the rule.
    #[error("a variable name uses lowercase letters, digits and `_`, starting with a letter (like customer_name)")]
    Shape {
        /// A name that follows the rule, when one can be made from the text.
        suggestion: Option<String>,
    },
}

impl VariableNameError {
    /// The name we would offer instead, if any.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            Self::Shape { suggestion } => suggestion.as_deref(),
            _ => None,
        }
    }
}

impl VariableName {
    /// Checks `text` against the rule.
    pub fn parse(text: &str) -> Result<Self, VariableNameError> {
        if text.is_empty() {
            return Err(VariableNameError::Empty);
        }
        if text.len() > MAX_LEN {
            return Err(VariableNameError::TooLong);
        }
        let mut chars = text.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        if first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            Ok(Self(text.to_owned()))
        } else {
            Err(VariableNameError::Shape {
                suggestion: suggest(text),
            })
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a built-in (`sys_`) name.
    pub fn is_reserved(&self) -> bool {
        self.0.starts_with(RESERVED_PREFIX)
    }
}

/// `Customer Name` → `customer_name`, `2nd-item` → `v_2nd_item`; `None` when nothing is left.
fn suggest(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut last_was_sep = true;
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            last_was_sep = false;
        } else if !last_was_sep {
            out.push('_');
            last_was_sep = true;
        }
    }
    let trimmed = out.trim_end_matches('_');
    if trimmed.is_empty() {
        return None;
    }
    let mut name = if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v_{trimmed}")
    } else {
        trimmed.to_owned()
    };
    name.truncate(MAX_LEN);
    Some(name)
}

impl fmt::Display for VariableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for VariableName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for VariableName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(|e| match e.suggestion() {
            Some(s) => serde::de::Error::custom(format!("`{text}`: {e}; try `{s}`")),
            None => serde::de::Error::custom(format!("`{text}`: {e}")),
        })
    }
}

impl schemars::JsonSchema for VariableName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "VariableName".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A bot variable: lowercase letter first, then lowercase letters, digits or `_`.",
            "pattern": "^[a-z][a-z0-9_]{0,63}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names_are_accepted() {
        for name in ["customer_name", "a", "order_id2", "x_1_y", &"a".repeat(64)] {
            assert_eq!(VariableName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn other_shapes_are_rejected_with_a_suggestion() {
        let cases = [
            ("Customer Name", Some("customer_name")),
            ("customer-name", Some("customer_name")),
            ("2nd item", Some("v_2nd_item")),
            ("_private", Some("private")),
            ("émile", Some("mile")),
            ("!!!", None),
        ];
        for (text, suggestion) in cases {
            let err = VariableName::parse(text).unwrap_err();
            assert_eq!(err.suggestion(), suggestion, "{text}");
        }
    }

    #[test]
    fn empty_and_long_names_are_rejected() {
        assert_eq!(VariableName::parse(""), Err(VariableNameError::Empty));
        assert_eq!(VariableName::parse(&"a".repeat(65)), Err(VariableNameError::TooLong));
    }

    #[test]
    fn sys_names_are_reserved() {
        assert!(VariableName::parse(SYS_CONTACT_REFERENCE_ID).unwrap().is_reserved());
        assert!(!VariableName::parse("system_name").unwrap().is_reserved());
    }
}
