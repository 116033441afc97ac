//! A lesson running in the browser, polled by the engine like a map run.

use std::sync::mpsc::{Receiver, channel};

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::cancel::CancelToken;
use crate::clock;
use crate::lessons::{Context, Lesson, LessonError, Output, OutputEvent};
use crate::pool::Message;

/// One lesson, run on Web Workers. On the threaded build its driver (the lesson's `main`)
/// takes one worker thread for itself, so the engine must have `maxWorkers + 1` threads.
#[wasm_bindgen]
#[derive(Debug)]
pub struct LessonRun {
    events: Receiver<Event>,
    cancel: CancelToken,
    outcome: Option<Outcome>,
    /// When the lesson started: its events' times count from here.
    origin: clock::Instant,
}

/// How a lesson ended: `done`, `cancelled` or `failed`, and what to say about it.
#[derive(Debug)]
struct Outcome {
    status: &'static str,
    message: String,
}

enum Event {
    Output(OutputEvent),
    End(Outcome),
}

/// One entry of [`LessonRun::poll`].
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
enum EventJs {
    Print {
        text: String,
        at: f64,
    },
    TaskStart {
        run: usize,
        task: usize,
        item: usize,
        worker: usize,
        at: f64,
    },
    TaskEnd {
        run: usize,
        task: usize,
        item: usize,
        worker: usize,
        start: f64,
        end: f64,
    },
}

#[wasm_bindgen]
impl LessonRun {
    /// Starts lesson `id` (`q1` .. `q6`) with every simulated duration times `time_scale`.
    /// On the processes backend `key` names it to the host, whose cancel for that key then
    /// reaches this lesson's sleeps, runs and processes only.
    #[wasm_bindgen(constructor)]
    pub fn new(id: &str, time_scale: f64, cores: usize, key: u32) -> Result<LessonRun, JsError> {
        let lesson =
            Lesson::from_id(id).ok_or_else(|| JsError::new(&format!("no lesson {id:?}")))?;
        let (sender, events) = channel();
        let output_sender = sender.clone();
        // mpsc senders are not Sync; the output may be called from any worker at once.
        let output_sender = std::sync::Mutex::new(output_sender);
        let out = Output::new(move |event| {
            if let Ok(sender) = output_sender.lock() {
                let _ = sender.send(Event::Output(event));
            }
        });
        #[cfg(not(processes))]
        let backend = {
            let _ = key; // threads cancel through the lesson's token alone
            crate::lessons::Threads::Global
        };
        #[cfg(processes)]
        let backend = super::host::Processes { key };
        let context = Context::new(out, time_scale, backend, cores);
        let cancel = context.cancel_token();
        // Made where it runs: a lesson's future stays on its thread.
        let driver = move || async move {
            let outcome = match lesson.run(&context).await {
                Ok(()) => Outcome {
                    status: "done",
                    message: "ok".into(),
                },
                Err(LessonError::Cancelled) => Outcome {
                    status: "cancelled",
                    message: "cancelled".into(),
                },
                Err(e) => Outcome {
                    status: "failed",
                    message: e.to_string(),
                },
            };
            let _ = sender.send(Event::End(outcome));
        };
        // The threaded build's driver blocks on a Web Worker of its own; the processes
        // build's runs on the engine's event loop, waiting on promises.
        #[cfg(not(processes))]
        rayon::spawn(move || pollster::block_on(driver()));
        #[cfg(processes)]
        wasm_bindgen_futures::spawn_local(driver());
        Ok(LessonRun {
            events,
            cancel,
            outcome: None,
            origin: clock::now(),
        })
    }

    /// The lines printed and task events since the last poll, as plain objects:
    /// `{ kind: 'print', text, at }`, `{ kind: 'taskStart', run, task, item, worker, at }` and
    /// `{ kind: 'taskEnd', run, task, item, worker, start, end }`. `run` numbers the lesson's
    /// pool runs from 0; times are milliseconds since the lesson started, on the clock every
    /// worker shares.
    pub fn poll(&mut self) -> Result<JsValue, JsError> {
        let since = |at: clock::Instant| (at - self.origin).as_secs_f64() * 1000.0;
        let mut out = Vec::new();
        while let Ok(event) = self.events.try_recv() {
            out.push(match event {
                Event::Output(OutputEvent::Print { text, at }) => EventJs::Print {
                    text,
                    at: since(at),
                },
                Event::Output(OutputEvent::Task {
                    run,
                    started,
                    message: Message::Started(s),
                }) => EventJs::TaskStart {
                    run,
                    task: s.task,
                    item: s.items.start,
                    worker: s.worker,
                    at: since(started + s.at),
                },
                Event::Output(OutputEvent::Task {
                    run,
                    started,
                    message: Message::Finished(f),
                }) => EventJs::TaskEnd {
                    run,
                    task: f.event.task,
                    item: f.event.items.start,
                    worker: f.event.worker,
                    start: since(started + f.event.start),
                    end: since(started + f.event.end),
                },
                Event::End(end) => {
                    self.outcome = Some(end);
                    continue;
                }
            });
        }
        serde_wasm_bindgen::to_value(&out).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Whether the lesson has ended.
    #[wasm_bindgen(getter)]
    pub fn finished(&self) -> bool {
        self.outcome.is_some()
    }

    /// How it ended: `null` while running, `"ok"`, or what stopped it.
    pub fn outcome(&self) -> Option<String> {
        self.outcome.as_ref().map(|o| o.message.clone())
    }

    /// `null` while running, then `done`, `cancelled` or `failed`.
    pub fn status(&self) -> Option<String> {
        self.outcome.as_ref().map(|o| o.status.to_string())
    }

    /// Cancels the lesson.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Every lesson: `[{ id, title, maxWorkers, source, notebook }]`, `source` being its Rust
    /// code exactly as compiled and `notebook` the notebook's cell (Python; Markdown for q2). A lesson needs `maxWorkers + 1` threads (its driver takes one).
    pub fn catalog() -> Result<JsValue, JsError> {
        let lessons: Vec<LessonJs> = Lesson::ALL
            .into_iter()
            .map(|l| LessonJs {
                id: l.id(),
                title: l.title(),
                max_workers: l.max_workers(),
                source: l.rust_source(),
                notebook: l.notebook_source(),
            })
            .collect();
        serde_wasm_bindgen::to_value(&lessons).map_err(|e| JsError::new(&e.to_string()))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LessonJs {
    id: &'static str,
    title: &'static str,
    max_workers: usize,
    source: &'static str,
    notebook: &'static str,
}
