//! Settings: the API base of production URLs, the development receiver's port, the sync target
//! and how long a copied token stays on the clipboard. Each is checked here and saved on its own,
//! except the sync target, whose server address and API key are saved together ([`save_sync`]).
//!
//! The team server's API key is kept in the store's settings table, in `studio.db`: the same
//! local file that already holds every webhook block's token, so it is protected the same way
//! (the file's permissions). It is never sent back to the window after it is saved (the view
//! carries a masked form), and its `Debug` is redacted.

use serde::{Deserialize, Serialize};
use specta::Type;
use webhook_block::endpoints::{ApiBase, DEFAULT_RECEIVER_PORT, Endpoints};
use webhook_store::{Store, UpdateSource};

use crate::{EditorError, Result};

const API_BASE: &str = "api_base";
const RECEIVER_PORT: &str = "receiver_port";
const CLIPBOARD_CLEAR_SECONDS: &str = "clipboard_clear_seconds";
const SYNC_TARGET: &str = "sync_target";
const SYNC_BASE_URL: &str = "sync_base_url";
const SYNC_API_KEY: &str = "sync_api_key";

/// What every team server API key starts with.
pub const API_KEY_PREFIX: &str = "whsk_";

/// Seconds a copied token stays on the clipboard unless the designer changes it, as password
/// managers do.
pub const DEFAULT_CLIPBOARD_CLEAR_SECONDS: u32 = 30;

/// Where the bots are kept and synced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncTarget {
    /// Only in this computer's store.
    Local,
    /// In this computer's store, and synced with the team server.
    Remote,
}

/// The Sync section of the Settings page. The API key itself is never in it once saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    /// Where bots are kept.
    pub target: SyncTarget,
    /// The team server's base URL, as saved (empty when never set).
    pub base_url: String,
    /// The saved API key, masked (`whsk_••••••••a1b2`); `None` when no key is saved.
    pub key_masked: Option<String>,
    /// When syncing with a server while production URLs still use the default API base: the
    /// server's base URL, offered as the API base so a copied production cURL reaches it.
    pub suggested_api_base: Option<String>,
}

/// The Sync section as typed, saved with its Save button.
#[derive(Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncInput {
    /// Where bots are kept.
    pub target: SyncTarget,
    /// The team server's base URL, as typed.
    pub base_url: String,
    /// A new API key, as typed; empty keeps the saved one.
    pub new_key: String,
}

impl std::fmt::Debug for SyncInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncInput")
            .field("target", &self.target)
            .field("base_url", &self.base_url)
            .field("new_key", &if self.new_key.is_empty() { "" } else { "<redacted>" })
            .finish()
    }
}

