//! The TypeScript bindings of the IPC commands, generated from the Rust types.
//!
//! `ui/src/bindings.ts` is generated and committed, never written by hand. The test below
//! fails when it no longer matches the Rust side; `make bindings` rewrites it (it runs that
//! test with [`WRITE_BINDINGS_ENV`] set).

use std::path::{Path, PathBuf};

use specta_typescript::Typescript;

/// Set this environment variable to make the bindings test rewrite the committed file
/// instead of comparing against it.
pub const WRITE_BINDINGS_ENV: &str = "WEBHOOK_STUDIO_WRITE_BINDINGS";

/// Where the committed bindings live.
pub fn committed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts")
}

/// Writes the TypeScript bindings of every command in [`crate::ipc_builder`] to `path`.
pub fn export(path: &Path) -> Result<(), specta_typescript::Error> {
    crate::ipc_builder().export(Typescript::default(), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_bindings_match_the_rust_commands() {
        let committed = committed_path();
        if std::env::var_os(WRITE_BINDINGS_ENV).is_some() {
            export(&committed).expect("write ui/src/bindings.ts");
            return;
        }

        // The exporter only writes files; generate into a scratch file and compare the text.
        let scratch = std::env::temp_dir().join(format!("webhook-studio-bindings-{}.ts", std::process::id()));
        export(&scratch).expect("generate bindings");
        let fresh = std::fs::read_to_string(&scratch);
        let _ = std::fs::remove_file(&scratch);
        let fresh = fresh.expect("read generated bindings");
        let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();

        assert!(
            on_disk == fresh,
            "ui/src/bindings.ts is stale: run `make bindings` and commit"
        );
    }
}
