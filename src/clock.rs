//! One clock shared by every worker, so that task events from different threads can be
//! drawn on one timeline.
//!
//! Natively all threads share one `std::time::Instant` epoch. In the browser each Web
//! Worker has its own `performance.now()` origin, so the shared clock there is
//! `performance.timeOrigin + performance.now()`, which all workers agree on (and
//! `std::time::Instant` panics on `wasm32-unknown-unknown`).
//!
//! Two kinds of time must never be mixed up: a point on this clock ([`Instant`]) and a
//! time since the start of a run (a plain [`Duration`], as every task event carries it).
//! They are different types, so placing a run's event on the clock takes the run's start
//! explicitly: `run_start + event.start`.
//!
//! ```
//! use std::time::Duration;
//! use webpool::clock;
//!
//! let start = clock::now();
//! let later = start + Duration::from_millis(5);
//! assert_eq!(later - start, Duration::from_millis(5));
//! assert_eq!(start - later, Duration::ZERO); // earlier minus later saturates at zero
//! ```

use std::ops::{Add, Sub};
use std::time::Duration;

/// A point on the shared clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(Duration);

impl Instant {
    /// The point `millis` milliseconds after the clock's epoch: in the browser, the
    /// JavaScript clock `performance.timeOrigin + performance.now()` that every Web Worker
    /// shares. Negative or not-a-number milliseconds are the epoch itself.
    pub fn from_epoch_millis(millis: f64) -> Instant {
        Instant(Duration::from_secs_f64(millis.max(0.0) / 1000.0))
    }

    /// Milliseconds since the clock's epoch, as [`Instant::from_epoch_millis`] takes them.
    pub fn epoch_millis(self) -> f64 {
        self.0.as_secs_f64() * 1000.0
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;

    /// Saturates at the end of time rather than overflowing: "forever" stays forever.
    fn add(self, duration: Duration) -> Instant {
        Instant(self.0.saturating_add(duration))
    }
}

/// The time from `earlier` to `self`, or zero if `earlier` is later (as for
/// `std::time::Instant`, whose subtraction saturates too).
impl Sub for Instant {
    type Output = Duration;

    fn sub(self, earlier: Instant) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
}

/// Now, on the clock every worker shares.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> Instant {
    use std::sync::OnceLock;
    static EPOCH: OnceLock<std::time::Instant> = OnceLock::new();
    Instant(EPOCH.get_or_init(std::time::Instant::now).elapsed())
}

/// Now, on the clock every worker shares.
#[cfg(target_arch = "wasm32")]
pub fn now() -> Instant {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        type Performance;
        #[wasm_bindgen(thread_local_v2, js_name = performance)]
        static PERFORMANCE: Performance;
        #[wasm_bindgen(method, js_name = now)]
        fn now(this: &Performance) -> f64;
        #[wasm_bindgen(method, getter, js_name = timeOrigin)]
        fn time_origin(this: &Performance) -> f64;
    }

    Instant::from_epoch_millis(PERFORMANCE.with(|p| p.time_origin() + p.now()))
}
