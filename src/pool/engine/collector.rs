//! Builds a run's [`Report`] from its messages, whichever kind of run sent them.

use std::time::Duration;

use crate::pool::{Chunk, Message, Report, Results, RunError, TaskError, TaskStatus};

/// Builds a [`Report`] from the messages of one run.
#[derive(Debug)]
pub struct Collector {
    report: Report,
    error: Option<TaskError>,
    cancelled: bool,
}

impl Collector {
    /// A collector for a run of `items` items on `workers` workers.
    pub fn new(items: usize, workers: usize) -> Self {
        Collector {
            report: Report {
                results: Results::default(),
                events: Vec::new(),
                items,
                workers,
                wall: Duration::ZERO,
                busy: vec![Duration::ZERO; workers],
            },
            error: None,
            cancelled: false,
        }
    }

    /// Takes in one message.
    pub fn push(&mut self, message: Message) {
        let Message::Finished(finish) = message else {
            return;
        };
        let event = finish.event;
        if let Some(busy) = self.report.busy.get_mut(event.worker) {
            *busy += event.end.saturating_sub(event.start);
        }
        self.cancelled |= event.status == TaskStatus::Cancelled;
        if let Some(error) = finish.error {
            // The first failure in input order is the one Python's map would raise.
            if self.error.as_ref().is_none_or(|e| error.item < e.item) {
                self.error = Some(error);
            }
        }
        self.report.results.insert(Chunk {
            first: event.items.start,
            values: finish.values,
        });
        self.report.events.push(event);
    }

    /// The results so far.
    pub fn results(&self) -> &Results {
        &self.report.results
    }

    /// Ends the run at `wall` (since its start), as a report or as the reason it is partial.
    pub fn finish(mut self, wall: Duration, cancelled: bool) -> Result<Report, RunError> {
        self.report.wall = wall;
        let report = Box::new(self.report);
        match self.error {
            Some(error) => Err(RunError::Task { error, report }),
            None if self.cancelled || (cancelled && report.results.len() < report.items) => {
                Err(RunError::Cancelled(report))
            }
            None => Ok(*report),
        }
    }
}
