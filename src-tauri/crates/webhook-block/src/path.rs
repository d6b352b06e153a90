//! The `Data` field of a mapping: a path to one value in a request's JSON body.
//!
//! A designer writes a dotted path (`data.name`, `data.items[0].sku`, `data["first name"]`) or
//! full JSONPath (`$.data.name`). Both are parsed by an RFC 9535 parser (`rsonpath-syntax`): a
//! dotted path is the same query without its leading `$`. A mapping fills one variable, so the
//! query must be *singular* in RFC 9535's sense: only name and index selectors, which pick at
//! most one value. Wildcards, slices, filters and `..` are refused with a way to fix it.
//!
//! Walking a singular query is a loop over names and indices; doing it here (rather than
//! through a general evaluator) is what lets a miss say exactly where and why it missed.

use std::fmt;

use rsonpath_syntax::{Index, Segment, Selector};
use serde_json::Value;

/// One step of a singular path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// An object member.
    Name(String),
    /// An array element; negative counts from the end (`[-1]` is the last).
    Index(i64),
}

/// A parsed, singular path into a JSON body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataPath {
    steps: Vec<Step>,
}

/// Why a `Data` text is not a usable path. The message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Nothing was typed.
    #[error("enter the path of a value in the request body, like data.name")]
    Empty,
    /// The text points at the whole body.
    #[error("`{0}` is the whole request body; name one value in it, like data.name")]
    WholeBody(String),
    /// The JSONPath parser refused the text.
    #[error("`{text}` is not a valid path ({reason}); write it like data.name or data.items[0].sku")]
    Syntax {
        /// What was typed.
        text: String,
        /// The parser's first complaint.
        reason: String,
        /// A corrected path, when an obvious one exists.
        suggestion: Option<String>,
    },
    /// The query can pick several values.
    #[error(
        "`{text}` can pick several values ({what}); a variable holds one value, so point at exactly one, like data.items[0].sku"
    )]
    NotSingular {
        /// What was typed.
        text: String,
        /// Which construct makes it plural.
        what: &'static str,
    },
}

impl PathError {
    /// A corrected path, when an obvious one exists.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            Self::Syntax { suggestion, .. } => suggestion.as_deref(),
            _ => None,
        }
    }
}

