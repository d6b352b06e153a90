//! Settings: the API base of production URLs, the development receiver's port, the sync target
//! and how long a copied token stays on the clipboard. Each is checked here and saved on its own.

use serde::{Deserialize, Serialize};
use specta::Type;
use webhook_block::endpoints::{ApiBase, DEFAULT_RECEIVER_PORT, Endpoints};
use webhook_store::{Store, UpdateSource};

use crate::{EditorError, Result};

const API_BASE: &str = "api_base";
const RECEIVER_PORT: &str = "receiver_port";
const CLIPBOARD_CLEAR_SECONDS: &str = "clipboard_clear_seconds";
const SYNC_TARGET: &str = "sync_target";

/// Seconds a copied token stays on the clipboard unless the designer changes it, as password
/// managers do.
pub const DEFAULT_CLIPBOARD_CLEAR_SECONDS: u32 = 30;

/// Where the bots are kept and synced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncTarget {
    /// Only in this computer's store.
    Local,
}

/// The settings as the Settings page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The team server's base URL; production webhook URLs start with it.
    pub api_base: String,
    /// The port of the development receiver on 127.0.0.1.
    pub receiver_port: u16,
    /// Seconds before a copied token is cleared from the clipboard; 0 keeps it.
    pub clipboard_clear_seconds: u32,
    /// Where bots are kept.
    pub sync_target: SyncTarget,
}

/// One setting as typed on the Settings page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(tag = "key", content = "value", rename_all = "camelCase")]
pub enum SettingChange {
    /// The API base, as typed.
    ApiBase(String),
    /// The receiver's port, as typed.
    ReceiverPort(String),
    /// Seconds before a copied token is cleared, as typed; 0 or empty keeps it.
    ClipboardClearSeconds(String),
    /// Where bots are kept.
    SyncTarget(SyncTarget),
}

/// The current settings (defaults for what was never set).
pub fn read(store: &Store) -> Result<SettingsView> {
    let endpoints = endpoints(store)?;
    let clear = match store.setting(CLIPBOARD_CLEAR_SECONDS)? {
        Some(text) => text.parse().unwrap_or(DEFAULT_CLIPBOARD_CLEAR_SECONDS),
        None => DEFAULT_CLIPBOARD_CLEAR_SECONDS,
    };
    Ok(SettingsView {
        api_base: endpoints.api_base.as_str().to_owned(),
        receiver_port: endpoints.receiver_port.unwrap_or(DEFAULT_RECEIVER_PORT),
        clipboard_clear_seconds: clear,
        sync_target: SyncTarget::Local,
    })
}

/// Where the block URLs point, from the settings. A stored value that no longer parses (edited
/// by hand) falls back to the default rather than hiding every URL.
pub fn endpoints(store: &Store) -> Result<Endpoints> {
    let api_base = store
        .setting(API_BASE)?
        .and_then(|text| ApiBase::parse(&text).ok())
        .unwrap_or_default();
    let receiver_port = store.setting(RECEIVER_PORT)?.and_then(|text| text.parse().ok());
    Ok(Endpoints {
        api_base,
        receiver_port,
    })
}

/// Checks and saves one setting; returns the settings after it.
pub fn change(store: &mut Store, change: SettingChange) -> Result<SettingsView> {
    let (key, value) = match change {
        SettingChange::ApiBase(text) => {
            let base = ApiBase::parse(text.trim()).map_err(|e| EditorError::invalid("apiBase", sentence(&e)))?;
            (API_BASE, base.as_str().to_owned())
        }
        SettingChange::ReceiverPort(text) => (RECEIVER_PORT, parse_port(&text)?.to_string()),
        SettingChange::ClipboardClearSeconds(text) => {
            (CLIPBOARD_CLEAR_SECONDS, parse_clear_seconds(&text)?.to_string())
        }
        SettingChange::SyncTarget(SyncTarget::Local) => (SYNC_TARGET, "local".to_owned()),
    };
    store.set_setting(key, &value, UpdateSource::Window)?;
    read(store)
}

fn parse_port(text: &str) -> Result<u16> {
    let text = text.trim();
    let port: u32 = text.parse().map_err(|_| {
        EditorError::invalid(
            "receiverPort",
            format!(
                "`{text}` is not a port number: enter a whole number from 1024 to 65535, like {DEFAULT_RECEIVER_PORT}"
            ),
        )
    })?;
    match u16::try_from(port) {
        Ok(port) if port >= 1024 => Ok(port),
        _ => Err(EditorError::invalid(
            "receiverPort",
            format!(
                "{port} is outside 1024 to 65535: ports below 1024 need administrator rights, and none is above 65535"
            ),
        )),
    }
}

fn parse_clear_seconds(text: &str) -> Result<u32> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<u32>() {
        Ok(seconds) if seconds <= 3600 => Ok(seconds),
        _ => Err(EditorError::invalid(
            "clipboardClearSeconds",
            format!("`{text}` is not a delay: enter seconds from 0 (never clear) to 3600, like 30"),
        )),
    }
}

fn sentence(error: &impl ToString) -> String {
    crate::error::capitalise(&error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn defaults_then_each_setting_is_checked_and_kept() {
        let (_dir, mut store) = store();
        let fresh = read(&store).unwrap();
        assert_eq!(fresh.receiver_port, DEFAULT_RECEIVER_PORT);
        assert_eq!(fresh.clipboard_clear_seconds, 30);

        let after = change(&mut store, SettingChange::ApiBase(" https://bots.example.com/ ".into())).unwrap();
        assert_eq!(after.api_base, "https://bots.example.com");
        let after = change(&mut store, SettingChange::ReceiverPort("9090".into())).unwrap();
        assert_eq!(after.receiver_port, 9090);
        assert_eq!(
            endpoints(&store).unwrap().webhook_url(
                &webhook_block::Id::parse("b1").unwrap(),
                webhook_block::Environment::Development
            ),
            "http://127.0.0.1:9090/dev/webhooks/b1"
        );
        let after = change(&mut store, SettingChange::ClipboardClearSeconds(String::new())).unwrap();
        assert_eq!(after.clipboard_clear_seconds, 0, "empty turns clearing off");
    }

    #[test]
    fn bad_values_name_their_field_and_keep_the_saved_one() {
        let (_dir, mut store) = store();
        change(&mut store, SettingChange::ReceiverPort("9090".into())).unwrap();
        for (typed, says) in [("80", "1024"), ("70000", "65535"), ("eighty", "not a port")] {
            let error = change(&mut store, SettingChange::ReceiverPort(typed.into())).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("receiverPort"));
            assert!(error.message.contains(says), "{typed}: {}", error.message);
        }
        let error = change(&mut store, SettingChange::ApiBase("http://bots.example.com".into())).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("apiBase"));
        assert!(error.message.contains("https"), "{}", error.message);
        let error = change(&mut store, SettingChange::ClipboardClearSeconds("-5".into())).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("clipboardClearSeconds"));
        assert_eq!(read(&store).unwrap().receiver_port, 9090, "nothing saved on error");
    }
}
