//! The test harness: the real `webhook-studio-server` binary on a free 127.0.0.1 port, on a
//! temporary SQLite file or a fresh PostgreSQL database, with a team and an API key made by the
//! binary's own `team create` subcommand.
//!
//! ```ignore
//! mod common;
//! use common::{Backend, Server};
//!
//! #[test]
//! fn something() {
//!     for backend in Backend::all() {
//!         let mut server = Server::start(backend);
//!         let info: serde_json::Value = server.get("/v1/info").send().unwrap().json().unwrap();
//!         server.kill9();
//!         server.restart();
//!     }
//! }
//! ```
//!
//! PostgreSQL comes from `WEBHOOK_STUDIO_TEST_POSTGRES` (an admin URL, e.g. the one `tests/pg/cluster.sh start`
//! prints; `make test` sets it); each [`Server`] creates its own database and drops it at the end. Without
//! it, [`Backend::all`] fails the test saying so, unless `WEBHOOK_STUDIO_SKIP_POSTGRES=1` asks to skip.
#![allow(dead_code)]

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use reqwest::blocking::{Client, RequestBuilder};

/// The server binary under test.
pub const BINARY: &str = env!("CARGO_BIN_EXE_webhook-studio-server");

/// Which database engine a server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temporary `sqlite:` file.
    Sqlite,
    /// A fresh database on the cluster of `WEBHOOK_STUDIO_TEST_POSTGRES`.
    Postgres,
}

impl Backend {
    /// Both engines; every test runs on each. Panics (fails the test) when PostgreSQL is not
    /// configured, unless `WEBHOOK_STUDIO_SKIP_POSTGRES=1`.
    pub fn all() -> Vec<Backend> {
        if std::env::var("WEBHOOK_STUDIO_TEST_POSTGRES").is_ok_and(|v| !v.is_empty()) {
            return vec![Backend::Sqlite, Backend::Postgres];
        }
        if std::env::var("WEBHOOK_STUDIO_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
            eprintln!("WEBHOOK_STUDIO_SKIP_POSTGRES=1: the PostgreSQL half of this test is skipped on purpose");
            return vec![Backend::Sqlite];
        }
        panic!(
            "WEBHOOK_STUDIO_TEST_POSTGRES is not set, so the PostgreSQL half of this test cannot run: run `make test` \
             (it starts a throwaway cluster with tests/pg/cluster.sh), or `eval \"$(tests/pg/cluster.sh start)\"` \
             first, or set WEBHOOK_STUDIO_SKIP_POSTGRES=1 to skip PostgreSQL on purpose"
        );
    }

    /// `sqlite` or `postgres`, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A fresh PostgreSQL database, dropped with the server.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

/// The admin URL with its database replaced by `name`.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[after_scheme..]
        .find('/')
        .map(|i| i + after_scheme)
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..host_end])
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A running server: its process, database, port, and the team and key the harness made.
pub struct Server {
    /// Which engine.
    pub backend: Backend,
    /// `sqlite:/tmp/.../server.db` or `postgres://.../wss_...`.
    pub database_url: String,
    /// The port it listens on (kept across [`Server::restart`]).
    pub port: u16,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The team made at start.
    pub team: String,
    /// That team's API key.
    pub key: String,
    /// The secret key file the server seals webhook tokens with.
    pub secret_key_file: PathBuf,
    child: Option<Child>,
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    client: Client,
}

