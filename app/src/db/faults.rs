//! Database faults: which errors mean "the database cannot be used right now"
//! (answered 503, nothing written), and what the process does after one.
//!
//! SQLite in WAL mode keeps its WAL index in a file (`-shm`) that every
//! connection of the process maps in memory. After a storage fault (files not
//! writable, disk full, I/O error) that index may no longer match the WAL on
//! disk: writes confirmed afterwards were lost at the next start (seen in the
//! fault test: 500 confirmed, 74 stored), and closing connections to rebuild it
//! while others still map it is not safe (a write to a mapped page of a file the
//! kernel no longer lets anyone write kills the process with SIGBUS). So after a
//! SQLite storage fault every write is refused (503, nothing confirmed) until
//! the files are writable again; then `server::recovery` closes every
//! connection of the process and opens a new pool (which clears the flag):
//! SQLite rebuilds the index from the WAL file, where every confirmed write
//! is — what a restart would do. Reads go on meanwhile.
//!
//! On PostgreSQL a lost server gives 503 too and the pool reconnects by itself.
//!
//! The memory of the last fault also keeps `/readyz` at 503 a few seconds after
//! any failure, and lets the SQLite pool drop connections whose file was
//! removed or replaced.

use sea_orm::{DbErr, RuntimeErr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since 1970 of the last fault seen by this process; 0: none.
static LAST_FAULT_MS: AtomicU64 = AtomicU64::new(0);

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Set by a SQLite storage fault: writes are refused until a new pool opens.
static WRITES_REFUSED: AtomicBool = AtomicBool::new(false);

/// Whether writes are refused since a SQLite storage fault (`db::begin` says 503).
pub fn writes_refused() -> bool {
    WRITES_REFUSED.load(Ordering::SeqCst)
}

/// A fresh SQLite pool (a process start, or a recovery once every connection
/// of the old one has closed) starts with no fault behind it.
pub fn pool_opened() {
    WRITES_REFUSED.store(false, Ordering::SeqCst);
    LAST_FAULT_MS.store(0, Ordering::SeqCst);
}

/// Remembers that the database failed now.
pub fn record() {
    LAST_FAULT_MS.fetch_max(now_ms(), Ordering::SeqCst);
}

/// Whether a fault was seen within `window` (then the database is not ready,
/// even if a transaction can start: writes were failing a moment ago).
pub fn seen_within(window: Duration) -> bool {
    let last = LAST_FAULT_MS.load(Ordering::SeqCst);
    last != 0 && now_ms().saturating_sub(last) <= u64::try_from(window.as_millis()).unwrap_or(u64::MAX)
}

/// SQLite primary result codes of a storage that cannot be used: READONLY (8),
/// IOERR (10), CORRUPT (11), FULL (13), CANTOPEN (14), NOTADB (26), PERM (3).
const SQLITE_FAULTS: [i64; 7] = [3, 8, 10, 11, 13, 14, 26];

/// Records a failure classified by [`is_unavailable`]; a SQLite storage fault
/// met by a statement also refuses every later write (see the module's doc).
pub fn record_error(err: &DbErr) {
    record();
    if sqlite_storage_fault(err) && !WRITES_REFUSED.swap(true, Ordering::SeqCst) {
        tracing::error!(
            "panne de stockage SQLite : les écritures sont refusées jusqu'à la réouverture de la base \
                 (l'index du journal WAL en mémoire peut ne plus correspondre au fichier)"
        );
    }
}

/// A SQLite storage code returned by a statement (not by opening a
/// connection: a database file missing for a while is not such a fault).
fn sqlite_storage_fault(err: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx))) = err else { return false };
    match sqlx.as_ref() {
        sea_orm::sqlx::Error::Database(db) => db.code().is_some_and(|code| sqlite_fault_code(&code)),
        _ => false,
    }
}

/// A SQLite result code (extended codes keep the primary one in their low
/// byte) that says the storage cannot be used.
fn sqlite_fault_code(code: &str) -> bool {
    code.parse::<i64>().is_ok_and(|n| SQLITE_FAULTS.contains(&(n & 0xff)))
}

/// Whether `err` says the database is unusable (storage, connection, server
/// gone) rather than that this request was wrong or met a concurrent one.
pub fn is_unavailable(err: &DbErr) -> bool {
    let runtime = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else { return false };
    use sea_orm::sqlx::Error;
    match sqlx.as_ref() {
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed | Error::Protocol(_) => true,
        Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // SQLite codes are numbers; PostgreSQL's: connection exceptions,
            // server shutting down or starting.
            sqlite_fault_code(&code) || code.starts_with("08") || ["57P01", "57P02", "57P03", "53300"].contains(&code.as_ref())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unavailability_is_recognised() {
        assert!(is_unavailable(&DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
    }
}
