//! The webhook block's authorization token.
//!
//! A token is 256 bits from the operating system's CSPRNG, written URL-safe base64 behind a
//! recognisable prefix (`whs_`), so secret scanners and people can tell what it is. It is never
//! printed by `Debug` or `Display`: the only way to read it is [`WebhookToken::expose_secret`],
//! which makes every place that handles the secret easy to find. Comparison with a presented
//! token runs in constant time.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq as _;

/// What every token starts with.
pub const TOKEN_PREFIX: &str = "whs_";
/// Bytes of entropy in a token: 256 bits.
pub const TOKEN_BYTES: usize = 32;
/// Length of the encoded token, prefix included.
pub const TOKEN_LEN: usize = TOKEN_PREFIX.len() + 43;

/// A webhook block's Bearer token. See the module docs for what it guarantees.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookToken(String);

/// Why a string is not a webhook token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The OS random source failed; no token was made.
    #[error("the operating system's random source failed: {0}")]
    Entropy(String),
    /// The text does not have the shape of a token.
    #[error(
        "a webhook token is `{TOKEN_PREFIX}` followed by 43 URL-safe base64 characters; rotate the token to get a new one"
    )]
    Malformed,
}

impl WebhookToken {
    /// Draws a new token from the OS CSPRNG. Rotating a token is drawing a new one.
    pub fn generate() -> Result<Self, TokenError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| TokenError::Entropy(e.to_string()))?;
        Ok(Self(format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))))
    }

    /// Checks the shape of a stored token (prefix, length, alphabet, 32 decoded bytes).
    pub fn parse(text: &str) -> Result<Self, TokenError> {
        let body = text.strip_prefix(TOKEN_PREFIX).ok_or(TokenError::Malformed)?;
        match URL_SAFE_NO_PAD.decode(body) {
            Ok(bytes) if bytes.len() == TOKEN_BYTES => Ok(Self(text.to_owned())),
            _ => Err(TokenError::Malformed),
        }
    }

    /// The secret itself, for the few places that must send or store it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Compares a presented token with this one in constant time.
    pub fn matches(&self, presented: &str) -> bool {
        // Lengths are public (every token has the same one); the bytes are not.
        self.0.len() == presented.len() && bool::from(self.0.as_bytes().ct_eq(presented.as_bytes()))
    }

    /// A form safe to show anywhere: the prefix and the last four characters.
    pub fn masked(&self) -> String {
        let tail = &self.0[self.0.len().saturating_sub(4)..];
        format!("{TOKEN_PREFIX}••••••••{tail}")
    }
}

impl fmt::Debug for WebhookToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookToken(<redacted>)")
    }
}

impl fmt::Display for WebhookToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted webhook token>")
    }
}

impl Serialize for WebhookToken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Serialising writes the secret: only documents written with secrets call this.
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for WebhookToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for WebhookToken {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "WebhookToken".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "The block's Bearer token: `whs_` and 43 URL-safe base64 characters (256 bits).",
            "pattern": "^whs_[A-Za-z0-9_-]{43}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_have_the_prefix_the_length_and_256_bits() {
        let token = WebhookToken::generate().unwrap();
        let secret = token.expose_secret();
        assert!(secret.starts_with(TOKEN_PREFIX));
        assert_eq!(secret.len(), TOKEN_LEN);
        let decoded = URL_SAFE_NO_PAD.decode(&secret[TOKEN_PREFIX.len()..]).unwrap();
        assert_eq!(decoded.len(), 32);
        assert!(
            secret[TOKEN_PREFIX.len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn rotating_gives_a_different_token() {
        let tokens: std::collections::HashSet<String> = (0..100)
            .map(|_| WebhookToken::generate().unwrap().expose_secret().to_owned())
            .collect();
        assert_eq!(tokens.len(), 100);
    }

    #[test]
    fn debug_display_and_errors_never_print_the_secret() {
        let token = WebhookToken::generate().unwrap();
        let secret = token.expose_secret().to_owned();
        let body = &secret[TOKEN_PREFIX.len()..];
        for shown in [
            format!("{token:?}"),
            format!("{token}"),
            format!("{:?}", Some(&token)),
            token.masked(),
        ] {
            assert!(!shown.contains(body), "{shown} leaks the token");
        }
        assert!(token.masked().ends_with(&secret[secret.len() - 4..]));
    }

    #[test]
    fn parse_accepts_a_generated_token() {
        let token = WebhookToken::generate().unwrap();
        assert_eq!(WebhookToken::parse(token.expose_secret()).unwrap(), token);
    }

    #[test]
    fn parse_rejects_wrong_prefix_length_and_alphabet() {
        let good = WebhookToken::generate().unwrap().expose_secret().to_owned();
        let cases = [
            String::new(),
            good.replacen(TOKEN_PREFIX, "tok_", 1),
            good[..good.len() - 1].to_owned(),
            format!("{good}A"),
            format!("{}!{}", &good[..10], &good[11..]),
        ];
        for case in cases {
            assert_eq!(WebhookToken::parse(&case), Err(TokenError::Malformed), "{case}");
        }
    }

    #[test]
    fn matches_only_the_exact_token() {
        let token = WebhookToken::generate().unwrap();
        let secret = token.expose_secret();
        assert!(token.matches(secret));
        assert!(!token.matches(""));
        assert!(!token.matches(&secret[..secret.len() - 1]));
        let mut flipped = secret.as_bytes().to_vec();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert!(!token.matches(std::str::from_utf8(&flipped).unwrap()));
    }
}
