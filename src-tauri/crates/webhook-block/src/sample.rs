//! Sample request bodies: what the sample cURL sends.
//!
//! The body holds every mapped path. Values come from the block's stored sample payload when it
//! has them, otherwise from an example chosen by the field's name (`email` gets an address,
//! `phone` a number), so that the first test request a designer sends already looks like what
//! their shop or CRM will send. The development body names the channel and account aliases.

use serde_json::{Map, Value, json};

use crate::contact::ContactReference;
use crate::endpoints::Environment;
use crate::path::Miss;
use crate::validate::{CompiledMapping, CompiledWebhook};
use crate::variable::SYS_CONTACT_REFERENCE_ID;

/// The rows whose path cannot exist in the same body as an earlier row's (`data.items[0]` and
/// `data.items.sku`), each with where they clash.
pub fn path_conflicts(mappings: &[CompiledMapping]) -> Vec<(usize, Miss)> {
    let mut body = Value::Object(Map::new());
    mappings
        .iter()
        // Leaves stay null here, so that a later row may still go inside an earlier row's value.
        .filter_map(|m| {
            m.path
                .try_ensure(&mut body, || Value::Null)
                .err()
                .map(|miss| (m.row, miss))
        })
        .collect()
}

/// The body the sample cURL of `env` sends.
pub fn sample_body(block: &CompiledWebhook, env: Environment) -> Value {
    let stored = block.sample_payload.as_ref().and_then(Value::as_object);
    let mut out = Map::new();

    let wants_contact =
        matches!(&block.contact, Some(ContactReference::Variable(v)) if v.as_str() == SYS_CONTACT_REFERENCE_ID);
    if wants_contact || stored.is_some_and(|s| s.contains_key("contact_reference_id")) {
        let contact = stored
            .and_then(|s| s.get("contact_reference_id"))
            .cloned()
            .unwrap_or_else(|| {
                let phone = block.channel.is_some_and(|c| c.uses_phone_numbers());
                json!(if phone { "+14155550123" } else { "contact-1001" })
            });
        out.insert("contact_reference_id".into(), contact);
    }
    if env == Environment::Development {
        if let Some(channel) = block.channel {
            out.insert("channel".into(), json!(channel.alias()));
        }
        if let Some(account) = &block.account {
            out.insert("account".into(), json!(account.as_str()));
        }
    }
    for (key, value) in stored.into_iter().flatten() {
        if !matches!(key.as_str(), "contact_reference_id" | "channel" | "account") {
            out.insert(key.clone(), value.clone());
        }
    }
    let mut body = Value::Object(out);
    for mapping in &block.mappings {
        mapping.path.ensure(&mut body, || example_value(mapping));
    }
    body
}

/// An example value for a mapped field, chosen by its name.
fn example_value(mapping: &CompiledMapping) -> Value {
    let name = mapping
        .path
        .last_name()
        .unwrap_or(mapping.variable.as_str())
        .to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["email", "mail"]) {
        json!("ada@example.com")
    } else if has(&["phone", "mobile", "whatsapp", "msisdn"]) {
        json!("+14155550123")
    } else if has(&["first"]) {
        json!("Ada")
    } else if has(&["last", "surname"]) {
        json!("Lovelace")
    } else if has(&["name"]) {
        json!("Ada Lovelace")
    } else if has(&["sku"]) {
        json!("SKU-1001")
    } else if has(&["total", "amount", "price", "value"]) {
        json!(42.5)
    } else if has(&["qty", "quantity", "count"]) {
        json!(2)
    } else if has(&["currency"]) {
        json!("USD")
    } else if has(&["url", "link"]) {
        json!("https://shop.example.com/cart/1001")
    } else if has(&["date", "time", "_at"]) {
        json!("2026-11-25T09:30:00Z")
    } else if has(&["id", "number", "ref"]) {
        json!("A-1001")
    } else {
        json!(format!("example {name}"))
    }
}
