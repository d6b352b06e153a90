//! Reaching the team server, and saying plainly why it could not be reached.

use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use webhook_sync::{API_VERSION, ErrorEnvelope, SERVER_NAME, ServerInfo, TeamInfo};

use crate::remote::Remote;

/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole request may take (a push of a full batch included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The server answered and accepted the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// Which server it is.
    pub server: ServerInfo,
    /// The team the key belongs to.
    pub team: TeamInfo,
}

/// Why the server could not be used, each saying what to do. Never holds the API key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectionError {
    /// The address cannot be a server's.
    #[error("\"{url}\" is not a server address ({reason}); enter it like https://sync.example.com")]
    InvalidUrl {
        /// What was entered.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// Nothing answered: refused, unknown name, or no answer in time.
    #[error(
        "cannot reach {url}: {reason}. Check the address and this computer's internet connection; if both are right, the server may be down. Your edits are kept and sent once it answers."
    )]
    Unreachable {
        /// The server's address.
        url: String,
        /// What happened (refused, name not found, timed out).
        reason: String,
    },
    /// Something answered, but not a Webhook Studio server.
    #[error(
        "{url} answered, but it is not a Webhook Studio team server ({detail}). Check the address: it is the one your team's server administrator gave you."
    )]
    NotWebhookStudio {
        /// The server's address.
        url: String,
        /// What it answered instead.
        detail: String,
    },
    /// A Webhook Studio server speaking another version of the sync API.
    #[error(
        "the server speaks sync API version {server}, this app version {app}. {}",
        if server > app { "Update Webhook Studio on this computer." } else { "Ask your server administrator to update the team server." }
    )]
    VersionMismatch {
        /// The server's API version.
        server: u32,
        /// This app's.
        app: u32,
    },
    /// The server refused the API key.
    #[error(
        "the server refused the API key: it is wrong, or it was revoked. Ask your team's server administrator for a key (webhook-studio-server key create) and enter it again. Your edits are kept until then."
    )]
    BadKey,
    /// Any other error answer.
    #[error("the server answered {status}: {message}. {fix}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// The server's message, or the status's reason.
        message: String,
        /// What to do.
        fix: String,
    },
}

impl ConnectionError {
    /// A stable code for the window to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "invalid_url",
            Self::Unreachable { .. } => "unreachable",
            Self::NotWebhookStudio { .. } => "not_webhook_studio",
            Self::VersionMismatch { .. } => "version_mismatch",
            Self::BadKey => "bad_key",
            Self::Http { .. } => "http",
        }
    }

    /// Whether trying again later may work by itself (the network or the server being down, or
    /// the server busy), as opposed to something a person must change.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::Http { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }
}

/// An HTTP client for one remote.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    client: Client,
    remote: Remote,
}