/// A team server API key: `whsk_` and its secret. Prints as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks the shape of a key as typed (surrounding spaces from a paste are dropped).
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let secret = text.strip_prefix(API_KEY_PREFIX).ok_or_else(|| {
            EditorError::invalid(
                "apiKey",
                "This is not a Webhook Studio API key: keys start with whsk_. Copy the key that `webhook-studio-server team create` printed",
            )
        })?;
        if secret.len() < 16
            || !secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(EditorError::invalid(
                "apiKey",
                "This key is cut short or has characters no key has: copy the whole key again, without spaces",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// A form safe to show: the prefix and the last four characters.
    pub fn masked(&self) -> String {
        let tail = &self.0[self.0.len().saturating_sub(4)..];
        format!("{API_KEY_PREFIX}••••••••{tail}")
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The team server to sync with: its base URL and API key, both checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSettings {
    /// The server's base URL: https, or http to a loopback host only.
    pub base_url: ApiBase,
    /// The team's API key.
    pub key: ApiKey,
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
    /// Where bots are kept and synced.
    pub sync: SyncView,
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
        sync: sync_view(store)?,
    })
}

fn sync_target(store: &Store) -> Result<SyncTarget> {
    Ok(match store.setting(SYNC_TARGET)?.as_deref() {
        Some("remote") => SyncTarget::Remote,
        _ => SyncTarget::Local,
    })
}

fn saved_key(store: &Store) -> Result<Option<ApiKey>> {
    Ok(store.setting(SYNC_API_KEY)?.and_then(|text| ApiKey::parse(&text).ok()))
}

fn sync_view(store: &Store) -> Result<SyncView> {
    let target = sync_target(store)?;
    let base_url = store.setting(SYNC_BASE_URL)?.unwrap_or_default();
    let api_base_is_default = store
        .setting(API_BASE)?
        .is_none_or(|text| text == ApiBase::default().as_str());
    let suggested_api_base = (target == SyncTarget::Remote
        && api_base_is_default
        && !base_url.is_empty()
        && base_url != ApiBase::default().as_str())
    .then(|| base_url.clone());
    Ok(SyncView {
        target,
        base_url,
        key_masked: saved_key(store)?.map(|key| key.masked()),
        suggested_api_base,
    })
}

/// The team server to sync with, when Settings say to sync with one (and its address and key
/// are saved); `None` for local only.
pub fn remote(store: &Store) -> Result<Option<RemoteSettings>> {
    if sync_target(store)? != SyncTarget::Remote {
        return Ok(None);
    }
    let base_url = store
        .setting(SYNC_BASE_URL)?
        .and_then(|text| ApiBase::parse(&text).ok());
    Ok(base_url
        .zip(saved_key(store)?)
        .map(|(base_url, key)| RemoteSettings { base_url, key }))
}

/// The server as typed in the Sync section, checked, for "Test connection" before saving: an
/// empty key field means the saved key.
pub fn remote_as_typed(store: &Store, base_url: &str, new_key: &str) -> Result<RemoteSettings> {
    let base_url = parse_base_url(base_url)?;
    let key = key_as_typed(store, new_key)?;
    Ok(RemoteSettings { base_url, key })
}

fn parse_base_url(text: &str) -> Result<ApiBase> {
    if text.trim().is_empty() {
        return Err(EditorError::invalid(
            "baseUrl",
            "Enter the team server's address, like https://studio.example.com",
        ));
    }
    ApiBase::parse(text.trim()).map_err(|e| EditorError::invalid("baseUrl", sentence(&e)))
}

fn key_as_typed(store: &Store, new_key: &str) -> Result<ApiKey> {
    if new_key.trim().is_empty() {
        return saved_key(store)?.ok_or_else(|| {
            EditorError::invalid(
                "apiKey",
                "Enter the team's API key (whsk_…), printed by `webhook-studio-server team create`",
            )
        });
    }
    ApiKey::parse(new_key)
}

/// Checks and saves the Sync section: Remote needs a valid server address and a key (typed now or
/// saved before); Local keeps an address and key already saved, so switching back needs no
/// retyping. Nothing is saved when anything is wrong; the error names its field.
pub fn save_sync(store: &mut Store, input: &SyncInput) -> Result<SettingsView> {
    let typed_url = !input.base_url.trim().is_empty();
    let typed_key = !input.new_key.trim().is_empty();
    let base_url = match (input.target, typed_url) {
        (SyncTarget::Remote, _) | (SyncTarget::Local, true) => Some(parse_base_url(&input.base_url)?),
        (SyncTarget::Local, false) => None,
    };
    let key = match (input.target, typed_key) {
        (SyncTarget::Remote, _) => Some(key_as_typed(store, &input.new_key)?),
        (SyncTarget::Local, true) => Some(ApiKey::parse(&input.new_key)?),
        (SyncTarget::Local, false) => None,
    };
    let target = match input.target {
        SyncTarget::Local => "local",
        SyncTarget::Remote => "remote",
    };
    // One transaction: an address without its key (a full disk between two writes) never happens.
    let mut pairs = Vec::new();
    if let Some(base_url) = &base_url {
        pairs.push((SYNC_BASE_URL, base_url.as_str()));
    }
    if let (Some(key), true) = (&key, typed_key) {
        pairs.push((SYNC_API_KEY, key.expose_secret()));
    }
    pairs.push((SYNC_TARGET, target));
    store.set_settings(&pairs, UpdateSource::Window)?;
    read(store)
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

    const KEY: &str = "whsk_0123456789abcdefABCDEF_xyz";

    fn remote(base_url: &str, new_key: &str) -> SyncInput {
        SyncInput {
            target: SyncTarget::Remote,
            base_url: base_url.into(),
            new_key: new_key.into(),
        }
    }

    #[test]
    fn remote_sync_keeps_the_key_masked_and_offers_the_server_as_api_base() {
        let (_dir, mut store) = store();
        assert_eq!(read(&store).unwrap().sync.target, SyncTarget::Local);
        assert_eq!(super::remote(&store).unwrap(), None);

        let view = save_sync(&mut store, &remote(" https://studio.example.com/ ", KEY)).unwrap();
        assert_eq!(view.sync.target, SyncTarget::Remote);
        assert_eq!(view.sync.base_url, "https://studio.example.com");
        assert_eq!(view.sync.key_masked.as_deref(), Some("whsk_••••••••_xyz"));
        assert!(!format!("{view:?}").contains(KEY), "the view never holds the key");
        assert_eq!(
            view.sync.suggested_api_base.as_deref(),
            Some("https://studio.example.com")
        );
        let settings = super::remote(&store).unwrap().expect("remote");
        assert_eq!(settings.key.expose_secret(), KEY);
        assert!(!format!("{settings:?}").contains(KEY), "Debug is redacted");

        // An empty key field keeps the saved key; an API base already chosen is not second-guessed.
        change(&mut store, SettingChange::ApiBase("https://hooks.example.com".into())).unwrap();
        let view = save_sync(&mut store, &remote("https://studio.example.com", "")).unwrap();
        assert_eq!(view.sync.key_masked.as_deref(), Some("whsk_••••••••_xyz"));
        assert_eq!(view.sync.suggested_api_base, None);

        // Local only keeps the address and key for later, and stops syncing.
        let view = save_sync(
            &mut store,
            &SyncInput {
                target: SyncTarget::Local,
                base_url: "https://studio.example.com".into(),
                new_key: String::new(),
            },
        )
        .unwrap();
        assert_eq!(view.sync.target, SyncTarget::Local);
        assert!(view.sync.key_masked.is_some());
        assert_eq!(super::remote(&store).unwrap(), None);
    }

    #[test]
    fn bad_server_addresses_and_keys_name_their_field_and_save_nothing() {
        let (_dir, mut store) = store();
        for (url, key, field, says) in [
            ("", KEY, "baseUrl", "Enter the team server"),
            ("studio.example.com", KEY, "baseUrl", "not a URL"),
            ("ftp://studio.example.com", KEY, "baseUrl", "https://"),
            ("http://studio.example.com", KEY, "baseUrl", "in the clear"),
            ("https://studio.example.com", "", "apiKey", "Enter the team's API key"),
            (
                "https://studio.example.com",
                "sk_live_abc",
                "apiKey",
                "start with whsk_",
            ),
            ("https://studio.example.com", "whsk_short", "apiKey", "cut short"),
            (
                "https://studio.example.com",
                "whsk_0123456789abcdef ghi",
                "apiKey",
                "cut short",
            ),
        ] {
            let error = save_sync(&mut store, &remote(url, key)).unwrap_err();
            assert_eq!(error.field.as_deref(), Some(field), "{url} {key}: {error:?}");
            assert!(error.message.contains(says), "{url} {key}: {}", error.message);
            assert!(!error.message.contains(KEY));
        }
        assert_eq!(read(&store).unwrap().sync.target, SyncTarget::Local, "nothing saved");
        assert_eq!(read(&store).unwrap().sync.base_url, "");

        // Loopback may be plain http (the server on this machine); the key typed is tested as is.
        let typed = remote_as_typed(&store, "http://127.0.0.1:9000", KEY).unwrap();
        assert_eq!(typed.base_url.as_str(), "http://127.0.0.1:9000");
        assert_eq!(
            remote_as_typed(&store, "http://127.0.0.1:9000", "")
                .unwrap_err()
                .field
                .as_deref(),
            Some("apiKey")
        );
    }
}
