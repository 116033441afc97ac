//! A [`Dispatch`] driven natively the way the browser's "processes" backend drives it from
//! JavaScript (`www/processes.js`): the driver hands each free worker its next task as
//! bytes, a [`WorkerTask`] computes them and answers with bytes, and the driver passes the
//! answer to [`Dispatch::finished`]. Checked here:
//!
//! - results and report are those of `Pool::map` for integers, big integers, floats and
//!   ranges, for square and cube, on 1, 2 and 3 workers, with the default chunksize and 1;
//! - a failing item ends the run with a `RunError::Task` that names it, keeps the results
//!   of the other tasks, and no task is handed out after it;
//! - a cancel stops the handing out, keeps partial results and ends as `RunError::Cancelled`;
//! - wrong answers (to a task never handed out, with too many values, damaged, claiming a
//!   failure that is none, ...) are refused and leave the run as if they never came;
//! - a task answered without a `started` call still shows Started before Finished;
//! - the observer sees every message, in order.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Duration;

use webpool::clock;
use webpool::number::parse_numbers;
use webpool::pool::engine::wire::{self, WireError};
use webpool::pool::engine::{Dispatch, Driven, WorkerTask};
use webpool::pool::{Message, Poll, PoolError, Report, RunError, TaskFailure, TaskStatus};
use webpool::{Kernel, MapOptions, Number, Op, Pool};

/// A worker's answer to one task, as `www/process.js` posts it.
struct Answer {
    start: clock::Instant,
    end: clock::Instant,
    status: TaskStatus,
    output: Vec<u8>,
}

/// What a worker does with `task`: decodes its bytes, computes at most `max` items (fewer
/// stands for a cancel that reached it), and answers with what it has.
fn work(dispatch: &Dispatch, task: usize, max: usize) -> Answer {
    let start = clock::now();
    let mut worker = WorkerTask::new(dispatch.kernel().op, &dispatch.input(task))
        .expect("the run's own bytes decode");
    worker.compute(max);
    let status = if worker.failed() {
        TaskStatus::Failed
    } else if worker.done() < worker.len() {
        TaskStatus::Cancelled
    } else {
        TaskStatus::Done
    };
    Answer {
        start,
        end: clock::now(),
        status,
        output: worker.output(),
    }
}

/// What a worker does with `task` when nothing stops it.
fn work_all(dispatch: &Dispatch, task: usize) -> Answer {
    let items = dispatch.items_of(task).len();
    work(dispatch, task, items)
}

/// Gives `answer` to the run as `task`'s.
fn give(dispatch: &mut Dispatch, task: usize, answer: &Answer) -> Result<(), WireError> {
    dispatch.finished(
        task,
        answer.start,
        answer.end,
        answer.status,
        &answer.output,
    )
}

/// A worker computes `task` whole and the run takes its answer.
fn complete(dispatch: &mut Dispatch, task: usize) {
    let answer = work_all(dispatch, task);
    give(dispatch, task, &answer).expect("a true answer is taken");
}

/// Every message waiting, and whether the run then says it is over.
fn drain(dispatch: &mut Dispatch) -> (Vec<Message>, bool) {
    let mut messages = Vec::new();
    loop {
        match dispatch.try_recv() {
            Poll::Message(message) => messages.push(message),
            Poll::Pending => return (messages, false),
            Poll::Done => return (messages, true),
        }
    }
}

/// The run's report from `messages`, once it is over.
fn finish(dispatch: &Dispatch, messages: &[Message]) -> Result<Report, RunError> {
    let mut collector = dispatch.collector();
    for message in messages {
        collector.push(message.clone());
    }
    dispatch.finish(collector)
}

