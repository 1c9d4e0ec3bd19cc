//! The running state of a restore or merge: progress for the caller's bar, the caller's cancel
//! flag, and a watchdog inside SQLite itself (its progress handler) that stops any statement
//! when the person cancels, or — on the live library — when no row has been finished for
//! [`MAX_STALL`], so no backup can hold the library's write lock for long without progress.
//!
//! This module owns those rules and the words for their errors; it must not know what the
//! statements do.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::{BackupProgress, BackupStage};
use crate::error::{Error, Result};

/// The longest the live library's write lock may be held with no row finished. Every statement
/// of a merge touches a handful of rows through an index, so a healthy merge finishes a row in
/// well under a millisecond even on a slow disk; five seconds of nothing is something wrong.
pub(crate) const MAX_STALL: Duration = Duration::from_secs(5);

/// SQLite calls the watchdog every this many virtual-machine steps: often enough to stop within
/// a millisecond or so, rarely enough to cost nothing measurable.
const WATCH_EVERY_STEPS: i32 = 1_000;

/// The bar is told at most this often (and at each stage's start and end), so a window is not
/// flooded with messages about a fast restore.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// Why the watchdog stopped a statement.
const STOP_NONE: u64 = 0;
const STOP_CANCELLED: u64 = 1;
const STOP_STALLED: u64 = 2;

/// The watchdog's state, shared with the closure SQLite calls (which must own what it reads).
#[derive(Debug)]
struct Watch {
    cancel: Arc<AtomicBool>,
    started: Instant,
    /// Milliseconds since `started` at the last finished row.
    last_beat_ms: AtomicU64,
    /// 0 for no stall limit, else the limit in milliseconds.
    stall_limit_ms: AtomicU64,
    stopped: AtomicU64,
}

impl Watch {
    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Whether SQLite should stop the statement it is running.
    fn should_stop(&self) -> bool {
        if self.cancel.load(Ordering::Relaxed) {
            self.stopped.store(STOP_CANCELLED, Ordering::Relaxed);
            return true;
        }
        let limit = self.stall_limit_ms.load(Ordering::Relaxed);
        if limit > 0
            && self.now_ms() - self.last_beat_ms.load(Ordering::Relaxed).min(self.now_ms()) > limit
        {
            self.stopped.store(STOP_STALLED, Ordering::Relaxed);
            return true;
        }
        false
    }
}

/// Progress, cancel and the watchdog of one restore or merge.
pub(crate) struct Work<'a> {
    report: &'a mut dyn FnMut(BackupProgress),
    watch: Arc<Watch>,
    last_report: Option<(BackupStage, Instant)>,
}

impl std::fmt::Debug for Work<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Work").field("watch", &self.watch).finish()
    }
}

impl<'a> Work<'a> {
    pub(crate) fn new(report: &'a mut dyn FnMut(BackupProgress), cancel: Arc<AtomicBool>) -> Self {
        Work {
            report,
            watch: Arc::new(Watch {
                cancel,
                started: Instant::now(),
                last_beat_ms: AtomicU64::new(0),
                stall_limit_ms: AtomicU64::new(0),
                stopped: AtomicU64::new(STOP_NONE),
            }),
            last_report: None,
        }
    }

    /// Puts `conn` under the watchdog: cancelling stops its statements, and with `stall` so
    /// does a statement that runs that long after the last finished row. Undone by [`unwatch`].
    pub(crate) fn watch(&self, conn: &Connection, stall: Option<Duration>) {
        self.watch.stall_limit_ms.store(
            stall.map_or(0, |d| d.as_millis().max(1) as u64),
            Ordering::Relaxed,
        );
        self.beat();
        let watch = Arc::clone(&self.watch);
        conn.progress_handler(WATCH_EVERY_STEPS, Some(move || watch.should_stop()));
    }

    /// Takes the watchdog off `conn` (the live library goes on without it).
    pub(crate) fn unwatch(conn: &Connection) {
        conn.progress_handler(0, None::<fn() -> bool>);
    }

