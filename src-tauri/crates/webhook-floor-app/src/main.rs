//! The floor of `make bench`'s window benchmarks: a bare Tauri window that loads an empty page
//! from its embedded assets (the custom protocol), with no commands, no state and no plugins.
//! The app's start-up time and memory are reported as ratios against this window's.

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("webhook-floor-app: {error}");
        std::process::exit(1);
    }
}
