//! The background loop the app starts once a server is set: a push soon after each local edit,
//! a pull every [`PULL_EVERY`] while online, and retries with exponential backoff and full jitter
//! (capped at [`MAX_BACKOFF`]) while the server cannot be reached. It never spins: every pass
//! ends in a wait of at least [`MIN_WAIT`].

use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::connection::Http;
use crate::engine::{StoreAccess, SyncError, SyncReport, run};
use crate::remote::Remote;

/// How often the team's changes are pulled while online.
pub const PULL_EVERY: Duration = Duration::from_secs(10);
/// The longest wait between retries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The first retry's longest wait; it doubles with each failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The shortest wait between two passes, whatever happens.
pub const MIN_WAIT: Duration = Duration::from_millis(250);
/// How long after a local edit the push starts, so a burst of keystrokes is one push.
const AFTER_EDIT: Duration = Duration::from_millis(300);

/// What the window shows about sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncStatus {
    /// Everything is on the server and the last pull is in.
    Synced,
    /// Local changes wait to be sent (being sent now, or soon).
    Pending {
        /// How many.
        count: u32,
    },
    /// The server cannot be reached; edits are kept and sent once it answers.
    Offline {
        /// Why, and what to do.
        reason: String,
        /// A stable code (`unreachable`, `http`...).
        code: String,
        /// Seconds until the next try.
        retry_in_secs: u32,
    },
    /// Some edits changed on both sides and wait for a person to choose.
    Conflict {
        /// How many entities.
        count: u32,
    },
    /// The server refused some changes: they are kept here and listed by `Store::rejections`
    /// with the server's reasons, until dismissed or until a later edit of the same thing is
    /// accepted. Everything else goes on syncing.
    Refused {
        /// How many changes.
        count: u32,
    },
    /// Sync cannot go on until something is changed (the key, the address, an update; it is
    /// still tried again now and then).
    Error {
        /// What is wrong and what to do.
        message: String,
        /// A stable code (`bad_key`, `version_mismatch`, `not_webhook_studio`...).
        code: String,
    },
}

impl SyncStatus {
    fn after(report: &SyncReport) -> Self {
        if report.open_conflicts > 0 {
            Self::Conflict {
                count: clamp(report.open_conflicts),
            }
        } else if report.open_rejections > 0 {
            Self::Refused {
                count: u32::try_from(report.open_rejections).unwrap_or(u32::MAX),
            }
        } else if report.pending > 0 {
            Self::Pending {
                count: clamp(report.pending),
            }
        } else {
            Self::Synced
        }
    }
}

fn clamp(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The wait before retry number `attempt` (1 for the first): a random time up to
/// `min(MAX_BACKOFF, FIRST_BACKOFF * 2^(attempt-1))` ("full jitter", so many apps coming back
/// together do not all knock at once), never below [`MIN_WAIT`].
pub fn backoff(attempt: u32) -> Duration {
    let ceiling = FIRST_BACKOFF
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let ceiling_ms = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(random() % (ceiling_ms + 1)).max(MIN_WAIT)
}

/// A random number from the standard library's per-process random hash keys: jitter needs no
/// more than that, and no other crate.
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.finish()
}

/// The running loop. Dropping it stops the loop.
#[derive(Debug)]
pub struct SyncRunner {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    status: watch::Receiver<SyncStatus>,
    task: Option<JoinHandle<()>>,
}

