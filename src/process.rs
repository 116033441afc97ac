//! `multiprocessing.Process(target=f)`: one function on a worker of its own, then `join`.
//!
//! Natively each process is a new OS thread, as each Python `Process` is a new
//! interpreter. In the browser no thread can be made on the spot, so a process runs on
//! one of the Web Workers that `initThreadPool` started.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::clock;

/// A started process; [`Process::join`] waits for its end and returns what it returned.
#[derive(Debug)]
pub struct Process<T> {
    id: usize,
    result: Receiver<Finished<T>>,
}

/// What a joined process tells.
#[derive(Clone, Debug, PartialEq)]
pub struct Joined<T> {
    /// What the target returned.
    pub value: T,
    /// When it started and ended on the shared clock.
    pub span: (clock::Instant, clock::Instant),
}

#[derive(Debug)]
struct Finished<T> {
    value: T,
    start: clock::Instant,
    end: clock::Instant,
}

/// A process ended without returning: its target panicked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessDied {
    /// The process's id.
    pub id: usize,
}

impl std::fmt::Display for ProcessDied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "process {} ended without finishing its target", self.id)
    }
}

impl std::error::Error for ProcessDied {}

impl<T: Send + 'static> Process<T> {
    /// Starts `target` on a worker of its own: `Process(target=f).start()`.
    ///
    /// ```
    /// use webpool::Process;
    ///
    /// // process = multiprocessing.Process(target=print_numbers); process.start()
    /// let process = Process::spawn(|| (1..=5).map(|i| format!("Number: {i}")).collect::<Vec<_>>());
    /// // process.join()
    /// let joined = process.join()?;
    /// assert_eq!(joined.value.last().unwrap(), "Number: 5");
    /// # Ok::<(), webpool::process::ProcessDied>(())
    /// ```
    pub fn spawn(target: impl FnOnce() -> T + Send + 'static) -> Process<T> {
        static NEXT_ID: AtomicUsize = AtomicUsize::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let (sender, result) = channel();
        let job = move || {
            let start = clock::now();
            let value = target();
            // The joiner may have given up waiting; then nobody needs the value.
            let _ = sender.send(Finished {
                value,
                start,
                end: clock::now(),
            });
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            // A thread that cannot start drops the sender, and `join` reports the death.
            let _ = std::thread::Builder::new()
                .name(format!("webpool-process-{id}"))
                .spawn(job);
        }
        #[cfg(target_arch = "wasm32")]
        rayon::spawn(job);
        Process { id, result }
    }

    /// This process's id, unique within the program.
    pub fn id(&self) -> usize {
        self.id
    }

    /// Waits for the process to end: `process.join()`.
    pub fn join(self) -> Result<Joined<T>, ProcessDied> {
        let finished = self
            .result
            .recv()
            .map_err(|_| ProcessDied { id: self.id })?;
        Ok(Joined {
            value: finished.value,
            span: (finished.start, finished.end),
        })
    }
}

/// How long the process ran, from a [`Joined`].
impl<T> Joined<T> {
    /// The time between its start and its end.
    pub fn duration(&self) -> Duration {
        self.span.1 - self.span.0
    }
}
