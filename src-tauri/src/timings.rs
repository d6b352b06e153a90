//! Where a cold start goes, from the Rust side: one line on stderr per start-up step and per IPC
//! command, each with the wall clock so that it lines up with the page's `performance` entries
//! and the WebDriver client's clock (`make bench` reads them from the window's log and prints
//! its breakdown). Off unless `WEBHOOK_STUDIO_TIMINGS` is set to something other than `0`: a
//! user's log is not filled with them.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The environment variable that turns the timing lines on.
pub const TIMINGS_ENV: &str = "WEBHOOK_STUDIO_TIMINGS";

/// Whether the timing lines are on (read once).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os(TIMINGS_ENV).is_some_and(|value| !value.is_empty() && value != "0"))
}

/// `webhook-studio-app: timing <step> epoch_ms=<now>`: the step happened now.
pub fn mark(step: &str) {
    if enabled() {
        eprintln!("webhook-studio-app: timing {step} epoch_ms={:.1}", epoch_ms());
    }
}

/// `webhook-studio-app: timing <step> epoch_ms=<now> ms=<since started>`: the step, begun at
/// `started`, ended now.
pub fn span(step: &str, started: Instant) {
    if enabled() {
        eprintln!(
            "webhook-studio-app: timing {step} epoch_ms={:.1} ms={:.2}",
            epoch_ms(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64() * 1000.0)
}
