//! Which server and with which key.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::connection::ConnectionError;

/// A team server and the API key the app uses with it.
#[derive(Clone, PartialEq, Eq)]
pub struct Remote {
    /// The server's address, e.g. `https://sync.example.com` (a path prefix is kept).
    pub base_url: String,
    /// The team's API key. Sent only in the `Authorization` header; never printed.
    pub api_key: String,
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remote")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

impl Remote {
    /// A remote for `base_url` with `api_key`.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
        }
    }

    /// The base address, parsed: http or https, with a host.
    pub fn base(&self) -> Result<Url, ConnectionError> {
        let text = self.base_url.trim();
        let invalid = |reason: &str| ConnectionError::InvalidUrl {
            url: text.to_owned(),
            reason: reason.to_owned(),
        };
        let mut url = Url::parse(text).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("it must start with https:// (or http://)"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("it has no host name"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not have a ?query or #fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // Whatever was typed before the @ may be a secret: the error shows the address
            // without it.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            return Err(ConnectionError::InvalidUrl {
                url: url.to_string(),
                reason: "put the API key in its own field, not in the address".to_owned(),
            });
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(url)
    }

    /// The address of `path` (relative, e.g. `v1/info`) on this server.
    pub fn url(&self, path: &str) -> Result<Url, ConnectionError> {
        let base = self.base()?;
        base.join(path.trim_start_matches('/'))
            .map_err(|e| ConnectionError::InvalidUrl {
                url: self.base_url.clone(),
                reason: e.to_string(),
            })
    }

    /// Whether webhook tokens may be sent: only over https, or to this computer (127.0.0.1, ::1,
    /// localhost), where nobody on the network can read them.
    pub fn sends_tokens(&self) -> bool {
        let Ok(url) = self.base() else {
            return false;
        };
        if url.scheme() == "https" {
            return true;
        }
        let host = url.host_str().unwrap_or_default();
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let remote = Remote::new("https://sync.example.com", "wss_live_supersecret");
        let shown = format!("{remote:?} {remote:#?}");
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(shown.contains("<redacted>") && shown.contains("sync.example.com"));
    }

    #[test]
    fn tokens_go_only_to_https_or_this_computer() {
        for (url, sends) in [
            ("https://sync.example.com", true),
            ("http://127.0.0.1:8080", true),
            ("http://127.0.0.2:8080", true),
            ("http://[::1]:8080", true),
            ("http://localhost:8080", true),
            ("http://LOCALHOST", true),
            ("http://sync.example.com", false),
            ("http://192.168.1.10:8080", false),
            ("http://localhost.evil.example", false),
            ("not a url", false),
        ] {
            assert_eq!(Remote::new(url, "k").sends_tokens(), sends, "{url}");
        }
    }

    #[test]
    fn paths_join_under_the_base_even_with_a_prefix() {
        let remote = Remote::new("https://example.com/studio", "k");
        assert_eq!(
            remote.url("v1/info").unwrap().as_str(),
            "https://example.com/studio/v1/info"
        );
        let remote = Remote::new(" http://127.0.0.1:9/ ", "k");
        assert_eq!(remote.url("/v1/team").unwrap().as_str(), "http://127.0.0.1:9/v1/team");
    }

    #[test]
    fn a_secret_typed_into_the_address_is_not_repeated_in_the_error() {
        let error = Remote::new("https://team:whsk_secret@sync.example.com", "k")
            .base()
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("whsk_secret") && shown.contains("sync.example.com"),
            "{shown}"
        );
    }

    #[test]
    fn bad_addresses_are_refused_with_the_reason() {
        for url in [
            "",
            "sync.example.com",
            "ftp://sync.example.com",
            "https://user:pass@sync.example.com",
            "https://sync.example.com/?x=1",
        ] {
            let error = Remote::new(url, "k").base().unwrap_err();
            assert!(matches!(error, ConnectionError::InvalidUrl { .. }), "{url}: {error:?}");
            assert!(error.to_string().contains("https://"), "{url}: {error}");
        }
    }
}
