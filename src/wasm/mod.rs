//! The JavaScript face of the core, for the engine worker (`www/engine.js`).
//!
//! Everything here returns at once: a run or a lesson goes on in rayon's pool of Web
//! Workers and the engine polls it, so the engine can take a cancel at any moment.
//! Numbers stay inside WebAssembly memory ([`Numbers`]); results leave as Python-formatted
//! strings, a slice at a time; task events leave packed in a `Float64Array`.

mod lesson;
mod numbers;
mod run;

pub use lesson::LessonRun;
pub use numbers::Numbers;
pub use run::MapRun;

use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::prelude::*;

use crate::kernel::{Kernel, Op, Work};

static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Starts this instance's pool of `threads` Web Workers (wasm-bindgen-rayon's
/// `initThreadPool`). It can happen once per instance: a different size needs a new
/// instance of the same compiled module.
#[wasm_bindgen(js_name = startThreads)]
pub async fn start_threads(threads: usize) -> Result<(), JsError> {
    if threads == 0 {
        return Err(JsError::new("a pool needs at least one thread"));
    }
    if THREADS
        .compare_exchange(0, usize::MAX, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return Err(JsError::new(
            "this instance has started its threads already",
        ));
    }
    let started =
        wasm_bindgen_futures::JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads)).await;
    THREADS.store(if started.is_ok() { threads } else { 0 }, Ordering::SeqCst);
    started
        .map(|_| ())
        .map_err(|e| JsError::new(&format!("could not start the threads: {e:?}")))
}

/// How many threads [`start_threads`] started: 0 before (rayon must not be asked earlier,
/// or it starts a one-thread pool of its own and `initThreadPool` then fails).
#[wasm_bindgen(js_name = threadCount)]
pub fn thread_count() -> usize {
    match THREADS.load(Ordering::SeqCst) {
        usize::MAX => 0,
        n => n,
    }
}

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
