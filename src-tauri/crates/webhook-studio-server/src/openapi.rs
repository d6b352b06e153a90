//! `GET /openapi.json`: the API as OpenAPI 3.1, generated from the same route table the router
//! is built from ([`crate::api::routes`]) and from the wire and model types' own JSON Schema
//! (schemars, as webhook-sync and webhook-block derive it), so no type is described twice.
//! OpenAPI 3.1's schemas are JSON Schema 2020-12: schemars' definitions go into
//! `components/schemas` as they are, with `$ref`s pointing there.

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};
use webhook_sync::ErrorEnvelope;

use crate::api::routes;

/// The error statuses every authenticated route may answer, and what they mean.
const ERRORS: &[(u16, &str)] = &[
    (400, "malformed request (JSON syntax, query string)"),
    (401, "no API key, or an unknown or revoked one"),
    (404, "no such resource for this team"),
    (
        412,
        "If-Match names a revision that is no longer current; `current` holds the server's version",
    ),
    (413, "body over the limit"),
    (415, "body not declared as application/json"),
    (422, "JSON of the wrong shape; the message names the path"),
    (428, "a write without If-Match"),
];

/// The whole document.
pub fn document() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas/".into())
        .into_generator();
    let error = generator.subschema_for::<ErrorEnvelope>().to_value();
    let mut paths = Map::new();
    for route in routes() {
        let mut operation = Map::new();
        operation.insert("summary".into(), json!(route.summary));
        operation.insert(
            "operationId".into(),
            json!(format!(
                "{}{}",
                route.method.as_str().to_ascii_lowercase(),
                route.path.replace(['/', '{', '}', '.'], "_")
            )),
        );
        let parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut parameters = parameters;
        if route.path == "/v1/sync/changes" {
            parameters.push(json!({"name": "since", "in": "query", "schema": {"type": "integer", "minimum": 0}}));
            parameters.push(
                json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}),
            );
            parameters.push(json!({"name": "client", "in": "query", "description": "the pulling app's client id (its op ids' prefix before the last `:`, e.g. `c-1a2b` for `c-1a2b:57`): entities whose latest version that app wrote are left out, while `next` still moves past them and `more` counts them", "schema": {"type": "string"}}));
        }
        if route.path.ends_with("/events") {
            parameters.push(
                json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}),
            );
        }
        if route.revisioned && route.method != axum::http::Method::GET {
            parameters.push(json!({"name": "If-Match", "in": "header", "description": "the ETag the resource was read with, e.g. \"3\"", "schema": {"type": "string"}}));
            parameters.push(json!({"name": "If-None-Match", "in": "header", "description": "`*` to create", "schema": {"type": "string"}}));
        }
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(request) = route.request {
            operation.insert(
                "requestBody".into(),
                json!({"required": true, "content": {"application/json": {"schema": request(&mut generator)}}}),
            );
        }
        let mut responses = Map::new();
        let (status, body) = route.response;
        let mut ok = json!({"description": "success"});
        if let Some(body) = body {
            ok["content"] = json!({"application/json": {"schema": body(&mut generator)}});
        }
        if route.revisioned {
            ok["headers"] = json!({"ETag": {"description": "the revision, as \"<n>\"", "schema": {"type": "string"}}});
        }
        responses.insert(status.to_string(), ok);
        let errors: Vec<&(u16, &str)> = if route.path.starts_with("/v1/webhooks/") {
            ERRORS
                .iter()
                .filter(|(s, _)| [400, 401, 404, 413, 415, 422].contains(s))
                .collect()
        } else if route.auth {
            ERRORS.iter().collect()
        } else {
            Vec::new()
        };
        for (code, description) in errors {
            responses.insert(
                code.to_string(),
                json!({"description": description, "content": {"application/json": {"schema": error.clone()}}}),
            );
        }
        operation.insert("responses".into(), Value::Object(responses));
        if route.auth {
            operation.insert("security".into(), json!([{"apiKey": []}]));
        }
        let entry = paths.entry(route.path.to_owned()).or_insert_with(|| json!({}));
        entry[route.method.as_str().to_ascii_lowercase()] = Value::Object(operation);
    }
    let schemas = generator.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Webhook Studio team server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Syncs bots between teammates' apps (push, changes, REST) and answers production webhook URLs. Every error is {\"error\": {\"code\", \"message\", \"fix\"}}."
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer", "description": "a team API key (whsk_...)"}}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "$ref" {
                        if let Some(s) = v.as_str() {
                            out.push(s);
                        }
                    } else {
                        refs(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_ref_resolves() {
        let doc = document();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(found.len() > 10, "the document uses components");
        for r in found {
            let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("local ref: {r}"));
            assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
        }
    }
}