    /// Restarts the stall clock: after waiting for a lock (which is not SQLite working), and
    /// at every finished row.
    pub(crate) fn beat(&self) {
        self.watch
            .last_beat_ms
            .store(self.watch.now_ms(), Ordering::Relaxed);
    }

    /// A row (or a chunk of bytes) is done: resets the stall clock, stops if cancelled, and
    /// tells the bar when it is time to.
    pub(crate) fn step(&mut self, stage: BackupStage, done: u64, total: u64) -> Result<()> {
        self.beat();
        if self.watch.cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let due = match self.last_report {
            Some((last_stage, at)) => {
                last_stage != stage || done >= total || at.elapsed() >= REPORT_EVERY
            }
            None => true,
        };
        if due {
            self.last_report = Some((stage, Instant::now()));
            (self.report)(BackupProgress { stage, done, total });
        }
        Ok(())
    }

    /// The error for a failed statement: the watchdog's reason when it stopped it, else
    /// `other` (which says what the statement was doing in the person's words).
    pub(crate) fn sql_error(
        &self,
        error: rusqlite::Error,
        other: impl FnOnce(rusqlite::Error) -> Error,
    ) -> Error {
        let interrupted =
            error.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted);
        match self.watch.stopped.load(Ordering::Relaxed) {
            STOP_CANCELLED if interrupted => cancelled(),
            STOP_STALLED if interrupted => Error::Conflict(format!(
                "the merge stopped: SQLite worked for {} seconds without finishing a row, which \
                 a backup Cuesheet made never needs. Nothing was changed.",
                MAX_STALL.as_secs()
            )),
            _ => other(error),
        }
    }
}

fn cancelled() -> Error {
    Error::Cancelled("cancelled; nothing was changed".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_that_makes_no_progress_is_stopped_and_named() {
        let conn = Connection::open_in_memory().unwrap();
        let mut reports = Vec::new();
        let mut report = |p: BackupProgress| reports.push(p);
        let cancel = Arc::new(AtomicBool::new(false));
        let work = Work::new(&mut report, cancel);
        work.watch(&conn, Some(Duration::from_millis(200)));
        let endless = conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        );
        let error = work.sql_error(endless.unwrap_err(), Error::from);
        assert!(
            error.to_string().contains("without finishing a row"),
            "{error}"
        );
        Work::unwatch(&conn);
        let fine: i64 = conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(fine, 1);
    }

    #[test]
    fn cancelling_stops_a_running_statement_and_the_next_step() {
        let conn = Connection::open_in_memory().unwrap();
        let mut report = |_: BackupProgress| {};
        let cancel = Arc::new(AtomicBool::new(false));
        let mut work = Work::new(&mut report, Arc::clone(&cancel));
        work.step(BackupStage::Reading, 1, 2).unwrap();
        work.watch(&conn, None);
        cancel.store(true, Ordering::Relaxed);
        let stopped = conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        );
        let error = work.sql_error(stopped.unwrap_err(), Error::from);
        assert_eq!(error.code(), crate::ErrorCode::Cancelled);
        assert_eq!(
            work.step(BackupStage::Reading, 2, 2).unwrap_err().code(),
            crate::ErrorCode::Cancelled
        );
    }

    #[test]
    fn the_bar_hears_each_stage_and_its_end() {
        let mut seen = Vec::new();
        {
            let mut report = |p: BackupProgress| seen.push((p.stage, p.done));
            let mut work = Work::new(&mut report, Arc::new(AtomicBool::new(false)));
            for done in 0..=1_000 {
                work.step(BackupStage::Reading, done, 1_000).unwrap();
            }
            work.step(BackupStage::Covers, 0, 3).unwrap();
        }
        assert_eq!(seen.first(), Some(&(BackupStage::Reading, 0)));
        assert!(seen.contains(&(BackupStage::Reading, 1_000)));
        assert_eq!(seen.last(), Some(&(BackupStage::Covers, 0)));
        assert!(seen.len() < 100, "throttled: {}", seen.len());
    }
}
