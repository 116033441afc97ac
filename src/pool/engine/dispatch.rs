//! A run whose workers share no memory, as Python's processes do: the one who holds the
//! run hands each free worker its next task as bytes ([`super::wire`]), and the worker
//! answers with its results as bytes. The browser's "processes" backend drives this from
//! JavaScript, one single-threaded WebAssembly instance per Web Worker; the events,
//! results and report are the same as a [`super::Run`]'s.

use std::collections::{BTreeMap, VecDeque};
use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::Mutex;
use std::time::Duration;

use super::wire::{self, WireError};
use super::{Collector, Driven};
use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::{Kernel, Op, Work};
use crate::pool::panics;
use crate::pool::plan::{Stop, TaskPlan, compute};
use crate::pool::{
    Input, Items, MapOptions, Message, Poll, PoolError, Report, RunError, TaskFailure, TaskStatus,
    Values,
};

/// Who is shown each message as it is made, with the run's start on the shared clock
/// (which the message's times count from).
type Observer = Box<dyn FnMut(clock::Instant, &Message)>;

/// A task handed to a worker and not yet answered.
struct Out {
    worker: usize,
    /// When its worker said it started, if it has.
    started: Option<clock::Instant>,
}

/// One run of a kernel over numbers on workers that are reached only by messages.
///
/// ```
/// use webpool::clock;
/// use webpool::pool::engine::{Dispatch, Driven, WorkerTask};
/// use webpool::pool::{Poll, TaskStatus};
/// use webpool::{Kernel, MapOptions, Number, Op};
///
/// let numbers: Vec<Number> = (1..=3).map(Number::from).collect();
/// let mut run = Dispatch::new(Kernel::new(Op::Cube), numbers, MapOptions::chunksize(2), 1)?;
/// // The host hands worker 0 its tasks as bytes, and tells the run each answer.
/// while let Some(task) = run.next_task(0) {
///     let mut work = WorkerTask::new(Op::Cube, &run.input(task))?;
///     work.compute(usize::MAX);
///     let now = clock::now();
///     run.finished(task, now, now, TaskStatus::Done, &work.output())?;
/// }
/// let mut collector = run.collector();
/// while let Poll::Message(message) = run.try_recv() {
///     collector.push(message);
/// }
/// let report = run.finish(collector)?;
/// assert_eq!(report.results.to_vec(), [1, 8, 27].map(Number::from));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Dispatch {
    plan: TaskPlan,
    /// The next task to hand out.
    next: usize,
    out: BTreeMap<usize, Out>,
    /// Set when a task fails: hand out no more.
    stop: bool,
    cancel: CancelToken,
    start: clock::Instant,
    messages: VecDeque<Message>,
    /// When the last answer arrived, since the start.
    last_answer: Option<Duration>,
    observer: Option<Observer>,
}

impl std::fmt::Debug for Dispatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatch")
            .field("items", &self.plan.items())
            .field("workers", &self.plan.workers())
            .field("tasks", &self.plan.tasks())
            .field("next", &self.next)
            .field("out", &self.out.len())
            .finish_non_exhaustive()
    }
}

impl Dispatch {
    /// A run of `kernel` over `numbers` on `workers` workers, cut into tasks as
    /// [`crate::Pool::start`] cuts them. Zero workers are refused, as by [`crate::Pool::new`].
    pub fn new(
        kernel: Kernel,
        numbers: impl Input,
        options: MapOptions,
        workers: usize,
    ) -> Result<Self, PoolError> {
        let workers = NonZeroUsize::new(workers).ok_or(PoolError::NoWorkers)?;
        Ok(Dispatch {
            plan: TaskPlan::new(kernel, Box::new(numbers), options.chunksize, workers),
            next: 0,
            out: BTreeMap::new(),
            stop: false,
            cancel: options.cancel,
            start: clock::now(),
            messages: VecDeque::new(),
            last_answer: None,
            observer: None,
        })
    }

    /// Shows every message to `observe` as it is made, with the run's start on the shared
    /// clock: a message's times count from it, and it moves once if
    /// [`Dispatch::restart_clock`] is called.
    pub fn observe(&mut self, observe: impl FnMut(clock::Instant, &Message) + 'static) {
        self.observer = Some(Box::new(observe));
    }

    /// The kernel every task computes.
    pub fn kernel(&self) -> Kernel {
        self.plan.kernel()
    }

