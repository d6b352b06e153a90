//! Copying text to the system clipboard from Rust, and taking a copied token off it again.
//!
//! The webview's clipboard API cannot mark a copy as a secret or clear it later, so copies go
//! through `arboard` here. What this module guarantees:
//!
//! - One `arboard::Clipboard` stays open for the life of the app (in Tauri's managed state). On
//!   X11 the copied text is served by the process that copied it: an instance dropped right after
//!   copying hands its text to a clipboard manager, and where there is none (Xvfb, minimal
//!   desktops) the text is gone at once. It is opened on the first copy, and again on the next
//!   copy if opening failed.
//! - A [`CopyKind::Secret`] is offered with the hint that clipboard-history tools honour
//!   (`x-kde-passwordManagerHint` on Linux, the platform's equivalent elsewhere).
//! - A secret copied with a delay is cleared when the delay is over, as password managers do,
//!   unless the clipboard no longer holds exactly that text (the user copied something else) or a
//!   newer copy was made in between: only the latest copy's clear is ever pending.
//! - The copied text is never logged, and neither [`ClipboardError`] nor any `Debug` output of this
//!   module contains it. (arboard's own error descriptions, quoted in our messages, come from the
//!   display server and never contain the text either.)

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// What is being copied. It decides whether clipboard-history tools may keep the text and
/// whether it may be cleared later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    /// Anything that is not a credential: a URL, a sample body, a cURL command. Never cleared.
    Plain,
    /// A token or other credential: kept out of clipboard history, and cleared after the delay
    /// given to [`Clipboard::copy`].
    Secret,
}

/// Why a copy did not reach the clipboard. The messages say what the designer can do; none of
/// them contains the copied text.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    /// No clipboard could be opened: no display server, or it refused the connection.
    #[error(
        "The clipboard is not available: no display server answered. Copy again once your desktop \
         session is running; if this keeps happening, restart Webhook Studio from your desktop. \
         (Details: {detail})"
    )]
    Unavailable {
        /// arboard's description of the failure, for bug reports.
        detail: String,
    },
    /// Another application holds the clipboard right now.
    #[error("Another application is holding the clipboard. Wait a moment and copy again.")]
    Busy,
    /// The clipboard was open but did not take or give the text.
    #[error(
        "The clipboard did not accept the text. Copy again; if this keeps happening, restart \
         Webhook Studio. (Details: {detail})"
    )]
    Failed {
        /// arboard's description of the failure, for bug reports.
        detail: String,
    },
}

/// The app's clipboard, kept in Tauri's managed state.
pub struct Clipboard {
    shared: Arc<Shared>,
}

// Tauri's managed state must be shareable between the commands' threads.
const _: fn() = || {
    fn managed_state<T: Send + Sync + 'static>() {}
    managed_state::<Clipboard>();
};

impl Clipboard {
    /// A clipboard that opens the system's on its first copy; creating it never fails.
    pub fn new() -> Self {
        Self::with_backend(SystemClipboard::default())
    }

