//! Two versions of one entity, field by field, and the version a person makes of them.
//!
//! A *field* is a leaf of the entity's JSON, named by its JSON pointer (`/form/mappings/0/data`).
//! Objects are compared key by key and arrays of the same length item by item; arrays of
//! different lengths (a mapping added on one side) are one field, chosen whole. A deleted entity
//! is one field, the root (`""`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Which version a field is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// This app's version.
    Mine,
    /// The server's version.
    Theirs,
}

/// One field of the two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Its JSON pointer, `""` for the whole entity.
    pub path: String,
    /// Its name for a person: `Form › Mappings › 1 › Data`.
    pub label: String,
    /// This app's value; `None` when absent on this side.
    pub mine: Option<Value>,
    /// The server's value; `None` when absent there.
    pub theirs: Option<Value>,
}

impl Field {
    /// Whether both versions agree on it.
    pub fn same(&self) -> bool {
        self.mine == self.theirs
    }
}

/// Every field of either version, in document order (this app's order first).
pub fn fields(mine: Option<&Value>, theirs: Option<&Value>) -> Vec<Field> {
    let mut out = Vec::new();
    walk(String::new(), mine, theirs, &mut out);
    out
}

fn walk(path: String, mine: Option<&Value>, theirs: Option<&Value>, out: &mut Vec<Field>) {
    match (mine, theirs) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                walk(format!("{path}/{}", escape(key)), a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() && !a.is_empty() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(format!("{path}/{i}"), Some(x), Some(y), out);
            }
        }
        _ => out.push(Field {
            label: label(&path),
            path,
            mine: mine.cloned(),
            theirs: theirs.cloned(),
        }),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `/form/mappings/0/set_variable` → `Form › Mappings › 1 › Set variable`.
pub fn label(path: &str) -> String {
    if path.is_empty() {
        return "Whole entity".to_owned();
    }
    path.split('/')
        .skip(1)
        .map(|segment| match segment.parse::<usize>() {
            Ok(index) => (index + 1).to_string(),
            Err(_) => {
                let words = unescape(segment).replace('_', " ");
                let mut chars = words.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// A field that differs and was not chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("choose which version of {label} to keep")]
pub struct Unchosen {
    /// The field's JSON pointer.
    pub path: String,
    /// Its name for a person.
    pub label: String,
}

/// The version made of the fields chosen: each field that differs takes the side `choices` names
/// for it; fields both sides agree on are kept. `None` means the entity is deleted (the root was
/// chosen from a side where it is absent). Every differing field needs a choice.
pub fn merge(
    mine: Option<&Value>,
    theirs: Option<&Value>,
    choices: &BTreeMap<String, Side>,
) -> Result<Option<Value>, Unchosen> {
    build(String::new(), mine, theirs, choices)
}

fn build(
    path: String,
    mine: Option<&Value>,
    theirs: Option<&Value>,
    choices: &BTreeMap<String, Side>,
) -> Result<Option<Value>, Unchosen> {
    match (mine, theirs) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut out = Map::new();
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                if let Some(v) = build(format!("{path}/{}", escape(key)), a.get(key), b.get(key), choices)? {
                    out.insert(key.clone(), v);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() && !a.is_empty() => {
            let mut out = Vec::with_capacity(a.len());
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                // Items of equal-length arrays are present on both sides, so never dropped.
                out.extend(build(format!("{path}/{i}"), Some(x), Some(y), choices)?);
            }
            Ok(Some(Value::Array(out)))
        }
        _ if mine == theirs => Ok(mine.cloned()),
        _ => match choices.get(&path) {
            Some(Side::Mine) => Ok(mine.cloned()),
            Some(Side::Theirs) => Ok(theirs.cloned()),
            None => Err(Unchosen {
                label: label(&path),
                path,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mine() -> Value {
        json!({"name": "Order alert", "form": {"channel": "telegram", "mappings": [{"data": "data.id", "set_variable": "order"}]}})
    }

    fn theirs() -> Value {
        json!({"name": "Orders", "form": {"channel": "telegram", "mappings": [{"data": "data.order_id", "set_variable": "order"}]}})
    }

    #[test]
    fn fields_name_each_leaf_and_say_which_differ() {
        let fields = fields(Some(&mine()), Some(&theirs()));
        let differing: Vec<_> = fields.iter().filter(|f| !f.same()).map(|f| f.label.as_str()).collect();
        assert_eq!(differing, ["Name", "Form › Mappings › 1 › Data"]);
        assert!(fields.iter().any(|f| f.path == "/form/channel" && f.same()));
    }

    #[test]
    fn merge_takes_each_chosen_side_and_keeps_what_agrees() {
        let choices = BTreeMap::from([
            ("/name".to_owned(), Side::Theirs),
            ("/form/mappings/0/data".to_owned(), Side::Mine),
        ]);
        let merged = merge(Some(&mine()), Some(&theirs()), &choices).expect("all chosen");
        assert_eq!(
            merged,
            Some(
                json!({"name": "Orders", "form": {"channel": "telegram", "mappings": [{"data": "data.id", "set_variable": "order"}]}})
            )
        );
    }

    #[test]
    fn an_unchosen_difference_is_named() {
        let choices = BTreeMap::from([("/name".to_owned(), Side::Mine)]);
        let error = merge(Some(&mine()), Some(&theirs()), &choices).expect_err("one left");
        assert_eq!(
            error.to_string(),
            "choose which version of Form › Mappings › 1 › Data to keep"
        );
    }

    #[test]
    fn arrays_of_different_lengths_are_one_field() {
        let longer = json!({"m": [1, 2]});
        let shorter = json!({"m": [1]});
        let fields = fields(Some(&longer), Some(&shorter));
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].path, "/m");
    }

    #[test]
    fn a_deleted_side_is_the_whole_entity() {
        let fields = fields(Some(&mine()), None);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].label, "Whole entity");
        let kept_deleted =
            merge(Some(&mine()), None, &BTreeMap::from([(String::new(), Side::Theirs)])).expect("chosen");
        assert_eq!(kept_deleted, None);
    }

    #[test]
    fn keys_with_slashes_round_trip() {
        let a = json!({"a/b": 1});
        let b = json!({"a/b": 2});
        let fields = fields(Some(&a), Some(&b));
        assert_eq!(fields[0].path, "/a~1b");
        let merged = merge(
            Some(&a),
            Some(&b),
            &BTreeMap::from([("/a~1b".to_owned(), Side::Theirs)]),
        )
        .expect("chosen");
        assert_eq!(merged, Some(b));
    }
}
