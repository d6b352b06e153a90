//! Group commit of production webhook events: concurrent accepted requests share one
//! transaction, so one durable commit (one fsync) stores a whole batch instead of one per request.
//!
//! A single writer thread takes whatever is queued (up to [`MAX_BATCH`] events), stores it with
//! [`store::insert_events`] in one transaction (the keep-the-last-[`store::EVENTS_KEPT`] trim
//! once per block), commits, and only then answers each waiting request: a `202` still means the
//! event is on disk. When a batch's transaction fails, it is rolled back whole and each of its
//! events is tried again alone, so only an event that cannot be stored gets an error, and nothing
//! is half-stored. The same on both engines: the writer runs the ordinary [`Db::transaction`].

use std::panic::AssertUnwindSafe;

use tokio::sync::{mpsc, oneshot};

use crate::db::{Db, DbError};
use crate::store::{self, NewEvent};

/// Most events stored in one transaction.
pub const MAX_BATCH: usize = 512;
/// Most events waiting for the writer; a request beyond that waits for room.
const QUEUE: usize = 4 * MAX_BATCH;

/// Why an event was not stored.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The database refused the write (rolled back: nothing of it is stored).
    #[error("{0}")]
    Db(#[from] DbError),
    /// The writer is not running (it could not start, or stopped on a panic).
    #[error("the event writer is not running")]
    Stopped,
}

struct Job {
    event: NewEvent,
    done: oneshot::Sender<Result<i64, DbError>>,
}

/// The handle requests queue their events on; cheap to clone. The writer thread stops when the
/// last handle is dropped.
#[derive(Clone)]
pub struct EventWriter {
    queue: mpsc::Sender<Job>,
}

impl std::fmt::Debug for EventWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventWriter")
    }
}

impl EventWriter {
    /// Starts the writer thread over `db`.
    pub fn start(db: Db) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let started = std::thread::Builder::new()
            .name("webhook-events".into())
            .spawn(move || run(&db, jobs));
        if let Err(e) = started {
            // The receiver is gone with the closure: every write answers `Stopped` (a 503).
            eprintln!("webhook-studio-server: the webhook event writer could not start: {e}");
        }
        Self { queue }
    }

    /// Stores `event` with whatever else is queued; its id once committed.
    pub async fn write(&self, event: NewEvent) -> Result<i64, EventError> {
        let (done, committed) = oneshot::channel();
        self.queue
            .send(Job { event, done })
            .await
            .map_err(|_| EventError::Stopped)?;
        Ok(committed.await.map_err(|_| EventError::Stopped)??)
    }
}

fn run(db: &Db, mut jobs: mpsc::Receiver<Job>) {
    while let Some(first) = jobs.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // A panic drops this batch's answer senders (their requests get a 503), not the writer.
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| write_batch(db, batch)));
    }
}

fn write_batch(db: &Db, batch: Vec<Job>) {
    let (events, dones): (Vec<NewEvent>, Vec<_>) = batch.into_iter().map(|j| (j.event, j.done)).unzip();
    match db.transaction(|tx| store::insert_events(tx, &events)) {
        Ok(ids) => {
            for (done, id) in dones.into_iter().zip(ids) {
                let _ = done.send(Ok(id));
            }
        }
        Err(error) if events.len() == 1 => {
            let _ = dones.into_iter().next().map(|done| done.send(Err(error)));
        }
        Err(_) => {
            // Rolled back whole: each event again in its own transaction, so one that cannot be
            // stored does not fail the others.
            for (event, done) in events.iter().zip(dones) {
                let _ = done.send(db.transaction(|tx| store::insert_event(tx, event)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DatabaseUrl;

    fn event(block: &str, n: i64) -> NewEvent {
        NewEvent {
            team: "team_t".into(),
            block: block.into(),
            body: serde_json::json!({"n": n}),
            variables: serde_json::Map::new(),
            contact: None,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_events_are_each_stored_once_and_a_failed_write_is_an_error() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&DatabaseUrl::Sqlite(dir.path().join("a.db"))).expect("opens");
        let writer = EventWriter::start(db.clone());
        let tasks: Vec<_> = (0..300)
            .map(|n| {
                let writer = writer.clone();
                tokio::spawn(async move { writer.write(event("b", n)).await })
            })
            .collect();
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(task.await.expect("task").expect("stored"));
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 300, "each event once, with its own id");
        let stored = db
            .transaction(|tx| store::events(tx, "team_t", "b", 1_000))
            .expect("read");
        assert_eq!(stored.len(), 300);

        // A write the database refuses answers an error and stores nothing.
        db.transaction(|tx| tx.execute("DROP TABLE events", &[])).expect("drop");
        assert!(matches!(writer.write(event("b", 0)).await, Err(EventError::Db(_))));
    }
}