    fn with_backend(backend: impl Backend + 'static) -> Self {
        let state = State {
            backend: Box::new(backend),
            copies: 0,
            pending: None,
        };
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(state),
                copied: Condvar::new(),
            }),
        }
    }

    /// Puts `text` on the clipboard.
    ///
    /// A [`CopyKind::Secret`] is kept out of clipboard history, and with `clear_after` it is
    /// taken off the clipboard after that delay if the clipboard still holds exactly this text.
    /// Every copy cancels the clear an earlier copy left pending; a copy that fails cancels
    /// nothing. `clear_after` is ignored for [`CopyKind::Plain`].
    pub fn copy(&self, text: &str, kind: CopyKind, clear_after: Option<Duration>) -> Result<(), ClipboardError> {
        // The clear runs on its own thread; nobody needs to wait for it.
        self.copy_and_schedule_clear(text, kind, clear_after).map(drop)
    }

    /// [`Clipboard::copy`], answering the thread that will clear the secret when one is
    /// scheduled, so that tests can wait for what it did.
    fn copy_and_schedule_clear(
        &self,
        text: &str,
        kind: CopyKind,
        clear_after: Option<Duration>,
    ) -> Result<Option<JoinHandle<ClearOutcome>>, ClipboardError> {
        let mut state = self.shared.lock();
        state.backend.set_text(text, kind)?;
        state.copies += 1;
        state.pending = None;
        // Wakes the thread of the clear this copy cancels, so it ends now rather than when due.
        self.shared.copied.notify_all();

        let due = match (kind, clear_after) {
            // A delay too long to represent is no different from no clear at all.
            (CopyKind::Secret, Some(delay)) => Instant::now().checked_add(delay),
            (CopyKind::Secret, None) | (CopyKind::Plain, _) => None,
        };
        let Some(due) = due else { return Ok(None) };
        state.pending = Some(SecretText(text.to_owned()));
        let copy = state.copies;
        drop(state);

        let shared = Arc::clone(&self.shared);
        let spawned = thread::Builder::new().name("clipboard-clear".into()).spawn(move || {
            let outcome = shared.clear_when_due(copy, due);
            if let ClearOutcome::Failed(error) = &outcome {
                eprintln!("webhook-studio-app: could not take a copied secret off the clipboard: {error}");
            }
            outcome
        });
        match spawned {
            Ok(handle) => Ok(Some(handle)),
            Err(error) => {
                // The text is on the clipboard, which is what the designer asked for; only the
                // clear is lost, and the next secret copied will try again.
                eprintln!("webhook-studio-app: cannot schedule clearing the clipboard: {error}");
                Ok(None)
            }
        }
    }
}

impl Default for Clipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clipboard").finish_non_exhaustive()
    }
}

impl Drop for Clipboard {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        // Closing arboard's last handle hands the clipboard to a clipboard manager, which would
        // keep a secret that is still waiting to be cleared: clear it first.
        if let ClearOutcome::Failed(error) = state.clear_pending() {
            eprintln!("webhook-studio-app: could not take a copied secret off the clipboard: {error}");
        }
        state.copies += 1;
        self.shared.copied.notify_all();
    }
}

/// The clipboard as this module needs it. The system's is [`SystemClipboard`]; the unit tests
/// use a fake, so the clearing rules are checked without a display server.
trait Backend: Send {
    fn set_text(&mut self, text: &str, kind: CopyKind) -> Result<(), ClipboardError>;
    /// The clipboard's text, or `None` when it holds none.
    fn text(&mut self) -> Result<Option<String>, ClipboardError>;
    fn clear(&mut self) -> Result<(), ClipboardError>;
}

/// The system clipboard through arboard, opened on first use.
#[derive(Default)]
struct SystemClipboard {
    open: Option<arboard::Clipboard>,
}

impl SystemClipboard {
    fn open(&mut self) -> Result<&mut arboard::Clipboard, ClipboardError> {
        let clipboard = match self.open.take() {
            Some(clipboard) => clipboard,
            None => arboard::Clipboard::new().map_err(|error| ClipboardError::Unavailable {
                detail: error.to_string(),
            })?,
        };
        Ok(self.open.insert(clipboard))
    }

    /// Turns arboard's error into ours. After a failure other than a busy clipboard, the
    /// instance is closed so that the next copy starts afresh (arboard cannot recover from a
    /// stopped handler thread or a lost connection).
    fn failed(&mut self, error: arboard::Error) -> ClipboardError {
        match error {
            arboard::Error::ClipboardOccupied => ClipboardError::Busy,
            error => {
                self.open = None;
                ClipboardError::Failed {
                    detail: error.to_string(),
                }
            }
        }
    }
}

impl Backend for SystemClipboard {
    fn set_text(&mut self, text: &str, kind: CopyKind) -> Result<(), ClipboardError> {
        let clipboard = self.open()?;
        let set = match kind {
            CopyKind::Plain => clipboard.set_text(text),
            CopyKind::Secret => set_secret(clipboard, text),
        };
        set.map_err(|error| self.failed(error))
    }

