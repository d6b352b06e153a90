//! Entry point of the desktop app. Everything lives in the library so that tests reach it
//! without a window.

// Release builds on Windows must not open a console next to the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    match webhook_studio_app_lib::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("webhook-studio-app: {error}");
            ExitCode::FAILURE
        }
    }
}
