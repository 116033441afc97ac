//! The threaded build's pool of Web Workers (wasm-bindgen-rayon).

use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::prelude::*;

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

/// How many threads died in a panicking task (their Web Workers' instance trapped): the
/// pool still works on the others, but the engine should start afresh.
#[wasm_bindgen(js_name = threadsLost)]
pub fn threads_lost() -> usize {
    crate::pool::panics::threads_lost()
}
