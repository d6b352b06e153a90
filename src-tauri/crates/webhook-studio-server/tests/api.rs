//! The team server's HTTP API, on the real binary, over real HTTP, on a real SQLite file and a
//! real PostgreSQL database: every test runs on both (see `common::Backend::all`).

mod common;

use common::{Backend, Server};
use reqwest::Method;
use reqwest::blocking::Response;
use serde_json::{Value, json};

fn fresh_token() -> String {
    webhook_block::WebhookToken::generate()
        .expect("token")
        .expose_secret()
        .to_owned()
}

/// The order-received example as bot `bot`, its webhook block (submitted) as `block` with a fresh
/// token, its message block as `<block>-msg`, and a second webhook block `<block>-draft`, a draft.
fn order_bot(bot: &str, block: &str) -> (Value, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../assets/examples/order-received-alert.bot.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("example")).expect("json");
    let mut bot_json = doc["bot"].clone();
    bot_json["id"] = json!(bot);
    let token = fresh_token();
    let blocks = bot_json["flows"][0]["sequences"][0]["blocks"]
        .as_array_mut()
        .expect("blocks");
    blocks[0]["webhook"]["id"] = json!(block);
    blocks[0]["webhook"]["token"] = json!(token);
    blocks[1]["message"]["id"] = json!(format!("{block}-msg"));
    let mut draft = blocks[0].clone();
    draft["webhook"]["id"] = json!(format!("{block}-draft"));
    draft["webhook"]["status"] = json!("draft");
    draft["webhook"]["token"] = json!(fresh_token());
    blocks.push(draft);
    (bot_json, token)
}

fn body(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn code(value: &Value) -> &str {
    value["error"]["code"].as_str().unwrap_or("<no error code>")
}

fn create_bot(server: &Server, key: &str, bot: &Value) {
    let (status, answer) = body(
        server
            .request_as(Method::POST, "/v1/bots", key)
            .json(bot)
            .send()
            .expect("send"),
    );
    assert_eq!(status, 201, "{answer}");
}

fn changes(server: &Server, key: &str, since: i64, limit: i64) -> Value {
    let (status, page) = body(
        server
            .request_as(
                Method::GET,
                &format!("/v1/sync/changes?since={since}&limit={limit}"),
                key,
            )
            .send()
            .expect("send"),
    );
    assert_eq!(status, 200, "{page}");
    page
}

fn push(server: &Server, ops: Value) -> Value {
    let (status, answer) = body(
        server
            .post("/v1/sync/push")
            .json(&json!({"ops": ops}))
            .send()
            .expect("send"),
    );
    assert_eq!(status, 200, "{answer}");
    answer
}

fn etag(response: &Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_owned()
}

#[test]
fn requests_without_a_valid_key_are_refused_with_401() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (status, info) = body(server.client().get(server.url("/v1/info")).send().expect("send"));
        assert_eq!((status, info["server"].as_str()), (200, Some("webhook-studio-server")));

        let no_key = server.client().get(server.url("/v1/team")).send().expect("send");
        assert_eq!(
            no_key.headers().get("www-authenticate").map(|v| v.as_bytes()),
            Some(&b"Bearer"[..])
        );
        let (status, answer) = body(no_key);
        assert_eq!((status, code(&answer)), (401, "unauthorized"), "{backend:?}");
        assert!(
            answer["error"]["fix"]
                .as_str()
                .unwrap_or("")
                .contains("Authorization: Bearer")
        );

        let wrong = format!("whsk_{}", "A".repeat(43));
        let (status, answer) = body(server.request_as(Method::GET, "/v1/team", &wrong).send().expect("send"));
        assert_eq!((status, code(&answer)), (401, "unauthorized"));
        let (status, _) = body(
            server
                .client()
                .get(server.url("/v1/sync/changes"))
                .header("authorization", "Basic abc")
                .send()
                .expect("send"),
        );
        assert_eq!(status, 401);

        let second = server.create_key(&server.team);
        let (status, team) = body(
            server
                .request_as(Method::GET, "/v1/team", &second)
                .send()
                .expect("send"),
        );
        assert_eq!((status, team["id"].as_str()), (200, Some(server.team.as_str())));
        assert_eq!(team["name"], "Harness team");
        server.revoke_key(&second);
        let (status, _) = body(
            server
                .request_as(Method::GET, "/v1/team", &second)
                .send()
                .expect("send"),
        );
        assert_eq!(status, 401, "a revoked key is refused at once");
        let (status, _) = body(server.get("/v1/team").send().expect("send"));
        assert_eq!(status, 200, "the other key still works");

        // A key for a team that does not exist is a usage error (exit 2), saying so.
        let out = server.cli(&["key", "create", "--team", "team_nope"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no team"));
        // The log never holds a key.
        let log = server.log();
        assert!(!log.contains(&server.key) && !log.contains(&second), "{log}");
    }
}

#[test]
fn another_teams_bots_and_blocks_are_not_found_on_every_route() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (bot, token) = order_bot("team-a-bot", "a-hook");
        create_bot(&server, &server.key, &bot);
        let (_, other) = server.create_team("Other team");
        let routes: &[(Method, &str)] = &[
            (Method::GET, "/v1/bots/team-a-bot"),
            (Method::PUT, "/v1/bots/team-a-bot"),
            (Method::DELETE, "/v1/bots/team-a-bot"),
            (Method::GET, "/v1/bots/team-a-bot/channels"),
            (Method::PUT, "/v1/bots/team-a-bot/channels/telegram"),
            (Method::GET, "/v1/bots/team-a-bot/channels/telegram/accounts/orders-bot"),
            (Method::PUT, "/v1/bots/team-a-bot/channels/telegram/accounts/orders-bot"),
            (
                Method::DELETE,
                "/v1/bots/team-a-bot/channels/telegram/accounts/orders-bot",
            ),
            (Method::GET, "/v1/bots/team-a-bot/variables"),
            (Method::PUT, "/v1/bots/team-a-bot/variables/order_id"),
            (Method::DELETE, "/v1/bots/team-a-bot/variables/order_id"),
            (Method::GET, "/v1/bots/team-a-bot/flows/orders"),
            (Method::PUT, "/v1/bots/team-a-bot/flows/orders"),
            (Method::DELETE, "/v1/bots/team-a-bot/flows/orders"),
            (Method::GET, "/v1/bots/team-a-bot/blocks/a-hook"),
            (Method::PUT, "/v1/bots/team-a-bot/blocks/a-hook"),
            (Method::DELETE, "/v1/bots/team-a-bot/blocks/a-hook"),
            (Method::GET, "/v1/bots/team-a-bot/blocks/a-hook/revisions"),
            (Method::GET, "/v1/bots/team-a-bot/blocks/a-hook/events"),
        ];
        let bodies: Value = json!({
            "/v1/bots/team-a-bot": bot,
            "/v1/bots/team-a-bot/channels/telegram": {"integration_active": false},
            "/v1/bots/team-a-bot/channels/telegram/accounts/orders-bot": {"name": "stolen"},
            "/v1/bots/team-a-bot/variables/order_id": {"description": "x"},
            "/v1/bots/team-a-bot/flows/orders": {"name": "x", "sequences": []},
            "/v1/bots/team-a-bot/blocks/a-hook": bot["flows"][0]["sequences"][0]["blocks"][0],
        });
        for (method, path) in routes {
            let mut request = server
                .request_as(method.clone(), path, &other)
                .header("if-match", "\"1\"");
            if *method == Method::PUT {
                request = request.json(&bodies[*path]);
            }
            let (status, answer) = body(request.send().expect("send"));
            assert_eq!(status, 404, "{backend:?} {method} {path}: {answer}");
            assert!(
                !answer.to_string().contains(&token) && !answer.to_string().contains("Shop order alerts"),
                "nothing of the other team's bot leaks: {answer}"
            );
        }
        // The other team sees none of it in its lists or its changes, and cannot take the block id.
        let (_, bots) = body(server.request_as(Method::GET, "/v1/bots", &other).send().expect("send"));
        assert_eq!(bots["bots"], json!([]));
        assert_eq!(changes(&server, &other, 0, 100)["changes"], json!([]));
        let stolen = json!({"ops": [{"op_id": "o1", "key": {"bot": "b2", "kind": "block", "id": "a-hook"},
            "base_revision": null, "body": bot["flows"][0]["sequences"][0]["blocks"][0]}]});
        let (status, answer) = body(
            server
                .request_as(Method::POST, "/v1/sync/push", &other)
                .json(&stolen)
                .send()
                .expect("send"),
        );
        assert_eq!(status, 200);
        assert_eq!(answer["results"][0]["outcome"], "rejected", "{answer}");
        assert_eq!(answer["results"][0]["error"]["code"], "block_id_taken");
        // And team A's bot is untouched.
        let (status, mine) = body(server.get("/v1/bots/team-a-bot").send().expect("send"));
        assert_eq!(status, 200);
        assert_eq!(
            mine["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["token"],
            json!(token)
        );
    }
}

