//! What a run tells: task events on the shared clock, results in input order, and timings.

use std::ops::Range;
use std::time::Duration;

use crate::number::{ArithmeticError, I192, Number};

/// A task has started on a worker. Sent as it happens, so a log can show it live.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskStart {
    /// Index of the task (a chunk of consecutive items), from 0.
    pub task: usize,
    /// Indexes of the input items this task computes.
    pub items: Range<usize>,
    /// The pool worker running it, from 0.
    pub worker: usize,
    /// When it started, since the start of the run.
    pub at: Duration,
}

/// How a task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskStatus {
    /// Every item was computed.
    Done,
    /// The run was cancelled while (or before) this task ran; `done` items were computed.
    Cancelled,
    /// An item failed; the items before it were computed.
    Failed,
}

/// One task from start to end, for logs and timelines.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskEvent {
    /// Index of the task, from 0.
    pub task: usize,
    /// Indexes of the input items this task was given.
    pub items: Range<usize>,
    /// How many of those items were computed.
    pub done: usize,
    /// The pool worker that ran it, from 0.
    pub worker: usize,
    /// Start, since the start of the run.
    pub start: Duration,
    /// End, since the start of the run.
    pub end: Duration,
    /// How it ended.
    pub status: TaskStatus,
}

/// Why a task failed.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskFailure {
    /// The arithmetic failed on an input, as Python raises `OverflowError` (bad input).
    Arithmetic(ArithmeticError),
    /// The task panicked, with this message: a bug, not bad input. It fails the task and
    /// its run like an exception in a Python task; the pool goes on.
    Panicked(String),
    /// The worker running the task stopped without a word (it was terminated, or ran out
    /// of memory), for this reason: the run ends there, keeping what the other tasks did.
    Crashed(String),
}

impl std::fmt::Display for TaskFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TaskFailure::Arithmetic(e) => e.fmt(f),
            TaskFailure::Panicked(message) => write!(f, "panicked: {message}"),
            TaskFailure::Crashed(reason) => write!(f, "crashed: {reason}"),
        }
    }
}

impl std::error::Error for TaskFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TaskFailure::Arithmetic(e) => Some(e),
            TaskFailure::Panicked(_) | TaskFailure::Crashed(_) => None,
        }
    }
}

/// A task that failed, named as the caller knows it: the task, and the first of its items
/// without a result (the one whose arithmetic failed; for a panic, where the results
/// stop: in the browser a panicking worker loses the results of its task).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskError {
    /// The task.
    pub task: usize,
    /// Index of the item in the input.
    pub item: usize,
    /// The input number.
    pub input: Number,
    /// What went wrong.
    pub failure: TaskFailure,
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.failure {
            TaskFailure::Arithmetic(error) => write!(
                f,
                "task {} failed on item {} (input {}): {error}",
                self.task,
                self.item + 1,
                self.input,
            ),
            TaskFailure::Panicked(message) => {
                write!(f, "task {} panicked: {message}", self.task)
            }
            TaskFailure::Crashed(reason) => write!(f, "task {} was lost: {reason}", self.task),
        }
    }
}

impl std::error::Error for TaskError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.failure)
    }
}

/// A finished task: its event, the results it computed and, if one item failed, why.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskFinish {
    /// When, where and how it ran.
    pub event: TaskEvent,
    /// Results for `event.items.start ..` (as many as `event.done`).
    pub values: Values,
    /// The failure that ended it early, if any.
    pub error: Option<TaskError>,
}

/// What a running pool sends back, as it happens.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    /// A task started.
    Started(TaskStart),
    /// A task ended (done, cancelled or failed), with its results.
    Finished(TaskFinish),
}

