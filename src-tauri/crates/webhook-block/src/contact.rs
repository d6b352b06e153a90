//! The Contact Reference ID: who the bot reaches when a webhook arrives.
//!
//! On WhatsApp and SMS a contact is a phone number in E.164 form (`+14155550123`), checked and
//! normalised with libphonenumber's rules (the `phonenumber` crate). A number typed without a
//! country code is refused with a suggestion built from the account's own number, never
//! silently completed: guessing a country sends messages to strangers.
//!
//! On the other channels it is a contact id. On every channel it may instead be a `{variable}`
//! resolved when the request arrives: `{sys_contact_reference_id}` (from the request's
//! `contact_reference_id`) or a variable the block maps. This is also what makes a WhatsApp
//! welcome-on-sign-up possible: the number arrives with the request; it is checked as E.164
//! then.

use std::fmt;

use crate::model::ChannelKind;
use crate::variable::VariableName;

/// A checked contact reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactReference {
    /// An E.164 phone number, normalised.
    Phone(String),
    /// A channel's contact id.
    ContactId(String),
    /// A variable resolved when the request arrives.
    Variable(VariableName),
}

/// Why a contact reference is not usable. Messages say how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    /// Nothing typed.
    #[error("enter who the bot should reach")]
    Empty,
    /// A number without its country code.
    #[error("add the country code: a {channel} number starts with + and the country code{}", example(.suggestion))]
    MissingCountryCode {
        /// The channel's name.
        channel: &'static str,
        /// The number completed with the account's country code, offered, not applied.
        suggestion: Option<String>,
    },
    /// libphonenumber says no such number can exist.
    #[error("`{text}` is not a valid phone number for {channel}: {reason}")]
    InvalidPhone {
        /// What was typed.
        text: String,
        /// The channel's name.
        channel: &'static str,
        /// Why.
        reason: String,
    },
    /// `{...}` around something that is not a variable name.
    #[error("`{text}` is not a variable: write a variable name between braces, like {{sys_contact_reference_id}}")]
    BadVariable {
        /// What was typed.
        text: String,
    },
    /// A contact id with characters a channel id never has.
    #[error("a contact id has no spaces or line breaks; paste the id exactly as the channel shows it")]
    BadContactId,
}

impl ContactError {
    /// A corrected value to offer, when there is one.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            Self::MissingCountryCode { suggestion, .. } => suggestion.as_deref(),
            _ => None,
        }
    }
}

fn example(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(", e.g. {s}"),
        None => ", e.g. +14155550123".to_owned(),
    }
}

impl ContactReference {
    /// Parses what a designer typed for `channel`; without a channel only a variable or a
    /// contact id can be checked. `account_number` is the chosen account's own phone number,
    /// used only to suggest a country code.
    pub fn parse(text: &str, channel: Option<ChannelKind>, account_number: Option<&str>) -> Result<Self, ContactError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ContactError::Empty);
        }
        if let Some(inner) = text.strip_prefix('{') {
            let name = inner
                .strip_suffix('}')
                .ok_or_else(|| ContactError::BadVariable { text: text.to_owned() })?;
            return VariableName::parse(name.trim())
                .map(Self::Variable)
                .map_err(|_| ContactError::BadVariable { text: text.to_owned() });
        }
        if let Some(channel) = channel.filter(|c| c.uses_phone_numbers()) {
            normalise_phone(text, channel, account_number).map(Self::Phone)
        } else if text.chars().any(char::is_whitespace) {
            Err(ContactError::BadContactId)
        } else {
            Ok(Self::ContactId(text.to_owned()))
        }
    }
}

