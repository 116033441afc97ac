//! The Pool: `multiprocessing.Pool(processes=n)` as `n` workers on a rayon thread pool.
//!
//! Natively the pool owns its threads. In the browser there is one rayon pool of Web
//! Workers per WebAssembly instance (started by `initThreadPool`), and a [`Pool`] uses
//! `workers` of its threads. Either way a run starts exactly `workers` workers that take
//! tasks (chunks of consecutive items) from one queue in order, as Python's pool does,
//! so at most `workers` tasks run at once and the log reads like the tutorial's.

pub mod engine;
mod imap;
mod input;
pub(crate) mod panics;
mod plan;
mod report;
mod run;

pub use imap::{Imap, ImapUnordered};
pub use input::{Input, Items};
pub use plan::default_chunksize;
pub use report::{
    Chunk, Message, Report, Results, RunError, TaskError, TaskEvent, TaskFailure, TaskFinish,
    TaskStart, TaskStatus, Values,
};
pub use run::{Poll, Run};

use std::num::NonZeroUsize;

use crate::cancel::CancelToken;
use crate::kernel::Kernel;

/// Why a pool could not be made.
#[derive(Debug)]
pub enum PoolError {
    /// A pool needs at least one worker.
    NoWorkers,
    /// The threads could not be started (for example in a browser, where only
    /// `initThreadPool` can start them).
    Threads(rayon::ThreadPoolBuildError),
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolError::NoWorkers => f.write_str("a pool needs at least one worker"),
            PoolError::Threads(e) => write!(f, "could not start the worker threads: {e}"),
        }
    }
}

impl std::error::Error for PoolError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PoolError::NoWorkers => None,
            PoolError::Threads(e) => Some(e),
        }
    }
}

enum Threads {
    Own(rayon::ThreadPool),
    Global,
}

/// A pool of workers that maps a [`Kernel`] over numbers.
pub struct Pool {
    threads: Threads,
    workers: NonZeroUsize,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let threads = match self.threads {
            Threads::Own(_) => "own",
            Threads::Global => "global",
        };
        f.debug_struct("Pool")
            .field("workers", &self.workers)
            .field("threads", &threads)
            .finish()
    }
}

/// How a run is cut into tasks and how it can be stopped.
#[derive(Clone, Debug, Default)]
pub struct MapOptions {
    /// Items per task; `None` uses Python's default for the method.
    pub chunksize: Option<usize>,
    /// Cancels the run from another thread.
    pub cancel: CancelToken,
}

impl MapOptions {
    /// Options with this chunksize.
    pub fn chunksize(chunksize: usize) -> Self {
        MapOptions {
            chunksize: Some(chunksize),
            ..Self::default()
        }
    }
}

impl Pool {
    /// A pool with its own `workers` threads, like `multiprocessing.Pool(processes=workers)`.
    /// Zero workers are refused.
    ///
    /// ```
    /// use webpool::Pool;
    /// use webpool::pool::PoolError;
    ///
    /// let pool = Pool::new(2)?;
    /// assert_eq!(pool.workers(), 2);
    /// assert!(matches!(Pool::new(0), Err(PoolError::NoWorkers)));
    /// # Ok::<(), PoolError>(())
    /// ```
    pub fn new(workers: usize) -> Result<Pool, PoolError> {
        let workers = NonZeroUsize::new(workers).ok_or(PoolError::NoWorkers)?;
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(workers.get())
            .thread_name(|i| format!("webpool-worker-{i}"))
            .build()
            .map_err(PoolError::Threads)?;
        Ok(Pool {
            threads: Threads::Own(threads),
            workers,
        })
    }

    /// A pool of `workers` workers on rayon's global thread pool: in the browser, the Web
    /// Workers that `initThreadPool` started. With fewer threads than workers, the extra
    /// workers wait for a free thread.
    pub fn on_global(workers: usize) -> Result<Pool, PoolError> {
        let workers = NonZeroUsize::new(workers).ok_or(PoolError::NoWorkers)?;
        Ok(Pool {
            threads: Threads::Global,
            workers,
        })
    }

    /// How many workers it has.
    pub fn workers(&self) -> usize {
        self.workers.get()
    }

