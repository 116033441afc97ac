//! Lessons on threads: natively, and on the browser's threaded build, where a lesson's
//! driver blocks on a worker of its own, so every future here is ready when first polled.

use std::time::Duration;

use super::backend::{Backend, BackendPool, LessonProcess, LocalFuture, Observer};
use super::{Context, LessonError, Target};
use crate::cancel::CancelToken;
use crate::kernel::Kernel;
use crate::number::Number;
use crate::pool::engine::Driven;
use crate::pool::{MapOptions, Pool, PoolError, Report};
use crate::process::Process;

/// Where a lesson's pools get their threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threads {
    /// Each pool starts threads of its own, as each Python `Pool` starts its processes
    /// (native).
    Own,
    /// Pools share rayon's global pool: in the browser, the Web Workers that
    /// `initThreadPool` started.
    Global,
}

impl Backend for Threads {
    fn pool(&self, workers: usize) -> Result<Box<dyn BackendPool>, PoolError> {
        let pool = match self {
            Threads::Own => Pool::new(workers)?,
            Threads::Global => Pool::on_global(workers)?,
        };
        Ok(Box::new(pool))
    }

    fn sleep<'a>(&'a self, duration: Duration, cancel: &'a CancelToken) -> LocalFuture<'a, bool> {
        Box::pin(async move { cancel.sleep(duration) })
    }

    fn start_process(&self, target: Target, cx: &Context) -> LessonProcess {
        let cx = cx.clone();
        let process = Process::spawn(move || pollster::block_on(target.run(cx)));
        LessonProcess::new(async move { process.join()?.value })
    }
}

impl BackendPool for Pool {
    fn map(
        &self,
        kernel: Kernel,
        numbers: Vec<Number>,
        options: MapOptions,
        mut observe: Observer,
    ) -> LocalFuture<'_, Result<Report, LessonError>> {
        Box::pin(async move {
            let run = self.start(kernel, numbers, options);
            let started = run.started_at();
            Ok(run.finish_observing(|message| observe(started, message))?)
        })
    }
}