impl SyncRunner {
    /// Starts the loop on the current tokio runtime (panics outside one, as `tokio::spawn` does).
    pub fn spawn<A: StoreAccess + 'static>(remote: Remote, access: Arc<A>) -> Self {
        Self::spawn_on(&tokio::runtime::Handle::current(), remote, access)
    }

    /// Starts the loop on `runtime` (the app passes Tauri's).
    pub fn spawn_on<A: StoreAccess + 'static>(
        runtime: &tokio::runtime::Handle,
        remote: Remote,
        access: Arc<A>,
    ) -> Self {
        let wake = Arc::new(Notify::new());
        let (stop, stopped) = watch::channel(false);
        let initial = access
            .with_store(|s| Ok((s.pending_count()?, s.conflict_count()?)))
            .map(|(pending, conflicts)| {
                SyncStatus::after(&SyncReport {
                    pending,
                    open_conflicts: conflicts,
                    ..SyncReport::default()
                })
            })
            .unwrap_or(SyncStatus::Pending { count: 0 });
        let (status_tx, status) = watch::channel(initial);
        let task = runtime.spawn(run_loop(remote, access, wake.clone(), stopped, status_tx));
        Self {
            wake,
            stop,
            status,
            task: Some(task),
        }
    }

    /// A local edit happened: push soon.
    pub fn notify(&self) {
        self.wake.notify_one();
    }

    /// The status, to read now or wait on for changes.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Stops the loop (a round under way is dropped at its next await; the outbox keeps what
    /// was not acknowledged).
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Stops the loop and waits until it has ended.
    pub async fn shutdown(mut self) {
        self.stop();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SyncRunner {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn run_loop<A: StoreAccess + 'static>(
    remote: Remote,
    access: Arc<A>,
    wake: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
    status: watch::Sender<SyncStatus>,
) {
    let mut failures = 0u32;
    loop {
        if *stop.borrow() {
            return;
        }
        let result = match Http::new(&remote) {
            Ok(http) => {
                if let Ok(pending @ 1..) = access.with_store(|s| s.pending_count()) {
                    status.send_replace(SyncStatus::Pending { count: clamp(pending) });
                }
                tokio::select! {
                    result = run(&http, &*access) => result,
                    _ = stop.changed() => return,
                }
            }
            Err(e) => Err(SyncError::Connection(e)),
        };
        let wait = match result {
            Ok(report) => {
                failures = 0;
                status.send_replace(SyncStatus::after(&report));
                PULL_EVERY
            }
            Err(error) => {
                failures = failures.saturating_add(1);
                let wait = backoff(failures);
                status.send_replace(if error.is_transient() {
                    SyncStatus::Offline {
                        reason: error.to_string(),
                        code: error.code().to_owned(),
                        retry_in_secs: u32::try_from(wait.as_secs()).unwrap_or(u32::MAX),
                    }
                } else {
                    SyncStatus::Error {
                        message: error.to_string(),
                        code: error.code().to_owned(),
                    }
                });
                // A failure that needs a person (a bad key) is still retried, slowly.
                if error.is_transient() {
                    wait
                } else {
                    wait.max(MAX_BACKOFF / 2)
                }
            }
        };
        let online = failures == 0;
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            // An edit cuts the wait short while online; offline, the backoff stands, so typing
            // never makes the app knock harder on a server that is down.
            _ = wake.notified(), if online => {
                tokio::time::sleep(AFTER_EDIT.max(MIN_WAIT)).await;
            }
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_the_cap_and_never_reaches_zero() {
        for attempt in 1..40 {
            for _ in 0..50 {
                let wait = backoff(attempt);
                assert!(wait >= MIN_WAIT, "{attempt}: {wait:?}");
                assert!(wait <= MAX_BACKOFF, "{attempt}: {wait:?}");
                let ceiling = FIRST_BACKOFF
                    .saturating_mul(1 << (attempt - 1).min(16))
                    .min(MAX_BACKOFF);
                assert!(wait <= ceiling.max(MIN_WAIT), "{attempt}: {wait:?} over {ceiling:?}");
            }
        }
    }

    #[test]
    fn backoff_is_jittered() {
        let waits: std::collections::HashSet<Duration> = (0..50).map(|_| backoff(10)).collect();
        assert!(waits.len() > 10, "{waits:?}");
    }

    #[test]
    fn the_status_serialises_with_a_state_tag() {
        let json = serde_json::to_value(SyncStatus::Pending { count: 3 }).unwrap();
        assert_eq!(json, serde_json::json!({"state": "pending", "count": 3}));
        assert_eq!(
            serde_json::to_value(SyncStatus::Synced).unwrap(),
            serde_json::json!({"state": "synced"})
        );
    }
}
