//! The floor of `make bench`'s window benchmarks: a bare Tauri window that loads an empty page
//! from its embedded assets (the custom protocol), with no commands, no state and no plugins.
//! The app's start-up time and memory are reported as ratios against this window's.
//!
//! It paints the way the app does on this machine (`webhook-renderer`, the app's first call
//! too), so the two windows differ by the app and not by WebKit's renderer.

use tauri::Manager;

fn main() {
    let choice = webhook_renderer::choose_for_this_machine();
    // SAFETY: first thing in main, as in the app: nothing has started a thread yet (the only
    // other one, JavaScriptCore's memory scavenger, never reads the environment).
    #[allow(unsafe_code)]
    unsafe {
        webhook_renderer::apply(&choice);
    }
    let paint = choice.renderer();
    let floor = tauri::Builder::default().setup(move |app| {
        // The WebKit features the app's window does without, in the app's `setup` too.
        if let Some(window) = app.get_webview_window("main") {
            window.with_webview(move |webview| {
                #[cfg(target_os = "linux")]
                if let Err(error) = webhook_renderer::configure_webview(paint, &webview.inner()) {
                    eprintln!("webhook-floor-app: {error}");
                }
                #[cfg(not(target_os = "linux"))]
                let _ = (webview, paint);
            })?;
        }
        Ok(())
    });
    if let Err(error) = floor.run(tauri::generate_context!()) {
        eprintln!("webhook-floor-app: {error}");
        std::process::exit(1);
    }
}
