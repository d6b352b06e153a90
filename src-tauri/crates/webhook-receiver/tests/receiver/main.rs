//! The receiver over a real socket on 127.0.0.1, driven by real `curl` and real shells.

mod contract;
mod events;
mod robustness;
mod shells;

use std::process::Command;
use std::sync::Arc;

use serde_json::Value;
use webhook_block::{Bot, BotDocument};
use webhook_receiver::{Directory, Event, Receiver, Settings};

/// A receiver serving on an ephemeral port for the length of a test.
pub struct Running {
    pub port: u16,
    pub events: tokio::sync::broadcast::Receiver<Event>,
    pub receiver: Arc<Receiver>,
    _runtime: tokio::runtime::Runtime,
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The events recorded so far.
    pub fn drain(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.events.try_recv().ok()).collect()
    }
}

pub fn start(bot: &Bot, settings: Settings) -> Running {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let directory = Directory::from_bot(bot).unwrap();
    let receiver = Receiver::new(directory, settings);
    let events = receiver.subscribe();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    runtime.spawn(webhook_receiver::serve(
        receiver.clone(),
        listener,
        std::future::pending(),
    ));
    Running {
        port,
        events,
        receiver,
        _runtime: runtime,
    }
}

pub fn example(name: &str) -> Bot {
    let path = format!(
        "{}/../../../assets/examples/{name}.bot.json",
        env!("CARGO_MANIFEST_DIR")
    );
    BotDocument::from_json(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .bot
}

/// The status, headers and JSON body curl saw.
pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: Value,
}

impl Reply {
    /// The status and the error code, if any: what a caller branches on.
    pub fn outcome(&self) -> (u16, Option<&str>) {
        (self.status, self.body["error"]["code"].as_str())
    }
}

/// Runs real curl with `args`, returning what came back.
pub fn curl(args: &[&str]) -> Reply {
    let dir = tempfile::tempdir().unwrap();
    let headers = dir.path().join("headers");
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--dump-header"])
        .arg(&headers)
        .args(["--write-out", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs");
    assert!(
        output.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    reply_of(&output.stdout, std::fs::read_to_string(headers).unwrap_or_default())
}

pub fn reply_of(stdout: &[u8], headers: String) -> Reply {
    let text = String::from_utf8_lossy(stdout);
    let (body, status) = text.rsplit_once('\n').unwrap();
    Reply {
        status: status.trim().parse().unwrap(),
        headers,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

pub fn token_of(bot: &Bot, block: &str) -> String {
    bot.webhook(block)
        .unwrap()
        .token
        .as_ref()
        .unwrap()
        .expose_secret()
        .to_owned()
}
