//! Sample cURL commands that survive any shell.
//!
//! POSIX (bash, dash, zsh): every argument is quoted by `shlex`, which picks single quotes
//! (nothing inside is special) and switches to double quotes only around `'` and `\\`, never
//! leaving `!` or `^` where an interactive bash would expand history. Quotes, `$`, backticks,
//! backslashes, `%`, newlines, emoji and right-to-left text all arrive byte for byte; the
//! property tests run the commands through real bash, dash and zsh to prove it. The body goes through `--data-raw`, which, unlike `-d`, gives a leading `@`
//! no meaning.
//!
//! PowerShell: `curl` there is an alias or a native exe whose argument passing changed between
//! versions, so the sample uses `Invoke-RestMethod` and sends the body as UTF-8 bytes (Windows
//! PowerShell 5.1 would otherwise send non-ASCII text as ISO-8859-1). Strings are single-quoted;
//! PowerShell treats `'` and the typographic quotes U+2018 to U+201B all as single quotes, and
//! a doubled one stands for itself (about_Quoting_Rules; the language spec's
//! single-quote-character), so each of them is doubled. pwsh cannot be installed on the build
//! machine, so this quoting is unit-tested against those documented rules, not run.

use serde_json::Value;

use crate::endpoints::{Endpoints, Environment};
use crate::sample::sample_body;
use crate::token::WebhookToken;
use crate::validate::CompiledWebhook;

/// The environment variable the token is read from when the secret is kept out of the command.
pub const TOKEN_ENV_VAR: &str = "WEBHOOK_TOKEN";

/// Which shell the command is for.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shell {
    /// bash, dash, zsh and other POSIX shells.
    #[default]
    Posix,
    /// PowerShell (Windows PowerShell 5.1 and pwsh 7).
    Powershell,
}

/// Whether the token is written into the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenIn {
    /// The token itself: ready to run.
    #[default]
    Inline,
    /// `$WEBHOOK_TOKEN`: safe to paste into a ticket or a chat.
    EnvVar,
}

/// The sample cURL of a block in `env`.
pub fn sample_curl(
    block: &CompiledWebhook,
    endpoints: &Endpoints,
    env: Environment,
    shell: Shell,
    token_in: TokenIn,
) -> String {
    let url = endpoints.webhook_url(&block.block, env);
    let body = sample_body(block, env);
    render(&url, block.token.as_ref(), &body, shell, token_in)
}

/// A POST of `body` to `url` with the token, for `shell`. Without a token the command reads it
/// from the environment.
pub fn render(url: &str, token: Option<&WebhookToken>, body: &Value, shell: Shell, token_in: TokenIn) -> String {
    let json = serde_json::to_string_pretty(body).unwrap_or_else(|_| "{}".to_owned());
    let token = token.filter(|_| token_in == TokenIn::Inline);
    match shell {
        Shell::Posix => {
            let auth = match token {
                Some(t) => sh(&format!("Authorization: Bearer {}", t.expose_secret())),
                None => format!("\"Authorization: Bearer ${TOKEN_ENV_VAR}\""),
            };
            format!(
                "curl --request POST {} \\\n  --header {auth} \\\n  --header 'Content-Type: application/json' \\\n  --data-raw {}",
                sh(url),
                sh(&json)
            )
        }
        Shell::Powershell => {
            let auth = match token {
                Some(t) => powershell_quote(&format!("Bearer {}", t.expose_secret())),
                None => format!("\"Bearer $env:{TOKEN_ENV_VAR}\""),
            };
            format!(
                "$body = {}\nInvoke-RestMethod -Method Post -Uri {} `\n  -Headers @{{ Authorization = {auth} }} `\n  -ContentType 'application/json; charset=utf-8' `\n  -Body ([System.Text.Encoding]::UTF8.GetBytes($body))",
                powershell_quote(&json),
                powershell_quote(url)
            )
        }
    }
}

/// POSIX-shell quoting of one word.
fn sh(text: &str) -> String {
    // shlex refuses only NUL, which none of our words can hold: JSON text escapes it, and URLs
    // and header values never contain it. Should one ever reach here, the word becomes empty
    // rather than a command that means something else.
    shlex::try_quote(text)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| "''".to_owned())
}

/// PowerShell single-quoted string: every single-quote character doubled.
pub fn powershell_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Reads a PowerShell single-quoted string back, by the documented rules: used by the tests to
/// check [`powershell_quote`] without pwsh.
#[cfg(test)]
fn powershell_unquote(quoted: &str) -> Option<String> {
    let is_quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    let mut chars = quoted.chars().peekable();
    if !chars.next().is_some_and(is_quote) {
        return None;
    }
    let mut out = String::new();
    while let Some(c) = chars.next() {
        if is_quote(c) {
            match chars.peek() {
                Some(&next) if is_quote(next) => {
                    // A pair stands for its second character.
                    out.push(next);
                    chars.next();
                }
                None => return Some(out),
                Some(_) => return None,
            }
        } else {
            out.push(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn powershell_doubles_every_kind_of_single_quote() {
        assert_eq!(powershell_quote("it's"), "'it''s'");
        assert_eq!(powershell_quote("‘smart’"), "'‘‘smart’’'");
        assert_eq!(powershell_quote("$env:X `n \"q\""), "'$env:X `n \"q\"'");
        assert_eq!(powershell_quote(""), "''");
    }

    proptest! {
        #[test]
        fn powershell_quoting_round_trips(text in "\\PC*|[\\s'‘’‚‛$`\"\\\\%]*") {
            prop_assert_eq!(powershell_unquote(&powershell_quote(&text)), Some(text));
        }
    }

    #[test]
    fn env_var_mode_keeps_the_token_out() {
        let token = WebhookToken::generate().unwrap();
        let body = serde_json::json!({"data": {"name": "Ada"}});
        for shell in [Shell::Posix, Shell::Powershell] {
            let command = render("http://127.0.0.1:1/x", Some(&token), &body, shell, TokenIn::EnvVar);
            assert!(!command.contains(token.expose_secret()), "{command}");
            assert!(command.contains(TOKEN_ENV_VAR), "{command}");
            let inline = render("http://127.0.0.1:1/x", Some(&token), &body, shell, TokenIn::Inline);
            assert!(inline.contains(token.expose_secret()), "{inline}");
        }
    }
}
