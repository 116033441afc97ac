//! One run of a kernel over numbers on threads: workers take tasks from a shared queue in
//! order, as Python's `Pool` hands out chunks, and report each task as it starts and ends.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::engine::{Collector, Driven};
use super::panics;
use super::plan::{Stop, TaskPlan, compute};
use super::report::{Message, Report, RunError, TaskFailure, Values};
use super::{Input, Items, MapOptions};
use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::Kernel;

/// What every worker of one run shares.
struct Shared {
    plan: TaskPlan,
    /// The queue: the next task index to hand out.
    next: AtomicUsize,
    /// Set when a task fails or nobody holds the [`Run`] any more: hand out no more tasks.
    stop: AtomicBool,
    cancel: CancelToken,
    start: clock::Instant,
    mailbox: Mailbox,
}

impl Shared {
    fn since_start(&self) -> Duration {
        clock::now() - self.start
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
    messages: std::collections::VecDeque<Message>,
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

    /// A worker will send no more.
    fn leave(&self) {
        self.lock().working -= 1;
        self.ready.notify_all();
    }
}

/// Counts a worker out when it stops, so that the run still ends.
struct Working<'a>(&'a Mailbox);

impl Drop for Working<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}

/// A run in progress on a [`super::Pool`]'s threads. Messages arrive as tasks start and
/// end; the run is over when every worker has stopped, which [`Run::recv`] reports as
/// `None`. Dropping it stops the workers after their current task.
///
/// ```
/// use webpool::pool::Message;
/// use webpool::{Kernel, MapOptions, Number, Op, Pool};
///
/// let pool = Pool::new(2)?;
/// let numbers: Vec<Number> = (1..=4).map(Number::from).collect();
/// let run = pool.start(Kernel::new(Op::Square), numbers, MapOptions::chunksize(1));
/// let mut started = 0;
/// let report = run.finish_observing(|message| {
///     if let Message::Started(task) = message {
///         started += 1;
///         assert!(task.worker < 2);
///     }
/// })?;
/// assert_eq!(started, 4);
/// assert_eq!(report.results.to_vec(), [1, 4, 9, 16].map(Number::from));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Run {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("items", &self.items())
            .field("workers", &self.workers())
            .field("tasks", &self.shared.plan.tasks())
            .finish_non_exhaustive()
    }
}

/// The answer of [`Driven::try_recv`].
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
        options: MapOptions,
        workers: NonZeroUsize,
        spawn: impl Fn(Box<dyn FnOnce() + Send>),
    ) -> Run {
        let plan = TaskPlan::new(kernel, numbers, options.chunksize, workers);
        let started = plan.workers().min(plan.tasks());
        let shared = Arc::new(Shared {
            plan,
            next: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            cancel: options.cancel,
            start: clock::now(),
            mailbox: Mailbox::default(),
        });
        shared.mailbox.lock().working = started;
        for worker in 0..started {
            let shared = Arc::clone(&shared);
            spawn(Box::new(move || {
                let _working = Working(&shared.mailbox);
                work(&shared, worker);
            }));
        }
        Run { shared }
    }

    /// A handle that cancels this run from anywhere.
    pub fn cancel_token(&self) -> CancelToken {
        self.shared.cancel.clone()
    }

    /// The numbers the run was given.
    pub fn inputs(&self) -> Items<'_> {
        self.shared.plan.inputs()
    }

    /// Hands out no more tasks; those running end as they would. Unlike a cancel, this
    /// leaves the caller's [`CancelToken`] alone, which other runs may share.
    pub(super) fn stop(&self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }

    /// Waits for the next message; `None` once the run is over.
    pub fn recv(&self) -> Option<Message> {
        let mailbox = &self.shared.mailbox;
        let mut state = mailbox.lock();
        loop {
            if let Some(message) = state.messages.pop_front() {
                return Some(message);
            }
            if state.working == 0 {
                return None;
            }
            state = mailbox.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Waits until a message is waiting or the run is over, but no longer than `timeout`
    /// (it may return sooner). For the browser's engine, which polls between its own events.
    pub fn wait(&self, timeout: Duration) {
        let mailbox = &self.shared.mailbox;
        let state = mailbox.lock();
        if state.messages.is_empty() && state.working > 0 {
            drop(mailbox.ready.wait_timeout(state, timeout));
        }
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

impl Driven for Run {
    fn try_recv(&mut self) -> Poll {
        let mut state = self.shared.mailbox.lock();
        match state.messages.pop_front() {
            Some(message) => Poll::Message(message),
            None if state.working == 0 => Poll::Done,
            None => Poll::Pending,
        }
    }

    fn items(&self) -> usize {
        self.shared.plan.items()
    }

    fn workers(&self) -> usize {
        self.shared.plan.workers()
    }

    fn started_at(&self) -> clock::Instant {
        self.shared.start
    }

    fn elapsed(&self) -> Duration {
        self.shared.since_start()
    }

    fn cancel(&self) {
        self.shared.cancel.cancel();
    }

    fn finish(&self, collector: Collector) -> Result<Report, RunError> {
        collector.finish(self.elapsed(), self.shared.cancel.is_cancelled())
    }

    fn with_inputs<R>(&self, f: impl FnOnce(Items<'_>) -> R) -> R {
        f(self.inputs())
    }
}

impl Drop for Run {
    /// Nobody can take the results any more: the workers stop after their current task.
    fn drop(&mut self) {
        self.stop();
    }
}

/// One worker: takes the next task from the queue until it is empty, cancelled or stopped.
fn work(shared: &Arc<Shared>, worker: usize) {
    let plan = &shared.plan;
    while !shared.cancel.is_cancelled() && !shared.stop.load(Ordering::Relaxed) {
        let task = shared.next.fetch_add(1, Ordering::Relaxed);
        if task >= plan.tasks() {
            break;
        }
        let start = shared.since_start();
        shared.mailbox.send(plan.started(task, worker, start));
        let mut values = Values::default();
        let dying = {
            let shared = Arc::clone(shared);
            move |message| {
                // This thread dies with its task (WebAssembly cannot unwind): end the task
                // and count the worker out here, or the run would wait for it forever.
                shared.stop.store(true, Ordering::Relaxed);
                let end = shared.since_start();
                let failure = Err(Stop::Failed(TaskFailure::Panicked(message)));
                let finished =
                    shared
                        .plan
                        .finished(task, worker, (start, end), Values::default(), failure);
                shared.mailbox.send(finished);
                shared.mailbox.leave();
            }
        };
        let inputs = plan.inputs().slice(plan.items_of(task));
        let outcome = panics::catching(
            || compute(plan.kernel(), &shared.cancel, inputs, &mut values),
            dying,
        )
        .unwrap_or_else(|message| Err(Stop::Failed(TaskFailure::Panicked(message))));
        if let Err(Stop::Failed(_)) = outcome {
            shared.stop.store(true, Ordering::Relaxed);
        }
        let end = shared.since_start();
        shared
            .mailbox
            .send(plan.finished(task, worker, (start, end), values, outcome));
    }
}