#[test]
fn malformed_requests_get_clear_errors_and_store_nothing() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let post = |bytes: Vec<u8>, content_type: &str| {
            body(
                server
                    .post("/v1/sync/push")
                    .header("content-type", content_type)
                    .body(bytes)
                    .send()
                    .expect("send"),
            )
        };
        let (status, answer) = post(b"{\"ops\": [\n  {,}]}".to_vec(), "application/json");
        assert_eq!((status, code(&answer)), (400, "invalid_json"), "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("line 2 column"),
            "{answer}"
        );

        let (status, answer) = post(b"{\"ops\": []}".to_vec(), "text/plain");
        assert_eq!((status, code(&answer)), (415, "not_json"));
        assert!(answer["error"]["message"].as_str().unwrap_or("").contains("text/plain"));

        let (status, answer) = post(
            br#"{"ops": [{"op_id": "x", "key": {"bot": "b", "kind": "robot", "id": "b"}, "base_revision": null, "body": null}]}"#
                .to_vec(),
            "application/json",
        );
        assert_eq!((status, code(&answer)), (422, "invalid_body"), "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("ops[0].key.kind"),
            "{answer}"
        );

        let mut big = b"{\"ops\": [], \"pad\": \"".to_vec();
        big.resize(17 * 1024 * 1024, b'a');
        big.extend(b"\"}");
        let (status, answer) = post(big, "application/json");
        assert_eq!((status, code(&answer)), (413, "body_too_large"), "{answer}");
        assert!(answer["error"]["message"].as_str().unwrap_or("").contains("16 MiB"));

        let many: Vec<Value> = (0..1001)
            .map(|i| json!({"op_id": format!("op{i}"), "key": {"bot": "b", "kind": "bot", "id": "b"}, "base_revision": null, "body": {"name": "B"}}))
            .collect();
        let (status, answer) = body(
            server
                .post("/v1/sync/push")
                .json(&json!({"ops": many}))
                .send()
                .expect("send"),
        );
        assert_eq!((status, code(&answer)), (413, "too_many_ops"));
        assert!(answer["error"]["message"].as_str().unwrap_or("").contains("1000"));

        // A body that does not fit its kind is rejected with where, and nothing is stored.
        let answer = push(
            &server,
            json!([{"op_id": "bad", "key": {"bot": "b", "kind": "flow", "id": "f"}, "base_revision": null,
                "body": {"name": "F", "sequences": [{"id": "bad id!", "name": "S"}]}}]),
        );
        assert_eq!(answer["results"][0]["outcome"], "rejected");
        assert!(
            answer["results"][0]["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("sequences[0].id"),
            "{answer}"
        );
        // REST: a bot whose body is not a bot.
        let (status, answer) = body(
            server
                .post("/v1/bots")
                .json(&json!({"id": "b", "name": 3}))
                .send()
                .expect("send"),
        );
        assert_eq!((status, code(&answer)), (422, "invalid_body"), "{answer}");
        assert!(answer["error"]["message"].as_str().unwrap_or("").contains("name"));
        // Unknown routes and methods answer in the same shape.
        let (status, answer) = body(server.get("/v1/nothing").send().expect("send"));
        assert_eq!((status, code(&answer)), (404, "no_route"));
        let (status, answer) = body(server.delete("/v1/sync/changes").send().expect("send"));
        assert_eq!((status, code(&answer)), (405, "method_not_allowed"));
        let (status, answer) = body(server.get("/v1/sync/changes?since=abc").send().expect("send"));
        assert_eq!((status, code(&answer)), (400, "invalid_query"));
        // axum's own rejection of a path that is not UTF-8 is in the same shape.
        let (status, answer) = body(server.get("/v1/bots/%FF%FE").send().expect("send"));
        assert_eq!(status, 400);
        assert!(
            answer["error"]["message"].as_str().unwrap_or("").contains("UTF-8"),
            "{answer}"
        );

        assert_eq!(
            changes(&server, &server.key, 0, 100)["changes"],
            json!([]),
            "{backend:?}: nothing stored"
        );
    }
}

