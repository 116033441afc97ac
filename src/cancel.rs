//! Cancellation that reaches a run from any thread, and waiting that it interrupts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::clock;

#[derive(Debug, Default)]
struct Inner {
    cancelled: AtomicBool,
    // Sleepers wait on this so that a cancel wakes them at once instead of at their deadline.
    lock: Mutex<()>,
    wake: Condvar,
}

/// A flag shared by a run and whoever may cancel it. Cloning gives another handle to the
/// same flag.
///
/// ```
/// use std::time::Duration;
/// use webpool::{CancelToken, Kernel, MapOptions, Number, Op, Pool, RunError, Work};
///
/// let pool = Pool::new(2)?;
/// let cancel = CancelToken::new();
/// let options = MapOptions { chunksize: Some(1), cancel: cancel.clone() };
/// // Four tasks of a minute each: cancelled after the first has started, they stop at once.
/// let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_secs(60)));
/// let numbers: Vec<Number> = (1..=4).map(Number::from).collect();
/// let outcome = pool.map_with(kernel, numbers, options, |_| cancel.cancel());
/// let Err(RunError::Cancelled(report)) = outcome else {
///     panic!("cancelled");
/// };
/// assert!(report.results.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels: running tasks stop at their next check and sleeping ones wake at once.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        let _guard = self.inner.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.inner.wake.notify_all();
    }

    /// Whether [`CancelToken::cancel`] has been called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    /// Waits for `duration` unless cancelled first; returns whether it waited the whole time.
    ///
    /// The deadline is kept on the shared clock because `std::time::Instant` (which
    /// `Condvar::wait_timeout_while` uses) does not exist in the browser.
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = clock::now() + duration;
        let mut guard = self.inner.lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if self.inner.cancelled.load(Ordering::SeqCst) {
                return false;
            }
            let now = clock::now();
            if now >= deadline {
                return true;
            }
            guard = self
                .inner
                .wake
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}