    /// The numbers the run was given.
    pub fn inputs(&self) -> Items<'_> {
        self.plan.inputs()
    }

    /// How many tasks the run is cut into.
    pub fn tasks(&self) -> usize {
        self.plan.tasks()
    }

    /// The run's cancel token.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// The items of `task`.
    pub fn items_of(&self, task: usize) -> Range<usize> {
        self.plan.items_of(task)
    }

    /// Starts the run's clock again, for a run whose workers had to start first (as
    /// Python's `Pool()` starts its processes before `map`). Only before the first task.
    pub fn restart_clock(&mut self) {
        if self.next == 0 {
            self.start = clock::now();
        }
    }

    /// The next task for `worker`, unless every task is out, the run is cancelled or a task
    /// failed.
    pub fn next_task(&mut self, worker: usize) -> Option<usize> {
        if self.next >= self.plan.tasks() || self.stop || self.cancel.is_cancelled() {
            return None;
        }
        let task = self.next;
        self.next += 1;
        self.out.insert(
            task,
            Out {
                worker,
                started: None,
            },
        );
        Some(task)
    }

    /// The bytes that carry `task`'s inputs to its worker.
    pub fn input(&self, task: usize) -> Vec<u8> {
        wire::encode_items(self.inputs().slice(self.items_of(task)))
    }

    /// `task`'s worker says it started at `at` on the shared clock.
    pub fn started(&mut self, task: usize, at: clock::Instant) {
        let Some(out) = self.out.get_mut(&task) else {
            return;
        };
        if out.started.is_some() {
            return;
        }
        out.started = Some(at);
        let message = self.plan.started(task, out.worker, at - self.start);
        self.send(message);
    }

    /// `task`'s worker answers: it ran from `start` to `end` (shared clock), ended with
    /// `status`, and `output` holds the results it computed, in order.
    pub fn finished(
        &mut self,
        task: usize,
        start: clock::Instant,
        end: clock::Instant,
        status: TaskStatus,
        output: &[u8],
    ) -> Result<(), WireError> {
        // Everything is checked before anything changes: a refused answer leaves the run
        // as it was.
        if !self.out.contains_key(&task) {
            return Err(WireError("an answer to no task given"));
        }
        let values = wire::decode(output)?;
        let items = self.items_of(task);
        let outcome = match status {
            TaskStatus::Done if values.len() != items.len() => {
                return Err(WireError("a task done without all its results"));
            }
            TaskStatus::Done | TaskStatus::Cancelled if values.len() > items.len() => {
                return Err(WireError("more results than the task has items"));
            }
            TaskStatus::Done => Ok(()),
            TaskStatus::Cancelled => Err(Stop::Cancelled),
            TaskStatus::Failed => {
                if values.len() >= items.len() {
                    return Err(WireError("a failure past the task's items"));
                }
                if self.kernel().op == Op::Panic {
                    // Its workers trap; recomputing here would take the engine down too.
                    return Err(WireError("an arithmetic failure of a kernel that panics"));
                }
                // The failure is recomputed here rather than sent: the same arithmetic gives
                // the same error, and an answer that claims one where there is none is refused.
                let error = self
                    .kernel()
                    .op
                    .apply(&self.inputs().number(items.start + values.len()))
                    .err()
                    .ok_or(WireError("a failure on a number that does not fail"))?;
                Err(Stop::Failed(TaskFailure::Arithmetic(error)))
            }
        };
        // A short task may answer without saying it started: one message instead of two.
        self.started(task, start);
        self.end(task, (start, end), values, outcome);
        Ok(())
    }

    /// `worker` is gone (in the browser: its instance trapped on a panic, or its Web Worker
    /// stopped): the task it was computing, its first one out, fails with `failure`, and the
    /// others queued on it end without results. No task is handed out after that.
    pub fn lost(&mut self, worker: usize, failure: TaskFailure) {
        let now = clock::now();
        let mut tasks = (self.out.iter())
            .filter(|(_, out)| out.worker == worker)
            .map(|(&task, _)| task)
            .collect::<Vec<_>>()
            .into_iter();
        let Some(running) = tasks.next() else {
            return;
        };
        // It ran from when it said it started (if it did) until now.
        self.started(running, now);
        let start = self
            .out
            .get(&running)
            .and_then(|out| out.started)
            .unwrap_or(now);
        let failed = Err(Stop::Failed(failure));
        self.end(running, (start, now), Values::default(), failed);
        for task in tasks {
            self.end(task, (now, now), Values::default(), Err(Stop::Cancelled));
        }
    }

    /// Takes `task` out and tells its end.
    fn end(
        &mut self,
        task: usize,
        (start, end): (clock::Instant, clock::Instant),
        values: Values,
        outcome: Result<(), Stop>,
    ) {
        let Some(out) = self.out.remove(&task) else {
            return;
        };
        self.stop |= matches!(outcome, Err(Stop::Failed(_)));
        let span = (start - self.start, end - self.start);
        self.last_answer = Some(self.elapsed());
        let message = self.plan.finished(task, out.worker, span, values, outcome);
        self.send(message);
    }

    /// Whether no task is out and none will be handed out.
    pub fn is_over(&self) -> bool {
        self.out.is_empty()
            && (self.next >= self.plan.tasks() || self.stop || self.cancel.is_cancelled())
    }

    fn send(&mut self, message: Message) {
        if let Some(observe) = self.observer.as_mut() {
            observe(self.start, &message);
        }
        self.messages.push_back(message);
    }
}