/// Runs `dispatch` to its end from the `(worker, task)` pairs out, as `www/processes.js`
/// does: each answer is followed by the next task for the worker that gave it. The task
/// handed out last answers first, so that answers arrive out of input order. Even tasks
/// say they started before answering (as a task with simulated work does), odd ones do not
/// (as a task without does), so both ways are taken.
fn drive_from(
    dispatch: &mut Dispatch,
    mut busy: Vec<(usize, usize)>,
) -> (Vec<Message>, Result<Report, RunError>) {
    let mut messages = Vec::new();
    while let Some((worker, task)) = busy.pop() {
        let answer = work_all(dispatch, task);
        if task % 2 == 0 {
            dispatch.started(task, answer.start);
        }
        give(dispatch, task, &answer).expect("a true answer is taken");
        busy.extend(dispatch.next_task(worker).map(|next| (worker, next)));
        let (more, over) = drain(dispatch);
        messages.extend(more);
        assert_eq!(over, busy.is_empty(), "over exactly when no task is out");
    }
    let report = finish(dispatch, &messages);
    (messages, report)
}

/// Hands every worker its first task, then runs `dispatch` to its end.
fn drive(dispatch: &mut Dispatch) -> (Vec<Message>, Result<Report, RunError>) {
    let busy = (0..dispatch.workers())
        .filter_map(|worker| dispatch.next_task(worker).map(|task| (worker, task)))
        .collect();
    drive_from(dispatch, busy)
}

/// Each task once, with its first and end item.
fn task_items(report: &Report) -> BTreeSet<(usize, usize, usize)> {
    let set: BTreeSet<_> = report
        .events
        .iter()
        .map(|e| (e.task, e.items.start, e.items.end))
        .collect();
    assert_eq!(set.len(), report.events.len(), "no task ends twice");
    set
}

/// Checks that every task has one Started and then one Finished message.
fn assert_started_before_finished(messages: &[Message]) {
    let mut started = BTreeSet::new();
    let mut finished = BTreeSet::new();
    for message in messages {
        match message {
            Message::Started(s) => assert!(started.insert(s.task), "task {} started twice", s.task),
            Message::Finished(f) => {
                let task = f.event.task;
                assert!(
                    started.contains(&task),
                    "task {task} finished before it started"
                );
                assert!(finished.insert(task), "task {task} finished twice");
            }
        }
    }
    assert_eq!(started, finished, "every task that started finished");
}

/// Options with `chunksize`, or Python's default for `None`.
fn options(chunksize: Option<usize>) -> MapOptions {
    MapOptions {
        chunksize,
        ..MapOptions::default()
    }
}

/// Checks that a Dispatch on `workers` workers gives what `Pool::map` gives.
fn assert_same_as_pool(op: Op, text: &str, workers: usize, chunksize: Option<usize>) {
    let context = format!("{op} of {text:?} on {workers} workers, chunksize {chunksize:?}");
    let numbers = parse_numbers(text).unwrap();
    let pool = Pool::new(workers).unwrap();
    let expected = match chunksize {
        None => pool.map(Kernel::new(op), numbers.clone()),
        Some(_) => pool.map_with(Kernel::new(op), numbers.clone(), options(chunksize), |_| {}),
    }
    .unwrap();
    let mut dispatch = Dispatch::new(
        Kernel::new(op),
        numbers.clone(),
        options(chunksize),
        workers,
    )
    .unwrap();
    let (messages, report) = drive(&mut dispatch);
    let report = report.unwrap_or_else(|e| panic!("{context}: {e}"));

    // Against the arithmetic too, so that the two cannot agree on a wrong answer.
    let exact: Vec<Number> = numbers.iter().map(|n| op.apply(n).unwrap()).collect();
    assert_eq!(expected.results.to_vec(), exact, "{context}: the pool");
    assert_eq!(report.results.to_vec(), exact, "{context}");
    assert_eq!(report.events.len(), expected.events.len(), "{context}");
    assert_eq!(task_items(&report), task_items(&expected), "{context}");
    assert_eq!(
        (report.items, report.workers, report.busy.len()),
        (expected.items, expected.workers, expected.busy.len()),
        "{context}"
    );
    for event in &report.events {
        assert!(event.worker < workers, "{context}: {event:?}");
        assert_eq!(event.status, TaskStatus::Done, "{context}: {event:?}");
        assert_eq!(event.done, event.items.len(), "{context}: {event:?}");
    }
    assert_started_before_finished(&messages);

    // The same integers packed (as a typed array reaches the engine) travel and compute alike.
    let packed: Option<Vec<i64>> = numbers
        .iter()
        .map(|n| match n {
            Number::Int(v) => Some(*v),
            _ => None,
        })
        .collect();
    if let Some(packed) = packed {
        let mut dispatch =
            Dispatch::new(Kernel::new(op), packed, options(chunksize), workers).unwrap();
        for task in 0..dispatch.tasks() {
            let items = dispatch.items_of(task);
            assert_eq!(
                dispatch.input(task),
                wire::encode(&numbers[items]),
                "{context}: packed, task {task}"
            );
        }
        let (_, report) = drive(&mut dispatch);
        let report = report.unwrap_or_else(|e| panic!("{context}, packed: {e}"));
        assert_eq!(report.results.to_vec(), exact, "{context}, packed");
    }
}

