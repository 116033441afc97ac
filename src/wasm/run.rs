//! A map run that the engine polls: on the threaded build a [`Run`] on rayon's Web
//! Workers, on the processes build a [`Dispatch`] that the engine's JavaScript drives.

use std::time::Duration;

use js_sys::Float64Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::Numbers;
use crate::number::Number;
use crate::pool::engine::{Collector, Driven};
use crate::pool::{
    MapOptions, Message, Poll, Report, Results, RunError, TaskFailure, TaskStatus, Values,
};

/// The threaded build's runs are on rayon's Web Workers.
#[cfg(not(processes))]
type Source = crate::pool::Run;

/// The processes build's runs are dispatches that the engine's JavaScript drives, shared
/// with the lesson that waits for its report when a lesson made it.
#[cfg(processes)]
pub(crate) type Source = std::rc::Rc<std::cell::RefCell<crate::pool::engine::Dispatch>>;

/// Numbers per task event in the `Float64Array` that [`MapRun::poll`] returns:
/// `kind` (0 started, 1 finished), `task`, `first item`, `end item`, `worker`,
/// `start ms`, `end ms` (since the run started; equal to start for a started event),
/// `status` (0 done, 1 cancelled, 2 failed), `items done`.
const EVENT_FIELDS: usize = 9;

/// A run of a kernel over [`Numbers`] on Web Workers.
#[wasm_bindgen]
#[derive(Debug)]
pub struct MapRun {
    run: Source,
    collector: Option<Collector>,
    outcome: Option<Result<Report, RunError>>,
}

/// What [`MapRun::report`] returns, as a plain JS object.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportJs {
    items: usize,
    workers: usize,
    done: usize,
    status: &'static str,
    wall_ms: f64,
    busy_ms: Vec<f64>,
    started_at: f64,
    error: Option<TaskErrorJs>,
}

#[derive(Serialize)]
struct TaskErrorJs {
    message: String,
    task: usize,
    item: usize,
    input: String,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[wasm_bindgen]
impl MapRun {
    /// Starts `op` (`square`/`cube`) with simulated `work` (`none`/`sleep`/`spin`) of
    /// `work_ms` per number on `workers` workers; `chunksize` 0 means Python's default.
    #[wasm_bindgen(constructor)]
    pub fn new(
        numbers: &Numbers,
        op: &str,
        work: &str,
        work_ms: f64,
        workers: usize,
        chunksize: usize,
    ) -> Result<MapRun, JsError> {
        let kernel = super::kernel(op, work, work_ms)?;
        let options = MapOptions {
            chunksize: (chunksize > 0).then_some(chunksize),
            ..MapOptions::default()
        };
        let numbers = numbers.numbers.clone();
        #[cfg(not(processes))]
        let run =
            crate::pool::Pool::on_global(workers).map(|pool| pool.start(kernel, numbers, options));
        #[cfg(processes)]
        let run = crate::pool::engine::Dispatch::new(kernel, numbers, options, workers)
            .map(|dispatch| Source::new(dispatch.into()));
        let run = run.map_err(|e| JsError::new(&e.to_string()))?;
        Ok(MapRun::from_driven(run))
    }

    /// Takes up to `max` waiting messages (never blocks) and returns their task events,
    /// [`EVENT_FIELDS`] numbers each.
    pub fn poll(&mut self, max: usize) -> Float64Array {
        let mut packed = Vec::new();
        self.take(max, |message| pack(message, &mut packed));
        Float64Array::from(packed.as_slice())
    }

    /// Takes up to `max` waiting messages into the run's results without packing their
    /// events, and returns how many it took: for a backlog that nobody will look at one by
    /// one (a cancelled run's), so that the run ends at once.
    pub fn skip(&mut self, max: usize) -> usize {
        let mut taken = 0;
        self.take(max, |_| taken += 1);
        taken
    }

    /// Blocks the calling worker until a message is waiting or `ms` have passed, so the
    /// engine learns of an event at once without spinning. Never call it on a page's main
    /// thread, which may not block.
    #[cfg(not(processes))]
    pub fn wait(&self, ms: f64) {
        self.run
            .wait(Duration::from_secs_f64(ms.clamp(0.0, 1000.0) / 1000.0));
    }