impl Http {
    pub(crate) fn new(remote: &Remote) -> Result<Self, ConnectionError> {
        remote.base()?;
        let client = Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("webhook-studio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConnectionError::Unreachable {
                url: remote.base_url.clone(),
                reason: format!("the HTTP client cannot start ({})", describe(&e)),
            })?;
        Ok(Self {
            client,
            remote: remote.clone(),
        })
    }

    pub(crate) fn remote(&self) -> &Remote {
        &self.remote
    }

    fn shown_url(&self) -> String {
        self.remote.base_url.trim().trim_end_matches('/').to_owned()
    }

    /// Sends a request (with the key unless `anonymous`) and reads a JSON answer of type `T`.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
        with_key: bool,
    ) -> Result<T, ConnectionError> {
        let mut request = self.client.request(method, self.remote.url(path)?);
        if with_key {
            request = request.bearer_auth(&self.remote.api_key);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| ConnectionError::Unreachable {
            url: self.shown_url(),
            reason: describe(&e),
        })?;
        let status = response.status();
        let is_json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = response.bytes().await.map_err(|e| ConnectionError::Unreachable {
            url: self.shown_url(),
            reason: format!("the answer was cut off ({})", describe(&e)),
        })?;
        if status.is_success() {
            if !is_json {
                return Err(self.not_ours(status, &bytes));
            }
            return serde_json::from_slice(&bytes).map_err(|e| ConnectionError::NotWebhookStudio {
                url: self.shown_url(),
                detail: format!("its answer to {path} is not what the sync API answers: {e}"),
            });
        }
        let envelope: Option<ErrorEnvelope> = if is_json {
            serde_json::from_slice(&bytes).ok()
        } else {
            None
        };
        match (status, envelope) {
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, Some(_)) => Err(ConnectionError::BadKey),
            (_, Some(ErrorEnvelope { error })) if status != StatusCode::NOT_FOUND || error.code != "not_found" => {
                Err(ConnectionError::Http {
                    status: status.as_u16(),
                    message: error.message,
                    fix: error.fix,
                })
            }
            (StatusCode::NOT_FOUND, _) => Err(ConnectionError::NotWebhookStudio {
                url: self.shown_url(),
                detail: format!("it has no {path} (404)"),
            }),
            (_, None) if !is_json => Err(self.not_ours(status, &bytes)),
            _ => Err(ConnectionError::Http {
                status: status.as_u16(),
                message: status.canonical_reason().unwrap_or("an error").to_owned(),
                fix: if status.is_server_error() {
                    "The server had a problem; it is tried again by itself.".to_owned()
                } else {
                    "If it lasts, tell your server administrator.".to_owned()
                },
            }),
        }
    }

    fn not_ours(&self, status: StatusCode, bytes: &[u8]) -> ConnectionError {
        let text = String::from_utf8_lossy(bytes);
        let looks_html = text.trim_start().starts_with('<');
        if status.is_server_error() && !looks_html {
            // A proxy in front of a server that is down (502, 503, 504) is the server being down.
            return ConnectionError::Unreachable {
                url: self.shown_url(),
                reason: format!("it answered {status} without the server behind it"),
            };
        }
        ConnectionError::NotWebhookStudio {
            url: self.shown_url(),
            detail: format!(
                "it answered {status} with {}",
                if looks_html {
                    "a web page"
                } else {
                    "something other than JSON"
                }
            ),
        }
    }

    /// `GET /v1/info`, checked: our server, our API version.
    pub(crate) async fn info(&self) -> Result<ServerInfo, ConnectionError> {
        let info: ServerInfo = self.call(Method::GET, "v1/info", None::<&()>, false).await?;
        if info.server != SERVER_NAME {
            return Err(ConnectionError::NotWebhookStudio {
                url: self.shown_url(),
                detail: format!("it calls itself \"{}\"", info.server),
            });
        }
        if info.api_version != API_VERSION {
            return Err(ConnectionError::VersionMismatch {
                server: info.api_version,
                app: API_VERSION,
            });
        }
        Ok(info)
    }
}

/// What went wrong, in words: the innermost cause (refused, name not found, timed out) of a
/// request error. Never the URL's credentials or headers: reqwest's errors do not hold headers.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "no answer in time".to_owned();
    }
    let mut innermost: &dyn std::error::Error = error;
    while let Some(next) = innermost.source() {
        innermost = next;
    }
    let text = innermost.to_string();
    let lower = text.to_ascii_lowercase();
    if lower.contains("refused") {
        "the connection was refused (nothing listens at that address and port)".to_owned()
    } else if lower.contains("dns") || lower.contains("resolve") || lower.contains("name or service") {
        format!("the name cannot be found ({text})")
    } else {
        text
    }
}

/// Checks a remote as the Settings page does: the server answers, is a Webhook Studio server
/// speaking this app's API version, and accepts the key.
pub async fn test_connection(remote: &Remote) -> Result<Connected, ConnectionError> {
    let http = Http::new(remote)?;
    let server = http.info().await?;
    let team: TeamInfo = http.call(Method::GET, "v1/team", None::<&()>, true).await?;
    Ok(Connected { server, team })
}
