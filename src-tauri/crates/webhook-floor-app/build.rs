//! Tauri's build step for the floor window: validates `tauri.conf.json` (there are no
//! capabilities) and prepares the context `tauri::generate_context!` embeds.

fn main() {
    tauri_build::build();
}
