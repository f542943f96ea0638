//! Database faults: which errors mean "the database cannot be used right now"
//! (answered 503, nothing written), and the memory of the last one so that the
//! pool (`server::database`) discards every connection that lived through it.
//!
//! Why: on SQLite a connection opened or used while the files were not
//! writable stays broken after the fault ends (opened read-only, or left inside
//! a transaction whose rollback failed and holding the write lock — every later
//! write then waited 30 s). A connection created before the last fault is
//! closed instead of being handed out again; new ones open once the fault ends,
//! so the server recovers by itself. On PostgreSQL a lost server gives the same
//! answers and the pool reconnects.

use sea_orm::{DbErr, RuntimeErr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since 1970 of the last fault seen by this process; 0: none.
static LAST_FAULT_MS: AtomicU64 = AtomicU64::new(0);

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Remembers that the database failed now.
pub fn record() {
    LAST_FAULT_MS.fetch_max(now_ms(), Ordering::SeqCst);
}

/// Whether a connection of this age was already open at the last fault (it is
/// then closed rather than reused).
pub fn predates_last_fault(age: Duration) -> bool {
    opened_before(LAST_FAULT_MS.load(Ordering::SeqCst), now_ms(), age)
}

/// Whether a connection of age `age` at `now` (ms) was open at `fault` (ms; 0: none).
fn opened_before(fault: u64, now: u64, age: Duration) -> bool {
    let created = now.saturating_sub(u64::try_from(age.as_millis()).unwrap_or(u64::MAX));
    fault != 0 && created <= fault
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
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed | Error::Protocol(_) => {
            true
        }
        Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            match code.parse::<i64>() {
                // SQLite: extended codes keep the primary code in their low byte.
                Ok(n) => SQLITE_FAULTS.contains(&(n & 0xff)),
                // PostgreSQL: connection exceptions, server shutting down or starting.
                Err(_) => code.starts_with("08") || ["57P01", "57P02", "57P03", "53300"].contains(&code.as_ref()),
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_older_than_a_fault_are_recognised() {
        let second = Duration::from_secs(1);
        assert!(opened_before(10_000, 12_000, 5 * second), "opened at 7 s, the fault at 10 s");
        assert!(!opened_before(10_000, 12_000, second), "opened at 11 s, after the fault");
        assert!(!opened_before(0, 12_000, 5 * second), "no fault yet");
        assert!(is_unavailable(&DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
    }
}
