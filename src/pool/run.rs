//! One run of a kernel over numbers: workers take tasks from a shared queue in order, as
//! Python's `Pool` hands out chunks, and report each task as it starts and ends.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::Input;
use super::report::{
    Collector, Message, Report, RunError, TaskError, TaskEvent, TaskFinish, TaskStart, TaskStatus,
    Values,
};
use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::{Kernel, Work};
use crate::number::{ArithmeticError, Number};

/// What every worker of one run shares.
struct Plan {
    kernel: Kernel,
    numbers: Box<dyn Input>,
    chunksize: usize,
    tasks: usize,
    /// The queue: the next task index to hand out.
    next: AtomicUsize,
    /// Set when a task fails or nobody holds the [`Run`] any more: hand out no more tasks.
    stop: AtomicBool,
    cancel: CancelToken,
    start: clock::Instant,
    mailbox: Mailbox,
}

impl Plan {
    fn numbers(&self) -> &[Number] {
        (*self.numbers).as_ref()
    }
}

/// Messages from the workers to the one who holds the [`Run`].
///
/// A mutex and a condition variable rather than a channel because the browser's engine
/// must wait for a message with a timeout, and `std`'s `recv_timeout` needs
/// `std::time::Instant`, which `wasm32-unknown-unknown` does not have.
#[derive(Default)]
struct Mailbox {
    state: Mutex<MailboxState>,
    ready: Condvar,
}

#[derive(Default)]
struct MailboxState {
    messages: VecDeque<Message>,
    /// Workers that may still send.
    working: usize,
}

impl Mailbox {
    fn lock(&self) -> MutexGuard<'_, MailboxState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn send(&self, message: Message) {
        self.lock().messages.push_back(message);
        self.ready.notify_all();
    }
}

/// Counts a worker out when it stops, even by a panic, so that the run still ends.
struct Working<'a>(&'a Mailbox);

impl Drop for Working<'_> {
    fn drop(&mut self) {
        self.0.lock().working -= 1;
        self.0.ready.notify_all();
    }
}

