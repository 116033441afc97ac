//! One run of a kernel over numbers: workers take tasks from a shared queue in order, as
//! Python's `Pool` hands out chunks, and report each task as it starts and ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::Duration;

use super::report::{
    Collector, Message, Report, RunError, TaskError, TaskEvent, TaskFinish, TaskStart, TaskStatus,
};
use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::Kernel;
use crate::number::Number;

/// What every worker of one run shares.
struct Plan {
    kernel: Kernel,
    numbers: Arc<[Number]>,
    chunksize: usize,
    tasks: usize,
    /// The queue: the next task index to hand out.
    next: AtomicUsize,
    failed: AtomicBool,
    cancel: CancelToken,
    start: clock::Instant,
}

/// A run in progress. Messages arrive as tasks start and end; the run is over when every
/// worker has stopped, which [`Run::recv`] reports as `None`.
pub struct Run {
    messages: Receiver<Message>,
    cancel: CancelToken,
    start: clock::Instant,
    items: usize,
    workers: usize,
}

/// The answer of [`Run::try_recv`].
#[derive(Debug)]
pub enum Poll {
    /// A message was waiting.
    Message(Message),
    /// Nothing yet; the run goes on.
    Pending,
    /// Every worker has stopped and every message has been taken.
    Done,
}

impl Run {
    /// Starts `workers` workers with `spawn`, each taking tasks until the queue is empty.
    pub(super) fn start(
        kernel: Kernel,
        numbers: Arc<[Number]>,
        chunksize: usize,
        workers: usize,
        cancel: CancelToken,
        spawn: impl Fn(Box<dyn FnOnce() + Send>),
    ) -> Run {
        let items = numbers.len();
        let chunksize = chunksize.max(1);
        let plan = Arc::new(Plan {
            kernel,
            numbers,
            chunksize,
            tasks: items.div_ceil(chunksize),
            next: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            cancel: cancel.clone(),
            start: clock::now(),
        });
        let (sender, messages) = channel();
        for worker in 0..workers.min(plan.tasks) {
            let plan = Arc::clone(&plan);
            let sender = sender.clone();
            spawn(Box::new(move || work(&plan, worker, &sender)));
        }
        Run {
            messages,
            cancel,
            start: plan.start,
            items,
            workers,
        }
    }

    /// A handle that cancels this run from anywhere.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// How many items the run was given.
    pub fn items(&self) -> usize {
        self.items
    }

    /// How many workers the run uses.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        clock::now().saturating_sub(self.start)
    }

    /// Waits for the next message; `None` once the run is over.
    pub fn recv(&self) -> Option<Message> {
        self.messages.recv().ok()
    }

    /// The next message if one is waiting, without blocking (for the browser's event loop).
    pub fn try_recv(&self) -> Poll {
        match self.messages.try_recv() {
            Ok(message) => Poll::Message(message),
            Err(TryRecvError::Empty) => Poll::Pending,
            Err(TryRecvError::Disconnected) => Poll::Done,
        }
    }

    /// A collector for this run's messages.
    pub fn collector(&self) -> Collector {
        Collector::new(self.items, self.workers)
    }

    /// Ends a collection once [`Run::recv`] or [`Run::try_recv`] has said the run is over.
    pub fn finish(&self, collector: Collector) -> Result<Report, RunError> {
        collector.finish(self.elapsed(), self.cancel.is_cancelled())
    }

    /// Waits for the whole run, showing each message to `observe` first.
    pub fn wait(self, mut observe: impl FnMut(&Message)) -> Result<Report, RunError> {
        let mut collector = self.collector();
        while let Some(message) = self.recv() {
            observe(&message);
            collector.push(message);
        }
        self.finish(collector)
    }
}

/// One worker: takes the next task from the queue until it is empty, cancelled or failed.
fn work(plan: &Plan, worker: usize, messages: &Sender<Message>) {
    let since_start = || clock::now().saturating_sub(plan.start);
    while !plan.cancel.is_cancelled() && !plan.failed.load(Ordering::Relaxed) {
        let task = plan.next.fetch_add(1, Ordering::Relaxed);
        if task >= plan.tasks {
            break;
        }
        let first = task * plan.chunksize;
        let items = first..(first + plan.chunksize).min(plan.numbers.len());
        let start = since_start();
        // A closed receiver means nobody listens any more: stop quietly.
        let started = TaskStart {
            task,
            items: items.clone(),
            worker,
            at: start,
        };
        if messages.send(Message::Started(started)).is_err() {
            return;
        }
        let mut values = Vec::with_capacity(items.len());
        let mut status = TaskStatus::Done;
        let mut error = None;
        for (item, input) in items.clone().zip(&plan.numbers[items.clone()]) {
            if !plan.kernel.work.perform(&plan.cancel) {
                status = TaskStatus::Cancelled;
                break;
            }
            match plan.kernel.op.apply(input) {
                Ok(value) => values.push(value),
                Err(e) => {
                    plan.failed.store(true, Ordering::Relaxed);
                    status = TaskStatus::Failed;
                    error = Some(TaskError {
                        task,
                        item,
                        input: input.clone(),
                        error: e,
                    });
                    break;
                }
            }
        }
        let event = TaskEvent {
            task,
            done: values.len(),
            items,
            worker,
            start,
            end: since_start(),
            status,
        };
        let finish = TaskFinish {
            event,
            values,
            error,
        };
        if messages.send(Message::Finished(finish)).is_err() {
            return;
        }
    }
}
