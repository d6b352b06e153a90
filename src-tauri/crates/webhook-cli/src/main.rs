//! `webhook-studio`: the webhook block's rules from the command line, for scripts and CI, and the
//! store's export and import.
//!
//! Exit codes: 0 success; 1 the document has problems (or cannot be read as a bot document);
//! 2 the command was used wrongly or a file could not be read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use webhook_block::curl::{Shell, TokenIn, sample_curl};
use webhook_block::endpoints::{DEFAULT_API_BASE, DEFAULT_RECEIVER_PORT};
use webhook_block::{ApiBase, BotDocument, Endpoints, Environment, check_bot, check_webhook};
use webhook_receiver::{Directory, Receiver, Settings};
use webhook_store::{Store, UpdateSource};

#[derive(Parser)]
#[command(
    name = "webhook-studio",
    version,
    about = "Check bot documents, print sample cURL, run the development receiver, and export or import bots."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Prints every problem of a bot document as `block/field: message`; exits 1 when any.
    Check {
        /// The bot document (JSON).
        bot: PathBuf,
    },
    /// Prints the sample cURL of a webhook block.
    Curl {
        /// The bot document (JSON).
        bot: PathBuf,
        /// The webhook block's id.
        #[arg(long)]
        block: String,
        /// Which URL and body: production or development.
        #[arg(long, value_enum)]
        env: EnvArg,
        /// The shell the command is for.
        #[arg(long, value_enum, default_value = "posix")]
        shell: ShellArg,
        /// Write `$WEBHOOK_TOKEN` instead of the token, for snippets pasted into tickets or chats.
        #[arg(long)]
        token_from_env: bool,
        /// The team server's base URL, for production URLs.
        #[arg(long, env = "WEBHOOK_STUDIO_API_BASE", default_value = DEFAULT_API_BASE)]
        api_base: String,
        /// The development receiver's port, for development URLs.
        #[arg(long, default_value_t = DEFAULT_RECEIVER_PORT)]
        port: u16,
    },
    /// Runs the development receiver for the bot's webhook blocks on 127.0.0.1 and prints each
    /// request as one JSON line.
    Serve {
        /// The bot document (JSON).
        bot: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = DEFAULT_RECEIVER_PORT)]
        port: u16,
        /// The largest request body accepted, in bytes.
        #[arg(long, default_value_t = webhook_receiver::DEFAULT_BODY_LIMIT)]
        body_limit: usize,
    },
    /// Prints the JSON Schema of the bot document.
    Schema,
    /// Writes a bot of the store as a bot document: pretty JSON in a stable key order, so it diffs
    /// well in git. Tokens are left out unless --include-secrets.
    Export {
        /// The store's database file [default: studio.db in $WEBHOOK_STUDIO_DATA_DIR or the app-data folder].
        #[arg(long)]
        db: Option<PathBuf>,
        /// The bot's id; may be left out when the store holds a single bot.
        #[arg(long)]
        bot: Option<String>,
        /// Include the blocks' tokens: anyone with the file can then send to the bot's webhooks.
        #[arg(long)]
        include_secrets: bool,
        /// Write the document to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Imports a bot document into the store. The whole document is checked first: on any problem
    /// every problem is printed and nothing is imported (exit 1).
    Import {
        /// The store's database file (created if missing) [default: as for export].
        #[arg(long)]
        db: Option<PathBuf>,
        /// The bot document (JSON).
        file: PathBuf,
        /// Replace a bot that already has the document's id.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum EnvArg {
    Production,
    Development,
}

#[derive(Clone, Copy, ValueEnum)]
enum ShellArg {
    Posix,
    Powershell,
}

/// A line on stderr that may fail to print: a closed stderr must not stop a running receiver.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// A failure that ends the command, with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    fn problems(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { bot } => check(&bot),
        Command::Curl {
            bot,
            block,
            env,
            shell,
            token_from_env,
            api_base,
            port,
        } => curl(&bot, &block, env, shell, token_from_env, &api_base, port),
        Command::Serve { bot, port, body_limit } => serve(&bot, port, body_limit),
        Command::Export {
            db,
            bot,
            include_secrets,
            out,
        } => export(db, bot.as_deref(), include_secrets, out.as_deref()),
        Command::Import { db, file, replace } => import(db, &file, replace),
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&webhook_block::document::json_schema()).unwrap_or_default()
            );
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("{}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

fn load(path: &Path) -> Result<BotDocument, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{}: cannot read the file: {e}", path.display())))?;
    BotDocument::from_json(&text).map_err(|e| Failure::problems(format!("{}: {e}", path.display())))
}