#[test]
fn writes_need_the_current_revision_as_if_match() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (bot, _) = order_bot("shop", "hook");
        create_bot(&server, &server.key, &bot);
        let path = "/v1/bots/shop/blocks/hook";
        let got = server.get(path).send().expect("send");
        assert_eq!(etag(&got), "\"1\"");
        let (_, mut block) = body(got);
        block["webhook"]["name"] = json!("Renamed");

        let (status, answer) = body(server.put(path).json(&block).send().expect("send"));
        assert_eq!((status, code(&answer)), (428, "precondition_required"));
        assert!(answer["error"]["message"].as_str().unwrap_or("").contains("If-Match"));

        let (status, answer) = body(
            server
                .put(path)
                .header("if-match", "\"7\"")
                .json(&block)
                .send()
                .expect("send"),
        );
        assert_eq!((status, code(&answer)), (412, "stale_revision"), "{answer}");
        assert_eq!(answer["current"]["revision"], 1);
        assert_eq!(answer["current"]["body"]["webhook"]["name"], "New order from the shop");

        let put = server
            .put(path)
            .header("if-match", "\"1\"")
            .json(&block)
            .send()
            .expect("send");
        assert_eq!(put.status().as_u16(), 200);
        assert_eq!(etag(&put), "\"2\"");
        let (status, answer) = body(
            server
                .put(path)
                .header("if-match", "\"1\"")
                .json(&block)
                .send()
                .expect("send"),
        );
        assert_eq!(
            (status, answer["current"]["revision"].clone()),
            (412, json!(2)),
            "the old ETag is stale now"
        );

        // Creating: If-None-Match: * on something that exists is refused; a new flow joins the bot.
        let flow = json!({"name": "Later", "sequences": []});
        let (status, _) = body(
            server
                .put("/v1/bots/shop/flows/orders")
                .header("if-none-match", "*")
                .json(&flow)
                .send()
                .expect("send"),
        );
        assert_eq!(status, 412);
        let (status, _) = body(
            server
                .put("/v1/bots/shop/flows/later")
                .header("if-none-match", "*")
                .json(&flow)
                .send()
                .expect("send"),
        );
        assert_eq!(status, 201);
        let (_, composed) = body(server.get("/v1/bots/shop").send().expect("send"));
        assert_eq!(composed["flows"][1]["id"], "later");

        // The bot entity's routes: variables by If-Match on the bot's revision.
        let vars = server.get("/v1/bots/shop/variables").send().expect("send");
        let tag = etag(&vars);
        let (status, _) = body(
            server
                .put("/v1/bots/shop/variables/coupon_code")
                .header("if-match", tag.as_str())
                .json(&json!({"description": "the code"}))
                .send()
                .expect("send"),
        );
        assert_eq!(status, 200);
        let (status, _) = body(
            server
                .delete("/v1/bots/shop/variables/coupon_code")
                .header("if-match", tag.as_str())
                .send()
                .expect("send"),
        );
        assert_eq!(status, 412, "the variable's PUT moved the bot on");
        let (status, answer) = body(
            server
                .put("/v1/bots/shop/variables/Not%20A%20Name")
                .header("if-match", "\"1\"")
                .json(&json!({}))
                .send()
                .expect("send"),
        );
        assert_eq!((status, code(&answer)), (422, "invalid_variable_name"), "{answer}");

        // Deleting the block takes it out of its flow.
        let tag = etag(&server.get(path).send().expect("send"));
        let (status, _) = body(
            server
                .delete(path)
                .header("if-match", tag.as_str())
                .send()
                .expect("send"),
        );
        assert_eq!(status, 204);
        let (status, _) = body(server.get(path).send().expect("send"));
        assert_eq!(status, 404);
        let (_, composed) = body(server.get("/v1/bots/shop").send().expect("send"));
        let ids: Vec<&str> = composed["flows"][0]["sequences"][0]["blocks"]
            .as_array()
            .expect("blocks")
            .iter()
            .filter_map(|b| b.as_object()?.values().next()?["id"].as_str())
            .collect();
        assert_eq!(ids, ["hook-msg", "hook-draft"], "{backend:?}");
    }
}

#[test]
fn a_push_sent_twice_is_applied_once_and_a_conflict_writes_nothing() {
    for backend in Backend::all() {
        let mut server = Server::start(backend);
        let op = json!({"op_id": "app1:1", "key": {"bot": "b1", "kind": "bot", "id": "b1"}, "base_revision": null,
            "body": {"name": "First"}});
        let first = push(&server, json!([op.clone()]));
        assert_eq!(first["results"][0]["outcome"], "applied", "{first}");
        assert_eq!(first["results"][0]["revision"], 1);
        // The answer was lost; the app sends the same op again, even after a crash of the server.
        server.kill9();
        server.restart();
        let again = push(&server, json!([op]));
        assert_eq!(again, first, "the same outcome, applied once");
        let page = changes(&server, &server.key, 0, 100);
        assert_eq!(page["changes"].as_array().map(Vec::len), Some(1));
        assert_eq!(page["changes"][0]["revision"], 1);

        // A change based on an old revision is a conflict carrying the server's version.
        let second = push(
            &server,
            json!([{"op_id": "app2:1", "key": {"bot": "b1", "kind": "bot", "id": "b1"}, "base_revision": 1, "body": {"name": "Second"}},
                   {"op_id": "app1:2", "key": {"bot": "b1", "kind": "bot", "id": "b1"}, "base_revision": 1, "body": {"name": "Mine"}}]),
        );
        assert_eq!(second["results"][0]["outcome"], "applied");
        assert_eq!(second["results"][1]["outcome"], "conflict", "{second}");
        assert_eq!(second["results"][1]["current"]["body"]["name"], "Second");
        assert_eq!(second["results"][1]["current"]["revision"], 2);
        let page = changes(&server, &server.key, 0, 100);
        assert_eq!(
            page["changes"][0]["body"]["name"], "Second",
            "{backend:?}: the conflict wrote nothing"
        );
        // Deleting keeps a tombstone with a revision and a seq.
        let gone = push(
            &server,
            json!([{"op_id": "app2:2", "key": {"bot": "b1", "kind": "bot", "id": "b1"}, "base_revision": 2, "body": null}]),
        );
        assert_eq!(gone["results"][0]["revision"], 3);
        let page = changes(&server, &server.key, 0, 100);
        assert_eq!(page["changes"][0]["body"], Value::Null);
        assert_eq!(page["changes"][0]["revision"], 3);
    }
}

