//! The processes backend of the lessons, and what the processes build asks of the
//! JavaScript around it (`www/processes.js`): an instance without shared memory cannot
//! block, so it waits on promises instead, and only JavaScript can reach the other Web
//! Workers.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::MapRun;
use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::Kernel;
use crate::lessons::{
    Backend, BackendPool, Context, LessonError, LessonProcess, LocalFuture, Observer, Target,
};
use crate::number::Number;
use crate::pool::engine::{Dispatch, Driven};
use crate::pool::{MapOptions, Poll, PoolError, Report};

#[wasm_bindgen]
extern "C" {
    /// Resolves with `true` after `ms`, or with `false` as soon as lesson `key` is
    /// cancelled.
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = sleep)]
    fn host_sleep(ms: f64, key: u32) -> Promise;

    /// Drives `run`, a map of lesson `key`, on this engine's worker processes; resolves
    /// when it is over. The host owns (and frees) the `MapRun`.
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = drive)]
    fn host_drive(run: MapRun, key: u32) -> Promise;

    /// Starts a process of lesson `key` running target `name` with `arg`; calls
    /// `on_print(text, atMs)` for each line it prints; resolves with its status (`done`,
    /// `cancelled`) when it ends.
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = startProcess)]
    fn host_start_process(
        name: &str,
        arg: f64,
        time_scale: f64,
        on_print: &Function,
        key: u32,
    ) -> Promise;

    /// Prints a line from this process (a worker's instance running a process's target).
    #[wasm_bindgen(js_namespace = webpoolHost, js_name = print)]
    pub(super) fn host_print(text: &str, at_ms: f64);
}

/// Lessons whose pools and processes are Web Workers with instances of their own, reached
/// by messages through the engine's JavaScript. `key` names the lesson to the host, so that
/// cancelling one lesson stops its own sleeps, runs and processes and nothing else.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Processes {
    pub(crate) key: u32,
}

/// A pool of `workers` worker processes; they start when a run needs them.
struct ProcessPool {
    workers: usize,
    key: u32,
}

fn failed(error: JsValue) -> LessonError {
    LessonError::Backend(
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{error:?}")),
    )
}

impl Backend for Processes {
    fn pool(&self, workers: usize) -> Result<Box<dyn BackendPool>, PoolError> {
        if workers == 0 {
            return Err(PoolError::NoWorkers);
        }
        Ok(Box::new(ProcessPool {
            workers,
            key: self.key,
        }))
    }

    /// The host's sleep is cancelled with the lesson, by the engine's JavaScript.
    fn sleep<'a>(&'a self, duration: Duration, _: &'a CancelToken) -> LocalFuture<'a, bool> {
        Box::pin(async move {
            let slept = JsFuture::from(host_sleep(duration.as_secs_f64() * 1000.0, self.key)).await;
            matches!(slept, Ok(v) if v.as_bool() == Some(true))
        })
    }

    fn start_process(&self, target: Target, cx: &Context) -> LessonProcess {
        let out = cx.output();
        let on_print = Closure::<dyn FnMut(String, f64)>::new(move |text: String, at: f64| {
            out.print_at(text, clock::Instant::from_epoch_millis(at));
        });
        let (name, arg) = target.to_message();
        let ended = JsFuture::from(host_start_process(
            name,
            arg as f64,
            cx.time_scale(),
            on_print.as_ref().unchecked_ref(),
            self.key,
        ));
        LessonProcess::new(async move {
            // The closure receives the process's lines until it ends.
            let _on_print = on_print;
            let status = ended.await.map_err(failed)?;
            match status.as_string().as_deref() {
                Some("done") => Ok(()),
                Some("cancelled") => Err(LessonError::Cancelled),
                _ => Err(LessonError::Backend(format!(
                    "a process ended with {status:?}"
                ))),
            }
        })
    }
}

impl BackendPool for ProcessPool {
    fn map(
        &self,
        kernel: Kernel,
        numbers: Vec<Number>,
        options: MapOptions,
        observe: Observer,
    ) -> LocalFuture<'_, Result<Report, LessonError>> {
        Box::pin(async move {
            let mut dispatch = Dispatch::new(kernel, numbers, options, self.workers)?;
            dispatch.observe(observe);
            let shared = Rc::new(RefCell::new(dispatch));
            JsFuture::from(host_drive(
                MapRun::from_driven(Rc::clone(&shared)),
                self.key,
            ))
            .await
            .map_err(failed)?;
            let mut collector = shared.collector();
            let mut dispatch = shared.borrow_mut();
            while let Poll::Message(message) = dispatch.try_recv() {
                collector.push(message);
            }
            Ok(dispatch.finish(collector)?)
        })
    }
}
