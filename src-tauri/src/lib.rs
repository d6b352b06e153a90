//! Webhook Studio's desktop shell.
//!
//! This crate is deliberately thin: it decides where the app keeps its data, registers the
//! IPC commands and hands them to Tauri. Business rules live in the library crates under
//! `src-tauri/crates/`; a command here only adapts one of them to the window. When this
//! crate grows logic of its own, a rule has leaked into it.
//!
//! Every command is declared once, in [`ipc_builder`]; the TypeScript bindings in
//! `ui/src/bindings.ts` are generated from it (see [`bindings`]).

pub mod bindings;
pub mod clipboard;
mod commands;
mod data_dir;
mod editor;
mod live;
mod store_state;
mod sync;
mod timings;
mod transfer;

use std::time::Instant;

use tauri::Manager;
use tauri::webview::PageLoadEvent;

pub use commands::AppInfo;
pub use data_dir::{DATA_DIR_ENV, DataDir};
pub use live::{Listener, LiveProblem, LiveProblemCode};
pub use store_state::{MovedAside, OpenStore, StoreProblem, StoreProblemCode, StoreState, StoreStatus};
pub use timings::TIMINGS_ENV;

/// The single list of IPC commands. Both the running app and the bindings generator use it,
/// so a command the UI can call always has a generated TypeScript signature.
pub fn ipc_builder() -> tauri_specta::Builder<tauri::Wry> {
    // Typed events the window listens to; the bindings give each a `listen` helper.
    let events = tauri_specta::collect_events![
        live::CapturedRequestEvent,
        sync::SyncStatusEvent,
        sync::RemoteChangesEvent
    ];
    let builder = tauri_specta::Builder::<tauri::Wry>::new().events(events);
    builder.commands(tauri_specta::collect_commands![
        commands::app_info,
        commands::store_status,
        commands::move_aside_and_start_fresh,
        live::start_listening,
        live::refresh_listening,
        live::stop_listening,
        live::listening_status,
        live::captured_requests,
        live::replay_request,
        live::use_as_sample,
        editor::list_bots,
        editor::list_templates,
        editor::create_bot,
        editor::create_bot_from_template,
        editor::rename_bot,
        editor::duplicate_bot,
        editor::delete_bot,
        editor::open_bot,
        editor::add_block,
        editor::add_sequence,
        editor::remove_block,
        editor::move_block,
        editor::rename_block,
        editor::rename_sequence,
        editor::message_panel,
        editor::edit_message,
        editor::webhook_panel,
        editor::edit_webhook_form,
        editor::undo_webhook_edit,
        editor::redo_webhook_edit,
        editor::add_mapping_for_path,
        editor::choose_webhook_channel,
        editor::rotate_token,
        editor::reveal_token,
        editor::submit_webhook,
        editor::bot_channels,
        editor::connect_account,
        editor::remove_account,
        editor::set_integration,
        editor::read_settings,
        editor::change_setting,
        editor::copy_to_clipboard,
        sync::save_sync,
        sync::test_connection,
        sync::sync_status,
        sync::sync_conflicts,
        sync::resolve_conflict,
        sync::sync_rejections,
        sync::dismiss_sync_rejection,
        transfer::export_bot,
        transfer::import_bot,
    ])
}

/// Turns off, on the window's webview, the WebKit features this machine's way of painting does
/// without (`webhook_renderer::configure_webview`). If WebKit cannot, the webview keeps its
/// defaults, which work, and the reason is said on stderr.
fn configure_webview(app: &tauri::App, paint: webhook_renderer::Renderer) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window("main") else {
        return Ok(());
    };
    window.with_webview(move |webview| {
        #[cfg(target_os = "linux")]
        if let Err(error) = webhook_renderer::configure_webview(paint, &webview.inner()) {
            eprintln!("webhook-studio-app: {error}");
        }
        #[cfg(not(target_os = "linux"))]
        let _ = (webview, paint);
    })
}

/// Opens the main window and runs the app until it is closed. `renderer` is how WebKit paints
/// on this machine (main.rs applies it before anything starts a thread); a choice that leaves
/// WebKit's default is said on stderr, where a bug report starts.
pub fn run(renderer: &webhook_renderer::Choice) -> tauri::Result<()> {
    let started = Instant::now();
    timings::mark("main");
    if renderer.renderer() == webhook_renderer::Renderer::Cpu {
        eprintln!("webhook-studio-app: {renderer}");
    }
    let ipc = ipc_builder();
    let handler = ipc.invoke_handler();
    let paint = renderer.renderer();

    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(move |invoke| {
            if !timings::enabled() {
                return handler(invoke);
            }
            // A synchronous command runs inside this call, on the main thread; an async one is
            // only spawned here.
            let command = format!("ipc {}", invoke.message.command());
            let called = Instant::now();
            let answered = handler(invoke);
            timings::span(&command, called);
            answered
        })
        .setup(move |app| {
            let setup = Instant::now();
            configure_webview(app, paint)?;
            ipc.mount_events(app);
            let data_dir = DataDir::resolve(std::env::var_os(DATA_DIR_ENV), || app.path().app_data_dir())?;
            if let Err(error) = data_dir.create() {
                // Not fatal: the store reports the folder it cannot open, and the window shows it.
                eprintln!(
                    "webhook-studio-app: cannot create {}: {error}",
                    data_dir.path().display()
                );
            }
            // Never fails: a store that cannot be opened is kept as its error, and the window
            // shows it and what can be done (see `commands::store_status`).
            let store = Instant::now();
            app.manage(StoreState::open_in(data_dir.path()));
            timings::span("store-open", store);
            app.manage(data_dir);
            app.manage(clipboard::Clipboard::new());
            app.manage(live::Listener::default());
            app.manage(sync::SyncControl::default());
            app.state::<sync::SyncControl>().apply(app.handle());
            timings::span("setup", setup);
            Ok(())
        })
        .on_page_load(move |webview, payload| {
            timings::mark(match payload.event() {
                PageLoadEvent::Started => "page-load-started",
                PageLoadEvent::Finished => "page-load-finished",
            });
            // One line per finished page load: end-to-end tests and start-up benchmarks wait
            // for it, and it is the first sign of a blank window in a bug report.
            if payload.event() == PageLoadEvent::Finished {
                eprintln!(
                    "webhook-studio-app: page-load finished window={} url={} after_ms={}",
                    webview.label(),
                    payload.url(),
                    started.elapsed().as_millis()
                );
            }
        })
        .run(tauri::generate_context!())
}
