//! The JavaScript face of the core, for the engine worker (`www/engine.js`).
//!
//! Everything here returns at once: a run or a lesson goes on in other Web Workers and the
//! engine polls it, so the engine can take a cancel at any moment. Numbers stay inside
//! WebAssembly memory ([`Numbers`]); results leave as Python-formatted strings, a slice at
//! a time; task events leave packed in a `Float64Array`.
//!
//! Two builds, two backends. With the `threads` feature the instance has shared memory and
//! rayon's pool of Web Workers (wasm-bindgen-rayon). Without it (`cfg(processes)`, named
//! by build.rs) every Web Worker has an instance of its own and they talk by messages: the engine's instance plans and collects
//! ([`MapRun`] over a [`crate::pool::engine::Dispatch`]) and calls out to JavaScript ([`host`]),
//! and each worker's instance computes ([`worker`]).

mod lesson;
mod numbers;
mod run;

#[cfg(processes)]
pub(crate) mod host;
#[cfg(processes)]
pub mod worker;

pub use lesson::LessonRun;
pub use numbers::Numbers;
pub use run::MapRun;

use wasm_bindgen::prelude::*;

use crate::kernel::{Kernel, Op, Work};

#[cfg(not(processes))]
mod threads;
#[cfg(not(processes))]
pub use threads::{start_threads, thread_count, threads_lost};

/// A kernel from JS: `op` is `square` or `cube`, `work` is `none`, `sleep` or `spin`.
pub(crate) fn kernel(op: &str, work: &str, work_ms: f64) -> Result<Kernel, JsError> {
    let op: Op = op.parse().map_err(|e: String| JsError::new(&e))?;
    if !(work_ms.is_finite() && work_ms >= 0.0) {
        return Err(JsError::new(
            "the simulated work must last zero or more milliseconds",
        ));
    }
    let duration = std::time::Duration::from_secs_f64(work_ms / 1000.0);
    let work = match work {
        "none" => Work::None,
        "sleep" => Work::Sleep(duration),
        "spin" => Work::Spin(duration),
        other => {
            return Err(JsError::new(&format!(
                "unknown work {other:?}: expected none, sleep or spin"
            )));
        }
    };
    Ok(Kernel::new(op).with_work(work))
}
