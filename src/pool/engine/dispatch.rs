//! A run whose workers share no memory, as Python's processes do: the one who holds the
//! run hands each free worker its next task as bytes ([`super::wire`]), and the worker
//! answers with its results as bytes. The browser's "processes" backend drives this from
//! JavaScript, one single-threaded WebAssembly instance per Web Worker; the events,
//! results and report are the same as a [`super::Run`]'s.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;
use std::time::Duration;

use super::wire::{self, WireError};
use crate::pool::run::compute;
use crate::pool::{
    Collector, Input, MapOptions, Message, Poll, Report, RunError, TaskError, TaskEvent,
    TaskFinish, TaskStart, TaskStatus, Values,
};
use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::{Kernel, Op, Work};
use crate::number::Number;

/// Who is shown each message as it is made.
type Observer = Box<dyn FnMut(&Message)>;

/// A task handed to a worker and not yet answered.
struct Out {
    worker: usize,
    started: bool,
}

/// One run of a kernel over numbers on workers that are reached only by messages.
pub struct Dispatch {
    kernel: Kernel,
    numbers: Box<dyn Input>,
    chunksize: usize,
    tasks: usize,
    workers: usize,
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

impl Dispatch {
    /// A run of `kernel` over `numbers` on `workers` workers, cut into tasks as
    /// [`super::Pool::start`] cuts them.
    pub fn new(kernel: Kernel, numbers: impl Input, options: MapOptions, workers: usize) -> Self {
        let items = numbers.as_ref().len();
        let workers = workers.max(1);
        if let Work::Spin(_) = kernel.work {
            // Calibrated here, once, before the clock starts; the workers are told how many
            // slices to do, so that every process does the same work a thread would.
            crate::kernel::batches_per_second();
        }
        let chunksize = options
            .chunksize
            .unwrap_or_else(|| crate::pool::default_chunksize(items, workers))
            .max(1);
        Dispatch {
            kernel,
            numbers: Box::new(numbers),
            chunksize,
            tasks: items.div_ceil(chunksize),
            workers,
            next: 0,
            out: BTreeMap::new(),
            stop: false,
            cancel: options.cancel,
            start: clock::now(),
            messages: VecDeque::new(),
            last_answer: None,
            observer: None,
        }
    }

    /// Shows every message to `observe` as it is made (a lesson prints from it).
    pub fn observe(&mut self, observe: impl FnMut(&Message) + 'static) {
        self.observer = Some(Box::new(observe));
    }

    /// The kernel every task computes.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// The numbers the run was given.
    pub fn numbers(&self) -> &[Number] {
        (*self.numbers).as_ref()
    }

    /// How many items the run was given.
    pub fn items(&self) -> usize {
        self.numbers().len()
    }

    /// How many workers the run uses.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// How many tasks the run is cut into.
    pub fn tasks(&self) -> usize {
        self.tasks
    }

    /// When the run started, on the shared clock.
    pub fn started_at(&self) -> clock::Instant {
        self.start
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        clock::now().saturating_sub(self.start)
    }

    /// The run's cancel token.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// The items of `task`.
    pub fn items_of(&self, task: usize) -> Range<usize> {
        let first = task * self.chunksize;
        first..(first + self.chunksize).min(self.items())
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
        if self.next >= self.tasks || self.stop || self.cancel.is_cancelled() {
            return None;
        }
        let task = self.next;
        self.next += 1;
        self.out.insert(
            task,
            Out {
                worker,
                started: false,
            },
        );
        Some(task)
    }

    /// The bytes that carry `task`'s inputs to its worker.
    pub fn input(&self, task: usize) -> Vec<u8> {
        wire::encode(&self.numbers()[self.items_of(task)])
    }