/// The results of one task, in order, kept as compact as they allow: plain 64-bit integers
/// while every result is one (the common case), wider fixed-width integers while every
/// result fits one, and [`Number`]s only for the rest (floats, or integers past 192 bits).
///
/// The fixed widths cost nothing to free and no allocation per result. That matters beyond
/// memory: a `BigInt` result is two allocations, and in the threaded WebAssembly build all
/// workers allocate behind one lock, so boxed results made two workers slower than one.
/// A task moves to a wider variant once, when a result needs it, and never back.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// Every result is an integer that fits in 64 bits.
    Ints(Vec<i64>),
    /// Every result is an integer that fits in 128 bits (squares of 64-bit integers, cubes
    /// up to about 5.5·10^12).
    Wide(Vec<i128>),
    /// Every result is an integer that fits in 192 bits (every cube of a 64-bit integer).
    Wider(Vec<I192>),
    /// Any results.
    Numbers(Vec<Number>),
}

impl Default for Values {
    /// No results yet, as plain integers until one is not.
    fn default() -> Self {
        Values::Ints(Vec::new())
    }
}

impl Values {
    /// How many results there are.
    pub fn len(&self) -> usize {
        match self {
            Values::Ints(v) => v.len(),
            Values::Wide(v) => v.len(),
            Values::Wider(v) => v.len(),
            Values::Numbers(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The results in order.
    pub fn iter(&self) -> impl Iterator<Item = Number> + '_ {
        self.slice(0..self.len())
    }

    /// The results at positions `range` (clamped to what there is), in order. Wide
    /// integers become [`Number`]s here, one at a time, on the reader's thread.
    pub fn slice(&self, range: Range<usize>) -> impl Iterator<Item = Number> + '_ {
        let end = range.end.min(self.len());
        let range = range.start.min(end)..end;
        let (mut ints, mut wide, mut wider, mut numbers) = (&[][..], &[][..], &[][..], &[][..]);
        match self {
            Values::Ints(v) => ints = &v[range],
            Values::Wide(v) => wide = &v[range],
            Values::Wider(v) => wider = &v[range],
            Values::Numbers(v) => numbers = &v[range],
        }
        (ints.iter().map(|&v| Number::Int(v)))
            .chain(wide.iter().map(|&v| Number::from_i128(v)))
            .chain(wider.iter().map(|&v| Number::from(v)))
            .chain(numbers.iter().cloned())
    }

    /// Adds `more` after these, in the narrowest variant that holds both.
    pub fn append(&mut self, more: Values) {
        match (&mut *self, more) {
            (Values::Ints(a), Values::Ints(b)) => a.extend(b),
            (Values::Wide(a), Values::Ints(b)) => a.extend(b.into_iter().map(i128::from)),
            (Values::Wide(a), Values::Wide(b)) => a.extend(b),
            (Values::Wider(a), Values::Ints(b)) => a.extend(b.into_iter().map(I192::from)),
            (Values::Wider(a), Values::Wide(b)) => a.extend(b.into_iter().map(I192::from)),
            (Values::Wider(a), Values::Wider(b)) => a.extend(b),
            (Values::Numbers(a), more) => a.extend(more.into_numbers()),
            // These are narrower than `more`: widen them to its variant, then add.
            (_, more) => {
                match more {
                    Values::Ints(_) => {}
                    Values::Wide(_) => _ = self.wide_mut(),
                    Values::Wider(_) => _ = self.wider_mut(),
                    Values::Numbers(_) => _ = self.numbers_mut(),
                }
                self.append(more);
            }
        }
    }

    /// The results as a vector of `i128`s to add to, converting plain integers once;
    /// `None` when they are wider already.
    pub fn wide_mut(&mut self) -> Option<&mut Vec<i128>> {
        if let Values::Ints(ints) = self {
            *self = Values::Wide(std::mem::take(ints).into_iter().map(i128::from).collect());
        }
        match self {
            Values::Wide(wide) => Some(wide),
            _ => None,
        }
    }

    /// The results as a vector of [`I192`]s to add to, converting narrower integers once;
    /// `None` when they are [`Number`]s already.
    pub fn wider_mut(&mut self) -> Option<&mut Vec<I192>> {
        match self {
            Values::Ints(v) => {
                *self = Values::Wider(std::mem::take(v).into_iter().map(I192::from).collect());
            }
            Values::Wide(v) => {
                *self = Values::Wider(std::mem::take(v).into_iter().map(I192::from).collect());
            }
            Values::Wider(_) | Values::Numbers(_) => {}
        }
        match self {
            Values::Wider(wider) => Some(wider),
            _ => None,
        }
    }

    /// The results as a vector of [`Number`]s to add to, converting integers once.
    pub fn numbers_mut(&mut self) -> &mut Vec<Number> {
        if !matches!(self, Values::Numbers(_)) {
            *self = Values::Numbers(std::mem::take(self).into_numbers());
        }
        match self {
            Values::Numbers(numbers) => numbers,
            _ => unreachable!("converted above"),
        }
    }

    /// The results as [`Number`]s.
    pub fn into_numbers(self) -> Vec<Number> {
        match self {
            Values::Numbers(v) => v,
            values => values.iter().collect(),
        }
    }
}

/// Consecutive results starting at input index `first`.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// Input index of the first value.
    pub first: usize,
    /// The results.
    pub values: Values,
}