impl DataPath {
    /// Parses what a designer typed in `Data`.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PathError::Empty);
        }
        // In the dotted form `..` is a typo for `.`; RFC 9535's descendant segment needs `$`.
        if !text.starts_with('$') && !text.contains(['[', '"', '\'']) && text.contains("..") {
            return Err(PathError::Syntax {
                text: text.to_owned(),
                reason: "two dots in a row".to_owned(),
                suggestion: suggest(text),
            });
        }
        let query_text = if text.starts_with('$') {
            text.to_owned()
        } else if text.starts_with('[') {
            format!("${text}")
        } else {
            format!("$.{text}")
        };
        let query = rsonpath_syntax::parse(&query_text).map_err(|e| PathError::Syntax {
            text: text.to_owned(),
            reason: plain_reason(text).map_or_else(|| first_reason(&e.to_string()), str::to_owned),
            suggestion: suggest(text),
        })?;
        let mut steps = Vec::with_capacity(query.segments().len());
        for segment in query.segments() {
            let selectors = match segment {
                Segment::Child(selectors) => selectors.as_slice(),
                Segment::Descendant(_) => {
                    return Err(PathError::NotSingular {
                        text: text.to_owned(),
                        what: "`..` searches every level",
                    });
                }
            };
            let [selector] = selectors else {
                return Err(PathError::NotSingular {
                    text: text.to_owned(),
                    what: "a list of selectors",
                });
            };
            steps.push(match selector {
                Selector::Name(name) => Step::Name(name.unquoted().to_owned()),
                Selector::Index(Index::FromStart(i)) => Step::Index(clamp_index(i.as_u64())),
                Selector::Index(Index::FromEnd(i)) => Step::Index(-clamp_index(i.as_u64())),
                Selector::Wildcard => {
                    return Err(PathError::NotSingular {
                        text: text.to_owned(),
                        what: "`*` picks every member",
                    });
                }
                Selector::Slice(_) => {
                    return Err(PathError::NotSingular {
                        text: text.to_owned(),
                        what: "a slice picks a range",
                    });
                }
                Selector::Filter(_) => {
                    return Err(PathError::NotSingular {
                        text: text.to_owned(),
                        what: "a filter picks every match",
                    });
                }
            });
        }
        if steps.is_empty() {
            return Err(PathError::WholeBody(text.to_owned()));
        }
        Ok(Self { steps })
    }

    /// The path made of `steps` (for a field picked in a sample body); `None` for no steps,
    /// which would be the whole body.
    pub fn from_steps(steps: Vec<Step>) -> Option<Self> {
        (!steps.is_empty()).then_some(Self { steps })
    }

    /// The steps from the body's root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The value at this path in `body`, or where and why the path missed.
    pub fn get<'v>(&self, body: &'v Value) -> Result<&'v Value, Miss> {
        let mut here = body;
        for (depth, step) in self.steps.iter().enumerate() {
            let at = || Shown(&self.steps[..depth]).to_string();
            here = match (step, here) {
                (Step::Name(name), Value::Object(map)) => map.get(name).ok_or_else(|| Miss::NoField {
                    at: at(),
                    field: name.clone(),
                    available: map.keys().take(8).cloned().collect(),
                })?,
                (Step::Index(index), Value::Array(items)) => resolve_index(*index, items.len())
                    .and_then(|i| items.get(i))
                    .ok_or_else(|| Miss::NoIndex {
                        at: at(),
                        index: *index,
                        len: items.len(),
                    })?,
                (Step::Name(_), other) => {
                    return Err(Miss::NotObject {
                        at: at(),
                        found: kind_of(other),
                    });
                }
                (Step::Index(_), other) => {
                    return Err(Miss::NotList {
                        at: at(),
                        found: kind_of(other),
                    });
                }
            };
        }
        Ok(here)
    }

    /// Makes the path exist in `body`, putting `leaf()` at its end when nothing is there.
    ///
    /// Used to build sample bodies. Containers are created as needed; a value of the wrong kind
    /// on the way (a text where the path needs an object) is replaced.
    pub fn ensure(&self, body: &mut Value, leaf: impl FnOnce() -> Value) {
        // With replacing on, placing cannot fail.
        let _ = self.place(body, leaf, true);
    }

    /// Like [`DataPath::ensure`], but keeps what is there: a value of the wrong kind on the way
    /// is reported, not replaced. Used to find two paths that no body can satisfy together.
    pub fn try_ensure(&self, body: &mut Value, leaf: impl FnOnce() -> Value) -> Result<(), Miss> {
        self.place(body, leaf, false)
    }

    fn place(&self, body: &mut Value, leaf: impl FnOnce() -> Value, replace: bool) -> Result<(), Miss> {
        let mut here = body;
        for (depth, step) in self.steps.iter().enumerate() {
            let at = || Shown(&self.steps[..depth]).to_string();
            here = match step {
                Step::Name(name) => {
                    if here.is_null() || (replace && !here.is_object()) {
                        *here = Value::Object(serde_json::Map::new());
                    }
                    match here {
                        Value::Object(map) => map.entry(name.clone()).or_insert(Value::Null),
                        other => {
                            return Err(Miss::NotObject {
                                at: at(),
                                found: kind_of(other),
                            });
                        }
                    }
                }
                Step::Index(index) => {
                    if here.is_null() || (replace && !here.is_array()) {
                        *here = Value::Array(Vec::new());
                    }
                    let Value::Array(items) = here else {
                        return Err(Miss::NotList {
                            at: at(),
                            found: kind_of(here),
                        });
                    };
                    let needed = if *index >= 0 {
                        usize::try_from(*index).unwrap_or(0) + 1
                    } else {
                        usize::try_from(index.unsigned_abs()).unwrap_or(usize::MAX)
                    };
                    if items.len() < needed {
                        items.resize(needed, Value::Null);
                    }
                    let i = resolve_index(*index, items.len()).unwrap_or(0);
                    &mut items[i]
                }
            };
        }
        if here.is_null() {
            *here = leaf();
        }
        Ok(())
    }

    /// The last member name on the path, if any (`sku` for `data.items[0].sku`).
    pub fn last_name(&self) -> Option<&str> {
        self.steps.iter().rev().find_map(|s| match s {
            Step::Name(n) => Some(n.as_str()),
            Step::Index(_) => None,
        })
    }
}

impl fmt::Display for DataPath {
    /// The dotted form a designer writes: `data.items[0].sku`, `data["first name"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Shown(&self.steps).fmt(f)
    }
}

struct Shown<'a>(&'a [Step]);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("the body");
        }
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Name(name) if is_shorthand(name) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Step::Name(name) => write!(f, "[{}]", serde_json::Value::String(name.clone()))?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Where and why a path found no value in a body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Miss {
    /// An object lacks the member.
    #[error("{} has no field \"{field}\"{}", describe(at), list_fields(available))]
    NoField {
        /// The part of the path that exists.
        at: String,
        /// The missing member.
        field: String,
        /// Up to eight members it does have.
        available: Vec<String>,
    },
    /// A list is too short.
    #[error("{} has {len} item{}, so [{index}] is out of range", describe(at), if *len == 1 { "" } else { "s" })]
    NoIndex {
        /// The part of the path that exists.
        at: String,
        /// The index asked for.
        index: i64,
        /// How many items there are.
        len: usize,
    },
    /// The path goes into something that is not an object.
    #[error("{} is {found}, not an object with fields", describe(at))]
    NotObject {
        /// The part of the path that exists.
        at: String,
        /// What is there instead.
        found: &'static str,
    },
    /// The path indexes something that is not a list.
    #[error("{} is {found}, not a list", describe(at))]
    NotList {
        /// The part of the path that exists.
        at: String,
        /// What is there instead.
        found: &'static str,
    },
}