fn check(path: &Path) -> Result<(), Failure> {
    let document = load(path)?;
    let problems = check_bot(&document.bot);
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        eprintln!(
            "{}: no problems ({} webhook block(s))",
            path.display(),
            document.bot.webhook_blocks().count()
        );
        Ok(())
    } else {
        Err(Failure::problems(format!(
            "{}: {} problem(s)",
            path.display(),
            problems.len()
        )))
    }
}

fn curl(
    path: &Path,
    block_id: &str,
    env: EnvArg,
    shell: ShellArg,
    token_from_env: bool,
    api_base: &str,
    port: u16,
) -> Result<(), Failure> {
    let document = load(path)?;
    let bot = &document.bot;
    let Some(block) = bot.webhook(block_id) else {
        let ids: Vec<&str> = bot.webhook_blocks().map(|b| b.id.as_str()).collect();
        return Err(Failure::usage(format!(
            "there is no webhook block \"{block_id}\" in {}; its webhook blocks are: {}",
            path.display(),
            ids.join(", ")
        )));
    };
    let api_base = ApiBase::parse(api_base).map_err(|e| Failure::usage(format!("--api-base: {e}")))?;
    let endpoints = Endpoints {
        api_base,
        receiver_port: Some(port),
    };
    let env = match env {
        EnvArg::Production => Environment::Production,
        EnvArg::Development => Environment::Development,
    };
    let shell = match shell {
        ShellArg::Posix => Shell::Posix,
        ShellArg::Powershell => Shell::Powershell,
    };
    let token_in = if token_from_env {
        TokenIn::EnvVar
    } else {
        TokenIn::Inline
    };
    // A draft still gets its sample: the designer may want to try it before submitting.
    let checked = check_webhook(bot, block, &block.form);
    println!("{}", sample_curl(&checked.compiled, &endpoints, env, shell, token_in));
    if !checked.problems.is_empty() {
        eprintln!(
            "note: the block has {} problem(s); run `webhook-studio check {}`",
            checked.problems.len(),
            path.display()
        );
    }
    Ok(())
}

fn serve(path: &Path, port: u16, body_limit: usize) -> Result<(), Failure> {
    let document = load(path)?;
    let bot = &document.bot;
    let directory = Directory::from_bot(bot).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Failure::problems(format!(
            "the submitted version of a block breaks rules, so it cannot be served:\n{}",
            lines.join("\n")
        ))
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::usage(format!("cannot start: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
            Failure::usage(format!(
                "cannot listen on 127.0.0.1:{port}: {e}; pick another with --port"
            ))
        })?;
        let local = listener.local_addr().map_err(|e| Failure::usage(e.to_string()))?;
        let live = directory.live_count();
        let receiver = Receiver::new(
            directory,
            Settings {
                body_limit,
                environment: Environment::Development,
            },
        );
        let endpoints = Endpoints {
            receiver_port: Some(local.port()),
            ..Endpoints::default()
        };
        note!("listening on http://{local} ({} live block(s)); Ctrl-C stops", live);
        for block in bot.webhook_blocks() {
            let state = if block.live_form().is_some() {
                "live"
            } else {
                "draft, answers 404 until submitted"
            };
            note!(
                "  {}  {} ({state})",
                block.id,
                endpoints.webhook_url(&block.id, Environment::Development)
            );
        }
        let mut events = receiver.subscribe();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match events.recv().await {
                    Ok(event) => {
                        use std::io::Write as _;
                        let line = serde_json::to_string(&event).unwrap_or_default();
                        let _ = writeln!(std::io::stdout(), "{line}");
                    }
                    Err(RecvError::Lagged(n)) => {
                        note!("warning: {n} request line(s) were dropped (output too slow)")
                    }
                    Err(RecvError::Closed) => break,
                }
            }
        });
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        webhook_receiver::serve(receiver, listener, shutdown)
            .await
            .map_err(|e| Failure::usage(format!("the receiver stopped: {e}")))
    })
}

