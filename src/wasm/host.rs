//! What the processes build asks of the JavaScript around it (`www/processes.js`): an
//! instance without shared memory cannot block, so it waits on promises instead, and only
//! JavaScript can reach the other Web Workers.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::MapRun;
use crate::lessons::{LessonError, Output, Target};
use crate::pool::engine::Dispatch;
use crate::pool::{Poll, Report};

#[wasm_bindgen]
extern "C" {
    /// Resolves with `true` after `ms`, or with `false` as soon as the lesson is cancelled.
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = sleep)]
    fn host_sleep(ms: f64) -> Promise;

    /// Drives `run` on this engine's worker processes; resolves when it is over. The host
    /// owns (and frees) the `MapRun`.
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = drive)]
    fn host_drive(run: MapRun) -> Promise;

    /// Starts a process running target `name` with `arg`; calls `on_print(text, atMs)` for
    /// each line it prints; resolves with its status (`done`, `cancelled`) when it ends.
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = startProcess)]
    fn host_start_process(name: &str, arg: f64, time_scale: f64, on_print: &Function) -> Promise;

    /// Prints a line from this process (a worker's instance running a process's target).
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = print)]
    pub(super) fn host_print(text: &str, at_ms: f64);
}

fn failed(error: JsValue) -> LessonError {
    LessonError::Host(
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{error:?}")),
    )
}

/// Waits `duration`; `false` if the lesson was cancelled meanwhile.
pub(crate) async fn sleep(duration: Duration) -> bool {
    let slept = JsFuture::from(host_sleep(duration.as_secs_f64() * 1000.0)).await;
    matches!(slept, Ok(v) if v.as_bool() == Some(true))
}

/// Runs `dispatch` on the worker processes and returns its report.
pub(crate) async fn drive(dispatch: Dispatch) -> Result<Report, LessonError> {
    let shared = Rc::new(RefCell::new(dispatch));
    JsFuture::from(host_drive(MapRun::from_driven(Rc::clone(&shared))))
        .await
        .map_err(failed)?;
    let mut dispatch = shared.borrow_mut();
    let mut collector = dispatch.collector();
    while let Poll::Message(message) = dispatch.try_recv() {
        collector.push(message);
    }
    Ok(dispatch.finish(collector)?)
}

/// A process on another Web Worker, running a lesson's [`Target`].
pub(crate) struct Process {
    ended: JsFuture,
    /// Receives the process's lines while it runs.
    _on_print: Closure<dyn FnMut(String, f64)>,
}

impl Process {
    /// Starts `target` in a process of its own, its lines going to `out`.
    pub(crate) fn start(target: Target, time_scale: f64, out: Output) -> Process {
        let on_print = Closure::<dyn FnMut(String, f64)>::new(move |text: String, at: f64| {
            out.print_at(text, super::run::from_ms(at));
        });
        let (name, arg) = target.to_message();
        let ended = host_start_process(
            name,
            arg as f64,
            time_scale,
            on_print.as_ref().unchecked_ref(),
        );
        Process {
            ended: JsFuture::from(ended),
            _on_print: on_print,
        }
    }

    /// Waits for the process to end.
    pub(crate) async fn join(self) -> Result<(), LessonError> {
        let status = self.ended.await.map_err(failed)?;
        match status.as_string().as_deref() {
            Some("done") => Ok(()),
            Some("cancelled") => Err(LessonError::Cancelled),
            _ => Err(LessonError::Host(format!(
                "a process ended with {status:?}"
            ))),
        }
    }
}
