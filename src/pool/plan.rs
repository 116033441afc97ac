//! How a run is cut into tasks, how a task computes, and how its start, end and failure
//! are told: written once for both kinds of run, a threaded [`super::Run`] and a
//! message-passing [`super::engine::Dispatch`], so that they cut, compute and report alike.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::time::Duration;

use super::report::{
    Message, TaskError, TaskEvent, TaskFailure, TaskFinish, TaskStart, TaskStatus, Values,
};
use super::{Input, Items};
use crate::cancel::CancelToken;
use crate::kernel::{Kernel, Work};
use crate::number::Number;

/// Python's default chunksize for `Pool.map`: the items split into about four tasks per
/// worker, `ceil(len / (4 * workers))`.
///
/// ```
/// use webpool::pool::default_chunksize;
///
/// assert_eq!(default_chunksize(100, 2), 13); // 100 / 8, rounded up
/// assert_eq!(default_chunksize(3, 4), 1); // never less than one item per task
/// ```
pub fn default_chunksize(items: usize, workers: usize) -> usize {
    items.div_ceil(4 * workers.max(1)).max(1)
}

/// One run's kernel, numbers and tasks.
pub(crate) struct TaskPlan {
    kernel: Kernel,
    numbers: Box<dyn Input>,
    chunksize: usize,
    tasks: usize,
    workers: usize,
}

/// Why a task stopped before its last item.
pub(crate) enum Stop {
    Cancelled,
    Failed(TaskFailure),
}

/// Items between two looks at the cancel flag when there is no simulated work: enough that
/// the look costs nothing, few enough (microseconds) that a cancel is still prompt.
const CANCEL_CHECK_EVERY: usize = 4096;

impl TaskPlan {
    /// Cuts `numbers` into tasks of `chunksize` items (`None`: Python's default for
    /// `workers` workers).
    pub(crate) fn new(
        kernel: Kernel,
        numbers: Box<dyn Input>,
        chunksize: Option<usize>,
        workers: NonZeroUsize,
    ) -> TaskPlan {
        let workers = workers.get();
        let items = numbers.items().len();
        if let Work::Spin(_) = kernel.work {
            // Calibrated once, before any run's clock starts, so that the first spinning run
            // is not slower; a process is told how many slices to do, so every backend
            // computes what a thread would.
            crate::kernel::batches_per_second();
        }
        let chunksize = chunksize
            .unwrap_or_else(|| default_chunksize(items, workers))
            .max(1);
        TaskPlan {
            kernel,
            numbers,
            chunksize,
            tasks: items.div_ceil(chunksize),
            workers,
        }
    }

    pub(crate) fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// The numbers the run was given.
    pub(crate) fn inputs(&self) -> Items<'_> {
        self.numbers.items()
    }

    pub(crate) fn items(&self) -> usize {
        self.inputs().len()
    }

    pub(crate) fn workers(&self) -> usize {
        self.workers
    }

    pub(crate) fn tasks(&self) -> usize {
        self.tasks
    }

    /// The input indexes of `task`.
    pub(crate) fn items_of(&self, task: usize) -> Range<usize> {
        let first = task * self.chunksize;
        first..(first + self.chunksize).min(self.items())
    }

    /// `task` started on `worker` at `at` since the run's start.
    pub(crate) fn started(&self, task: usize, worker: usize, at: Duration) -> Message {
        Message::Started(TaskStart {
            task,
            items: self.items_of(task),
            worker,
            at,
        })
    }

    /// `task` ran on `worker` from `start` to `end` (since the run's start), computed
    /// `values` and ended as `outcome` says. A failure is blamed on the first item without
    /// a result.
    pub(crate) fn finished(
        &self,
        task: usize,
        worker: usize,
        (start, end): (Duration, Duration),
        values: Values,
        outcome: Result<(), Stop>,
    ) -> Message {
        let items = self.items_of(task);
        let (status, error) = match outcome {
            Ok(()) => (TaskStatus::Done, None),
            Err(Stop::Cancelled) => (TaskStatus::Cancelled, None),
            Err(Stop::Failed(failure)) => {
                let item = (items.start + values.len()).min(items.end.saturating_sub(1));
                let error = TaskError {
                    task,
                    item,
                    input: self.inputs().number(item),
                    failure,
                };
                (TaskStatus::Failed, Some(error))
            }
        };
        Message::Finished(TaskFinish {
            event: TaskEvent {
                task,
                done: values.len(),
                items,
                worker,
                start,
                end,
                status,
            },
            values,
            error,
        })
    }
}

