//! The SQL of each table. Reading functions take a `&Connection`, writing ones a
//! `&Transaction`: a write can only happen inside the transaction [`crate::Store`] opened for it.

pub mod blocks;
pub mod bots;
pub mod captures;
pub mod changes;
pub mod settings;
pub mod sync;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Reads a stored JSON value back into its type.
pub(crate) fn decode<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| stored(what, e.to_string()))
}

/// Reads a stored string as a type that deserialises from a JSON string (ids, enums, names).
pub(crate) fn decode_str<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| stored(what, e.to_string()))
}

/// A string form of a value that serialises as a JSON string (ids, enums).
pub(crate) fn encode_str<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// JSON text of a value.
pub(crate) fn encode<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub(crate) fn stored(what: &'static str, detail: String) -> Error {
    Error::Stored {
        path: std::path::PathBuf::new(),
        what,
        detail,
    }
}