    /// Whether every worker has stopped and every event has been polled.
    #[wasm_bindgen(getter)]
    pub fn finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// Cancels the run: running tasks stop, sleeping ones wake, results so far are kept.
    pub fn cancel(&self) {
        self.run.cancel();
    }

    /// The run's report: `{ items, workers, done, status, wallMs, busyMs, startedAt, error }`;
    /// `status` is `running`, `done`, `cancelled`, `failed` (a task failed) or `crashed` (a
    /// worker stopped mid-run).
    pub fn report(&self) -> Result<JsValue, JsError> {
        let started_at = self.run.started_at().epoch_millis();
        let js = match &self.outcome {
            None => ReportJs {
                items: self.run.items(),
                workers: self.run.workers(),
                done: self.collected().len(),
                status: "running",
                wall_ms: ms(self.run.elapsed()),
                busy_ms: Vec::new(),
                started_at,
                error: None,
            },
            Some(outcome) => {
                let report = match outcome {
                    Ok(report) => report,
                    Err(e) => e.report(),
                };
                let (status, error) = match outcome {
                    Ok(_) => ("done", None),
                    Err(RunError::Cancelled(_)) => ("cancelled", None),
                    Err(RunError::Task { error, .. }) => (
                        match error.failure {
                            TaskFailure::Crashed(_) => "crashed",
                            _ => "failed",
                        },
                        Some(TaskErrorJs {
                            message: error.to_string(),
                            task: error.task,
                            item: error.item,
                            input: error.input.to_string(),
                        }),
                    ),
                };
                ReportJs {
                    items: report.items,
                    workers: report.workers,
                    done: report.results.len(),
                    status,
                    wall_ms: ms(report.wall),
                    busy_ms: report.busy.iter().copied().map(ms).collect(),
                    started_at,
                    error,
                }
            }
        };
        serde_wasm_bindgen::to_value(&js).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The results for input indexes `from..to` by position, as Python prints them, with
    /// `null` for the items not computed (a cancelled or failed run).
    #[wasm_bindgen(js_name = valuesAt)]
    pub fn values_at(&self, from: usize, to: usize) -> js_sys::Array {
        let to = to.min(self.run.items());
        let values = js_sys::Array::new();
        let mut next = from;
        for (index, value) in self.collected().range(from..to) {
            for _ in next..index {
                values.push(&JsValue::NULL);
            }
            values.push(&JsValue::from(value.to_string()));
            next = index + 1;
        }
        for _ in next..to {
            values.push(&JsValue::NULL);
        }
        values
    }

    /// The results for input indexes `from..to` that exist so far, as Python prints them.
    pub fn results(&self, from: usize, to: usize) -> Vec<String> {
        self.collected()
            .range(from..to)
            .map(|(_, v)| v.to_string())
            .collect()
    }

    /// The inputs of items `first..end` that a log names, as Python prints them: all of them
    /// for up to 4 items, otherwise the first three and the last.
    pub fn inputs(&self, first: usize, end: usize) -> Vec<String> {
        self.run.with_inputs(|inputs| {
            let end = end.min(inputs.len());
            let first = first.min(end);
            let picked: Vec<usize> = if end - first <= 4 {
                (first..end).collect()
            } else {
                vec![first, first + 1, first + 2, end - 1]
            };
            picked
                .into_iter()
                .map(|i| inputs.number(i).to_string())
                .collect()
        })
    }

    /// Every result as one typed array, when the run is complete and they all fit one: a
    /// `BigInt64Array` when every result is an integer of 64 bits, a `Float64Array` when
    /// every one is a float. Otherwise `null` (the page says why). The array is made in
    /// JavaScript's memory and filled a task's results at a time, so that the instance's
    /// memory (which never shrinks) does not grow by a copy of them all.
    #[wasm_bindgen(js_name = typedResults)]
    pub fn typed_results(&self) -> JsValue {
        let results = self.collected();
        let n = results.len();
        if n != self.run.items() {
            return JsValue::NULL;
        }
        let int = |v: Number| match v {
            Number::Int(i) => Some(i),
            _ => None,
        };
        let float = |v: Number| match v {
            Number::Float(x) => Some(x),
            _ => None,
        };
        let all_ints = results.chunks().iter().all(|chunk| match &chunk.values {
            Values::Ints(_) => true,
            other => other.iter().all(|v| int(v).is_some()),
        });
        if all_ints {
            let typed = js_sys::BigInt64Array::new_with_length(n as u32);
            for chunk in results.chunks() {
                let (from, to) = (
                    chunk.first as u32,
                    (chunk.first + chunk.values.len()) as u32,
                );
                match &chunk.values {
                    Values::Ints(v) => typed.subarray(from, to).copy_from(v),
                    other => {
                        let v: Vec<i64> = other.iter().filter_map(int).collect();
                        typed.subarray(from, to).copy_from(&v);
                    }
                }
            }
            return typed.into();
        }
        if results.values().all(|v| float(v).is_some()) {
            let typed = Float64Array::new_with_length(n as u32);
            for chunk in results.chunks() {
                let v: Vec<f64> = chunk.values.iter().filter_map(float).collect();
                let from = chunk.first as u32;
                typed.subarray(from, from + v.len() as u32).copy_from(&v);
            }
            return typed.into();
        }
        JsValue::NULL
    }

    /// Every result so far, one per line, ready to download.
    #[wasm_bindgen(js_name = resultsText)]
    pub fn results_text(&self) -> String {
        use std::fmt::Write;
        let mut text = String::with_capacity(self.collected().len() * 8);
        for value in self.collected().values() {
            let _ = writeln!(text, "{value}");
        }
        text
    }
}

/// What the engine's JavaScript does to drive a run on the processes backend: it hands
/// each free Web Worker its next task, and tells the run what the worker answers.
#[cfg(processes)]
#[wasm_bindgen]
impl MapRun {
    /// The next task for `worker`, or `undefined` when there is none to hand out (all out,
    /// cancelled, or a task failed).
    #[wasm_bindgen(js_name = nextTask)]
    pub fn next_task(&self, worker: usize) -> Option<usize> {
        self.run.borrow_mut().next_task(worker)
    }