#[test]
fn results_and_report_are_those_of_pool_map() {
    let inputs = [
        "1 2 3 4 5",
        // Squares and cubes that leave 64 bits, and the extremes of 64 bits.
        "[-3, 0, 3037000500, -2097152, 9223372036854775807, -9223372036854775808]",
        // 10**30 and its negative, written as text.
        "1000000000000000000000000000000 -1000000000000000000000000000000 2",
        "0.1 -2.5 1e-3 2.5",
        "1..1000",
        "1 0.1 1000000000000000000000000000000 -2.5 7..20",
    ];
    for op in [Op::Square, Op::Cube] {
        for text in inputs {
            for workers in 1..=3 {
                for chunksize in [None, Some(1)] {
                    assert_same_as_pool(op, text, workers, chunksize);
                }
            }
        }
    }
}

#[test]
fn a_packed_input_that_fails_is_named_as_a_number() {
    // Tasks of two: [27, 3], [7, 0], [5, 6]. Collatz is defined for positive integers only.
    let packed: Vec<i64> = vec![27, 3, 7, 0, 5, 6];
    let mut dispatch = Dispatch::new(
        Kernel::new(Op::Collatz),
        packed,
        MapOptions::chunksize(2),
        1,
    )
    .unwrap();
    let (_, report) = drive(&mut dispatch);
    let Err(RunError::Task { error, report }) = report else {
        panic!("a task error");
    };
    assert_eq!(
        (error.task, error.item, error.input),
        (1, 3, Number::Int(0))
    );
    assert_eq!(
        error.failure,
        TaskFailure::Arithmetic(Op::Collatz.apply(&Number::Int(0)).unwrap_err())
    );
    // Task 0 whole, and the item of task 1 before the failure; task 2 never handed out.
    let kept: Vec<(usize, Number)> = report.results.iter().collect();
    assert_eq!(
        kept,
        [
            (0, Number::Int(111)),
            (1, Number::Int(7)),
            (2, Number::Int(16))
        ]
    );
}