    /// `task`'s worker says it started at `at` on the shared clock.
    pub fn started(&mut self, task: usize, at: clock::Instant) {
        if !self.out.contains_key(&task) {
            return;
        }
        let items = self.items_of(task);
        let Some(out) = self.out.get_mut(&task) else {
            return;
        };
        if out.started {
            return;
        }
        out.started = true;
        let message = Message::Started(TaskStart {
            task,
            items,
            worker: out.worker,
            at: at.saturating_sub(self.start),
        });
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
        let error = match status {
            TaskStatus::Done if values.len() != items.len() => {
                return Err(WireError("a task done without all its results"));
            }
            TaskStatus::Done | TaskStatus::Cancelled if values.len() > items.len() => {
                return Err(WireError("more results than the task has items"));
            }
            TaskStatus::Done | TaskStatus::Cancelled => None,
            TaskStatus::Failed => {
                if values.len() >= items.len() {
                    return Err(WireError("a failure past the task's items"));
                }
                let item = items.start + values.len();
                let input = self.numbers()[item].clone();
                // The failure is recomputed here rather than sent: the same arithmetic gives
                // the same error, and an answer that claims one where there is none is refused.
                let error = self
                    .kernel
                    .op
                    .apply(&input)
                    .err()
                    .ok_or(WireError("a failure on a number that does not fail"))?;
                Some(TaskError {
                    task,
                    item,
                    input,
                    error,
                })
            }
        };
        // A short task may answer without saying it started: one message instead of two.
        self.started(task, start);
        let Some(out) = self.out.remove(&task) else {
            unreachable!("checked above");
        };
        self.stop |= error.is_some();
        let event = TaskEvent {
            task,
            done: values.len(),
            items,
            worker: out.worker,
            start: start.saturating_sub(self.start),
            end: end.saturating_sub(self.start),
            status,
        };
        self.last_answer = Some(self.elapsed());
        self.send(Message::Finished(TaskFinish {
            event,
            values,
            error,
        }));
        Ok(())
    }

    /// Cancels the run: no more tasks are handed out; those out answer with what they did.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Whether no task is out and none will be handed out.
    pub fn is_over(&self) -> bool {
        self.out.is_empty() && (self.next >= self.tasks || self.stop || self.cancel.is_cancelled())
    }

    /// The next message if one is waiting.
    pub fn try_recv(&mut self) -> Poll {
        match self.messages.pop_front() {
            Some(message) => Poll::Message(message),
            None if self.is_over() => Poll::Done,
            None => Poll::Pending,
        }
    }

    /// A collector for this run's messages.
    pub fn collector(&self) -> Collector {
        Collector::new(self.items(), self.workers)
    }

    /// Ends a collection once [`Dispatch::try_recv`] has said the run is over. The wall
    /// time ends when the last answer arrived, so it counts the copying of the results.
    pub fn finish(&self, collector: Collector) -> Result<Report, RunError> {
        let wall = self.last_answer.unwrap_or_else(|| self.elapsed());
        collector.finish(wall, self.cancel.is_cancelled())
    }

    fn send(&mut self, message: Message) {
        if let Some(observe) = self.observer.as_mut() {
            observe(&message);
        }
        self.messages.push_back(message);
    }
}

/// A worker's side of one task: computes the items of a task received as bytes, one at a
/// time when there is simulated work (which its caller performs between items), and
/// answers with the results as bytes.
pub struct WorkerTask {
    op: Op,
    inputs: Vec<Number>,
    values: Values,
    failed: bool,
}

impl WorkerTask {
    /// The task whose inputs are `input`.
    pub fn new(op: Op, input: &[u8]) -> Result<Self, WireError> {
        Ok(WorkerTask {
            op,
            inputs: wire::decode(input)?.into_numbers(),
            values: Values::Ints(Vec::new()),
            failed: false,
        })
    }

    /// How many items the task has.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
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
        let (values, outcome) = compute(kernel, &CancelToken::new(), &self.inputs[from..to]);
        self.failed = outcome.is_err();
        self.values.append(values);
        self.done()
    }

    /// The results so far, as bytes.
    pub fn output(&self) -> Vec<u8> {
        wire::encode_values(&self.values)
    }
}
