//! What a lesson runs with: where its lines go, how fast time passes, how to make pools
//! and processes.
//!
//! Lessons are `async` so that the same code runs where a lesson may block (natively, and
//! on the threaded WebAssembly build, where it runs on a worker of its own and every
//! `.await` is ready at once) and where it may not: the browser's processes backend, whose
//! single-threaded instance waits for other Web Workers' messages by awaiting promises.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::Kernel;
use crate::number::Number;
use crate::pool::{MapOptions, Message, PoolError, Report, RunError};
use crate::process::ProcessDied;

use super::Target;
use super::backend::{Backend, BackendPool, LessonProcess};

/// Something a lesson shows.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputEvent {
    /// A printed line, and when it was printed on the shared clock.
    Print {
        /// The line, without its newline.
        text: String,
        /// When it was printed.
        at: clock::Instant,
    },
    /// A task of one of the lesson's pool runs started or ended.
    Task {
        /// Which of the lesson's pool runs, from 0.
        run: usize,
        /// When that run started on the shared clock (the message's times count from it).
        started: clock::Instant,
        /// The task's start or end.
        message: Message,
    },
}

/// Where a lesson's lines go. Cheap to clone and usable from any worker, as Python's
/// `print` is from any process.
#[derive(Clone)]
pub struct Output(Arc<dyn Fn(OutputEvent) + Send + Sync>);

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Output")
    }
}

impl Output {
    /// Sends every event to `sink`.
    pub fn new(sink: impl Fn(OutputEvent) + Send + Sync + 'static) -> Self {
        Output(Arc::new(sink))
    }

    /// Prints one line.
    pub fn print(&self, text: impl Into<String>) {
        self.print_at(text, clock::now());
    }

    /// Prints a line that was printed at `at` on the shared clock (by another process).
    pub fn print_at(&self, text: impl Into<String>, at: clock::Instant) {
        (self.0)(OutputEvent::Print {
            text: text.into(),
            at,
        });
    }

    fn task(&self, run: usize, started: clock::Instant, message: &Message) {
        (self.0)(OutputEvent::Task {
            run,
            started,
            message: message.clone(),
        });
    }
}

/// `multiprocessing.Pool(processes=n)` as a lesson has it: made by [`Context::pool`].
pub struct Pool(Box<dyn BackendPool>);

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pool")
    }
}

/// Why a lesson stopped early.
#[derive(Debug)]
pub enum LessonError {
    /// A pool could not be made.
    Pool(PoolError),
    /// A pool run was cancelled or failed.
    Run(RunError),
    /// A process ended without finishing.
    Process(ProcessDied),
    /// The lesson was cancelled.
    Cancelled,
    /// What runs the lesson failed (in the browser, a Web Worker could not start, say).
    Backend(String),
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LessonError::Pool(e) => e.fmt(f),
            LessonError::Run(e) => e.fmt(f),
            LessonError::Process(e) => e.fmt(f),
            LessonError::Cancelled => f.write_str("cancelled"),
            LessonError::Backend(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for LessonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LessonError::Pool(e) => Some(e),
            LessonError::Run(e) => Some(e),
            LessonError::Process(e) => Some(e),
            LessonError::Cancelled | LessonError::Backend(_) => None,
        }
    }
}

impl From<PoolError> for LessonError {
    fn from(e: PoolError) -> Self {
        LessonError::Pool(e)
    }
}

impl From<RunError> for LessonError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Cancelled(_) => LessonError::Cancelled,
            e => LessonError::Run(e),
        }
    }
}

impl From<ProcessDied> for LessonError {
    fn from(e: ProcessDied) -> Self {
        LessonError::Process(e)
    }
}

/// Everything a lesson needs from where it runs.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use webpool::lessons::{Context, Lesson, Output, OutputEvent, Threads};
///
/// let lines = Arc::new(Mutex::new(Vec::new()));
/// let sink = Arc::clone(&lines);
/// let out = Output::new(move |event| {
///     if let OutputEvent::Print { text, .. } = event {
///         sink.lock().unwrap().push(text);
///     }
/// });
/// // The notebook's Q5 on threads of its own, its simulated durations 100 times shorter.
/// let cx = Context::new(out, 0.01, Threads::Own, 2);
/// pollster::block_on(Lesson::Q5.run(&cx))?;
/// assert_eq!(lines.lock().unwrap().last().unwrap(), "Squares: [1, 4, 9, 16, 25]");
/// # Ok::<(), webpool::lessons::LessonError>(())
/// ```
#[derive(Clone)]
pub struct Context {
    out: Output,
    time_scale: f64,
    cancel: CancelToken,
    backend: Arc<dyn Backend>,
    cores: usize,
    /// How many pool runs the lesson has started, to number them in its task events.
    runs: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("time_scale", &self.time_scale)
            .field("cores", &self.cores)
            .field("cancelled", &self.cancel.is_cancelled())
            .finish_non_exhaustive()
    }
}