#[test]
fn a_failing_item_names_itself_keeps_other_results_and_stops_the_handing_out() {
    // Tasks of two: [1, 2], [3, 1e300], [5, 6]. 1e300 squared overflows, as in Python.
    let numbers = parse_numbers("1 2 3 1e300 5 6").unwrap();
    let kernel = Kernel::new(Op::Square);
    let mut dispatch = Dispatch::new(kernel, numbers.clone(), MapOptions::chunksize(2), 2).unwrap();
    assert_eq!(dispatch.tasks(), 3);
    assert_eq!(dispatch.next_task(0), Some(0));
    assert_eq!(dispatch.next_task(1), Some(1));

    // The failing task answers first, while task 0 is still out.
    let failed = work_all(&dispatch, 1);
    assert_eq!(failed.status, TaskStatus::Failed);
    give(&mut dispatch, 1, &failed).unwrap();
    assert_eq!(dispatch.next_task(1), None, "task 2 is not handed out");
    assert_eq!(dispatch.next_task(0), None, "to no worker");
    let (mut messages, over) = drain(&mut dispatch);
    assert!(!over, "task 0 is still out");

    complete(&mut dispatch, 0);
    let (more, over) = drain(&mut dispatch);
    assert!(over);
    messages.extend(more);
    assert_eq!(dispatch.next_task(0), None);

    let Err(RunError::Task { error, report }) = finish(&dispatch, &messages) else {
        panic!("a task error");
    };
    assert_eq!((error.task, error.item), (1, 3));
    assert_eq!(error.input, Number::Float(1e300));
    assert_eq!(
        error.failure,
        TaskFailure::Arithmetic(Op::Square.apply(&error.input).unwrap_err())
    );
    let text = error.to_string();
    assert!(
        text.contains("task 1") && text.contains("item 4") && text.contains("1e+300"),
        "{text}"
    );
    // Task 0 whole, and the item of task 1 before the failure.
    let kept: Vec<(usize, Number)> = report.results.iter().collect();
    assert_eq!(
        kept,
        [
            (0, Number::Int(1)),
            (1, Number::Int(4)),
            (2, Number::Int(9))
        ]
    );
    assert_eq!(report.events.len(), 2);

    // The pool names the same failure.
    let pool = Pool::new(2).unwrap();
    let Err(RunError::Task {
        error: expected, ..
    }) = pool.map_with(kernel, numbers, MapOptions::chunksize(2), |_| {})
    else {
        panic!("the pool fails too");
    };
    assert_eq!(error, expected);
}

#[test]
fn a_cancel_stops_the_handing_out_and_keeps_partial_results() {
    // Tasks of three: [1, 2, 3], [4, 5, 6], [7, 8, 9], [10].
    let numbers = parse_numbers("1..10").unwrap();
    let mut dispatch = Dispatch::new(
        Kernel::new(Op::Square),
        numbers,
        MapOptions::chunksize(3),
        2,
    )
    .unwrap();
    assert_eq!(dispatch.next_task(0), Some(0));
    assert_eq!(dispatch.next_task(1), Some(1));
    complete(&mut dispatch, 0);
    assert_eq!(dispatch.next_task(0), Some(2));

    dispatch.cancel();
    assert_eq!(dispatch.next_task(0), None);
    assert_eq!(dispatch.next_task(1), None);
    let (mut messages, over) = drain(&mut dispatch);
    assert!(!over, "tasks 1 and 2 have not answered");

    // The cancel reached task 1 after one item, and task 2 before any.
    let partial = work(&dispatch, 1, 1);
    assert_eq!(partial.status, TaskStatus::Cancelled);
    give(&mut dispatch, 1, &partial).unwrap();
    let (more, over) = drain(&mut dispatch);
    messages.extend(more);
    assert!(!over, "task 2 has not answered");
    let none = work(&dispatch, 2, 0);
    give(&mut dispatch, 2, &none).unwrap();
    let (more, over) = drain(&mut dispatch);
    messages.extend(more);
    assert!(over, "every answer is in");
    assert!(matches!(dispatch.try_recv(), Poll::Done), "and stays so");

    let Err(RunError::Cancelled(report)) = finish(&dispatch, &messages) else {
        panic!("the run says it was cancelled");
    };
    let kept: Vec<(usize, Number)> = report.results.iter().collect();
    let expected: Vec<(usize, Number)> = (0..4)
        .map(|i| (i, Number::Int((i as i64 + 1).pow(2))))
        .collect();
    assert_eq!(kept, expected);
    let ends: Vec<_> = report
        .events
        .iter()
        .map(|e| (e.task, e.done, e.status))
        .collect();
    assert_eq!(
        ends,
        [
            (0, 3, TaskStatus::Done),
            (1, 1, TaskStatus::Cancelled),
            (2, 0, TaskStatus::Cancelled)
        ]
    );
}

