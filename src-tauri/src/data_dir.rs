//! Where the app keeps its files.
//!
//! `$WEBHOOK_STUDIO_DATA_DIR` wins when it is set, so that tests, benchmarks and a second
//! profile never touch the user's real data; otherwise the platform's app-data folder
//! (`~/.local/share/studio.webhook.desktop` on Linux) is used.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "WEBHOOK_STUDIO_DATA_DIR";

/// The app's data folder, resolved once at start-up and kept in Tauri's managed state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir(PathBuf);

impl DataDir {
    /// Picks the data folder: `overridden` (the value of [`DATA_DIR_ENV`]) when it is set
    /// and not empty, made absolute so the UI shows a folder a user can open; otherwise the
    /// platform default.
    pub fn resolve<E>(
        overridden: Option<OsString>,
        platform_default: impl FnOnce() -> Result<PathBuf, E>,
    ) -> Result<Self, E>
    where
        E: From<io::Error>,
    {
        match overridden {
            Some(dir) if !dir.is_empty() => Ok(Self(std::path::absolute(dir)?)),
            _ => platform_default().map(Self),
        }
    }

    /// Creates the folder (and its parents) if it does not exist yet.
    pub fn create(&self) -> io::Result<()> {
        std::fs::create_dir_all(&self.0)
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform_default() -> io::Result<PathBuf> {
        Ok(PathBuf::from("/home/ada/.local/share/studio.webhook.desktop"))
    }

    #[test]
    fn override_wins_over_the_platform_default() {
        let dir = DataDir::resolve(Some("/tmp/studio-test".into()), platform_default).unwrap();
        assert_eq!(dir.path(), Path::new("/tmp/studio-test"));
    }

    #[test]
    fn unset_or_empty_override_falls_back_to_the_platform_default() {
        for overridden in [None, Some(OsString::new())] {
            let dir = DataDir::resolve(overridden, platform_default).unwrap();
            assert_eq!(dir, DataDir(platform_default().unwrap()));
        }
    }

    #[test]
    fn relative_override_is_made_absolute() {
        let dir = DataDir::resolve(Some("profile-b".into()), platform_default).unwrap();
        assert!(dir.path().is_absolute(), "{}", dir.path().display());
        assert!(dir.path().ends_with("profile-b"));
    }

    #[test]
    fn platform_default_errors_are_passed_on() {
        let failed = DataDir::resolve(None, || Err::<PathBuf, _>(io::Error::other("no home folder")));
        assert_eq!(failed.unwrap_err().to_string(), "no home folder");
    }
}
