//! One SQL text, two engines: SQLite (rusqlite, the embedded default) and PostgreSQL (the
//! synchronous `postgres` client behind an r2d2 pool).
//!
//! The domain code in [`crate::store`] is written once against [`Tx`]: statements with `$1`
//! placeholders (rewritten to `?1` for SQLite), parameters and cells that are integers, text or
//! null. Every call runs on tokio's blocking pool ([`Db::run`]), one transaction per call; SQLite
//! takes its write lock at `BEGIN IMMEDIATE`, PostgreSQL serialises a team's writes on the team's
//! change-counter row, so on both the change numbers (`seq`) follow commit order.
//!
//! The schema version lives in the `schema_version` table; a database written by a newer server
//! is refused rather than misread.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::NoTls;
use postgres::types::{ToSql, Type};
use r2d2_postgres::PostgresConnectionManager;

/// A statement's parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// A 64-bit integer (`BIGINT`).
    Int(i64),
    /// Text.
    Text(String),
    /// A null integer.
    NullInt,
    /// A null text.
    NullText,
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_owned())
    }
}

impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(v)
    }
}

impl From<&String> for Param {
    fn from(v: &String) -> Self {
        Param::Text(v.clone())
    }
}

impl From<Option<String>> for Param {
    fn from(v: Option<String>) -> Self {
        v.map_or(Param::NullText, Param::Text)
    }
}

impl From<Option<i64>> for Param {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Param::NullInt, Param::Int)
    }
}

/// One value of a result row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// Null.
    Null,
}

/// A result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Cell>);

impl Row {
    /// Column `i` as an integer (0 when null or text).
    pub fn int(&self, i: usize) -> i64 {
        match self.0.get(i) {
            Some(Cell::Int(v)) => *v,
            _ => 0,
        }
    }

    /// Column `i` as text, `None` when null.
    pub fn text(&self, i: usize) -> Option<String> {
        match self.0.get(i) {
            Some(Cell::Text(v)) => Some(v.clone()),
            Some(Cell::Int(v)) => Some(v.to_string()),
            _ => None,
        }
    }

    /// Column `i` as text, empty when null.
    pub fn string(&self, i: usize) -> String {
        self.text(i).unwrap_or_default()
    }
}

/// What went wrong in the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite said no.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL said no.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    /// No PostgreSQL connection could be had.
    #[error("PostgreSQL connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// The database was written by a newer server.
    #[error(
        "the database is at schema version {found}, newer than this server's {supported}: run the newer server, or restore a backup"
    )]
    TooNew {
        /// The database's version.
        found: i64,
        /// This server's.
        supported: i64,
    },
    /// The `--database` URL is not one this server takes.
    #[error("{0}")]
    Url(String),
    /// A blocking task was lost (a panic in it).
    #[error("a database task stopped: {0}")]
    Task(String),
}

/// The database's result.
pub type DbResult<T> = Result<T, DbError>;

/// A transaction: the only way the domain code touches the database.
pub trait Tx {
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param]) -> DbResult<u64>;
    /// Runs a query; its rows.
    fn rows(&mut self, sql: &str, params: &[Param]) -> DbResult<Vec<Row>>;
    /// The first row, if any.
    fn row(&mut self, sql: &str, params: &[Param]) -> DbResult<Option<Row>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

/// `$1` → `?1`, outside string literals.
pub fn sqlite_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if c == '$' && !in_string && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

struct SqliteTx<'a>(&'a rusqlite::Transaction<'a>);