/// A run of squares of `text` in tasks of two on one worker.
fn squares_in_twos(text: &str) -> Dispatch {
    let numbers = parse_numbers(text).unwrap();
    Dispatch::new(
        Kernel::new(Op::Square),
        numbers,
        MapOptions::chunksize(2),
        1,
    )
    .unwrap()
}

/// [`squares_in_twos`] with task 0 handed out, for a wrong answer to come.
fn task_0_out(text: &str) -> Dispatch {
    let mut dispatch = squares_in_twos(text);
    assert_eq!(dispatch.next_task(0), Some(0));
    dispatch
}

/// Checks that a refused answer left `dispatch` (made by [`task_0_out`] from `text`) as if
/// it never came: no message, and task 0's true answer then ends the run as a run that
/// never saw it ends (same results, events and error).
fn assert_unharmed(mut dispatch: Dispatch, text: &str) {
    let (messages, over) = drain(&mut dispatch);
    assert!(
        messages.is_empty(),
        "a refused answer makes no message: {messages:?}"
    );
    assert!(!over, "task 0 is still out");
    let (_, report) = drive_from(&mut dispatch, vec![(0, 0)]);
    let (_, expected) = drive(&mut squares_in_twos(text));
    let summary = |r: &Result<Report, RunError>| {
        let report = match r {
            Ok(report) => report,
            Err(e) => e.report(),
        };
        let ends: Vec<_> = report
            .events
            .iter()
            .map(|e| (e.task, e.items.clone(), e.done, e.status))
            .collect();
        let error = match r {
            Err(RunError::Task { error, .. }) => Some(error.clone()),
            _ => None,
        };
        (report.results.to_vec(), ends, error, r.is_ok())
    };
    assert_eq!(summary(&report), summary(&expected));
}

#[test]
fn an_answer_to_a_task_never_handed_out_is_refused() {
    let text = "1 2 3 4 5 6";
    let mut dispatch = task_0_out(text);
    let answer = work_all(&dispatch, 1);
    // A `started` for it is ignored as well.
    dispatch.started(1, answer.start);
    assert!(give(&mut dispatch, 1, &answer).is_err());
    // Past the last task there are no items, so an empty answer is refused only for
    // having no task.
    let empty = Answer {
        output: wire::encode(&[]),
        ..work_all(&dispatch, 0)
    };
    assert!(give(&mut dispatch, 3, &empty).is_err());
    assert!(give(&mut dispatch, 1000, &empty).is_err());
    assert_unharmed(dispatch, text);
}

#[test]
fn an_answer_to_an_absurd_task_index_is_refused() {
    let text = "1 2 3 4";
    let mut dispatch = task_0_out(text);
    let answer = work_all(&dispatch, 0);
    dispatch.started(usize::MAX, answer.start);
    assert!(give(&mut dispatch, usize::MAX, &answer).is_err());
    assert_unharmed(dispatch, text);
}

#[test]
fn an_answer_to_a_task_already_answered_is_refused() {
    let text = "1 2 3 4";
    let mut dispatch = task_0_out(text);
    let answer = work_all(&dispatch, 0);
    give(&mut dispatch, 0, &answer).unwrap();
    let (messages, _) = drain(&mut dispatch);
    assert_eq!(messages.len(), 2, "Started and Finished");
    assert!(give(&mut dispatch, 0, &answer).is_err());
    assert!(
        matches!(dispatch.try_recv(), Poll::Pending),
        "no second Finished"
    );
}

#[test]
fn an_answer_with_more_values_than_items_is_refused() {
    let text = "1 2 3 4";
    let mut dispatch = task_0_out(text);
    let mut answer = work_all(&dispatch, 0);
    answer.output = wire::encode(&[Number::Int(1), Number::Int(4), Number::Int(9)]);
    assert!(give(&mut dispatch, 0, &answer).is_err());
    assert_unharmed(dispatch, text);
}

