//! What only an engine needs: the parts of a run that a host drives by itself.
//!
//! A [`crate::Pool`] runs its workers and hands back a [`crate::pool::Run`], which most
//! programs simply wait for. A host that must not block (the browser's engine) instead
//! polls a run through [`Driven`], collecting its messages into a report with a
//! [`Collector`]. A host whose workers share no memory (the browser's processes backend)
//! drives a [`Dispatch`]: it hands each free worker a task as bytes ([`wire`]), the worker
//! computes it with a [`WorkerTask`], and the answer goes back as bytes.

mod collector;
mod dispatch;
pub mod wire;

pub use collector::Collector;
pub use dispatch::{Dispatch, WorkerTask};

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use super::{Items, Poll, Report, RunError};
use crate::clock;

/// A run that its host polls for messages instead of waiting on it: a threaded
/// [`crate::pool::Run`], or a [`Dispatch`] whose workers are reached by messages. Both
/// cut their tasks and tell their events the same way.
pub trait Driven {
    /// The next message if one is waiting, without blocking.
    fn try_recv(&mut self) -> Poll;
    /// How many items the run was given.
    fn items(&self) -> usize;
    /// How many workers the run uses.
    fn workers(&self) -> usize;
    /// When the run's clock started: its events' times count from here.
    fn started_at(&self) -> clock::Instant;
    /// Time since the run's clock started.
    fn elapsed(&self) -> Duration;
    /// Cancels the run: no more tasks start, running ones stop, results are kept.
    fn cancel(&self);
    /// Ends a collection once [`Driven::try_recv`] has said [`Poll::Done`].
    fn finish(&self, collector: Collector) -> Result<Report, RunError>;
    /// Calls `f` with the numbers the run was given.
    fn with_inputs<R>(&self, f: impl FnOnce(Items<'_>) -> R) -> R;

    /// A collector for this run's messages.
    fn collector(&self) -> Collector {
        Collector::new(self.items(), self.workers())
    }
}

/// A run shared by whoever polls it and whoever waits for its report (a lesson's map on
/// the processes backend).
impl<T: Driven> Driven for Rc<RefCell<T>> {
    fn try_recv(&mut self) -> Poll {
        self.borrow_mut().try_recv()
    }
    fn items(&self) -> usize {
        self.borrow().items()
    }
    fn workers(&self) -> usize {
        self.borrow().workers()
    }
    fn started_at(&self) -> clock::Instant {
        self.borrow().started_at()
    }
    fn elapsed(&self) -> Duration {
        self.borrow().elapsed()
    }
    fn cancel(&self) {
        self.borrow().cancel();
    }
    fn finish(&self, collector: Collector) -> Result<Report, RunError> {
        self.borrow().finish(collector)
    }
    fn with_inputs<R>(&self, f: impl FnOnce(Items<'_>) -> R) -> R {
        self.borrow().with_inputs(f)
    }
}