impl Driven for Dispatch {
    fn try_recv(&mut self) -> Poll {
        match self.messages.pop_front() {
            Some(message) => Poll::Message(message),
            None if self.is_over() => Poll::Done,
            None => Poll::Pending,
        }
    }

    fn items(&self) -> usize {
        self.plan.items()
    }

    fn workers(&self) -> usize {
        self.plan.workers()
    }

    fn started_at(&self) -> clock::Instant {
        self.start
    }

    fn elapsed(&self) -> Duration {
        clock::now() - self.start
    }

    /// Cancels the run: no more tasks are handed out; those out answer with what they did.
    fn cancel(&self) {
        self.cancel.cancel();
    }

    /// The wall time ends when the last answer arrived, so it counts the copying of the
    /// results.
    fn finish(&self, collector: Collector) -> Result<Report, RunError> {
        let wall = self.last_answer.unwrap_or_else(|| self.elapsed());
        collector.finish(wall, self.cancel.is_cancelled())
    }

    fn with_inputs<R>(&self, f: impl FnOnce(Items<'_>) -> R) -> R {
        f(self.inputs())
    }
}

/// Why the last task that panicked in this instance did.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// A worker's side of one task: computes the items of a task received as bytes, one at a
/// time when there is simulated work (which its caller performs between items), and
/// answers with the results as bytes.
#[derive(Debug)]
pub struct WorkerTask {
    op: Op,
    inputs: Box<dyn Input>,
    values: Values,
    failed: bool,
}

impl WorkerTask {
    /// The task whose inputs are `input`.
    pub fn new(op: Op, input: &[u8]) -> Result<Self, WireError> {
        Ok(WorkerTask {
            op,
            // Plain integers stay packed, as they came.
            inputs: match wire::decode(input)? {
                Values::Ints(ints) => Box::new(ints),
                values => Box::new(values.into_numbers()),
            },
            values: Values::default(),
            failed: false,
        })
    }

    /// How many items the task has.
    pub fn len(&self) -> usize {
        self.inputs.items().len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.inputs.items().is_empty()
    }

    /// How many items are computed.
    pub fn done(&self) -> usize {
        self.values.len()
    }

    /// Whether an item failed (then nothing more is computed).
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Computes up to `max` more items; returns how many are computed in all.
    pub fn compute(&mut self, max: usize) -> usize {
        let from = self.done();
        let to = from + max.min(self.len() - from);
        if self.failed || from >= to {
            return from;
        }
        let kernel = Kernel::new(self.op).with_work(Work::None);
        let (inputs, values) = (self.inputs.items().slice(0..to), &mut self.values);
        let outcome = panics::catching(
            || compute(kernel, &CancelToken::new(), inputs, values),
            |message| *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(message),
        );
        // A panic that unwinds (natively) fails the task like an arithmetic error would;
        // in the browser the instance traps instead, and the host asks for the message.
        self.failed = !matches!(outcome, Ok(Ok(())));
        self.done()
    }

    /// The message of the panic that ended this instance's last task, if one did: in the
    /// browser a panic traps the worker's instance, and its host reads why from here.
    pub fn last_panic() -> Option<String> {
        LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The results so far, as bytes.
    pub fn output(&self) -> Vec<u8> {
        wire::encode_values(&self.values)
    }
}
