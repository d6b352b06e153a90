//! Entry point of the desktop app. Everything lives in the library so that tests reach it
//! without a window.

// Release builds on Windows must not open a console next to the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    // First, before anything starts a thread: the environment the WebKit processes start with.
    let renderer = webhook_renderer::choose_for_this_machine();
    // SAFETY: nothing has started a thread yet (the only other one, JavaScriptCore's memory
    // scavenger, never reads the environment; see `apply`).
    #[allow(unsafe_code)]
    unsafe {
        webhook_renderer::apply(&renderer);
    }
    match webhook_studio_app_lib::run(&renderer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("webhook-studio-app: {error}");
            ExitCode::FAILURE
        }
    }
}