/// Checks a phone number and writes it in E.164 (`+1 (415) 555-0123` → `+14155550123`).
pub fn normalise_phone(text: &str, channel: ChannelKind, account_number: Option<&str>) -> Result<String, ContactError> {
    let text = text.trim();
    // `00` is the international call prefix in most of the world: the same as `+`.
    let plus;
    let text = match text.strip_prefix("00") {
        Some(rest) => {
            plus = format!("+{rest}");
            plus.as_str()
        }
        None => text,
    };
    let international = text.starts_with('+');
    if !international {
        let suggestion = account_number
            .and_then(|n| phonenumber::parse(None, n).ok())
            .and_then(|account| phonenumber::parse(account.country().id(), text).ok())
            .filter(phonenumber::is_valid)
            .map(|n| n.format().mode(phonenumber::Mode::E164).to_string());
        return Err(ContactError::MissingCountryCode {
            channel: channel.label(),
            suggestion,
        });
    }
    let invalid = |reason: &str| ContactError::InvalidPhone {
        text: text.to_owned(),
        channel: channel.label(),
        reason: reason.to_owned(),
    };
    let number = phonenumber::parse(None, text).map_err(|e| invalid(&e.to_string()))?;
    if !phonenumber::is_valid(&number) {
        return Err(invalid("no number of that length or pattern exists in that country"));
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

impl fmt::Display for ContactReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Phone(p) => f.write_str(p),
            Self::ContactId(id) => f.write_str(id),
            Self::Variable(v) => write!(f, "{{{v}}}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChannelKind::*;

    #[test]
    fn phone_numbers_are_normalised_to_e164() {
        for text in [
            "+1 (415) 555-0123",
            "+1 415-555-0123",
            "+14155550123",
            " +1.415.555.0123 ",
            "0014155550123",
        ] {
            assert_eq!(
                ContactReference::parse(text, Some(Whatsapp), None),
                Ok(ContactReference::Phone("+14155550123".into())),
                "{text}"
            );
        }
        assert_eq!(
            ContactReference::parse("+44 20 7946 0958", Some(Sms), None),
            Ok(ContactReference::Phone("+442079460958".into()))
        );
    }

    #[test]
    fn a_number_without_country_code_gets_a_suggestion_not_a_guess() {
        let err = ContactReference::parse("(415) 555-0123", Some(Whatsapp), Some("+14155550100")).unwrap_err();
        assert_eq!(err.suggestion(), Some("+14155550123"));
        assert!(err.to_string().contains("country code"), "{err}");
        let err = ContactReference::parse("020 7946 0958", Some(Sms), Some("+447911123456")).unwrap_err();
        assert_eq!(err.suggestion(), Some("+442079460958"));
        let err = ContactReference::parse("415 555 0123", Some(Whatsapp), None).unwrap_err();
        assert!(matches!(err, ContactError::MissingCountryCode { suggestion: None, .. }));
    }

    #[test]
    fn impossible_numbers_are_refused() {
        for text in ["+1 555", "+999 1234567", "+1 415 555 01234567", "+hello"] {
            assert!(
                matches!(
                    ContactReference::parse(text, Some(Whatsapp), None),
                    Err(ContactError::InvalidPhone { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn variables_are_accepted_on_every_channel() {
        for channel in ChannelKind::ALL {
            assert_eq!(
                ContactReference::parse("{sys_contact_reference_id}", Some(channel), None)
                    .unwrap()
                    .to_string(),
                "{sys_contact_reference_id}"
            );
        }
        for bad in ["{Customer Phone}", "{unclosed", "{}"] {
            assert!(
                matches!(
                    ContactReference::parse(bad, Some(Telegram), None),
                    Err(ContactError::BadVariable { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn other_channels_take_a_contact_id() {
        assert_eq!(
            ContactReference::parse("u-123", Some(Livechat), None),
            Ok(ContactReference::ContactId("u-123".into()))
        );
        assert_eq!(
            ContactReference::parse("9876543210", Some(Telegram), None),
            Ok(ContactReference::ContactId("9876543210".into()))
        );
        assert_eq!(
            ContactReference::parse("a b", Some(Messenger), None),
            Err(ContactError::BadContactId)
        );
        assert_eq!(
            ContactReference::parse("   ", Some(Instagram), None),
            Err(ContactError::Empty)
        );
    }
}