#[test]
fn a_push_is_applied_in_order_in_one_transaction_with_the_outcomes_of_one_per_op() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let key = json!({"bot": "b", "kind": "flow", "id": "f"});
        let answer = push(
            &server,
            json!([{"op_id": "p:1", "key": key, "base_revision": null, "body": {"name": "One"}},
                   {"op_id": "p:1", "key": key, "base_revision": null, "body": {"name": "One"}},
                   {"op_id": "p:2", "key": key, "base_revision": 0, "body": {"name": "Stale"}},
                   {"op_id": "p:3", "key": {"bot": "b", "kind": "bot", "id": "other"}, "base_revision": null, "body": {"name": "X"}},
                   {"op_id": "p:4", "key": key, "base_revision": 1, "body": {"name": "Two"}},
                   {"op_id": "p:5", "key": {"bot": "b", "kind": "flow", "id": "g"}, "base_revision": null, "body": {"name": "G"}}]),
        );
        let results = answer["results"].as_array().expect("results");
        let outcomes: Vec<&str> = results.iter().map(|r| r["outcome"].as_str().unwrap_or("")).collect();
        assert_eq!(
            outcomes,
            ["applied", "applied", "conflict", "rejected", "applied", "applied"],
            "{backend:?}: {answer}"
        );
        assert_eq!(results[1], results[0], "an op seen before answers as before");
        assert_eq!(
            (results[0]["revision"].as_i64(), results[0]["seq"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(
            results[2]["current"]["body"]["name"], "One",
            "the later op sees the earlier one"
        );
        assert_eq!(
            (results[4]["revision"].as_i64(), results[4]["seq"].as_i64()),
            (Some(2), Some(2)),
            "{backend:?}: a conflict or a rejection takes no change number"
        );
        assert_eq!(results[5]["seq"], 3);
        let page = changes(&server, &server.key, 0, 100);
        let names: Vec<&str> = page["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["body"]["name"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(names, ["Two", "G"]);
    }
}

#[test]
fn changes_come_in_pages_each_entity_once_in_seq_order() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let ops: Vec<Value> = (0..5)
            .map(|i| json!({"op_id": format!("c:{i}"), "key": {"bot": "b", "kind": "flow", "id": format!("f{i}")}, "base_revision": null, "body": {"name": format!("F{i}")}}))
            .collect();
        push(&server, Value::Array(ops));
        push(
            &server,
            json!([{"op_id": "c:5", "key": {"bot": "b", "kind": "flow", "id": "f1"}, "base_revision": 1, "body": {"name": "F1 again"}},
                   {"op_id": "c:6", "key": {"bot": "b", "kind": "flow", "id": "f1"}, "base_revision": 2, "body": {"name": "F1 third"}}]),
        );
        let mut since = 0;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = changes(&server, &server.key, since, 2);
            pages += 1;
            for change in page["changes"].as_array().expect("changes") {
                let seq = change["seq"].as_i64().expect("seq");
                assert!(seq > since);
                seen.push((
                    change["key"]["id"].as_str().expect("id").to_owned(),
                    seq,
                    change["body"]["name"].clone(),
                ));
            }
            since = page["next"].as_i64().expect("next");
            if page["more"] != json!(true) {
                break;
            }
        }
        let ids: Vec<&str> = seen.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            ids,
            ["f0", "f2", "f3", "f4", "f1"],
            "{backend:?}: each once, by last change"
        );
        assert_eq!(seen[4].2, "F1 third");
        assert!(seen.windows(2).all(|w| w[0].1 < w[1].1));
        assert_eq!(pages, 3);
        assert_eq!(changes(&server, &server.key, since, 2)["changes"], json!([]));
    }
}

#[test]
fn a_pull_with_client_leaves_out_what_that_app_wrote_last() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let flow = |id: &str| json!({"bot": "b", "kind": "flow", "id": id});
        let op = |op_id: &str, id: &str, base: Option<i64>, name: &str| json!({"op_id": op_id, "key": flow(id), "base_revision": base, "body": {"name": name}});
        // seq 1 f0 by c-a, 2 f1 by c-a, 3 f2 by c-b, 4 f3 by c-a, 5 f0 again by c-b.
        push(
            &server,
            json!([op("c-a:1", "f0", None, "A0"), op("c-a:2", "f1", None, "A1")]),
        );
        push(&server, json!([op("c-b:1", "f2", None, "B2")]));
        push(&server, json!([op("c-a:3", "f3", None, "A3")]));
        push(&server, json!([op("c-b:2", "f0", Some(1), "B0")]));
        let page = |since: i64, limit: i64, client: &str| -> (Vec<String>, i64, bool) {
            let (status, page) = body(
                server
                    .get(&format!("/v1/sync/changes?since={since}&limit={limit}&client={client}"))
                    .send()
                    .expect("send"),
            );
            assert_eq!(status, 200, "{page}");
            let ids = page["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .map(|c| c["key"]["id"].as_str().unwrap_or("").to_owned())
                .collect();
            (ids, page["next"].as_i64().expect("next"), page["more"] == json!(true))
        };
        let ids = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        // Entities by latest change: f1 (2, c-a), f2 (3, c-b), f3 (4, c-a), f0 (5, c-b).
        assert_eq!(page(0, 2, "c-a"), (ids(&["f2"]), 3, true), "{backend:?}");
        assert_eq!(page(3, 2, "c-a"), (ids(&["f0"]), 5, false), "{backend:?}");
        assert_eq!(page(5, 2, "c-a"), (ids(&[]), 5, false));
        // A page of only its own writes is empty, yet `next` moves past them and `more` holds.
        assert_eq!(page(0, 1, "c-a"), (ids(&[]), 2, true), "{backend:?}");
        assert_eq!(page(0, 10, "c-b"), (ids(&["f1", "f3"]), 5, false));
        // Another app, or none named, gets everything, as without the parameter.
        assert_eq!(page(0, 10, "c-z"), (ids(&["f1", "f2", "f3", "f0"]), 5, false));
        let plain = changes(&server, &server.key, 0, 2);
        assert_eq!((plain["next"].as_i64(), plain["more"].clone()), (Some(3), json!(true)));
        assert_eq!(plain["changes"].as_array().map(Vec::len), Some(2));

        // A REST write has no client: no app's pull leaves it out, whatever its op id looks like.
        push(
            &server,
            json!([{"op_id": "c-b:3", "key": {"bot": "b", "kind": "bot", "id": "b"}, "base_revision": null, "body": {"name": "B"}}]),
        );
        let (status, answer) = body(
            server
                .put("/v1/bots/b/flows/f1")
                .header("if-match", "\"1\"")
                .json(&json!({"name": "By REST"}))
                .send()
                .expect("send"),
        );
        assert_eq!(status, 200, "{backend:?}: {answer}");
        for client in ["c-a", "c-b", "rest"] {
            assert_eq!(page(6, 10, client), (ids(&["f1"]), 7, false), "{backend:?} {client}");
        }
    }
}

