//! One clock shared by every worker, so that task events from different threads can be
//! drawn on one timeline.
//!
//! Natively all threads share one `Instant` epoch. In the browser each Web Worker has its
//! own `performance.now()` origin, so the shared clock there is
//! `performance.timeOrigin + performance.now()`, which all workers agree on (and
//! `std::time::Instant` panics on `wasm32-unknown-unknown`).

use std::time::Duration;

/// A point on the shared clock, as the time since the clock's epoch.
pub type Instant = Duration;

/// Now, on the clock every worker shares.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> Instant {
    use std::sync::OnceLock;
    static EPOCH: OnceLock<std::time::Instant> = OnceLock::new();
    EPOCH.get_or_init(std::time::Instant::now).elapsed()
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

    let millis = PERFORMANCE.with(|p| p.time_origin() + p.now());
    Duration::from_secs_f64(millis / 1000.0)
}
