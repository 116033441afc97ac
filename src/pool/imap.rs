//! `imap` and `imap_unordered`: results streamed while the run goes on.

use std::collections::{BTreeMap, VecDeque};

use super::report::{Message, TaskError};
use super::run::Run;
use crate::cancel::CancelToken;
use crate::number::Number;

/// Results in input order as they become ready; an error ends the stream.
#[derive(Debug)]
pub struct Imap {
    run: Run,
    /// Finished chunks that wait for an earlier one, by first index.
    waiting: BTreeMap<usize, (Vec<Number>, Option<TaskError>)>,
    ready: VecDeque<Number>,
    next: usize,
    failed: Option<TaskError>,
}

impl Imap {
    pub(super) fn new(run: Run) -> Self {
        Imap {
            run,
            waiting: BTreeMap::new(),
            ready: VecDeque::new(),
            next: 0,
            failed: None,
        }
    }

    /// A handle that cancels the run; the stream then ends after the results already made.
    pub fn cancel_token(&self) -> CancelToken {
        self.run.cancel_token()
    }

    fn release(&mut self) {
        while let Some((values, error)) = self.waiting.remove(&self.next) {
            self.next += values.len();
            self.ready.extend(values);
            if let Some(error) = error {
                self.failed = Some(error);
                self.waiting.clear();
                return;
            }
        }
    }
}

impl Iterator for Imap {
    type Item = Result<Number, TaskError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(value) = self.ready.pop_front() {
                return Some(Ok(value));
            }
            if let Some(error) = self.failed.take() {
                // End the stream after reporting the failure once, and its run with it
                // (but not the caller's cancel token, which may serve other runs too).
                self.run.stop();
                self.next = usize::MAX;
                return Some(Err(error));
            }
            if self.next == usize::MAX {
                return None;
            }
            match self.run.recv()? {
                Message::Finished(finish) => {
                    self.waiting.insert(
                        finish.event.items.start,
                        (finish.values.into_numbers(), finish.error),
                    );
                    self.release();
                }
                Message::Started(_) => {}
            }
        }
    }
}

/// `(index, result)` pairs in the order the tasks finish; an error ends the stream.
#[derive(Debug)]
pub struct ImapUnordered {
    run: Run,
    ready: VecDeque<(usize, Number)>,
    failed: Option<TaskError>,
    over: bool,
}

impl ImapUnordered {
    pub(super) fn new(run: Run) -> Self {
        ImapUnordered {
            run,
            ready: VecDeque::new(),
            failed: None,
            over: false,
        }
    }

    /// A handle that cancels the run; the stream then ends after the results already made.
    pub fn cancel_token(&self) -> CancelToken {
        self.run.cancel_token()
    }
}

impl Iterator for ImapUnordered {
    type Item = Result<(usize, Number), TaskError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(pair) = self.ready.pop_front() {
                return Some(Ok(pair));
            }
            if let Some(error) = self.failed.take() {
                self.run.stop();
                self.over = true;
                return Some(Err(error));
            }
            if self.over {
                return None;
            }
            match self.run.recv()? {
                Message::Finished(finish) => {
                    let first = finish.event.items.start;
                    self.ready.extend(
                        finish
                            .values
                            .into_numbers()
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (first + i, v)),
                    );
                    self.failed = finish.error;
                }
                Message::Started(_) => {}
            }
        }
    }
}