impl Tx for SqliteTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Param]) -> DbResult<u64> {
        let mut stmt = self.0.prepare_cached(&sqlite_placeholders(sql))?;
        let n = stmt.execute(rusqlite::params_from_iter(params.iter().map(sqlite_value)))?;
        Ok(n as u64)
    }

    fn rows(&mut self, sql: &str, params: &[Param]) -> DbResult<Vec<Row>> {
        let mut stmt = self.0.prepare_cached(&sqlite_placeholders(sql))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(sqlite_value)))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(columns);
            for i in 0..columns {
                cells.push(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Integer(v) => Cell::Int(v),
                    rusqlite::types::ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    rusqlite::types::ValueRef::Real(v) => Cell::Int(v as i64),
                    rusqlite::types::ValueRef::Blob(b) => Cell::Text(String::from_utf8_lossy(b).into_owned()),
                    rusqlite::types::ValueRef::Null => Cell::Null,
                });
            }
            out.push(Row(cells));
        }
        Ok(out)
    }
}

fn sqlite_value(p: &Param) -> rusqlite::types::Value {
    match p {
        Param::Int(v) => rusqlite::types::Value::Integer(*v),
        Param::Text(v) => rusqlite::types::Value::Text(v.clone()),
        Param::NullInt | Param::NullText => rusqlite::types::Value::Null,
    }
}

struct PgTx<'a, 'b>(&'a mut postgres::Transaction<'b>);

fn pg_params(params: &[Param]) -> Vec<Box<dyn ToSql + Sync>> {
    params
        .iter()
        .map(|p| -> Box<dyn ToSql + Sync> {
            match p {
                Param::Int(v) => Box::new(*v),
                Param::Text(v) => Box::new(v.clone()),
                Param::NullInt => Box::new(None::<i64>),
                Param::NullText => Box::new(None::<String>),
            }
        })
        .collect()
}

impl Tx for PgTx<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Param]) -> DbResult<u64> {
        let boxed = pg_params(params);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        Ok(self.0.execute(sql, &refs)?)
    }

    fn rows(&mut self, sql: &str, params: &[Param]) -> DbResult<Vec<Row>> {
        let boxed = pg_params(params);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        let rows = self.0.query(sql, &refs)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut cells = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let cell = match *column.type_() {
                    Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int),
                    Type::INT4 => row
                        .try_get::<_, Option<i32>>(i)?
                        .map_or(Cell::Null, |v| Cell::Int(v.into())),
                    Type::INT2 => row
                        .try_get::<_, Option<i16>>(i)?
                        .map_or(Cell::Null, |v| Cell::Int(v.into())),
                    Type::BOOL => row
                        .try_get::<_, Option<bool>>(i)?
                        .map_or(Cell::Null, |v| Cell::Int(v.into())),
                    _ => row.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text),
                };
                cells.push(cell);
            }
            out.push(Row(cells));
        }
        Ok(out)
    }
}

/// The schema, in versions. Each entry is the statements of one version, with `{serial}` for an
/// auto-numbered primary key (the one place the dialects differ here).
const MIGRATIONS: &[&[&str]] = &[
    &[
        "CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        change_counter BIGINT NOT NULL DEFAULT 0
    )",
        "CREATE TABLE api_keys (
        hash TEXT PRIMARY KEY,
        team TEXT NOT NULL REFERENCES teams (id),
        created_at TEXT NOT NULL,
        revoked_at TEXT NULL
    )",
        "CREATE TABLE entities (
        team TEXT NOT NULL REFERENCES teams (id),
        bot TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        revision BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        body TEXT NULL,
        PRIMARY KEY (team, bot, kind, id)
    )",
        "CREATE INDEX entities_by_seq ON entities (team, seq)",
        "CREATE TABLE revisions (
        team TEXT NOT NULL,
        bot TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        revision BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        body TEXT NULL,
        op_id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (team, bot, kind, id, revision)
    )",
        "CREATE TABLE applied_ops (
        team TEXT NOT NULL,
        op_id TEXT NOT NULL,
        revision BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (team, op_id)
    )",
        "CREATE TABLE webhook_blocks (
        block TEXT PRIMARY KEY,
        team TEXT NOT NULL REFERENCES teams (id),
        bot TEXT NOT NULL,
        sealed_token TEXT NULL
    )",
        "CREATE TABLE events (
        id {serial},
        team TEXT NOT NULL,
        block TEXT NOT NULL,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL,
        variables TEXT NOT NULL,
        contact TEXT NULL
    )",
        "CREATE INDEX events_by_block ON events (block, id)",
    ],
    // 2: which app client wrote each entity's latest version (null for a REST write), so a pull
    // with `client` leaves out what that app already has.
    &["ALTER TABLE entities ADD COLUMN client TEXT NULL"],
];

