//! The floor of `make bench`'s window benchmarks: a bare Tauri window that loads an empty page
//! from its embedded assets (the custom protocol), with no commands, no state and no plugins.
//! The app's start-up time and memory are reported as ratios against this window's.
//!
//! It paints the way the app does on this machine (`webhook-renderer`, the app's first call
//! too), so the two windows differ by the app and not by WebKit's renderer.

fn main() {
    // SAFETY: first thing in main, as in the app: nothing has started a thread yet (the only
    // other one, JavaScriptCore's memory scavenger, never reads the environment).
    #[allow(unsafe_code)]
    unsafe {
        webhook_renderer::apply(&webhook_renderer::choose_for_this_machine());
    }
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("webhook-floor-app: {error}");
        std::process::exit(1);
    }
}