#[test]
fn production_webhooks_answer_as_the_contract_says_and_keep_events() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (bot, token) = order_bot("shop", "hook");
        create_bot(&server, &server.key, &bot);
        let url = server.url("/v1/webhooks/hook");
        let order = json!({"data": {"order_id": "A-7", "total": 9.5, "items": [{"sku": "MUG"}], "customer": {"first name": "Ada"}}});
        let send = |token: Option<&str>, content_type: &str, bytes: Vec<u8>, url: &str| {
            let mut request = server
                .client()
                .post(url)
                .header("content-type", content_type)
                .body(bytes);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            body(request.send().expect("send"))
        };
        let order_bytes = serde_json::to_vec(&order).expect("json");
        let (status, answer) = send(Some(&token), "application/json", order_bytes.clone(), &url);
        assert_eq!(status, 202, "{backend:?}: {answer}");
        assert_eq!(answer["environment"], "production");

        let (status, answer) = send(None, "application/json", order_bytes.clone(), &url);
        assert_eq!((status, code(&answer)), (401, "missing_token"));
        let (status, answer) = send(Some(&fresh_token()), "application/json", order_bytes.clone(), &url);
        assert_eq!((status, code(&answer)), (401, "wrong_token"));
        let (status, answer) = send(Some(&token), "text/plain", order_bytes.clone(), &url);
        assert_eq!((status, code(&answer)), (415, "not_json"));
        let (status, answer) = send(Some(&token), "application/json", br#"{"data": {}}"#.to_vec(), &url);
        assert_eq!(status, 422, "{answer}");
        let (status, answer) = send(Some(&token), "application/json", vec![b' '; 2 * 1024 * 1024], &url);
        assert_eq!((status, code(&answer)), (413, "body_too_large"), "{answer}");
        let (status, answer) = send(
            Some(&token),
            "application/json",
            order_bytes.clone(),
            &server.url("/v1/webhooks/hook-draft"),
        );
        assert_eq!((status, code(&answer)), (404, "block_not_submitted"));
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("never submitted")
        );
        let (status, answer) = send(
            Some(&token),
            "application/json",
            order_bytes.clone(),
            &server.url("/v1/webhooks/nope"),
        );
        assert_eq!((status, code(&answer)), (404, "unknown_block"));

        let (status, events) = body(server.get("/v1/bots/shop/blocks/hook/events").send().expect("send"));
        assert_eq!(status, 200);
        let events = events["events"].as_array().expect("events").clone();
        assert_eq!(events.len(), 1, "only the accepted request is kept");
        assert_eq!(events[0]["variables"]["order_id"], "A-7");
        assert_eq!(events[0]["body"], order);
        assert_eq!(events[0]["contact_reference_id"], "-1001234567890");

        // A rotated token (a teammate's push) takes over at once: the compiled block is not cached stale.
        let tag = etag(&server.get("/v1/bots/shop/blocks/hook").send().expect("send"));
        let mut block = bot["flows"][0]["sequences"][0]["blocks"][0].clone();
        let rotated = fresh_token();
        block["webhook"]["token"] = json!(rotated);
        let (status, _) = body(
            server
                .put("/v1/bots/shop/blocks/hook")
                .header("if-match", tag.as_str())
                .json(&block)
                .send()
                .expect("send"),
        );
        assert_eq!(status, 200);
        let (status, _) = send(Some(&token), "application/json", order_bytes.clone(), &url);
        assert_eq!(status, 401, "{backend:?}: the old token stops working at once");
        let (status, _) = send(Some(&rotated), "application/json", order_bytes.clone(), &url);
        assert_eq!(status, 202);

        // Concurrent requests (stored together, in shared transactions) are each answered 202
        // after their commit and each stored once.
        let fire = |prefix: &str, count: usize, threads: usize| {
            std::thread::scope(|scope| {
                for t in 0..threads {
                    let (url, rotated) = (&url, &rotated);
                    scope.spawn(move || {
                        for i in (t..count).step_by(threads) {
                            let bytes = serde_json::to_vec(
                                &json!({"data": {"order_id": format!("{prefix}-{i}"), "total": 1, "items": [{"sku": "S"}], "customer": {"first name": "Ada"}}}),
                            )
                            .expect("json");
                            let (status, answer) = send(Some(rotated), "application/json", bytes, url);
                            assert_eq!(status, 202, "{answer}");
                        }
                    });
                }
            });
        };
        let stored = |prefix: &str| -> Vec<(i64, String)> {
            let (_, events) = body(
                server
                    .get("/v1/bots/shop/blocks/hook/events?limit=1000")
                    .send()
                    .expect("send"),
            );
            events["events"]
                .as_array()
                .expect("events")
                .iter()
                .map(|e| {
                    (
                        e["id"].as_i64().expect("id"),
                        e["variables"]["order_id"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .filter(|(_, order)| order.starts_with(&format!("{prefix}-")))
                .collect()
        };
        fire("C", 200, 200);
        let mut orders: Vec<String> = stored("C").into_iter().map(|(_, o)| o).collect();
        orders.sort();
        let mut expected: Vec<String> = (0..200).map(|i| format!("C-{i}")).collect();
        expected.sort();
        assert_eq!(
            orders, expected,
            "{backend:?}: 200 concurrent requests, each stored once"
        );

        // Only the last 1,000 events are kept, also when more than 1,000 arrive concurrently:
        // all 1,000 of this wave (each once), none of the earlier ones.
        fire("N", 1_000, 50);
        let (_, events) = body(
            server
                .get("/v1/bots/shop/blocks/hook/events?limit=1000")
                .send()
                .expect("send"),
        );
        let events = events["events"].as_array().expect("events");
        assert_eq!(events.len(), 1000, "{backend:?}");
        let kept = stored("N");
        assert_eq!(kept.len(), 1000, "{backend:?}: the earlier 202 events are gone");
        assert!(kept.windows(2).all(|w| w[0].0 > w[1].0), "newest first");
        let mut orders: Vec<String> = kept.into_iter().map(|(_, o)| o).collect();
        orders.sort();
        let mut expected: Vec<String> = (0..1_000).map(|i| format!("N-{i}")).collect();
        expected.sort();
        assert_eq!(orders, expected, "{backend:?}: each of the 1,000 once");
        let (status, _) = body(
            server
                .get("/v1/bots/shop/blocks/hook/events?limit=5000")
                .send()
                .expect("send"),
        );
        assert_eq!(status, 200);
        // Tokens never reach the log.
        let log = server.log();
        assert!(!log.contains(&token) && !log.contains(&rotated));
    }
}

#[test]
fn tokens_are_not_in_the_database_but_a_teammate_pulls_them() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (bot, token) = order_bot("shop", "hook");
        let draft_token = bot["flows"][0]["sequences"][0]["blocks"][2]["webhook"]["token"]
            .as_str()
            .expect("draft token")
            .to_owned();
        create_bot(&server, &server.key, &bot);
        // A push without the token keeps the stored one.
        let mut tokenless = bot["flows"][0]["sequences"][0]["blocks"][0].clone();
        tokenless["webhook"]["token"].take();
        tokenless["webhook"].as_object_mut().expect("object").remove("token");
        tokenless["webhook"]["name"] = json!("Renamed without token");
        let answer = push(
            &server,
            json!([{"op_id": "t:1", "key": {"bot": "shop", "kind": "block", "id": "hook"}, "base_revision": 1, "body": tokenless}]),
        );
        assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");

        let dump = server.raw_dump();
        assert!(
            dump.contains("Renamed without token"),
            "{backend:?}: the dump reads the data"
        );
        assert!(!dump.contains(&token), "{backend:?}: no token in the database");
        assert!(!dump.contains(&draft_token));
        assert!(!dump.contains(&token["whs_".len()..]));

        let teammate = server.create_key(&server.team);
        let page = changes(&server, &teammate, 0, 100);
        let block = page["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| c["key"]["id"] == "hook")
            .expect("the block");
        assert_eq!(
            block["body"]["webhook"]["token"],
            json!(token),
            "the teammate gets the token back"
        );
        assert_eq!(block["body"]["webhook"]["name"], "Renamed without token");
        let (_, history) = body(
            server
                .request_as(Method::GET, "/v1/bots/shop/blocks/hook/revisions", &teammate)
                .send()
                .expect("send"),
        );
        let history = history["revisions"].as_array().expect("revisions");
        assert_eq!(history.len(), 2);
        assert!(
            !serde_json::to_string(history).expect("json").contains(&token),
            "history holds no token"
        );
    }
}

#[test]
fn the_openapi_document_lists_every_route_and_every_ref_resolves() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (bot, _) = order_bot("shop", "hook");
        create_bot(&server, &server.key, &bot);
        let (status, doc) = body(server.client().get(server.url("/openapi.json")).send().expect("send"));
        assert_eq!(status, 200);
        assert_eq!(doc["openapi"], "3.1.0");
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(refs.iter().any(|r| r.ends_with("/PushRequest")));
        for r in &refs {
            assert!(doc.pointer(r.trim_start_matches('#')).is_some(), "{r} does not resolve");
        }
        // Every documented operation is served: none answers "no such route" or "wrong method".
        let paths = doc["paths"].as_object().expect("paths");
        let mut count = 0;
        for (path, operations) in paths {
            let concrete = path
                .replace("{bot}", "shop")
                .replace("{block}", "hook")
                .replace("{flow}", "orders")
                .replace("{channel}", "telegram")
                .replace("{alias}", "orders-bot")
                .replace("{name}", "order_id");
            for method in operations.as_object().expect("operations").keys() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                let (status, answer) = body(
                    server
                        .request_as(method.clone(), &concrete, &server.key)
                        .header("content-type", "application/json")
                        .body("{}")
                        .send()
                        .expect("send"),
                );
                assert!(
                    !["no_route", "method_not_allowed"].contains(&code(&answer)),
                    "{method} {path} is documented but not served: {status} {answer}"
                );
                count += 1;
            }
        }
        assert_eq!(count, 27, "every route of the table");
        // And the reverse: paths the server answers are in the document.
        for path in [
            "/v1/sync/push",
            "/v1/webhooks/{block}",
            "/v1/bots/{bot}/blocks/{block}/events",
        ] {
            assert!(paths.contains_key(path), "{path}");
        }
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(s)) => out.push(s.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[test]
fn a_server_killed_mid_run_restarts_on_its_data() {
    for backend in Backend::all() {
        let mut server = Server::start(backend);
        let (bot, token) = order_bot("shop", "hook");
        create_bot(&server, &server.key, &bot);
        server.kill9();
        assert!(!server.is_running());
        server.restart();
        let (status, composed) = body(server.get("/v1/bots/shop").send().expect("send"));
        assert_eq!(status, 200);
        assert_eq!(
            composed["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["token"],
            json!(token)
        );
        let (status, _) = body(
            server
                .client()
                .post(server.url("/v1/webhooks/hook"))
                .bearer_auth(&token)
                .json(&json!({"data": {"order_id": "A", "total": 1, "items": [{"sku": "S"}], "customer": {"first name": "Ada"}}}))
                .send()
                .expect("send"),
        );
        assert_eq!(status, 202, "{backend:?}: the sealed token opens after a restart");
    }
}

#[test]
fn the_command_line_says_what_is_wrong_and_exits_2() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| {
        std::process::Command::new(common::BINARY)
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run")
    };
    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();

    let out = run(&["--listen", "127.0.0.1:1", "--database", "mysql://x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("must start with `sqlite:`"), "{}", stderr(&out));

    let out = run(&[
        "--listen",
        "127.0.0.1:1",
        "--database",
        "postgres://nobody@127.0.0.1:1/db",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--secret-key-file"), "{}", stderr(&out));

    let out = run(&["team", "create", "--database", "sqlite:t.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--name"));

    let out = run(&["team", "create", "--database", "sqlite:t.db", "--name", "  "]);
    assert_eq!(out.status.code(), Some(2));

    let out = run(&["team", "create", "--database", "sqlite:t.db", "--name", "Ops"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let key = stdout
        .lines()
        .find_map(|l| l.strip_prefix("key: "))
        .expect("the key is printed");
    assert!(key.starts_with("whsk_"));
    // Only its hash is stored: the database file does not hold it.
    let file = std::fs::read(dir.path().join("t.db")).expect("db file");
    let mut wal = std::fs::read(dir.path().join("t.db-wal")).unwrap_or_default();
    wal.extend(file);
    assert!(!String::from_utf8_lossy(&wal).contains(key));
    // Serving with the SQLite default puts the token key beside the file, private.
    let mut serving = std::process::Command::new(common::BINARY)
        .args([
            "--listen",
            &format!("127.0.0.1:{}", common::free_port()),
            "--database",
            "sqlite:t.db",
        ])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !dir.path().join("t.db.key").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = serving.kill();
    let _ = serving.wait();
    let meta = std::fs::metadata(dir.path().join("t.db.key")).expect("key file beside the database");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);

    let out = run(&["--database", "sqlite:t.db", "--public-url", "http://bots.example.com"]);
    assert_eq!(out.status.code(), Some(2), "a production URL must be https");
    assert!(stderr(&out).contains("--public-url"), "{}", stderr(&out));

    let out = run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_database_from_a_newer_server_is_refused() {
    for backend in Backend::all() {
        let mut server = Server::start(backend);
        server.kill9();
        match backend {
            Backend::Sqlite => {
                let conn = rusqlite::Connection::open(server.sqlite_path().expect("path")).expect("open");
                conn.execute("UPDATE schema_version SET version = version + 1", [])
                    .expect("bump");
            }
            Backend::Postgres => {
                let mut client = postgres::Client::connect(&server.database_url, postgres::NoTls).expect("connect");
                client
                    .execute("UPDATE schema_version SET version = version + 1", &[])
                    .expect("bump");
            }
        }
        let out = server.cli(&["team", "create", "--name", "Late"]);
        assert_eq!(out.status.code(), Some(1), "{backend:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("newer than this server"), "{stderr}");
    }
}

#[test]
fn concurrent_writers_each_get_their_own_revision_and_seq() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (threads, each) = (4, 15);
        std::thread::scope(|scope| {
            for t in 0..threads {
                let server = &server;
                scope.spawn(move || {
                    let mut base: Option<i64> = None;
                    for i in 0..each {
                        loop {
                            let answer = push(
                                server,
                                json!([{"op_id": format!("w{t}:{i}"), "key": {"bot": "b", "kind": "flow", "id": "shared"},
                                    "base_revision": base, "body": {"name": format!("by {t}, edit {i}")}}]),
                            );
                            let result = &answer["results"][0];
                            match result["outcome"].as_str() {
                                Some("applied") => {
                                    base = result["revision"].as_i64();
                                    break;
                                }
                                Some("conflict") => base = result["current"]["revision"].as_i64(),
                                _ => panic!("{answer}"),
                            }
                        }
                    }
                });
            }
        });
        let total = threads * each;
        let (_, history) = body(server.get("/v1/sync/changes?since=0").send().expect("send"));
        assert_eq!(
            history["changes"][0]["revision"], total as i64,
            "{backend:?}: every edit applied once"
        );
        assert_eq!(
            history["changes"][0]["seq"], total as i64,
            "{backend:?}: one seq per change, no gaps"
        );
    }
}

#[test]
fn the_rest_routes_edit_a_bot_and_its_production_url_follows() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (bot, token) = order_bot("shop", "hook");
        create_bot(&server, &server.key, &bot);
        let (_, list) = body(server.get("/v1/bots").send().expect("send"));
        assert_eq!(
            list["bots"],
            json!([{"id": "shop", "name": "Shop order alerts", "revision": 1}])
        );
        let order =
            json!({"data": {"order_id": "A", "total": 1, "items": [{"sku": "S"}], "customer": {"first name": "Ada"}}});
        let hook = |token: &str| {
            body(
                server
                    .client()
                    .post(server.url("/v1/webhooks/hook"))
                    .bearer_auth(token)
                    .json(&order)
                    .send()
                    .expect("send"),
            )
        };
        assert_eq!(hook(&token).0, 202);

        // The whole bot, renamed, sent without its tokens (an export without secrets): they are kept.
        let got = server.get("/v1/bots/shop").send().expect("send");
        let version = etag(&got);
        let mut renamed = bot.clone();
        renamed["name"] = json!("Renamed shop");
        for block in renamed["flows"][0]["sequences"][0]["blocks"]
            .as_array_mut()
            .expect("blocks")
        {
            if let Some(w) = block.get_mut("webhook").and_then(Value::as_object_mut) {
                w.remove("token");
            }
        }
        let put = server
            .put("/v1/bots/shop")
            .header("if-match", version.as_str())
            .json(&renamed)
            .send()
            .expect("send");
        assert_eq!(put.status().as_u16(), 200);
        assert_ne!(etag(&put), version);
        let (_, now) = body(put);
        assert_eq!(now["name"], "Renamed shop");
        assert_eq!(
            now["flows"][0]["sequences"][0]["blocks"][0]["webhook"]["token"],
            json!(token)
        );
        let (status, answer) = body(
            server
                .put("/v1/bots/shop")
                .header("if-match", version.as_str())
                .json(&renamed)
                .send()
                .expect("send"),
        );
        assert_eq!((status, code(&answer)), (412, "stale_revision"));
        assert_eq!(hook(&token).0, 202, "the token survived the token-less PUT");

        // Accounts: add, read, remove.
        let tag = etag(&server.get("/v1/bots/shop/channels").send().expect("send"));
        let put = server
            .put("/v1/bots/shop/channels/telegram/accounts/alerts")
            .header("if-match", tag.as_str())
            .json(&json!({"name": "@acme_alerts"}))
            .send()
            .expect("send");
        assert_eq!(put.status().as_u16(), 200);
        let tag = etag(&put);
        let (status, account) = body(
            server
                .get("/v1/bots/shop/channels/telegram/accounts/alerts")
                .send()
                .expect("send"),
        );
        assert_eq!((status, account["name"].as_str()), (200, Some("@acme_alerts")));
        let del = server
            .delete("/v1/bots/shop/channels/telegram/accounts/alerts")
            .header("if-match", tag.as_str())
            .send()
            .expect("send");
        assert_eq!(del.status().as_u16(), 204);
        let tag = etag(&del);
        let (status, _) = body(
            server
                .get("/v1/bots/shop/channels/telegram/accounts/alerts")
                .send()
                .expect("send"),
        );
        assert_eq!(status, 404);

        // Turning the channel off breaks the submitted block: its URL says so at once.
        let (status, connection) = body(
            server
                .put("/v1/bots/shop/channels/telegram")
                .header("if-match", tag.as_str())
                .json(&json!({"integration_active": false}))
                .send()
                .expect("send"),
        );
        assert_eq!(status, 200);
        assert_eq!(
            connection["accounts"][0]["alias"], "orders-bot",
            "accounts kept when not sent"
        );
        let (status, answer) = hook(&token);
        assert_eq!(
            (status, code(&answer)),
            (404, "block_not_live"),
            "{backend:?}: {answer}"
        );

        // Deleting the bot: it is gone, and so is its production URL.
        let version = etag(&server.get("/v1/bots/shop").send().expect("send"));
        let (status, _) = body(server.delete("/v1/bots/shop").send().expect("send"));
        assert_eq!(status, 428);
        let (status, _) = body(
            server
                .delete("/v1/bots/shop")
                .header("if-match", version.as_str())
                .send()
                .expect("send"),
        );
        assert_eq!(status, 204);
        assert_eq!(body(server.get("/v1/bots/shop").send().expect("send")).0, 404);
        assert_eq!(body(server.get("/v1/bots").send().expect("send")).1["bots"], json!([]));
        let (status, answer) = hook(&token);
        assert_eq!((status, code(&answer)), (404, "unknown_block"));
    }
}

#[test]
fn a_token_rotated_through_another_server_process_takes_over_at_once() {
    for backend in Backend::all() {
        let server = Server::start(backend);
        let (bot, token) = order_bot("shop", "hook");
        create_bot(&server, &server.key, &bot);
        let order =
            json!({"data": {"order_id": "A", "total": 1, "items": [{"sku": "S"}], "customer": {"first name": "Ada"}}});
        let hook = |base: &str, token: &str| {
            server
                .client()
                .post(format!("{base}/v1/webhooks/hook"))
                .bearer_auth(token)
                .json(&order)
                .send()
                .expect("send")
                .status()
                .as_u16()
        };
        assert_eq!(
            hook(&server.base, &token),
            202,
            "compiled and cached by the first process"
        );

        // A second process on the same database and key file.
        let port = common::free_port();
        let other = format!("http://127.0.0.1:{port}");
        let mut second = std::process::Command::new(common::BINARY)
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--database",
                &server.database_url,
            ])
            .arg("--secret-key-file")
            .arg(&server.secret_key_file)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("second server");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while server.client().get(format!("{other}/v1/info")).send().is_err() {
            assert!(std::time::Instant::now() < deadline, "the second server did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let block_url = format!("{other}/v1/bots/shop/blocks/hook");
        let got = server
            .client()
            .get(&block_url)
            .bearer_auth(&server.key)
            .send()
            .expect("send");
        let tag = etag(&got);
        let (_, mut block) = body(got);
        let rotated = fresh_token();
        block["webhook"]["token"] = json!(rotated);
        let put = server
            .client()
            .put(&block_url)
            .bearer_auth(&server.key)
            .header("if-match", tag.as_str())
            .json(&block)
            .send()
            .expect("send");
        assert_eq!(put.status().as_u16(), 200);

        assert_eq!(
            hook(&server.base, &token),
            401,
            "{backend:?}: the first process noticed the rotation"
        );
        assert_eq!(hook(&server.base, &rotated), 202);
        let _ = second.kill();
        let _ = second.wait();
    }
}

/// Without PostgreSQL configured, a test on both engines fails and says how to run it; it skips
/// PostgreSQL only when asked to. (Runs one test of this binary again, in a child process.)
#[test]
fn without_postgres_the_tests_fail_unless_told_to_skip() {
    let this = std::env::current_exe().expect("the test binary");
    let run = |skip: bool| {
        let mut command = std::process::Command::new(&this);
        command
            .args(["--exact", "a_database_from_a_newer_server_is_refused", "--nocapture"])
            .env_remove("WEBHOOK_STUDIO_TEST_POSTGRES")
            .env_remove("WEBHOOK_STUDIO_SKIP_POSTGRES");
        if skip {
            command.env("WEBHOOK_STUDIO_SKIP_POSTGRES", "1");
        }
        command.output().expect("run the test binary")
    };
    let out = run(false);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "never a silent pass: {text}");
    assert!(
        text.contains("run `make test`") && text.contains("WEBHOOK_STUDIO_SKIP_POSTGRES=1"),
        "{text}"
    );
    assert!(text.contains("1 failed"), "{text}");

    let out = run(true);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("skipped on purpose") && text.contains("1 passed"),
        "{text}"
    );
}