/// The schema version this server writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open database of either engine.
#[derive(Clone)]
pub enum Db {
    /// One SQLite connection (SQLite writes one at a time anyway).
    Sqlite(Arc<Mutex<rusqlite::Connection>>),
    /// A pool of PostgreSQL connections.
    Postgres(r2d2::Pool<PostgresConnectionManager<NoTls>>),
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A PostgreSQL URL may hold a password: never printed.
        f.write_str(match self {
            Db::Sqlite(_) => "Db(sqlite)",
            Db::Postgres(_) => "Db(postgres)",
        })
    }
}

/// Which database a `--database` URL names.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite:PATH`.
    Sqlite(PathBuf),
    /// `postgres://...` or `postgresql://...`.
    Postgres(String),
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite:{}", p.display()),
            DatabaseUrl::Postgres(_) => f.write_str("postgres://<redacted>"),
        }
    }
}

impl DatabaseUrl {
    /// Reads `sqlite:PATH` or `postgres://...`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Some(path) = text.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err("`sqlite:` needs a file path, e.g. sqlite:webhook-studio-server.db".into());
            }
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Self::Postgres(text.to_owned()))
        } else {
            Err(format!(
                "the database URL must start with `sqlite:` (a file) or `postgres://`; got `{}`",
                text.split(':').next().unwrap_or_default()
            ))
        }
    }
}

impl Db {
    /// Opens (creating if needed) and migrates the database.
    pub fn open(url: &DatabaseUrl) -> DbResult<Self> {
        let db = match url {
            DatabaseUrl::Sqlite(path) => Self::open_sqlite(path)?,
            DatabaseUrl::Postgres(url) => {
                let config: postgres::Config = url
                    .parse()
                    .map_err(|e: postgres::Error| DbError::Url(format!("the PostgreSQL URL cannot be read: {e}")))?;
                let manager = PostgresConnectionManager::new(config, NoTls);
                let pool = r2d2::Pool::builder()
                    .max_size(16)
                    .connection_timeout(Duration::from_secs(10))
                    .build(manager)?;
                Db::Postgres(pool)
            }
        };
        db.migrate()?;
        Ok(db)
    }