/// A run in progress. Messages arrive as tasks start and end; the run is over when every
/// worker has stopped, which [`Run::recv`] reports as `None`.
pub struct Run {
    plan: Arc<Plan>,
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
        numbers: Box<dyn Input>,
        chunksize: usize,
        workers: usize,
        cancel: CancelToken,
        spawn: impl Fn(Box<dyn FnOnce() + Send>),
    ) -> Run {
        let items = (*numbers).as_ref().len();
        let chunksize = chunksize.max(1);
        if let Work::Spin(_) = kernel.work {
            // Calibrate before the clock starts, so the first spinning run is not slower.
            crate::kernel::batches_per_second();
        }
        let plan = Arc::new(Plan {
            kernel,
            numbers,
            chunksize,
            tasks: items.div_ceil(chunksize),
            next: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            cancel,
            start: clock::now(),
            mailbox: Mailbox::default(),
        });
        let started = workers.min(plan.tasks);
        plan.mailbox.lock().working = started;
        for worker in 0..started {
            let plan = Arc::clone(&plan);
            spawn(Box::new(move || {
                let _working = Working(&plan.mailbox);
                work(&plan, worker);
            }));
        }
        Run { plan, workers }
    }

    /// A handle that cancels this run from anywhere.
    pub fn cancel_token(&self) -> CancelToken {
        self.plan.cancel.clone()
    }

    /// How many items the run was given.
    pub fn items(&self) -> usize {
        self.numbers().len()
    }

    /// The numbers the run was given.
    pub fn numbers(&self) -> &[Number] {
        self.plan.numbers()
    }

    /// How many workers the run uses.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// When the run started, on the shared clock.
    pub fn started_at(&self) -> clock::Instant {
        self.plan.start
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        clock::now().saturating_sub(self.plan.start)
    }

    /// Waits for the next message; `None` once the run is over.
    pub fn recv(&self) -> Option<Message> {
        let mut state = self.plan.mailbox.lock();
        loop {
            if let Some(message) = state.messages.pop_front() {
                return Some(message);
            }
            if state.working == 0 {
                return None;
            }
            state = self
                .plan
                .mailbox
                .ready
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The next message if one is waiting, without blocking.
    pub fn try_recv(&self) -> Poll {
        let mut state = self.plan.mailbox.lock();
        match state.messages.pop_front() {
            Some(message) => Poll::Message(message),
            None if state.working == 0 => Poll::Done,
            None => Poll::Pending,
        }
    }

    /// Waits until a message is waiting or the run is over, but no longer than `timeout`
    /// (it may return sooner). For the browser's engine, which polls between its own events.
    pub fn wait(&self, timeout: Duration) {
        let state = self.plan.mailbox.lock();
        if state.messages.is_empty() && state.working > 0 {
            drop(self.plan.mailbox.ready.wait_timeout(state, timeout));
        }
    }

    /// A collector for this run's messages.
    pub fn collector(&self) -> Collector {
        Collector::new(self.items(), self.workers)
    }

    /// Ends a collection once [`Run::recv`] or [`Run::try_recv`] has said the run is over.
    pub fn finish(&self, collector: Collector) -> Result<Report, RunError> {
        collector.finish(self.elapsed(), self.plan.cancel.is_cancelled())
    }

    /// Waits for the whole run, showing each message to `observe` first.
    pub fn finish_observing(self, mut observe: impl FnMut(&Message)) -> Result<Report, RunError> {
        let mut collector = self.collector();
        while let Some(message) = self.recv() {
            observe(&message);
            collector.push(message);
        }
        self.finish(collector)
    }
}

/// Why a task stopped before its last item.
pub(crate) enum Stop {
    Cancelled,
    Failed(ArithmeticError),
}

/// Items between two looks at the cancel flag when there is no simulated work: enough that
/// the look costs nothing, few enough (microseconds) that a cancel is still prompt.
const CANCEL_CHECK_EVERY: usize = 4096;

/// Computes `inputs` in order, until the end, a cancel or a failure; returns the results
/// made so far and how it ended.
pub(crate) fn compute(
    kernel: Kernel,
    cancel: &CancelToken,
    inputs: &[Number],
) -> (Values, Result<(), Stop>) {
    let mut ints = Vec::with_capacity(inputs.len());
    if kernel.work == Work::None {
        // The hot path of large runs: 64-bit integers in, 64-bit integers out, in a plain
        // loop (a `?` or a nested loop here made WebAssembly twice as slow).
        for (i, input) in inputs.iter().enumerate() {
            if i % CANCEL_CHECK_EVERY == 0 && cancel.is_cancelled() {
                return (Values::Ints(ints), Err(Stop::Cancelled));
            }
            match kernel.op.apply_small(input) {
                Some(value) => ints.push(value),
                None => break,
            }
        }
        if ints.len() == inputs.len() {
            return (Values::Ints(ints), Ok(()));
        }
    }
    let done = ints.len();
    let mut values: Vec<Number> = Vec::with_capacity(inputs.len());
    values.extend(ints.into_iter().map(Number::Int));
    for (i, input) in inputs.iter().enumerate().skip(done) {
        let go_on = match kernel.work {
            Work::None => i % CANCEL_CHECK_EVERY != 0 || !cancel.is_cancelled(),
            work => work.perform(cancel),
        };
        if !go_on {
            return (Values::Numbers(values), Err(Stop::Cancelled));
        }
        match kernel.op.apply(input) {
            Ok(value) => values.push(value),
            Err(error) => return (Values::Numbers(values), Err(Stop::Failed(error))),
        }
    }
    (Values::Numbers(values), Ok(()))
}

impl Drop for Run {
    /// Nobody can take the results any more: the workers stop after their current task.
    fn drop(&mut self) {
        self.plan.stop.store(true, Ordering::Relaxed);
    }
}

/// One worker: takes the next task from the queue until it is empty, cancelled or stopped.
fn work(plan: &Plan, worker: usize) {
    let since_start = || clock::now().saturating_sub(plan.start);
    while !plan.cancel.is_cancelled() && !plan.stop.load(Ordering::Relaxed) {
        let task = plan.next.fetch_add(1, Ordering::Relaxed);
        if task >= plan.tasks {
            break;
        }
        let first = task * plan.chunksize;
        let items = first..(first + plan.chunksize).min(plan.numbers().len());
        let start = since_start();
        plan.mailbox.send(Message::Started(TaskStart {
            task,
            items: items.clone(),
            worker,
            at: start,
        }));
        let (values, outcome) = compute(plan.kernel, &plan.cancel, &plan.numbers()[items.clone()]);
        let (status, error) = match outcome {
            Ok(()) => (TaskStatus::Done, None),
            Err(Stop::Cancelled) => (TaskStatus::Cancelled, None),
            Err(Stop::Failed(error)) => {
                plan.stop.store(true, Ordering::Relaxed);
                let item = items.start + values.len();
                let error = TaskError {
                    task,
                    item,
                    input: plan.numbers()[item].clone(),
                    error,
                };
                (TaskStatus::Failed, Some(error))
            }
        };
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
        plan.mailbox.send(Message::Finished(finish));
    }
}