    /// The bytes of `task`'s inputs, to copy to its worker.
    #[wasm_bindgen(js_name = taskInput)]
    pub fn task_input(&self, task: usize) -> Vec<u8> {
        self.run.borrow().input(task)
    }

    /// What each task computes: `{ op, work, workMs, spinBatches, batchesPerMs, costly }`. Spin
    /// work travels as a count of slices of computation (`spinBatches` per item), measured
    /// once here, so that every process computes what a thread would.
    pub fn kernel(&self) -> Result<JsValue, JsError> {
        use crate::kernel::{Work, batches_for, batches_per_second};
        let kernel = self.run.borrow().kernel();
        let (work, duration) = match kernel.work {
            Work::None => ("none", Duration::ZERO),
            Work::Sleep(d) => ("sleep", d),
            Work::Spin(d) => ("spin", d),
        };
        let spinning = matches!(kernel.work, Work::Spin(_));
        let js = KernelJs {
            op: kernel.op.name(),
            work,
            work_ms: ms(duration),
            spin_batches: if spinning {
                batches_for(duration) as f64
            } else {
                0.0
            },
            batches_per_ms: if spinning {
                batches_per_second() / 1000.0
            } else {
                0.0
            },
            costly: kernel.op.is_costly(),
        };
        serde_wasm_bindgen::to_value(&js).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The run's processes are ready: its clock starts now (before its first task only).
    #[wasm_bindgen(js_name = startClock)]
    pub fn start_clock(&self) {
        self.run.borrow_mut().restart_clock();
    }

    /// Whether the run has handed out its last task and every answer is in.
    #[wasm_bindgen(getter)]
    pub fn over(&self) -> bool {
        self.run.borrow().is_over()
    }

    /// `task`'s worker started it at `at_ms` (ms since the epoch, the shared clock).
    #[wasm_bindgen(js_name = taskStarted)]
    pub fn task_started(&self, task: usize, at_ms: f64) {
        self.run
            .borrow_mut()
            .started(task, crate::clock::Instant::from_epoch_millis(at_ms));
    }

    /// `task`'s worker answered: it ran from `start_ms` to `end_ms`, ended with `status`
    /// (0 done, 1 cancelled, 2 failed), and `output` holds its results.
    #[wasm_bindgen(js_name = taskFinished)]
    pub fn task_finished(
        &self,
        task: usize,
        start_ms: f64,
        end_ms: f64,
        status: u8,
        output: &[u8],
    ) -> Result<(), JsError> {
        let status = *STATUSES
            .get(usize::from(status))
            .ok_or_else(|| JsError::new(&format!("no task status {status}")))?;
        self.run
            .borrow_mut()
            .finished(
                task,
                crate::clock::Instant::from_epoch_millis(start_ms),
                crate::clock::Instant::from_epoch_millis(end_ms),
                status,
                output,
            )
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// `worker` is gone: it `panicked` with `message` (its instance trapped), or it stopped
    /// without a word (`crashed`: terminated, out of memory). The task it was computing
    /// fails, its other tasks end without results, and the run hands out no more.
    #[wasm_bindgen(js_name = workerLost)]
    pub fn worker_lost(&self, worker: usize, panicked: bool, message: String) {
        let failure = if panicked {
            TaskFailure::Panicked(message)
        } else {
            TaskFailure::Crashed(message)
        };
        self.run.borrow_mut().lost(worker, failure);
    }
}

#[cfg(processes)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KernelJs {
    op: &'static str,
    work: &'static str,
    work_ms: f64,
    spin_batches: f64,
    batches_per_ms: f64,
    /// Each item is real computation that may take milliseconds (`collatz`): its tasks go
    /// out one at a time and are computed in slices, so that a cancel gets in.
    costly: bool,
}

impl MapRun {
    /// Takes up to `max` waiting messages, showing each to `seen`, and ends the collection
    /// once the run says it is over.
    fn take(&mut self, max: usize, mut seen: impl FnMut(&Message)) {
        let Some(collector) = self.collector.as_mut() else {
            return;
        };
        for _ in 0..max {
            match self.run.try_recv() {
                Poll::Message(message) => {
                    seen(&message);
                    collector.push(message);
                }
                Poll::Pending => break,
                Poll::Done => {
                    if let Some(collector) = self.collector.take() {
                        self.outcome = Some(self.run.finish(collector));
                    }
                    break;
                }
            }
        }
    }