    /// Starts a run and returns at once; results and events arrive through the [`Run`].
    pub fn start(&self, kernel: Kernel, numbers: impl Input, options: MapOptions) -> Run {
        Run::start(
            kernel,
            Box::new(numbers),
            options,
            self.workers,
            |job| match &self.threads {
                Threads::Own(pool) => pool.spawn(job),
                Threads::Global => rayon::spawn(job),
            },
        )
    }

    /// `pool.map(kernel, numbers)`: every result, in input order, with the run's report.
    ///
    /// ```
    /// use webpool::number::{parse_numbers, python_list};
    /// use webpool::{Kernel, Op, Pool, RunError};
    ///
    /// // with multiprocessing.Pool(processes=2) as pool:
    /// let pool = Pool::new(2)?;
    /// // squares = pool.map(compute_square, numbers)
    /// let squares = pool.map(Kernel::new(Op::Square), parse_numbers("1..5")?)?;
    /// assert_eq!(python_list(squares.results.values()), "[1, 4, 9, 16, 25]");
    /// // Every task is in the report: which worker ran it, from when to when.
    /// assert_eq!(squares.events.iter().map(|e| e.done).sum::<usize>(), 5);
    ///
    /// // A failing item fails the run, naming it, and keeps what was computed.
    /// let Err(RunError::Task { error, report }) =
    ///     pool.map(Kernel::new(Op::Square), parse_numbers("2.5 1e200")?)
    /// else {
    ///     panic!("1e200 ** 2 overflows");
    /// };
    /// assert_eq!(error.item, 1);
    /// assert_eq!(python_list(report.results.values()), "[6.25]");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn map(&self, kernel: Kernel, numbers: impl Input) -> Result<Report, RunError> {
        self.map_with(kernel, numbers, MapOptions::default(), |_| {})
    }

    /// [`Pool::map`] with options, showing every message to `observe` as it arrives.
    pub fn map_with(
        &self,
        kernel: Kernel,
        numbers: impl Input,
        options: MapOptions,
        observe: impl FnMut(&Message),
    ) -> Result<Report, RunError> {
        self.start(kernel, numbers, options)
            .finish_observing(observe)
    }

    /// `pool.imap(kernel, numbers)`: results in input order, each as soon as it and all
    /// before it are ready. The default chunksize is 1, as in Python.
    ///
    /// ```
    /// use webpool::{Kernel, MapOptions, Number, Op, Pool};
    ///
    /// let pool = Pool::new(2)?;
    /// let numbers: Vec<Number> = (1..=4).map(Number::from).collect();
    /// let mut cubes = Vec::new();
    /// for cube in pool.imap(Kernel::new(Op::Cube), numbers, MapOptions::default()) {
    ///     cubes.push(cube?);
    /// }
    /// assert_eq!(cubes, [1, 8, 27, 64].map(Number::from));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn imap(&self, kernel: Kernel, numbers: impl Input, options: MapOptions) -> Imap {
        Imap::new(self.start(kernel, numbers, imap_options(options)))
    }

    /// `pool.imap_unordered(kernel, numbers)`: `(index, result)` in the order tasks finish.
    /// The default chunksize is 1, as in Python.
    ///
    /// ```
    /// use std::time::Duration;
    /// use webpool::{Kernel, MapOptions, Number, Op, Pool, Work};
    ///
    /// let pool = Pool::new(2)?;
    /// // Every task waits a little, like the tutorial's time.sleep: they finish in any order.
    /// let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(5)));
    /// let numbers: Vec<Number> = (1..=4).map(Number::from).collect();
    /// let mut squares: Vec<(usize, Number)> = pool
    ///     .imap_unordered(kernel, numbers, MapOptions::default())
    ///     .collect::<Result<_, _>>()?;
    /// squares.sort_by_key(|&(index, _)| index);
    /// assert_eq!(squares[3], (3, Number::from(16)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn imap_unordered(
        &self,
        kernel: Kernel,
        numbers: impl Input,
        options: MapOptions,
    ) -> ImapUnordered {
        ImapUnordered::new(self.start(kernel, numbers, imap_options(options)))
    }
}

fn imap_options(options: MapOptions) -> MapOptions {
    MapOptions {
        chunksize: Some(options.chunksize.unwrap_or(1)),
        ..options
    }
}
