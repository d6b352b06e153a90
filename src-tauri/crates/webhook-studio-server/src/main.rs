//! `webhook-studio-server`: serves the team API, or manages teams and API keys.
//!
//! ```text
//! webhook-studio-server --listen 127.0.0.1:8080 --database sqlite:server.db
//! webhook-studio-server team create --database sqlite:server.db --name "Support bots"
//! webhook-studio-server key create --database sqlite:server.db --team team_...
//! webhook-studio-server key revoke --database sqlite:server.db --key whsk_...
//! ```
//!
//! Exit codes: 0 success; 1 the server or the database failed; 2 the command was used wrongly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use webhook_block::ApiBase;
use webhook_studio_server::{DatabaseUrl, Db, store};

#[derive(Parser)]
#[command(
    name = "webhook-studio-server",
    version,
    about = "The Webhook Studio team server: syncs bots between teammates' apps and answers production webhook URLs.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    #[command(flatten)]
    database: DatabaseArg,
    /// The file holding the key that seals webhook tokens (created, mode 0600, when missing).
    /// Defaults to `<db>.key` beside an SQLite file; required for PostgreSQL.
    #[arg(long, env = "WEBHOOK_STUDIO_SERVER_SECRET_KEY_FILE")]
    secret_key_file: Option<PathBuf>,
    /// The URL teammates reach this server at (the app's API base): `https://`, or `http://` on a
    /// loopback host, as the app requires. Printed with the production webhook URL's shape.
    #[arg(long, value_parser = parse_public_url)]
    public_url: Option<ApiBase>,
}

#[derive(Args)]
struct DatabaseArg {
    /// `sqlite:PATH` or `postgres://user@host/db`.
    #[arg(long, env = "WEBHOOK_STUDIO_SERVER_DATABASE", default_value = "sqlite:webhook-studio-server.db", value_parser = parse_database)]
    database: DatabaseUrl,
}

fn parse_public_url(text: &str) -> Result<ApiBase, String> {
    ApiBase::parse(text).map_err(|e| e.to_string())
}

fn parse_database(text: &str) -> Result<DatabaseUrl, String> {
    DatabaseUrl::parse(text)
}

#[derive(Subcommand)]
enum Command {
    /// Teams.
    Team {
        #[command(subcommand)]
        command: TeamCommand,
    },
    /// API keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Subcommand)]
enum TeamCommand {
    /// Makes a team and prints its id and a first API key (shown once; only its hash is stored).
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// The team's name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Adds an API key to a team and prints it (shown once).
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// The team's id (`team create` printed it).
        #[arg(long)]
        team: String,
    },
    /// Revokes an API key: requests with it are refused at once.
    Revoke {
        #[command(flatten)]
        database: DatabaseArg,
        /// The key.
        #[arg(long)]
        key: String,
    },
}

fn open_db(url: &DatabaseUrl) -> Result<Db, ExitCode> {
    Db::open(url).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let usage = e.use_stderr();
            let _ = e.print();
            return if usage { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        None => serve(cli.serve),
        Some(Command::Team {
            command: TeamCommand::Create { database, name },
        }) => {
            let name = name.trim().to_owned();
            if name.is_empty() {
                eprintln!("error: --name must not be empty");
                return ExitCode::from(2);
            }
            let db = match open_db(&database.database) {
                Ok(db) => db,
                Err(code) => return code,
            };
            match db.transaction(|tx| store::create_team(tx, &name)) {
                Ok((team, key)) => {
                    println!("team: {team}");
                    println!("key: {key}");
                    eprintln!("The key is shown once: only its hash is stored. Keep it in the app's Settings.");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Some(Command::Key {
            command: KeyCommand::Create { database, team },
        }) => {
            let db = match open_db(&database.database) {
                Ok(db) => db,
                Err(code) => return code,
            };
            match db.transaction(|tx| store::create_key(tx, &team)) {
                Ok(Some(key)) => {
                    println!("team: {team}");
                    println!("key: {key}");
                    eprintln!("The key is shown once: only its hash is stored.");
                    ExitCode::SUCCESS
                }
                Ok(None) => {
                    eprintln!("error: there is no team \"{team}\"; `team create` prints a team's id");
                    ExitCode::from(2)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Some(Command::Key {
            command: KeyCommand::Revoke { database, key },
        }) => {
            let db = match open_db(&database.database) {
                Ok(db) => db,
                Err(code) => return code,
            };
            match db.transaction(|tx| store::revoke_key(tx, &key)) {
                Ok(true) => {
                    println!("revoked");
                    ExitCode::SUCCESS
                }
                Ok(false) => {
                    eprintln!("error: that key is unknown or already revoked");
                    ExitCode::from(2)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let state = match webhook_studio_server::open(&args.database.database, args.secret_key_file) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("error: {e}");
            return match e {
                webhook_studio_server::StartError::NoSecretKeyFile => ExitCode::from(2),
                _ => ExitCode::from(1),
            };
        }
    };
    if let Some(base) = &args.public_url {
        eprintln!(
            "webhook-studio-server: production webhook URLs are {}/v1/webhooks/<block id>",
            base.as_str().trim_end_matches('/')
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(webhook_studio_server::serve(state, args.listen)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