#[test]
fn damaged_bytes_are_refused() {
    let text = "1 2.5 3 4";
    let mut dispatch = task_0_out(text);
    let mut answer = work_all(&dispatch, 0);
    let whole = answer.output.clone();
    for damaged in [&[][..], b"X", b"I1234567", &whole[..whole.len() - 1]] {
        answer.output = damaged.to_vec();
        assert!(give(&mut dispatch, 0, &answer).is_err(), "{damaged:?}");
    }
    assert_unharmed(dispatch, text);
}

#[test]
fn a_failure_on_a_number_that_does_not_fail_is_refused() {
    let text = "1 2 3 4";
    let mut dispatch = task_0_out(text);
    let mut answer = work(&dispatch, 0, 1);
    // One result, then a failure claimed on 2, whose square is 4.
    answer.status = TaskStatus::Failed;
    assert!(give(&mut dispatch, 0, &answer).is_err());
    assert_unharmed(dispatch, text);
}

#[test]
fn a_failure_past_the_task_s_items_is_refused() {
    // Task 0 is [1, 2]; task 1 is [1e300, 4], whose first item does fail.
    let text = "1 2 1e300 4";
    let mut dispatch = task_0_out(text);
    let mut answer = work_all(&dispatch, 0);
    answer.status = TaskStatus::Failed;
    assert!(give(&mut dispatch, 0, &answer).is_err());
    assert_unharmed(dispatch, text);
}

#[test]
fn a_done_answer_with_too_few_values_is_refused() {
    let text = "1 2 3 4";
    let mut dispatch = task_0_out(text);
    let mut answer = work(&dispatch, 0, 1);
    answer.status = TaskStatus::Done;
    assert!(give(&mut dispatch, 0, &answer).is_err());
    assert_unharmed(dispatch, text);
}

#[test]
fn a_task_answered_without_started_still_starts_first() {
    let numbers = parse_numbers("1 2 3 4").unwrap();
    let mut dispatch =
        Dispatch::new(Kernel::new(Op::Cube), numbers, MapOptions::chunksize(2), 2).unwrap();
    assert_eq!(dispatch.next_task(0), Some(0));
    assert_eq!(dispatch.next_task(1), Some(1));

    let answer = work_all(&dispatch, 1);
    give(&mut dispatch, 1, &answer).unwrap();
    let (messages, _) = drain(&mut dispatch);
    let since_start = answer.start - dispatch.started_at();
    match &messages[..] {
        [Message::Started(s), Message::Finished(f)] => {
            assert_eq!((s.task, s.items.clone(), s.worker), (1, 2..4, 1));
            assert_eq!(s.at, since_start, "it started when the answer says");
            assert_eq!((f.event.task, f.event.start), (1, since_start));
        }
        other => panic!("Started then Finished: {other:?}"),
    }

    // Said twice, a start is one message; the answer then adds only its Finished.
    let answer = work_all(&dispatch, 0);
    dispatch.started(0, answer.start);
    dispatch.started(0, clock::now());
    give(&mut dispatch, 0, &answer).unwrap();
    let (messages, over) = drain(&mut dispatch);
    assert!(over);
    match &messages[..] {
        [Message::Started(s), Message::Finished(f)] => {
            assert_eq!((s.task, f.event.task), (0, 0));
            assert_eq!(s.at, answer.start - dispatch.started_at());
        }
        other => panic!("Started then Finished: {other:?}"),
    }
}

#[test]
fn the_observer_sees_every_message_in_order() {
    let numbers = parse_numbers("1..100 0.5 1000000000000000000000000000000").unwrap();
    let mut dispatch =
        Dispatch::new(Kernel::new(Op::Cube), numbers, MapOptions::chunksize(7), 3).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&seen);
    dispatch.observe(move |_, message| sink.borrow_mut().push(message.clone()));
    let (messages, report) = drive(&mut dispatch);
    assert!(report.unwrap().is_complete());
    assert_eq!(messages.len(), 2 * dispatch.tasks());
    assert_eq!(*seen.borrow(), messages);
}

