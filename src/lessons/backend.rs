//! The one seam between the lessons and what runs them: a [`Backend`] gives a lesson its
//! pools, its sleeps and its processes. Threads (native, and the browser's threaded build)
//! are in [`super::Threads`]; the browser's processes backend is in the `wasm` module.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::{Context, LessonError, Target};
use crate::cancel::CancelToken;
use crate::clock;
use crate::kernel::Kernel;
use crate::number::Number;
use crate::pool::{MapOptions, Message, PoolError, Report};

/// A future that stays on the thread that made it: a lesson awaits its backend's work
/// where it runs (natively every one is ready at once; in the browser's processes backend
/// it waits for other Web Workers' messages).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Shown each message of a pool run, with the run's start on the shared clock (the
/// message's times count from it).
pub type Observer = Box<dyn FnMut(clock::Instant, &Message)>;

/// Where a lesson runs: what `multiprocessing.Pool`, `time.sleep` and
/// `multiprocessing.Process` are made of.
pub trait Backend: Send + Sync {
    /// `multiprocessing.Pool(processes=workers)`; zero workers are refused.
    fn pool(&self, workers: usize) -> Result<Box<dyn BackendPool>, PoolError>;

    /// `time.sleep(duration)`; resolves with `false` if `cancel` came first.
    fn sleep<'a>(&'a self, duration: Duration, cancel: &'a CancelToken) -> LocalFuture<'a, bool>;

    /// `multiprocessing.Process(target=target).start()`: runs `target` in a process of its
    /// own, printing through `cx`'s output.
    fn start_process(&self, target: Target, cx: &Context) -> LessonProcess;
}

/// A pool that a [`Backend`] made.
pub trait BackendPool {
    /// `pool.map(kernel, numbers)`, showing each message to `observe`.
    fn map(
        &self,
        kernel: Kernel,
        numbers: Vec<Number>,
        options: MapOptions,
        observe: Observer,
    ) -> LocalFuture<'_, Result<Report, LessonError>>;
}

/// A started `multiprocessing.Process`; [`LessonProcess::join`] waits for its end.
pub struct LessonProcess(LocalFuture<'static, Result<(), LessonError>>);

impl std::fmt::Debug for LessonProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LessonProcess")
    }
}

impl LessonProcess {
    /// A process that has started; `ended` resolves when it ends, as its target did.
    pub fn new(ended: impl Future<Output = Result<(), LessonError>> + 'static) -> Self {
        LessonProcess(Box::pin(ended))
    }

    /// `process.join()`: waits for the process to end, and fails as its target failed.
    pub async fn join(self) -> Result<(), LessonError> {
        self.0.await
    }
}