    fn text(&mut self) -> Result<Option<String>, ClipboardError> {
        match self.open()?.get_text() {
            Ok(text) => Ok(Some(text)),
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(error) => Err(self.failed(error)),
        }
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        let cleared = self.open()?.clear();
        cleared.map_err(|error| self.failed(error))
    }
}

/// Sets `text` with the platform's "keep out of clipboard history" hint.
fn set_secret(clipboard: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    #[cfg(target_os = "macos")]
    use arboard::SetExtApple as _;
    #[cfg(all(unix, not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))))]
    use arboard::SetExtLinux as _;
    #[cfg(windows)]
    use arboard::SetExtWindows as _;

    clipboard.set().exclude_from_history().text(text)
}

/// What the clipboard's state is shared as: between the commands and the threads that clear.
struct Shared {
    state: Mutex<State>,
    /// Signalled on every copy, so that a clear waiting for its time learns it was cancelled.
    copied: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while copying leaves nothing half-done that the next copy could
        // trip over: the backend either set the text or it did not.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `due`, then takes the secret of copy number `copy` off the clipboard, unless
    /// another copy was made before.
    fn clear_when_due(&self, copy: u64, due: Instant) -> ClearOutcome {
        let mut state = self.lock();
        loop {
            if state.copies != copy {
                return ClearOutcome::Superseded;
            }
            let now = Instant::now();
            if now >= due {
                return state.clear_pending();
            }
            state = self
                .copied
                .wait_timeout(state, due - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

struct State {
    backend: Box<dyn Backend>,
    /// How many copies were made; a pending clear belongs to one of them.
    copies: u64,
    /// The secret the latest copy put on the clipboard, while its clear is pending.
    pending: Option<SecretText>,
}

impl State {
    /// Takes the pending secret off the clipboard if the clipboard still holds exactly it.
    fn clear_pending(&mut self) -> ClearOutcome {
        let Some(pending) = self.pending.take() else {
            return ClearOutcome::Superseded;
        };
        match self.backend.text() {
            Ok(Some(current)) if current == pending.0 => match self.backend.clear() {
                Ok(()) => ClearOutcome::Cleared,
                Err(error) => ClearOutcome::Failed(error),
            },
            Ok(_) => ClearOutcome::Replaced,
            Err(error) => ClearOutcome::Failed(error),
        }
    }
}

/// Copied text held until its clear is due; its `Debug` never shows it.
struct SecretText(String);

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(..)")
    }
}

/// What a scheduled clear did.
#[derive(Debug)]
enum ClearOutcome {
    /// The secret was still on the clipboard and was taken off.
    Cleared,
    /// The clipboard held something else by then: left alone.
    Replaced,
    /// A newer copy was made before the clear was due: nothing done.
    Superseded,
    /// The clipboard could not be read or cleared.
    Failed(ClipboardError),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long enough that a clear with it never comes due while a test runs; tests that use it
    /// end the clear by copying again, never by waiting.
    const NEVER: Duration = Duration::from_secs(3600);
    const SOON: Duration = Duration::from_millis(1);
    const TOKEN: &str = "whs_3hQ9xT2mVb7LpZ0aK4rN8cYdE1fGk5E";

    /// A clipboard in memory, shared with the test that inspects it.
    #[derive(Clone, Default)]
    struct Fake(Arc<Mutex<FakeState>>);

    #[derive(Default)]
    struct FakeState {
        text: Option<String>,
        hidden_from_history: bool,
        /// What another application copies right after our next copy, as a designer copying
        /// something else before the clear is due.
        copied_elsewhere_next: Option<String>,
        refuse_next_copy: bool,
        clears: usize,
    }

    impl Fake {
        fn state(&self) -> MutexGuard<'_, FakeState> {
            self.0.lock().unwrap()
        }
    }

    impl Backend for Fake {
        fn set_text(&mut self, text: &str, kind: CopyKind) -> Result<(), ClipboardError> {
            let mut state = self.state();
            if std::mem::take(&mut state.refuse_next_copy) {
                return Err(ClipboardError::Busy);
            }
            state.text = Some(text.to_owned());
            state.hidden_from_history = kind == CopyKind::Secret;
            if let Some(elsewhere) = state.copied_elsewhere_next.take() {
                state.text = Some(elsewhere);
                state.hidden_from_history = false;
            }
            Ok(())
        }

        fn text(&mut self) -> Result<Option<String>, ClipboardError> {
            Ok(self.state().text.clone())
        }

        fn clear(&mut self) -> Result<(), ClipboardError> {
            let mut state = self.state();
            state.text = None;
            state.clears += 1;
            Ok(())
        }
    }

    fn clipboard() -> (Clipboard, Fake) {
        let fake = Fake::default();
        (Clipboard::with_backend(fake.clone()), fake)
    }

    fn scheduled(clipboard: &Clipboard, text: &str, kind: CopyKind, clear_after: Duration) -> JoinHandle<ClearOutcome> {
        clipboard
            .copy_and_schedule_clear(text, kind, Some(clear_after))
            .unwrap()
            .expect("a clear was scheduled")
    }

    #[test]
    fn a_secret_still_on_the_clipboard_is_cleared_when_due() {
        let (clipboard, fake) = clipboard();
        let clear = scheduled(&clipboard, TOKEN, CopyKind::Secret, SOON);
        assert!(fake.state().hidden_from_history);

        assert!(matches!(clear.join().unwrap(), ClearOutcome::Cleared));
        assert_eq!(fake.state().text, None);
        assert_eq!(fake.state().clears, 1);
    }

    #[test]
    fn a_secret_replaced_by_another_application_is_left_alone() {
        let (clipboard, fake) = clipboard();
        fake.state().copied_elsewhere_next = Some("copied in the text editor".into());

        let clear = scheduled(&clipboard, TOKEN, CopyKind::Secret, SOON);

        assert!(matches!(clear.join().unwrap(), ClearOutcome::Replaced));
        assert_eq!(fake.state().text.as_deref(), Some("copied in the text editor"));
        assert_eq!(fake.state().clears, 0);
    }

    #[test]
    fn copying_the_same_secret_again_restarts_its_delay() {
        // Without the copy count, the first copy's clear would take the token off the clipboard
        // right after the designer copied it again: the text is the same.
        let (clipboard, fake) = clipboard();
        let first = scheduled(&clipboard, TOKEN, CopyKind::Secret, NEVER);
        let second = scheduled(&clipboard, TOKEN, CopyKind::Secret, SOON);

        // Ends at once: the second copy woke it.
        assert!(matches!(first.join().unwrap(), ClearOutcome::Superseded));
        assert!(matches!(second.join().unwrap(), ClearOutcome::Cleared));
        assert_eq!(fake.state().clears, 1);
    }

    #[test]
    fn a_plain_copy_cancels_the_pending_clear_and_is_never_cleared() {
        let (clipboard, fake) = clipboard();
        let secret = scheduled(&clipboard, TOKEN, CopyKind::Secret, NEVER);

        let plain = clipboard
            .copy_and_schedule_clear("https://example.test/hook", CopyKind::Plain, Some(SOON))
            .unwrap();

        assert!(plain.is_none(), "a plain copy must not schedule a clear");
        assert!(matches!(secret.join().unwrap(), ClearOutcome::Superseded));
        assert!(clipboard.shared.lock().pending.is_none());
        assert_eq!(fake.state().text.as_deref(), Some("https://example.test/hook"));
        assert!(!fake.state().hidden_from_history);
        assert_eq!(fake.state().clears, 0);
    }

    #[test]
    fn a_secret_without_a_delay_stays_on_the_clipboard() {
        let (clipboard, fake) = clipboard();
        let clear = clipboard
            .copy_and_schedule_clear(TOKEN, CopyKind::Secret, None)
            .unwrap();

        assert!(clear.is_none());
        assert!(fake.state().hidden_from_history);
        assert_eq!(fake.state().text.as_deref(), Some(TOKEN));
    }

    #[test]
    fn a_delay_too_long_to_represent_means_no_clear() {
        let (clipboard, _fake) = clipboard();
        let clear = clipboard
            .copy_and_schedule_clear(TOKEN, CopyKind::Secret, Some(Duration::MAX))
            .unwrap();
        assert!(clear.is_none());
    }

    #[test]
    fn a_failed_copy_keeps_the_pending_clear() {
        // The secret is still on the clipboard after a copy that did not happen.
        let (clipboard, fake) = clipboard();
        let clear = scheduled(&clipboard, TOKEN, CopyKind::Secret, SOON);
        fake.state().refuse_next_copy = true;

        assert!(matches!(
            clipboard.copy("other", CopyKind::Plain, None),
            Err(ClipboardError::Busy)
        ));
        assert!(matches!(clear.join().unwrap(), ClearOutcome::Cleared));
        assert_eq!(fake.state().text, None);
    }

    #[test]
    fn closing_the_clipboard_clears_a_pending_secret_first() {
        // Otherwise arboard would hand the secret to a clipboard manager that keeps it.
        let (clipboard, fake) = clipboard();
        let clear = scheduled(&clipboard, TOKEN, CopyKind::Secret, NEVER);

        drop(clipboard);

        assert!(matches!(clear.join().unwrap(), ClearOutcome::Superseded));
        assert_eq!(fake.state().text, None);
        assert_eq!(fake.state().clears, 1);
    }

    #[test]
    fn debug_output_and_errors_never_show_the_text() {
        let (clipboard, fake) = clipboard();
        let _clear = scheduled(&clipboard, TOKEN, CopyKind::Secret, NEVER);
        assert!(!format!("{clipboard:?}").contains(TOKEN));
        assert!(!format!("{:?}", clipboard.shared.lock().pending).contains(TOKEN));

        fake.state().refuse_next_copy = true;
        let error = clipboard.copy(TOKEN, CopyKind::Secret, None).unwrap_err();
        assert!(!error.to_string().contains(TOKEN));
        assert!(!format!("{error:?}").contains(TOKEN));
    }

    /// Reads the X11 clipboard as another application does; `None` when it holds nothing.
    fn xclip(target: &str) -> Option<String> {
        let output = std::process::Command::new("xclip")
            .args(["-selection", "clipboard", "-o", "-t", target])
            .output()
            .expect("xclip runs (apt-get install xclip)");
        output
            .status
            .success()
            .then(|| String::from_utf8(output.stdout).unwrap())
    }

    /// The only test that touches the real clipboard (tests run in parallel and would race for
    /// it), so it checks everything the display server sees in one go.
    #[test]
    fn the_x11_clipboard_serves_copies_after_copy_returns() {
        if std::env::var_os("DISPLAY").is_none() {
            eprintln!("skipped: DISPLAY is not set; run under Xvfb to check the real clipboard");
            return;
        }
        let clipboard = Clipboard::new();
        let plain = format!("webhook-studio clipboard test {}", std::process::id());
        clipboard.copy(&plain, CopyKind::Plain, None).unwrap();
        assert_eq!(xclip("UTF8_STRING").as_deref(), Some(plain.as_str()));
        let targets = xclip("TARGETS").unwrap();
        assert!(!targets.contains("x-kde-passwordManagerHint"), "{targets}");

        let first = scheduled(&clipboard, TOKEN, CopyKind::Secret, NEVER);
        assert_eq!(xclip("UTF8_STRING").as_deref(), Some(TOKEN));
        let targets = xclip("TARGETS").unwrap();
        assert!(targets.contains("x-kde-passwordManagerHint"), "{targets}");

        let second = scheduled(&clipboard, TOKEN, CopyKind::Secret, SOON);
        assert!(matches!(first.join().unwrap(), ClearOutcome::Superseded));
        assert!(matches!(second.join().unwrap(), ClearOutcome::Cleared));
        assert_eq!(xclip("UTF8_STRING"), None);
    }
}
