//! Tauri's build step: validates `tauri.conf.json` and the capabilities, and prepares the
//! context that `tauri::generate_context!` embeds.

fn main() {
    tauri_build::build();
}