/// The database named by `--db`, or the default one.
fn database(db: Option<PathBuf>) -> Result<PathBuf, Failure> {
    match db {
        Some(path) => Ok(path),
        None => webhook_store::default_data_dir()
            .map(|dir| dir.join(webhook_store::DATABASE_FILE))
            .map_err(|e| Failure::usage(format!("{e}; or pass --db PATH"))),
    }
}

/// Store errors are about the file (damaged, newer, locked, read-only): exit 2, like an
/// unreadable file.
fn store_failure(error: webhook_store::Error) -> Failure {
    match error {
        webhook_store::Error::Invalid(_) => Failure::problems(error.to_string()),
        other => Failure::usage(other.to_string()),
    }
}

fn export(db: Option<PathBuf>, bot: Option<&str>, include_secrets: bool, out: Option<&Path>) -> Result<(), Failure> {
    let db = database(db)?;
    if !db.exists() {
        // Exporting must not create an empty store where none was.
        return Err(Failure::usage(format!(
            "{}: there is no database here; pass the right --db PATH",
            db.display()
        )));
    }
    let store = Store::open(&db).map_err(store_failure)?;
    let bots = store.list_bots().map_err(store_failure)?;
    let listed = || {
        let ids: Vec<&str> = bots.iter().map(|b| b.id.as_str()).collect();
        if ids.is_empty() {
            "it holds no bots".to_owned()
        } else {
            format!("its bots are: {}", ids.join(", "))
        }
    };
    let id = match bot {
        Some(id) if bots.iter().any(|b| b.id.as_str() == id) => id.to_owned(),
        Some(id) => {
            return Err(Failure::usage(format!(
                "there is no bot \"{id}\" in {}; {}",
                db.display(),
                listed()
            )));
        }
        None if bots.len() == 1 => bots[0].id.to_string(),
        None => {
            return Err(Failure::usage(format!(
                "{}: choose a bot with --bot ID; {}",
                db.display(),
                listed()
            )));
        }
    };
    let document = store.export_bot(&id, include_secrets).map_err(store_failure)?;
    let text = document.to_json();
    match out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::usage(format!("{}: cannot write the file: {e}", path.display())))?,
        None => {
            use std::io::Write as _;
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|e| Failure::usage(format!("cannot write to stdout: {e}")))?;
        }
    }
    if !include_secrets && document.bot.webhook_blocks().next().is_some() {
        eprintln!(
            "note: tokens were left out; an import gives each webhook block a new one (--include-secrets keeps them)"
        );
    }
    Ok(())
}

fn import(db: Option<PathBuf>, file: &Path, replace: bool) -> Result<(), Failure> {
    let document = load(file)?;
    let given = db.is_some();
    let db = database(db)?;
    let mut store = match db.parent() {
        // The default folder may not exist yet on a first run; a given path's folder must.
        Some(dir) if !given => Store::open_in(dir),
        _ => Store::open(&db),
    }
    .map_err(store_failure)?;
    match store.import_document(&document, replace, UpdateSource::Cli) {
        Ok(id) => {
            eprintln!(
                "{}: imported bot {id} ({} block(s)) into {}",
                file.display(),
                document.bot.blocks().count(),
                db.display()
            );
            Ok(())
        }
        Err(webhook_store::Error::Invalid(problems)) => {
            for problem in &problems {
                println!("{problem}");
            }
            Err(Failure::problems(format!(
                "{}: {} problem(s); nothing was imported",
                file.display(),
                problems.len()
            )))
        }
        Err(other) => Err(store_failure(other)),
    }
}
