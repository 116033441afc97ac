//! A map run that the engine polls.

use js_sys::Float64Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::Numbers;
use crate::number::Number;
use crate::pool::{
    Collector, MapOptions, Message, Poll, Pool, Report, Results, Run, RunError, TaskStatus,
};

/// Numbers per task event in the `Float64Array` that [`MapRun::poll`] returns:
/// `kind` (0 started, 1 finished), `task`, `first item`, `end item`, `worker`,
/// `start ms`, `end ms` (since the run started; equal to start for a started event),
/// `status` (0 done, 1 cancelled, 2 failed), `items done`.
const EVENT_FIELDS: usize = 9;

/// A run of a kernel over [`Numbers`] on the pool of Web Workers.
#[wasm_bindgen]
pub struct MapRun {
    run: Run,
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

fn ms(d: std::time::Duration) -> f64 {
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
        let pool = Pool::on_global(workers).map_err(|e| JsError::new(&e.to_string()))?;
        let options = MapOptions {
            chunksize: (chunksize > 0).then_some(chunksize),
            ..MapOptions::default()
        };
        let run = pool.start(kernel, numbers.numbers.clone(), options);
        let collector = Some(run.collector());
        Ok(MapRun {
            run,
            collector,
            outcome: None,
        })
    }

    /// Takes up to `max` waiting messages (never blocks) and returns their task events,
    /// [`EVENT_FIELDS`] numbers each.
    pub fn poll(&mut self, max: usize) -> Float64Array {
        let mut packed = Vec::new();
        let Some(collector) = self.collector.as_mut() else {
            return Float64Array::new_with_length(0);
        };
        for _ in 0..max {
            match self.run.try_recv() {
                Poll::Message(message) => {
                    pack(&message, &mut packed);
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
        Float64Array::from(packed.as_slice())
    }

    /// Blocks the calling worker until a message is waiting or `ms` have passed, so the
    /// engine learns of an event at once without spinning. Never call it on a page's main
    /// thread, which may not block.
    pub fn wait(&self, ms: f64) {
        self.run.wait(std::time::Duration::from_secs_f64(
            ms.clamp(0.0, 1000.0) / 1000.0,
        ));
    }

    /// Whether every worker has stopped and every event has been polled.
    #[wasm_bindgen(getter)]
    pub fn finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// Cancels the run: running tasks stop, sleeping ones wake, results so far are kept.
    pub fn cancel(&self) {
        self.run.cancel_token().cancel();
    }

    /// The run's report: `{ items, workers, done, status, wallMs, busyMs, startedAt, error }`;
    /// `status` is `running`, `done`, `cancelled` or `failed`.
    pub fn report(&self) -> Result<JsValue, JsError> {
        let started_at = ms(self.run.started_at());
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
                        "failed",
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
        let numbers = self.run.numbers();
        let end = end.min(numbers.len());
        let first = first.min(end);
        let picked: Vec<&Number> = if end - first <= 4 {
            numbers[first..end].iter().collect()
        } else {
            vec![
                &numbers[first],
                &numbers[first + 1],
                &numbers[first + 2],
                &numbers[end - 1],
            ]
        };
        picked.into_iter().map(ToString::to_string).collect()
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

impl MapRun {
    fn collected(&self) -> &Results {
        match (&self.collector, &self.outcome) {
            (Some(collector), _) => collector.results(),
            (None, Some(Ok(report))) => &report.results,
            (None, Some(Err(e))) => &e.report().results,
            (None, None) => unreachable!("a run has a collector until it has an outcome"),
        }
    }
}

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
            let status = match e.status {
                TaskStatus::Done => 0.0,
                TaskStatus::Cancelled => 1.0,
                TaskStatus::Failed => 2.0,
            };
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