    pub(crate) fn from_driven(run: Source) -> MapRun {
        let collector = Some(run.collector());
        MapRun {
            run,
            collector,
            outcome: None,
        }
    }

    fn collected(&self) -> &Results {
        match (&self.collector, &self.outcome) {
            (Some(collector), _) => collector.results(),
            (None, Some(Ok(report))) => &report.results,
            (None, Some(Err(e))) => &e.report().results,
            (None, None) => unreachable!("a run has a collector until it has an outcome"),
        }
    }
}

/// Task statuses by their code, in packed events and in the processes' answers.
const STATUSES: [TaskStatus; 3] = [TaskStatus::Done, TaskStatus::Cancelled, TaskStatus::Failed];

fn pack(message: &Message, out: &mut Vec<f64>) {
    let row: [f64; EVENT_FIELDS] = match message {
        Message::Started(s) => [
            0.0,
            s.task as f64,
            s.items.start as f64,
            s.items.end as f64,
            s.worker as f64,
            ms(s.at),
            ms(s.at),
            0.0,
            0.0,
        ],
        Message::Finished(f) => {
            let e = &f.event;
            let status = STATUSES.iter().position(|&s| s == e.status).unwrap_or(0) as f64;
            [
                1.0,
                e.task as f64,
                e.items.start as f64,
                e.items.end as f64,
                e.worker as f64,
                ms(e.start),
                ms(e.end),
                status,
                e.done as f64,
            ]
        }
    };
    out.extend_from_slice(&row);
}