fn describe(at: &str) -> String {
    if at == "the body" {
        "the body".to_owned()
    } else {
        format!("`{at}`")
    }
}

fn list_fields(available: &[String]) -> String {
    if available.is_empty() {
        " (it is empty)".to_owned()
    } else {
        format!(" (it has: {})", available.join(", "))
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn resolve_index(index: i64, len: usize) -> Option<usize> {
    if index >= 0 {
        usize::try_from(index).ok().filter(|i| *i < len)
    } else {
        len.checked_sub(usize::try_from(index.unsigned_abs()).ok()?)
    }
}

fn clamp_index(i: u64) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

/// RFC 9535's member-name-shorthand: what may follow a `.` without brackets.
fn is_shorthand(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// The mistakes a designer makes most, in words, for a text the parser refused: the parser's own
/// report names grammar rules ("invalid selector - empty"). `None` when none of them is it.
fn plain_reason(text: &str) -> Option<&'static str> {
    let mut open_brackets = 0i32;
    let mut quote: Option<char> = None;
    let mut previous = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q && previous != Some('\\') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => open_brackets += 1,
            (None, ']') if open_brackets == 0 => return Some("a ] has no [ before it"),
            (None, ']') if previous == Some('[') => {
                return Some("[] is empty: put an index in it, like [0], or a quoted name");
            }
            (None, ']') => open_brackets -= 1,
            _ => {}
        }
        previous = Some(c);
    }
    if quote.is_some() {
        Some("a quote is never closed")
    } else if open_brackets > 0 {
        Some("a [ is never closed")
    } else if text.ends_with('.') {
        Some("it ends with a dot: name the value after it")
    } else {
        None
    }
}

/// The parser's first complaint, on one line.
fn first_reason(report: &str) -> String {
    report
        .lines()
        .find_map(|l| l.trim().strip_prefix("error:"))
        .map(|l| l.trim().to_owned())
        .unwrap_or_else(|| "it does not follow the JSONPath rules".to_owned())
}