impl Context {
    /// A context printing to `out`. `time_scale` multiplies every simulated duration (1.0 is
    /// the notebook's real time); `cores` is what the lesson tells about this machine.
    pub fn new(
        out: Output,
        time_scale: f64,
        backend: impl Backend + 'static,
        cores: usize,
    ) -> Self {
        Context {
            out,
            time_scale: if time_scale.is_finite() {
                time_scale.max(0.0)
            } else {
                1.0
            },
            cancel: CancelToken::new(),
            backend: Arc::new(backend),
            cores,
            runs: Arc::default(),
        }
    }

    /// Cancels the lesson from another thread.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// `print(...)`.
    pub fn print(&self, text: impl Into<String>) {
        self.out.print(text);
    }

    /// The output, for a process that prints on its own.
    pub fn output(&self) -> Output {
        self.out.clone()
    }

    /// How many cores this machine has.
    pub fn cores(&self) -> usize {
        self.cores
    }

    /// `seconds` of the notebook's time, scaled.
    pub fn seconds(&self, seconds: f64) -> Duration {
        // Past what a Duration holds (a huge time scale) is as good as forever.
        Duration::try_from_secs_f64(seconds * self.time_scale).unwrap_or(Duration::MAX)
    }

    /// `time.sleep(duration)`, which a cancel interrupts.
    pub async fn sleep(&self, duration: Duration) -> Result<(), LessonError> {
        let slept = self.backend.sleep(duration, &self.cancel).await;
        if slept && !self.cancel.is_cancelled() {
            Ok(())
        } else {
            Err(LessonError::Cancelled)
        }
    }

    /// Fails with [`LessonError::Cancelled`] once the lesson is cancelled.
    pub fn check(&self) -> Result<(), LessonError> {
        if self.cancel.is_cancelled() {
            Err(LessonError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// `multiprocessing.Pool(processes=workers)`.
    pub fn pool(&self, workers: usize) -> Result<Pool, LessonError> {
        Ok(Pool(self.backend.pool(workers)?))
    }

    /// `multiprocessing.Process(target=target).start()`: runs `target` in a process of its
    /// own (natively a thread; on the processes backend another Web Worker's instance).
    pub fn start_process(&self, target: Target) -> LessonProcess {
        self.backend.start_process(target, self)
    }

    /// How much every simulated duration is multiplied by.
    pub fn time_scale(&self) -> f64 {
        self.time_scale
    }

    /// `pool.map(kernel, numbers)`, quietly: the results in input order.
    pub async fn map(
        &self,
        pool: &Pool,
        kernel: Kernel,
        numbers: &[Number],
    ) -> Result<Vec<Number>, LessonError> {
        Ok(self
            .run_map(pool, kernel, numbers, None, false)
            .await?
            .results
            .to_vec())
    }

    /// `pool.map` of a kernel that prints `Computing square of N` as each task starts.
    pub async fn map_printing(
        &self,
        pool: &Pool,
        kernel: Kernel,
        numbers: &[Number],
    ) -> Result<Vec<Number>, LessonError> {
        Ok(self
            .run_map(pool, kernel, numbers, None, true)
            .await?
            .results
            .to_vec())
    }

    /// `pool.map(kernel, numbers)`, quietly, returning how long the run took.
    pub async fn time_map(
        &self,
        pool: &Pool,
        kernel: Kernel,
        numbers: &[Number],
    ) -> Result<Duration, LessonError> {
        Ok(self.run_map(pool, kernel, numbers, None, false).await?.wall)
    }

    /// `pool.map(kernel, numbers, chunksize)`, quietly, returning how long the run took.
    pub async fn time_map_chunked(
        &self,
        pool: &Pool,
        kernel: Kernel,
        numbers: &[Number],
        chunksize: usize,
    ) -> Result<Duration, LessonError> {
        let report = self.run_map(pool, kernel, numbers, Some(chunksize), false);
        Ok(report.await?.wall)
    }

    async fn run_map(
        &self,
        pool: &Pool,
        kernel: Kernel,
        numbers: &[Number],
        chunksize: Option<usize>,
        printing: bool,
    ) -> Result<Report, LessonError> {
        let options = MapOptions {
            chunksize,
            cancel: self.cancel.clone(),
        };
        let index = self.runs.fetch_add(1, Ordering::Relaxed);
        let observer = self.observer(index, kernel, numbers, printing);
        pool.0
            .map(kernel, numbers.to_vec(), options, Box::new(observer))
            .await
    }

    /// What a lesson's pool run shows of each message: its task events, and with
    /// `printing` the tutorial's `Computing square of N` as each task starts, at the
    /// moment the task started (so the line and the task's bar agree on the timeline).
    fn observer(
        &self,
        index: usize,
        kernel: Kernel,
        numbers: &[Number],
        printing: bool,
    ) -> impl FnMut(clock::Instant, &Message) + 'static {
        let out = self.out.clone();
        let numbers = printing.then(|| numbers.to_vec());
        move |started, message| {
            if let (Some(numbers), Message::Started(start)) = (&numbers, message) {
                for number in &numbers[start.items.clone()] {
                    out.print_at(
                        format!("Computing {} of {number}", kernel.op),
                        started + start.at,
                    );
                }
            }
            out.task(index, started, message);
        }
    }
}