impl Server {
    /// Starts the binary on a fresh database of `backend`, waits until `/v1/info` answers, and
    /// makes a team ("Harness team") with one API key.
    pub fn start(backend: Backend) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg) = match backend {
            Backend::Sqlite => (format!("sqlite:{}", dir.path().join("server.db").display()), None),
            Backend::Postgres => {
                let admin_url = std::env::var("WEBHOOK_STUDIO_TEST_POSTGRES")
                    .expect("WEBHOOK_STUDIO_TEST_POSTGRES is set: see Backend::all");
                let name = format!(
                    "wss_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.subsec_nanos())
                );
                let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls)
                    .unwrap_or_else(|e| panic!("cannot reach WEBHOOK_STUDIO_TEST_POSTGRES ({admin_url}): {e}"));
                admin
                    .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
                (with_database(&admin_url, &name), Some(PgDatabase { admin_url, name }))
            }
        };
        let secret_key_file = dir.path().join("secret.key");
        let port = free_port();
        let mut server = Server {
            backend,
            database_url,
            port,
            base: format!("http://127.0.0.1:{port}"),
            team: String::new(),
            key: String::new(),
            secret_key_file,
            child: None,
            dir,
            pg,
            client: Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP client"),
        };
        server.spawn();
        let (team, key) = server.create_team("Harness team");
        server.team = team;
        server.key = key;
        server
    }

    /// The temporary folder holding the SQLite file, the secret key file and the log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite file, for [`Backend::Sqlite`].
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.database_url.strip_prefix("sqlite:").map(PathBuf::from)
    }

    /// Where the server's stderr (its log) goes, across restarts.
    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// Everything the server logged so far.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(self.log_path()) {
            let _ = file.read_to_string(&mut text);
        }
        text
    }

    fn spawn(&mut self) {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("log file");
        let child = Command::new(BINARY)
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--database")
            .arg(&self.database_url)
            .arg("--secret-key-file")
            .arg(&self.secret_key_file)
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("start webhook-studio-server");
        self.child = Some(child);
        self.wait_ready();
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("the server exited at start ({status}); its log:\n{}", self.log());
            }
            if self
                .client
                .get(self.url("/v1/info"))
                .send()
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "the server did not answer /v1/info within 60 s; its log:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the server with SIGKILL (no shutdown, no flush) and waits for it to be gone.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            // `Child::kill` sends SIGKILL on Unix: no shutdown path runs.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the binary again on the same database, port and secret key file (after
    /// [`Server::kill9`], or killing it first if it still runs).
    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A plain HTTP client (no key).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// GET `path` with the harness team's key.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path)).bearer_auth(&self.key)
    }

    /// POST `path` with the harness team's key.
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path)).bearer_auth(&self.key)
    }

    /// PUT `path` with the harness team's key.
    pub fn put(&self, path: &str) -> RequestBuilder {
        self.client.put(self.url(path)).bearer_auth(&self.key)
    }

    /// DELETE `path` with the harness team's key.
    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.client.delete(self.url(path)).bearer_auth(&self.key)
    }

    /// Any request to `path` with `key`.
    pub fn request_as(&self, method: reqwest::Method, path: &str, key: &str) -> RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(key)
    }

    /// Runs the binary with `args` and `--database` of this server (for `team create`, `key create`).
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(BINARY)
            .args(args)
            .arg("--database")
            .arg(&self.database_url)
            .output()
            .expect("run webhook-studio-server")
    }

    /// Makes a team with `webhook-studio-server team create`; returns its id and API key.
    pub fn create_team(&self, name: &str) -> (String, String) {
        let out = self.cli(&["team", "create", "--name", name]);
        assert!(
            out.status.success(),
            "team create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        (field(&stdout, "team"), field(&stdout, "key"))
    }

    /// Adds an API key to `team` with `webhook-studio-server key create`.
    pub fn create_key(&self, team: &str) -> String {
        let out = self.cli(&["key", "create", "--team", team]);
        assert!(
            out.status.success(),
            "key create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        field(&String::from_utf8_lossy(&out.stdout), "key")
    }

    /// Revokes an API key with `webhook-studio-server key revoke`.
    pub fn revoke_key(&self, key: &str) {
        let out = self.cli(&["key", "revoke", "--key", key]);
        assert!(
            out.status.success(),
            "key revoke failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Every text value stored in the database, whatever the table: for SQLite the file's raw
    /// bytes (and its WAL) as lossy text; for PostgreSQL every column of every table cast to text.
    pub fn raw_dump(&self) -> String {
        match self.backend {
            Backend::Sqlite => {
                let path = self.sqlite_path().expect("sqlite path");
                let mut text = String::new();
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut name = path.clone().into_os_string();
                    name.push(suffix);
                    if let Ok(bytes) = std::fs::read(&name) {
                        text.push_str(&String::from_utf8_lossy(&bytes));
                    }
                }
                text
            }
            Backend::Postgres => {
                let mut client =
                    postgres::Client::connect(&self.database_url, postgres::NoTls).expect("connect to test database");
                let tables = client
                    .query(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
                        &[],
                    )
                    .expect("list tables");
                let mut text = String::new();
                for table in tables {
                    let name: String = table.get(0);
                    let rows = client
                        .query(&format!("SELECT CAST(t.* AS TEXT) FROM \"{name}\" t"), &[])
                        .expect("dump table");
                    for row in rows {
                        let value: Option<String> = row.get(0);
                        text.push_str(&value.unwrap_or_default());
                        text.push('\n');
                    }
                }
                text
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
        // The database is dropped after the process is gone (field order would drop it later anyway).
        self.pg.take();
    }
}

/// The value of the `name: value` line of the CLI's output.
fn field(stdout: &str, name: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("no `{name}:` line in:\n{stdout}"))
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}
