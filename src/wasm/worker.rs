//! A worker process of the processes build: its own instance in its own Web Worker
//! (`www/process.js`), computing the tasks it is sent as bytes and running lessons'
//! process targets.

use wasm_bindgen::prelude::*;

use crate::lessons::{Context, LessonError, Output, OutputEvent, Target};
use crate::pool;

/// One task received from the engine: its inputs decoded, its results so far.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WorkerTask(pool::engine::WorkerTask);

#[wasm_bindgen]
impl WorkerTask {
    /// The task computing `op` (`square` or `cube`) over the numbers in `input`.
    #[wasm_bindgen(constructor)]
    pub fn new(op: &str, input: &[u8]) -> Result<WorkerTask, JsError> {
        let op = op.parse().map_err(|e: String| JsError::new(&e))?;
        pool::engine::WorkerTask::new(op, input)
            .map(WorkerTask)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// How many items it has.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }

    /// Whether an item failed (nothing more is computed then).
    #[wasm_bindgen(getter)]
    pub fn failed(&self) -> bool {
        self.0.failed()
    }

    /// Computes up to `max` more items; returns how many are computed in all.
    pub fn compute(&mut self, max: usize) -> usize {
        self.0.compute(max)
    }

    /// The results so far, as bytes for the engine.
    pub fn output(&self) -> Vec<u8> {
        self.0.output()
    }
}

/// Why this instance's last task panicked, if one did: a panic traps the instance, and the
/// process reads the message from here to tell the engine.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    pool::engine::WorkerTask::last_panic()
}

/// Does `batches` slices of spin work, as many as the engine said an item takes (call with a
/// few milliseconds' worth at a time, so that a cancel gets in).
#[wasm_bindgen(js_name = spin)]
pub fn spin(batches: f64) {
    crate::kernel::spin_batches(batches as u64);
}

/// Runs a lesson's process target (`print_numbers`, `print_number`) with `arg`; its lines
/// go to the host's `print`. Resolves with `done` or `cancelled`.
#[wasm_bindgen(js_name = runTarget)]
pub async fn run_target(name: String, arg: f64, time_scale: f64) -> Result<String, JsError> {
    let target = Target::from_message(&name, arg as i64)
        .ok_or_else(|| JsError::new(&format!("no process target {name:?}")))?;
    let out = Output::new(|event| {
        if let OutputEvent::Print { text, at } = event {
            super::host::host_print(&text, at.epoch_millis());
        }
    });
    // A process's own sleeps are cancelled by its process (process.js), whatever the key.
    let cx = Context::new(out, time_scale, super::host::Processes { key: 0 }, 1);
    match target.run(cx).await {
        Ok(()) => Ok("done".into()),
        Err(LessonError::Cancelled) => Ok("cancelled".into()),
        Err(e) => Err(JsError::new(&e.to_string())),
    }
}