/// Computes `inputs` in order after the `values` already there, until the end, a cancel
/// or a failure. The results stay in `values` whatever happens, even a panic, so that
/// nothing computed is lost.
pub(crate) fn compute(
    kernel: Kernel,
    cancel: &CancelToken,
    inputs: Items<'_>,
    values: &mut Values,
) -> Result<(), Stop> {
    // One loop for each form of input, each compiled for it: over packed integers a kernel
    // never asks which kind of number comes next.
    match inputs {
        Items::Ints(ints) => compute_each(kernel, cancel, ints, values),
        Items::Numbers(numbers) => compute_each(kernel, cancel, numbers, values),
    }
}

/// An input as a kernel takes it.
trait Item {
    /// Calls `f` with this input as a [`Number`].
    fn with<R>(&self, f: impl FnOnce(&Number) -> R) -> R;
}

impl Item for Number {
    #[inline(always)]
    fn with<R>(&self, f: impl FnOnce(&Number) -> R) -> R {
        f(self)
    }
}

impl Item for i64 {
    /// A `Number::Int` made on the spot, which the compiler sees through: the kernel's
    /// match on the kind of number folds away.
    #[inline(always)]
    fn with<R>(&self, f: impl FnOnce(&Number) -> R) -> R {
        f(&Number::Int(*self))
    }
}

fn compute_each<I: Item>(
    kernel: Kernel,
    cancel: &CancelToken,
    inputs: &[I],
    values: &mut Values,
) -> Result<(), Stop> {
    let op = kernel.op;
    if kernel.work == Work::None {
        // The hot paths of large runs: 64-bit integers in, and results in 64, then 128,
        // then 192 bits, none of which allocates (on the threaded WebAssembly build every
        // allocation takes one global lock, which made two workers slower than one). Each
        // form is taken only if the next result fits it, so that a task reserves and
        // widens its results once, for the form they need.
        let next = |values: &Values| inputs.get(values.len());
        if op.is_costly() {
            // Real computation, milliseconds an item at most: a look at the cancel flag
            // before each item costs nothing beside it, and keeps a cancel prompt.
            if next(values).is_some_and(|x| x.with(|x| op.has_small(x)))
                && let Values::Ints(ints) = values
            {
                push_while::<1, _, _>(ints, inputs, cancel, |x| op.apply_small(x))?;
            }
        } else if next(values).is_some_and(|x| x.with(|x| op.has_small(x)))
            && let Values::Ints(ints) = values
        {
            push_while::<CANCEL_CHECK_EVERY, _, _>(ints, inputs, cancel, |x| op.apply_small(x))?;
        }
        if next(values).is_some_and(|x| x.with(|x| op.apply_wide(x).is_some()))
            && let Some(wide) = values.wide_mut()
        {
            push_while::<CANCEL_CHECK_EVERY, _, _>(wide, inputs, cancel, |x| op.apply_wide(x))?;
        }
        if next(values).is_some_and(|x| x.with(|x| op.apply_wider(x).is_some()))
            && let Some(wider) = values.wider_mut()
        {
            push_while::<CANCEL_CHECK_EVERY, _, _>(wider, inputs, cancel, |x| op.apply_wider(x))?;
        }
    }
    let from = values.len();
    if from == inputs.len() {
        return Ok(());
    }
    let numbers = values.numbers_mut();
    numbers.reserve(inputs.len() - from);
    for (i, input) in inputs.iter().enumerate().skip(from) {
        let go_on = match kernel.work {
            Work::None => i % CANCEL_CHECK_EVERY != 0 || !cancel.is_cancelled(),
            work => work.perform(cancel),
        };
        if !go_on {
            return Err(Stop::Cancelled);
        }
        match input.with(|x| op.apply(x)) {
            Ok(value) => numbers.push(value),
            Err(error) => return Err(Stop::Failed(TaskFailure::Arithmetic(error))),
        }
    }
    Ok(())
}

/// Adds `apply`'s result for each input after those in `out`, until one is `None` (it
/// needs a wider form) or the run is cancelled, looking at the cancel flag every `EVERY`
/// items. A plain loop, inlined into each caller: a `?` or a nested loop inside it made
/// WebAssembly twice as slow.
#[inline(always)]
fn push_while<const EVERY: usize, I: Item, T>(
    out: &mut Vec<T>,
    inputs: &[I],
    cancel: &CancelToken,
    apply: impl Fn(&Number) -> Option<T>,
) -> Result<(), Stop> {
    let from = out.len();
    out.reserve(inputs.len() - from);
    for (i, input) in inputs.iter().enumerate().skip(from) {
        if i % EVERY == 0 && cancel.is_cancelled() {
            return Err(Stop::Cancelled);
        }
        match input.with(&apply) {
            Some(value) => out.push(value),
            None => break,
        }
    }
    Ok(())
}