    fn open_sqlite(path: &Path) -> DbResult<Self> {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Db::Sqlite(Arc::new(Mutex::new(conn))))
    }

    fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    fn migrate(&self) -> DbResult<()> {
        let serial = if self.is_postgres() {
            "BIGSERIAL PRIMARY KEY"
        } else {
            "INTEGER PRIMARY KEY AUTOINCREMENT"
        };
        self.transaction(|tx| {
            tx.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
                &[],
            )?;
            let found = tx
                .row("SELECT MAX(version) FROM schema_version", &[])?
                .map(|r| r.int(0))
                .unwrap_or(0);
            if found > SCHEMA_VERSION {
                return Err(DbError::TooNew {
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            for (i, statements) in MIGRATIONS.iter().enumerate().skip(found as usize) {
                for statement in *statements {
                    tx.execute(&statement.replace("{serial}", serial), &[])?;
                }
                tx.execute("DELETE FROM schema_version", &[])?;
                tx.execute(
                    "INSERT INTO schema_version (version) VALUES ($1)",
                    &[Param::Int(i as i64 + 1)],
                )?;
            }
            Ok(())
        })
    }

    /// Runs `f` in one transaction, here (blocking): committed when it returns `Ok`, rolled back
    /// otherwise.
    pub fn transaction<T>(&self, f: impl FnOnce(&mut dyn Tx) -> DbResult<T>) -> DbResult<T> {
        self.transaction_with(|tx| f(tx).map(|v| (v, true)))
    }

    /// Runs `f` in one transaction, here (blocking): committed when it returns `Ok((_, true))`,
    /// rolled back when `Ok((_, false))` (an answer that writes nothing) or an error.
    pub fn transaction_with<T>(&self, f: impl FnOnce(&mut dyn Tx) -> DbResult<(T, bool)>) -> DbResult<T> {
        match self {
            Db::Sqlite(conn) => {
                let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let (value, commit) = f(&mut SqliteTx(&tx))?;
                if commit {
                    tx.commit()?;
                } else {
                    tx.rollback()?;
                }
                Ok(value)
            }
            Db::Postgres(pool) => {
                let mut client = pool.get()?;
                let mut tx = client.transaction()?;
                let (value, commit) = f(&mut PgTx(&mut tx))?;
                if commit {
                    tx.commit()?;
                } else {
                    tx.rollback()?;
                }
                Ok(value)
            }
        }
    }

    /// [`Db::transaction`] on tokio's blocking pool.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> DbResult<T> + Send + 'static,
    ) -> DbResult<T> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.transaction(f))
            .await
            .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// [`Db::transaction_with`] on tokio's blocking pool.
    pub async fn run_with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> DbResult<(T, bool)> + Send + 'static,
    ) -> DbResult<T> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.transaction_with(f))
            .await
            .map_err(|e| DbError::Task(e.to_string()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_strings_only() {
        assert_eq!(
            sqlite_placeholders("SELECT '$1', x FROM t WHERE a = $1 AND b = $12"),
            "SELECT '$1', x FROM t WHERE a = ?1 AND b = ?12"
        );
    }

    #[test]
    fn database_urls_are_read_or_refused_with_the_reason() {
        assert_eq!(
            DatabaseUrl::parse("sqlite:a.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("a.db")))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u:p@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(DatabaseUrl::parse("mysql://x").unwrap_err().contains("sqlite:"));
        assert!(DatabaseUrl::parse("sqlite:").is_err());
        assert_eq!(
            format!("{:?}", DatabaseUrl::parse("postgres://u:secret@h/db").expect("reads")),
            "postgres://<redacted>"
        );
    }

    #[test]
    fn a_version_1_database_is_migrated_on_open() {
        let dir = tempfile::tempdir().expect("dir");
        let url = DatabaseUrl::Sqlite(dir.path().join("a.db"));
        let db = Db::open(&url).expect("opens");
        // Back to version 1 as a shipped server left it: no `client` column.
        db.transaction(|tx| {
            tx.execute("ALTER TABLE entities DROP COLUMN client", &[])?;
            tx.execute("UPDATE schema_version SET version = 1", &[])
        })
        .expect("downgrade");
        drop(db);
        let db = Db::open(&url).expect("migrates");
        let version = db
            .transaction(|tx| {
                tx.rows("SELECT client FROM entities", &[])?;
                tx.row("SELECT version FROM schema_version", &[])
            })
            .expect("read");
        assert_eq!(version.map(|r| r.int(0)), Some(SCHEMA_VERSION));
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let url = DatabaseUrl::Sqlite(dir.path().join("a.db"));
        let db = Db::open(&url).expect("opens");
        db.transaction(|tx| tx.execute("UPDATE schema_version SET version = 99", &[]))
            .expect("bump");
        drop(db);
        let error = Db::open(&url).expect_err("refused");
        assert!(matches!(error, DbError::TooNew { found: 99, .. }), "{error}");
        // Opening twice at the current version is fine and changes nothing.
        let url2 = DatabaseUrl::Sqlite(dir.path().join("b.db"));
        drop(Db::open(&url2).expect("first"));
        Db::open(&url2).expect("second");
    }
}