/// Obvious corrections: `data.items.0.sku` → `data.items[0].sku`,
/// `data.first name` → `data["first name"]`.
fn suggest(text: &str) -> Option<String> {
    if text.starts_with('$') || text.contains('[') || text.contains('"') {
        return None;
    }
    let parts: Vec<&str> = text.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        let fixed: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        return (!fixed.is_empty()).then(|| fixed.join("."));
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if part.chars().all(|c| c.is_ascii_digit()) && i > 0 {
            out.push_str(&format!("[{part}]"));
        } else if is_shorthand(part) {
            if i > 0 {
                out.push('.');
            }
            out.push_str(part);
        } else {
            out.push_str(&format!("[{}]", Value::String((*part).to_owned())));
        }
    }
    DataPath::parse(&out).ok().map(|_| out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn steps(text: &str) -> Vec<Step> {
        DataPath::parse(text).unwrap().steps().to_vec()
    }

    fn n(s: &str) -> Step {
        Step::Name(s.to_owned())
    }

    #[test]
    fn dotted_paths_and_jsonpath_mean_the_same() {
        assert_eq!(steps("data.name"), vec![n("data"), n("name")]);
        assert_eq!(steps("$.data.name"), steps("data.name"));
        assert_eq!(
            steps("data.items[0].sku"),
            vec![n("data"), n("items"), Step::Index(0), n("sku")]
        );
        assert_eq!(steps("$['data']['items'][0]['sku']"), steps("data.items[0].sku"));
        assert_eq!(steps(r#"data["first name"]"#), vec![n("data"), n("first name")]);
        assert_eq!(steps("data.items[-1]"), vec![n("data"), n("items"), Step::Index(-1)]);
        assert_eq!(steps("  data.name  "), steps("data.name"));
        assert_eq!(steps("data.prénom"), vec![n("data"), n("prénom")]);
    }

    #[test]
    fn display_is_the_dotted_form() {
        for text in [
            "data.name",
            "data.items[0].sku",
            r#"data["first name"]"#,
            "data.items[-1]",
        ] {
            assert_eq!(DataPath::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(DataPath::parse("$['data']['name']").unwrap().to_string(), "data.name");
    }

    #[test]
    fn the_common_mistakes_are_said_in_words_not_the_parsers() {
        let reason = |text: &str| match DataPath::parse(text) {
            Err(PathError::Syntax { reason, .. }) => reason,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(reason("data.items["), "a [ is never closed");
        assert_eq!(reason("data.items[0"), "a [ is never closed");
        assert_eq!(reason("data.items]"), "a ] has no [ before it");
        assert_eq!(
            reason("data.items[]"),
            "[] is empty: put an index in it, like [0], or a quoted name"
        );
        assert_eq!(reason(r#"data["first name]"#), "a quote is never closed");
        assert_eq!(reason("data.name."), "it ends with a dot: name the value after it");
        // A bracket inside a quoted name is part of the name, not a bracket.
        assert_eq!(steps(r#"data["a[b"]"#), vec![n("data"), n("a[b")]);
        // Others keep the parser's first complaint.
        assert!(!reason("data.na me").is_empty());
        let message = DataPath::parse("data.items[").unwrap_err().to_string();
        assert_eq!(
            message,
            "`data.items[` is not a valid path (a [ is never closed); write it like data.name or data.items[0].sku"
        );
    }

    #[test]
    fn broken_paths_say_what_is_wrong() {
        assert_eq!(DataPath::parse("  "), Err(PathError::Empty));
        assert!(matches!(DataPath::parse("$"), Err(PathError::WholeBody(_))));
        for text in ["data..name", "data.[", "data.na me", "$.data[", "data.items.0.sku"] {
            let err = DataPath::parse(text).unwrap_err();
            assert!(matches!(err, PathError::Syntax { .. }), "{text}: {err:?}");
            assert!(err.to_string().contains(text), "{err}");
        }
    }

    #[test]
    fn broken_paths_get_an_obvious_correction() {
        let suggestion = |t: &str| DataPath::parse(t).unwrap_err().suggestion().map(str::to_owned);
        assert_eq!(suggestion("data.items.0.sku").as_deref(), Some("data.items[0].sku"));
        assert_eq!(suggestion("data.first name").as_deref(), Some(r#"data["first name"]"#));
        assert_eq!(suggestion("data..name").as_deref(), Some("data.name"));
    }

    #[test]
    fn plural_queries_are_refused() {
        for text in [
            "data.*",
            "data.items[*].sku",
            "$..sku",
            "data.items[0:2]",
            "data.items[?@.sku]",
            "data['a','b']",
        ] {
            assert!(
                matches!(DataPath::parse(text), Err(PathError::NotSingular { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn get_finds_values() {
        let body = json!({"data": {"name": "Ada", "items": [{"sku": "A1"}, {"sku": "B2"}], "first name": "Ada"}});
        let get = |t: &str| DataPath::parse(t).unwrap().get(&body).cloned();
        assert_eq!(get("data.name"), Ok(json!("Ada")));
        assert_eq!(get("data.items[1].sku"), Ok(json!("B2")));
        assert_eq!(get("data.items[-1].sku"), Ok(json!("B2")));
        assert_eq!(get(r#"data["first name"]"#), Ok(json!("Ada")));
    }

    #[test]
    fn get_says_where_and_why_it_missed() {
        let body = json!({"data": {"name": "Ada", "items": [{"sku": "A1"}]}});
        let miss = |t: &str| DataPath::parse(t).unwrap().get(&body).unwrap_err();
        assert_eq!(
            miss("data.email").to_string(),
            "`data` has no field \"email\" (it has: name, items)"
        );
        assert_eq!(
            miss("data.items[3]").to_string(),
            "`data.items` has 1 item, so [3] is out of range"
        );
        assert_eq!(
            miss("data.items[-2]").to_string(),
            "`data.items` has 1 item, so [-2] is out of range"
        );
        assert_eq!(
            miss("data.name.first").to_string(),
            "`data.name` is a text, not an object with fields"
        );
        assert_eq!(miss("data[0]").to_string(), "`data` is an object, not a list");
        assert_eq!(
            miss("order.id").to_string(),
            "the body has no field \"order\" (it has: data)"
        );
    }

    #[test]
    fn ensure_builds_the_path_and_keeps_what_is_there() {
        let mut body = json!({"data": {"name": "Ada"}});
        DataPath::parse("data.name")
            .unwrap()
            .ensure(&mut body, || json!("other"));
        DataPath::parse("data.items[1].sku")
            .unwrap()
            .ensure(&mut body, || json!("SKU"));
        DataPath::parse(r#"data["first name"]"#)
            .unwrap()
            .ensure(&mut body, || json!("F"));
        assert_eq!(
            body,
            json!({"data": {"name": "Ada", "items": [null, {"sku": "SKU"}], "first name": "F"}})
        );
        let mut body = json!({});
        DataPath::parse("data.items[-2]")
            .unwrap()
            .ensure(&mut body, || json!(1));
        assert_eq!(DataPath::parse("data.items[-2]").unwrap().get(&body), Ok(&json!(1)));
    }
}