/// Results in input order, kept as the tasks produced them so that a large run is never
/// copied into one more vector; a cancelled run may have gaps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    chunks: Vec<Chunk>,
    len: usize,
}

impl Results {
    pub(crate) fn insert(&mut self, chunk: Chunk) {
        if chunk.values.is_empty() {
            return;
        }
        self.len += chunk.values.len();
        let at = self.chunks.partition_point(|c| c.first < chunk.first);
        self.chunks.insert(at, chunk);
    }

    /// How many results there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Each result with its input index, in input order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, Number)> + '_ {
        self.chunks
            .iter()
            .flat_map(|c| c.values.iter().enumerate().map(|(i, v)| (c.first + i, v)))
    }

    /// The results whose input index lies in `range`, with their indexes, in input order.
    pub fn range(&self, range: Range<usize>) -> impl Iterator<Item = (usize, Number)> + '_ {
        let first = self
            .chunks
            .partition_point(|c| c.first + c.values.len() <= range.start);
        self.chunks[first..]
            .iter()
            .take_while(move |c| c.first < range.end)
            .flat_map(move |c| {
                let from = range.start.saturating_sub(c.first);
                let to = range.end.saturating_sub(c.first);
                (c.first + from..).zip(c.values.slice(from..to))
            })
    }

    /// The results in input order, without their indexes.
    pub fn values(&self) -> impl Iterator<Item = Number> + '_ {
        self.chunks.iter().flat_map(|c| c.values.iter())
    }

    /// The chunks, in input order.
    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// All results in one vector, in input order.
    pub fn to_vec(&self) -> Vec<Number> {
        self.values().collect()
    }
}

/// Everything a finished run can tell.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Results in input order (all of them, unless the run was cancelled or failed).
    pub results: Results,
    /// Every task, in the order they ended.
    pub events: Vec<TaskEvent>,
    /// How many items the run was given.
    pub items: usize,
    /// How many workers the pool had.
    pub workers: usize,
    /// From the start of the run until its last task ended.
    pub wall: Duration,
    /// For each worker, the time it spent inside tasks.
    pub busy: Vec<Duration>,
}

impl Report {
    /// Whether every item has a result.
    pub fn is_complete(&self) -> bool {
        self.results.len() == self.items
    }
}

/// Why a run returned without all its results. Each variant keeps the partial report, so
/// nothing computed is lost.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// The run was cancelled.
    Cancelled(Box<Report>),
    /// A task failed; the run stopped handing out new tasks.
    Task {
        /// The first failure.
        error: TaskError,
        /// What had been computed.
        report: Box<Report>,
    },
}

impl RunError {
    /// The partial report.
    pub fn report(&self) -> &Report {
        match self {
            RunError::Cancelled(report) | RunError::Task { report, .. } => report,
        }
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Cancelled(report) => write!(
                f,
                "cancelled after {} of {} results",
                report.results.len(),
                report.items
            ),
            RunError::Task { error, .. } => error.fmt(f),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Cancelled(_) => None,
            RunError::Task { error, .. } => Some(error),
        }
    }
}
