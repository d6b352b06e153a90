//! Where a block's webhook URLs point.
//!
//! Each block has two URLs, one per environment, both unique to the block:
//! - production: `<API base>/v1/webhooks/<block id>`, answered by the team's server;
//! - development: `http://127.0.0.1:<port>/dev/webhooks/<block id>`, answered by the local
//!   receiver while a designer tests.
//!
//! The API base must be `https://`, except on a loopback host: a production URL carries a token.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Id;

/// The API base used until Settings say otherwise: the bundled server on this machine.
pub const DEFAULT_API_BASE: &str = "http://127.0.0.1:8780";
/// The development receiver's port until Settings say otherwise.
pub const DEFAULT_RECEIVER_PORT: u16 = 8787;

/// Production or development.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// The live bot, through the team's server.
    Production,
    /// The local receiver, for testing.
    Development,
}

impl Environment {
    /// The path a block's URL has in this environment.
    pub fn path(self, block: &Id) -> String {
        match self {
            Self::Production => format!("/v1/webhooks/{block}"),
            Self::Development => format!("/dev/webhooks/{block}"),
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Production => "production",
            Self::Development => "development",
        })
    }
}

/// A checked API base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase(String);

/// Why a text is not a usable API base.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiBaseError {
    /// Not a URL at all.
    #[error("`{0}` is not a URL; write the server's address, like https://bots.example.com")]
    NotAUrl(String),
    /// Not http(s), or has a query or fragment.
    #[error("`{0}` must be an https:// address with no ?query or #fragment, like https://bots.example.com")]
    Shape(String),
    /// Plain http to a remote host.
    #[error(
        "`{0}` uses http://, which would send tokens in the clear; use https:// (http:// is allowed only for 127.0.0.1 and localhost)"
    )]
    Insecure(String),
}

impl ApiBase {
    /// Checks a base URL typed in Settings or given to the CLI.
    pub fn parse(text: &str) -> Result<Self, ApiBaseError> {
        let text = text.trim();
        let url = url::Url::parse(text).map_err(|_| ApiBaseError::NotAUrl(text.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https")
            || url.query().is_some()
            || url.fragment().is_some()
            || url.host().is_none()
        {
            return Err(ApiBaseError::Shape(text.to_owned()));
        }
        let loopback = match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        if url.scheme() == "http" && !loopback {
            return Err(ApiBaseError::Insecure(text.to_owned()));
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
    }

    /// The base as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ApiBase {
    fn default() -> Self {
        Self(DEFAULT_API_BASE.to_owned())
    }
}

/// The two places a block's URLs point at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Endpoints {
    /// The team server's base, for production URLs.
    pub api_base: ApiBase,
    /// The local receiver's port, for development URLs.
    pub receiver_port: Option<u16>,
}

impl Endpoints {
    /// The block's URL in `env`.
    pub fn webhook_url(&self, block: &Id, env: Environment) -> String {
        match env {
            Environment::Production => format!("{}{}", self.api_base.as_str(), env.path(block)),
            Environment::Development => {
                let port = self.receiver_port.unwrap_or(DEFAULT_RECEIVER_PORT);
                format!("http://127.0.0.1:{port}{}", env.path(block))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Id {
        Id::parse(s).unwrap()
    }

    #[test]
    fn urls_are_unique_per_block_and_environment() {
        let endpoints = Endpoints {
            api_base: ApiBase::parse("https://bots.example.com/").unwrap(),
            receiver_port: Some(9001),
        };
        let urls = [
            endpoints.webhook_url(&id("a"), Environment::Production),
            endpoints.webhook_url(&id("a"), Environment::Development),
            endpoints.webhook_url(&id("b"), Environment::Production),
            endpoints.webhook_url(&id("b"), Environment::Development),
        ];
        assert_eq!(urls[0], "https://bots.example.com/v1/webhooks/a");
        assert_eq!(urls[1], "http://127.0.0.1:9001/dev/webhooks/a");
        let unique: std::collections::HashSet<_> = urls.iter().collect();
        assert_eq!(unique.len(), 4);
    }

    #[test]
    fn a_base_with_a_path_keeps_it() {
        let base = ApiBase::parse("https://example.com/studio/").unwrap();
        let endpoints = Endpoints {
            api_base: base,
            receiver_port: None,
        };
        assert_eq!(
            endpoints.webhook_url(&id("x"), Environment::Production),
            "https://example.com/studio/v1/webhooks/x"
        );
        assert_eq!(
            endpoints.webhook_url(&id("x"), Environment::Development),
            "http://127.0.0.1:8787/dev/webhooks/x"
        );
    }

    #[test]
    fn bad_api_bases_are_refused_with_the_reason() {
        assert!(matches!(
            ApiBase::parse("bots.example.com"),
            Err(ApiBaseError::NotAUrl(_))
        ));
        assert!(matches!(
            ApiBase::parse("ftp://example.com"),
            Err(ApiBaseError::Shape(_))
        ));
        assert!(matches!(
            ApiBase::parse("https://example.com/?a=1"),
            Err(ApiBaseError::Shape(_))
        ));
        assert!(matches!(
            ApiBase::parse("http://example.com"),
            Err(ApiBaseError::Insecure(_))
        ));
        for ok in [
            "http://127.0.0.1:8780",
            "http://localhost:1",
            "http://[::1]:80",
            "https://example.com",
        ] {
            assert!(ApiBase::parse(ok).is_ok(), "{ok}");
        }
    }
}