#[test]
fn a_worker_task_computes_the_rest_when_asked_for_more_than_is_left() {
    let input = wire::encode(&parse_numbers("1 2 3").unwrap());
    let mut task = WorkerTask::new(Op::Square, &input).unwrap();
    assert_eq!(task.compute(1), 1);
    assert_eq!(task.compute(usize::MAX), 3);
    assert_eq!(
        wire::decode(&task.output()).unwrap().into_numbers(),
        parse_numbers("1 4 9").unwrap()
    );
}

#[test]
fn zero_workers_are_refused_as_the_pool_refuses_them() {
    let numbers = parse_numbers("1 2 3").unwrap();
    let refused = Dispatch::new(Kernel::new(Op::Square), numbers, MapOptions::default(), 0);
    assert!(matches!(refused, Err(PoolError::NoWorkers)), "{refused:?}");
    assert!(matches!(Pool::new(0), Err(PoolError::NoWorkers)));
}

/// The processes backend restarts a run's clock once its workers are ready. Whoever places
/// the run's events on the shared clock must use the start they count from, or a lesson's
/// task bars and its printed lines disagree by the workers' start-up time.
#[test]
fn the_observer_places_events_from_the_restarted_clock() {
    let numbers = parse_numbers("1 2").unwrap();
    let mut dispatch = Dispatch::new(
        Kernel::new(Op::Square),
        numbers,
        MapOptions::chunksize(1),
        1,
    )
    .unwrap();
    let placed = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&placed);
    dispatch.observe(move |start, message| {
        if let Message::Started(s) = message {
            sink.borrow_mut().push(start + s.at);
        }
    });
    let before = dispatch.started_at();
    // As the workers start: the clock must visibly move before it restarts.
    while clock::now() - before < Duration::from_millis(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    dispatch.restart_clock();
    assert!(dispatch.started_at() - before >= Duration::from_millis(20));

    let task = dispatch.next_task(0).unwrap();
    let at = clock::now();
    dispatch.started(task, at);
    let placed = placed.borrow();
    assert_eq!(placed.len(), 1);
    // Durations in nanoseconds: placing may round by at most one.
    let drift = (placed[0] - at).max(at - placed[0]);
    assert!(drift <= Duration::from_micros(1), "placed {drift:?} away");
}

#[test]
fn a_lost_worker_fails_its_task_and_ends_its_other_tasks() {
    let numbers = parse_numbers("1..8").unwrap();
    let mut dispatch = Dispatch::new(
        Kernel::new(Op::Square),
        numbers,
        MapOptions::chunksize(2),
        2,
    )
    .unwrap();
    // Worker 0 holds tasks 0 and 2 (queued ahead), worker 1 holds task 1.
    assert_eq!(dispatch.next_task(0), Some(0));
    assert_eq!(dispatch.next_task(1), Some(1));
    assert_eq!(dispatch.next_task(0), Some(2));
    complete(&mut dispatch, 1);
    dispatch.lost(0, TaskFailure::Panicked("index out of bounds".into()));
    assert!(dispatch.is_over(), "no task is handed out after a failure");
    assert_eq!(dispatch.next_task(1), None);

    let (messages, over) = drain(&mut dispatch);
    assert!(over);
    let Err(RunError::Task { error, report }) = finish(&dispatch, &messages) else {
        panic!("the run fails");
    };
    assert_eq!((error.task, error.item), (0, 0));
    assert_eq!(
        error.failure,
        TaskFailure::Panicked("index out of bounds".into())
    );
    assert_eq!(error.to_string(), "task 0 panicked: index out of bounds");
    // Task 1's results are kept; tasks 0 and 2 have none.
    let kept: Vec<usize> = report.results.iter().map(|(i, _)| i).collect();
    assert_eq!(kept, [2, 3]);
    let mut ended: Vec<(usize, TaskStatus)> =
        report.events.iter().map(|e| (e.task, e.status)).collect();
    ended.sort_by_key(|&(task, _)| task);
    assert_eq!(
        ended,
        [
            (0, TaskStatus::Failed),
            (1, TaskStatus::Done),
            (2, TaskStatus::Cancelled)
        ]
    );
}
