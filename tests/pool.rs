//! The Pool as a user of the crate sees it: ordered results, streaming, chunks, events on
//! one clock, cancellation and errors.
//!
//! Every property is read from the run's own messages and events, and must hold on any
//! machine: one core or many, idle or loaded. No test bounds a duration from above, and
//! none counts on one task overtaking another by a margin of time. Where a property needs
//! several workers busy at once, the tasks wait until cancelled and the cancel comes only
//! once they have all started, so no task can end before the others begin.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use webpool::number::parse_numbers;
use webpool::pool::{Message, TaskEvent, TaskStatus, default_chunksize};
use webpool::{CancelToken, Kernel, MapOptions, Number, Op, Pool, Report, RunError, Work};

/// Work that only a cancel ends in time: far longer than any machine takes to start a
/// task, yet short enough that a pool that never cancels it fails the test instead of
/// hanging it.
const UNTIL_CANCELLED: Duration = Duration::from_secs(120);

fn ints(range: std::ops::RangeInclusive<i64>) -> Vec<Number> {
    range.map(Number::Int).collect()
}

fn squares(range: std::ops::RangeInclusive<i64>) -> Vec<Number> {
    range.map(|n| Number::Int(n * n)).collect()
}

/// Whether two tasks were running at the same instant. Intervals are half-open, so a task
/// that starts as another ends (on one worker, the next task) does not overlap it.
fn overlap(a: &TaskEvent, b: &TaskEvent) -> bool {
    a.start < b.end && b.start < a.end
}

/// The most tasks running at any one instant.
fn max_overlap(events: &[TaskEvent]) -> usize {
    // At equal times ends sort before starts (-1 < 1), as the intervals are half-open.
    let mut edges: Vec<(Duration, i32)> = events
        .iter()
        .flat_map(|e| [(e.start, 1), (e.end, -1)])
        .collect();
    edges.sort_unstable();
    let (mut running, mut most) = (0, 0);
    for (_, step) in edges {
        running += step;
        most = most.max(running);
    }
    usize::try_from(most).unwrap()
}

/// Runs `kernel` over `numbers` and keeps every message the observer saw, in order.
fn map_logged(
    pool: &Pool,
    kernel: Kernel,
    numbers: Vec<Number>,
    options: MapOptions,
) -> (Result<Report, RunError>, Vec<Message>) {
    let mut log = Vec::new();
    let outcome = pool.map_with(kernel, numbers, options, |m| log.push(m.clone()));
    (outcome, log)
}

/// What the events of every run show, whatever the machine: each task ran at most once,
/// on one of the pool's workers, over the items its index names, with a status that
/// matches what it computed; each worker ran one task at a time, its tasks in queue
/// order, so no more than `workers` tasks ever ran at once; `busy` is each worker's time
/// inside its tasks.
fn assert_schedule(report: &Report, chunksize: usize) {
    let events = &report.events;
    let tasks = report.items.div_ceil(chunksize);
    let mut seen = HashSet::new();
    for e in events {
        assert!(
            e.task < tasks && seen.insert(e.task),
            "task {} ran once: {events:?}",
            e.task
        );
        let first = e.task * chunksize;
        assert_eq!(
            e.items,
            first..(first + chunksize).min(report.items),
            "{e:?}"
        );
        assert!(e.worker < report.workers, "a worker of the pool: {e:?}");
        assert!(e.start <= e.end, "{e:?}");
        assert!(e.done <= e.items.len(), "{e:?}");
        assert_eq!(
            e.status == TaskStatus::Done,
            e.done == e.items.len(),
            "done exactly when every item was computed: {e:?}"
        );
    }
    for worker in 0..report.workers {
        let mut mine: Vec<&TaskEvent> = events.iter().filter(|e| e.worker == worker).collect();
        mine.sort_unstable_by_key(|e| e.task);
        for pair in mine.windows(2) {
            assert!(
                pair[0].end <= pair[1].start,
                "worker {worker} runs one task at a time, earlier tasks first: {mine:?}"
            );
        }
        let inside: Duration = mine.iter().map(|e| e.end - e.start).sum();
        assert_eq!(report.busy[worker], inside, "busy time of worker {worker}");
    }
    let most = max_overlap(events);
    assert!(
        most <= report.workers,
        "{most} tasks ran at once on {} workers: {events:?}",
        report.workers
    );
}

/// [`assert_schedule`] for a run that ended normally: every task ran, to the end.
fn assert_complete(report: &Report, chunksize: usize) {
    assert_schedule(report, chunksize);
    assert!(report.is_complete());
    assert_eq!(report.events.len(), report.items.div_ceil(chunksize));
    assert!(report.events.iter().all(|e| e.status == TaskStatus::Done));
}

/// What the messages of every run show: a task is announced before it ends, by the
/// worker, items and start time its event records; a worker announces a task only after
/// ending its last one; the report's events are the finished tasks in arrival order.
fn assert_log(log: &[Message], report: &Report) {
    let mut running: HashMap<usize, usize> = HashMap::new();
    let mut started = HashMap::new();
    let mut finished = Vec::new();
    for message in log {
        match message {
            Message::Started(s) => {
                assert_eq!(
                    running.insert(s.worker, s.task),
                    None,
                    "worker {} starts task {} while running another",
                    s.worker,
                    s.task
                );
                assert!(started.insert(s.task, s.clone()).is_none(), "{s:?} twice");
            }
            Message::Finished(f) => {
                let e = &f.event;
                assert_eq!(running.remove(&e.worker), Some(e.task), "{e:?}");
                let s = &started[&e.task];
                assert_eq!((s.worker, &s.items, s.at), (e.worker, &e.items, e.start));
                assert_eq!(f.values.len(), e.done, "{e:?}");
                finished.push(e.clone());
            }
        }
    }
    assert!(running.is_empty(), "tasks that never ended: {running:?}");
    assert_eq!(finished, report.events);
}

/// Tasks come from one queue in index order. A worker takes a task and then announces
/// it, so another worker may announce a later task first; but every earlier task has
/// already been taken, by a worker still about to announce it. So when a task is
/// announced, the earlier tasks not yet announced belong to other workers, one each:
/// at most `workers - 1` of them.
fn assert_taken_in_order(log: &[Message], workers: usize) {
    let worker_of: HashMap<usize, usize> = log
        .iter()
        .filter_map(|m| match m {
            Message::Started(s) => Some((s.task, s.worker)),
            Message::Finished(_) => None,
        })
        .collect();
    let mut announced = vec![false; worker_of.keys().max().map_or(0, |t| t + 1)];
    let mut lowest = 0;
    for message in log {
        let Message::Started(s) = message else {
            continue;
        };
        let waiting: Vec<usize> = (lowest..s.task).filter(|&t| !announced[t]).collect();
        let holders: Vec<usize> = waiting
            .iter()
            .map(|t| {
                *worker_of
                    .get(t)
                    .unwrap_or_else(|| panic!("task {t} was skipped: task {} ran", s.task))
            })
            .collect();
        let distinct: HashSet<usize> = holders.iter().copied().collect();
        assert!(
            distinct.len() == holders.len() && !distinct.contains(&s.worker),
            "task {} started on worker {} before tasks {waiting:?} (on workers {holders:?}) \
             had been taken",
            s.task,
            s.worker
        );
        assert!(
            waiting.len() < workers,
            "{waiting:?} before task {}",
            s.task
        );
        announced[s.task] = true;
        while lowest < announced.len() && announced[lowest] {
            lowest += 1;
        }
    }
}

/// Runs `tasks` one-item tasks of `work` that lasts until cancelled on `workers` workers,
/// and cancels as soon as `workers` tasks have started. Until then no task can end, so
/// the first tasks must all be running at once on as many workers; a pool that ran them
/// one after another would reach the cancel only after [`UNTIL_CANCELLED`], on one worker.
fn hold_every_worker(workers: usize, work: Work, tasks: i64) -> (Report, Vec<Message>) {
    let pool = Pool::new(workers).unwrap();
    let cancel = CancelToken::new();
    let options = MapOptions {
        chunksize: Some(1),
        cancel: cancel.clone(),
    };
    let mut log: Vec<Message> = Vec::new();
    let mut started = 0;
    let outcome = pool.map_with(
        Kernel::new(Op::Square).with_work(work),
        ints(1..=tasks),
        options,
        |m| {
            log.push(m.clone());
            if matches!(m, Message::Started(_)) {
                started += 1;
                if started == workers {
                    cancel.cancel();
                }
            }
        },
    );
    let Err(RunError::Cancelled(report)) = outcome else {
        panic!("the run says it was cancelled: {outcome:?}");
    };
    assert_schedule(&report, 1);
    assert_log(&log, &report);
    (*report, log)
}

/// What [`hold_every_worker`] must show: the first `workers` tasks ran all at once, one
/// on each worker, and were interrupted by the cancel, after which no task started.
fn assert_every_worker_held(report: &Report, log: &[Message], workers: usize) {
    let started: Vec<(usize, usize)> = log
        .iter()
        .filter_map(|m| match m {
            Message::Started(s) => Some((s.task, s.worker)),
            Message::Finished(_) => None,
        })
        .collect();
    let tasks: HashSet<usize> = started.iter().map(|&(t, _)| t).collect();
    let on: HashSet<usize> = started.iter().map(|&(_, w)| w).collect();
    assert_eq!(tasks, (0..workers).collect(), "the first tasks: {log:?}");
    assert_eq!(on, (0..workers).collect(), "one on each worker: {log:?}");
    // Only the held tasks ever started: none was handed out after the cancel.
    assert_eq!(started.len(), workers, "{log:?}");
    for (i, a) in report.events.iter().enumerate() {
        assert_eq!((a.status, a.done), (TaskStatus::Cancelled, 0), "{a:?}");
        for b in &report.events[i + 1..] {
            assert!(overlap(a, b), "running at once: {a:?} {b:?}");
        }
    }
    assert_eq!(max_overlap(&report.events), workers);
    assert!(report.results.is_empty());
}

#[test]
fn map_returns_squares_and_cubes_in_input_order() {
    let pool = Pool::new(2).unwrap();
    let numbers = ints(1..=5);
    let squares = pool.map(Kernel::new(Op::Square), numbers.clone()).unwrap();
    let cubes = pool.map(Kernel::new(Op::Cube), numbers).unwrap();
    assert_eq!(
        squares.results.to_vec(),
        ints(1..=5)
            .iter()
            .map(|n| n.square().unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        webpool::number::python_list(squares.results.values()),
        "[1, 4, 9, 16, 25]"
    );
    assert_eq!(
        webpool::number::python_list(cubes.results.values()),
        "[1, 8, 27, 64, 125]"
    );
    assert_complete(&squares, default_chunksize(5, 2));
    assert_complete(&cubes, default_chunksize(5, 2));
}

#[test]
fn large_map_keeps_order_across_many_chunks() {
    let pool = Pool::new(2).unwrap();
    let report = pool
        .map(Kernel::new(Op::Square), ints(1..=100_000))
        .unwrap();
    assert_eq!(report.results.len(), 100_000);
    // Python's rule: ceil(100000 / (4 * 2)) = 12500 items a task, so 8 tasks.
    assert_complete(&report, 12_500);
    assert_eq!(report.events.len(), 8);
    for (i, (index, value)) in report.results.iter().enumerate() {
        assert_eq!(index, i);
        let n = i as i64 + 1;
        assert_eq!(value, Number::Int(n * n));
    }
}

#[test]
fn default_chunksize_follows_python() {
    assert_eq!(default_chunksize(5, 2), 1);
    assert_eq!(default_chunksize(1_000_000, 2), 125_000);
    assert_eq!(default_chunksize(17, 2), 3);
    assert_eq!(default_chunksize(0, 4), 1);
}

#[test]
fn explicit_chunksize_makes_tasks_of_that_size() {
    let pool = Pool::new(2).unwrap();
    let report = pool
        .map_with(
            Kernel::new(Op::Cube),
            ints(1..=10),
            MapOptions::chunksize(3),
            |_| {},
        )
        .unwrap();
    let mut by_task: Vec<(usize, std::ops::Range<usize>)> = report
        .events
        .iter()
        .map(|e| (e.task, e.items.clone()))
        .collect();
    by_task.sort_unstable_by_key(|(task, _)| *task);
    assert_eq!(by_task, [(0, 0..3), (1, 3..6), (2, 6..9), (3, 9..10)]);
    assert_complete(&report, 3);
    assert_eq!(
        report.results.to_vec(),
        (1..=10).map(|n| Number::Int(n * n * n)).collect::<Vec<_>>()
    );
}

#[test]
fn a_task_that_leaves_64_bits_keeps_every_result_exact() {
    // The first results are plain 64-bit integers; the third does not fit, nor does a float.
    let pool = Pool::new(1).unwrap();
    let numbers = parse_numbers("3 -2097151 2097152 0.5 4").unwrap();
    let report = pool
        .map_with(
            Kernel::new(Op::Cube),
            numbers,
            MapOptions::chunksize(5),
            |_| {},
        )
        .unwrap();
    let printed: Vec<String> = report.results.values().map(|v| v.to_string()).collect();
    assert_eq!(
        printed,
        [
            "27",
            "-9223358842721533951",
            "9223372036854775808",
            "0.125",
            "64"
        ]
    );
    assert_eq!(
        report
            .results
            .range(2..4)
            .map(|(i, _)| i)
            .collect::<Vec<_>>(),
        [2, 3]
    );
}

#[test]
fn big_integers_are_exact() {
    let pool = Pool::new(2).unwrap();
    let numbers = parse_numbers("10000000000000000000000000000000000000000 -3 2.5").unwrap();
    let report = pool.map(Kernel::new(Op::Cube), numbers).unwrap();
    let printed: Vec<String> = report.results.values().map(|v| v.to_string()).collect();
    assert_eq!(
        printed,
        vec![
            format!("1{}", "0".repeat(120)),
            "-27".into(),
            "15.625".into()
        ]
    );
}

#[test]
fn spinning_tasks_run_on_both_workers_at_once() {
    // Four tasks on two workers: only the first two may start before the cancel.
    let (report, log) = hold_every_worker(2, Work::Spin(UNTIL_CANCELLED), 4);
    assert_every_worker_held(&report, &log, 2);
}

#[test]
fn sleeping_tasks_run_on_all_four_workers_at_once() {
    // Sleeping needs no core, so four workers sleep side by side even on fewer cores.
    let (report, log) = hold_every_worker(4, Work::Sleep(UNTIL_CANCELLED), 8);
    assert_every_worker_held(&report, &log, 4);
}

#[test]
fn no_more_tasks_run_at_once_than_the_pool_has_workers() {
    // More tasks than workers, so that a pool that ran them all at once would show it.
    for (workers, work) in [
        (2, Work::Spin(Duration::from_millis(10))),
        (4, Work::Sleep(Duration::from_millis(10))),
    ] {
        let pool = Pool::new(workers).unwrap();
        let kernel = Kernel::new(Op::Square).with_work(work);
        let (outcome, log) = map_logged(&pool, kernel, ints(1..=12), MapOptions::chunksize(1));
        let report = outcome.unwrap();
        assert_complete(&report, 1);
        assert_log(&log, &report);
        assert_eq!(report.results.to_vec(), squares(1..=12));
    }
}

#[test]
fn a_sleeping_task_lasts_at_least_its_sleep() {
    let sleep = Duration::from_millis(40);
    let pool = Pool::new(4).unwrap();
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(sleep));
    // Two items a task: each task sleeps twice.
    let report = pool
        .map_with(kernel, ints(1..=8), MapOptions::chunksize(2), |_| {})
        .unwrap();
    assert_complete(&report, 2);
    for e in &report.events {
        assert!(e.end - e.start >= 2 * sleep, "slept twice: {e:?}");
    }
    let tasks_of = |worker| report.events.iter().filter(|e| e.worker == worker).count();
    for (worker, busy) in report.busy.iter().enumerate() {
        let at_least = 2 * sleep * u32::try_from(tasks_of(worker)).unwrap();
        assert!(
            *busy >= at_least,
            "worker {worker} slept through its tasks: {:?}",
            report.busy
        );
    }
}

#[test]
fn tasks_are_taken_from_one_queue_in_order() {
    // Python's pool gives equal tasks out in rounds (0 and 1, then 2 and 3, ...) on an idle
    // machine; what its queue guarantees on any machine is the order checked here (and
    // that the first round goes to every worker at once: see the `..._at_once` tests). A
    // run where one worker takes every task in order meets it, as it may.
    let workers = 3;
    let pool = Pool::new(workers).unwrap();
    for (work, count) in [
        (Work::Sleep(Duration::from_millis(2)), 30),
        // Many tiny tasks, so that workers often race for the queue.
        (Work::None, 3000),
    ] {
        let kernel = Kernel::new(Op::Square).with_work(work);
        let (outcome, log) = map_logged(&pool, kernel, ints(1..=count), MapOptions::chunksize(1));
        let report = outcome.unwrap();
        assert_complete(&report, 1);
        assert_log(&log, &report);
        assert_taken_in_order(&log, workers);
        assert_eq!(report.results.to_vec(), squares(1..=count));
    }
}

#[test]
fn imap_yields_results_in_input_order() {
    let pool = Pool::new(2).unwrap();
    let ordered: Vec<Number> = pool
        .imap(Kernel::new(Op::Square), ints(1..=6), MapOptions::default())
        .map(Result::unwrap)
        .collect();
    assert_eq!(ordered, squares(1..=6));

    // Tasks of three items and of one: the short one usually ends first, and its result
    // must still wait for the other's.
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(20)));
    let ordered: Vec<Number> = pool
        .imap(kernel, ints(1..=4), MapOptions::chunksize(3))
        .map(Result::unwrap)
        .collect();
    assert_eq!(ordered, squares(1..=4));
}

#[test]
fn imap_unordered_yields_each_task_whole_as_it_ends() {
    // The stream follows the order in which tasks end, which the machine decides and the
    // stream does not report; what holds for any such order is that each task's results
    // come out together, in input order, each with its index, and every result once.
    let pool = Pool::new(2).unwrap();
    let chunksize = 3;
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(20)));
    let unordered: Vec<(usize, Number)> = pool
        .imap_unordered(kernel, ints(1..=7), MapOptions::chunksize(chunksize))
        .map(Result::unwrap)
        .collect();
    for (i, value) in &unordered {
        let n = *i as i64 + 1;
        assert_eq!(value, &Number::Int(n * n));
    }
    let indexes: Vec<usize> = unordered.iter().map(|(i, _)| *i).collect();
    let mut sorted = indexes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..7).collect::<Vec<_>>(), "every result once");
    for (k, &i) in indexes.iter().enumerate() {
        if i % chunksize != 0 {
            assert_eq!(
                k.checked_sub(1).map(|k| indexes[k]),
                Some(i - 1),
                "item {i} right after the one before it in its task: {indexes:?}"
            );
        }
    }
}

#[test]
fn cancel_keeps_finished_results_and_starts_nothing_new() {
    let workers = 2;
    let pool = Pool::new(workers).unwrap();
    let cancel = CancelToken::new();
    let options = MapOptions {
        chunksize: Some(1),
        cancel: cancel.clone(),
    };
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(20)));
    let mut before_cancel = Vec::new();
    let mut log = Vec::new();
    let outcome = pool.map_with(kernel, ints(1..=40), options, |m| {
        log.push(m.clone());
        if let Message::Finished(f) = m
            && !cancel.is_cancelled()
        {
            before_cancel.push(f.event.task);
            if before_cancel.len() == 4 {
                cancel.cancel();
            }
        }
    });
    let report = match outcome {
        Err(RunError::Cancelled(report)) => *report,
        // Only when every task had been handed out before the cancel reached a worker.
        Ok(report) if report.is_complete() => report,
        other => panic!("the run says it was cancelled: {other:?}"),
    };
    assert_schedule(&report, 1);
    assert_log(&log, &report);

    // What had finished stays: the four tasks seen before the cancel and any other that
    // got to the end, each with its right result.
    for task in &before_cancel {
        let e = report.events.iter().find(|e| e.task == *task).unwrap();
        assert_eq!(e.status, TaskStatus::Done, "{e:?}");
    }
    let done: usize = report.events.iter().map(|e| e.done).sum();
    assert_eq!(report.results.len(), done);
    assert!(done >= 4);
    for (i, value) in report.results.iter() {
        let n = i as i64 + 1;
        assert_eq!(value, Number::Int(n * n));
    }

    // A task ends cancelled only once its worker has seen the cancel, and that worker
    // then takes no other task.
    for worker in 0..workers {
        let mut mine: Vec<&TaskEvent> = report
            .events
            .iter()
            .filter(|e| e.worker == worker)
            .collect();
        mine.sort_unstable_by_key(|e| e.task);
        let cancelled = mine.iter().position(|e| e.status == TaskStatus::Cancelled);
        assert!(
            cancelled.is_none_or(|at| at == mine.len() - 1),
            "worker {worker} went on after a cancelled task: {mine:?}"
        );
    }
    // The first cancelled task ended after the cancel, so a task that started later still
    // could start (its worker had taken it just before), but computes nothing.
    let cancelled_by = report
        .events
        .iter()
        .filter(|e| e.status == TaskStatus::Cancelled)
        .map(|e| e.end)
        .min();
    if let Some(cancelled_by) = cancelled_by {
        for e in report.events.iter().filter(|e| e.start > cancelled_by) {
            assert_eq!((e.status, e.done), (TaskStatus::Cancelled, 0), "{e:?}");
        }
    }
}

#[test]
fn a_failing_task_names_its_task_and_input_and_keeps_other_results() {
    // Task 0 is two sleeps long; task 1 fails on its first item, after one sleep, so it
    // usually fails while task 0 still runs (either way the results below are the same).
    let pool = Pool::new(2).unwrap();
    let numbers = parse_numbers("1.5 2.5 1e200 4.5 5.5").unwrap();
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(20)));
    let error = pool
        .map_with(kernel, numbers, MapOptions::chunksize(2), |_| {})
        .unwrap_err();
    let RunError::Task { error, report } = &error else {
        panic!("a task error: {error:?}");
    };
    assert_eq!((error.task, error.item), (1, 2));
    assert_eq!(error.input.to_string(), "1e+200");
    let message = error.to_string();
    assert!(
        message.contains("item 3")
            && message.contains("1e+200")
            && message.contains("OverflowError"),
        "{message}"
    );
    assert_schedule(report, 2);
    let failed = report.events.iter().find(|e| e.task == 1).unwrap();
    assert_eq!((failed.status, failed.done), (TaskStatus::Failed, 0));
    // A failure stops the handing out of tasks, not the tasks already running: task 0
    // keeps its results. The failing task stops at its failure: 4.5 gets none.
    let kept: Vec<(usize, Number)> = report.results.range(0..4).collect();
    assert_eq!(kept, [(0, Number::Float(2.25)), (1, Number::Float(6.25))]);
}

#[test]
fn a_pool_needs_a_worker() {
    assert!(Pool::new(0).is_err());
}

#[test]
fn a_process_runs_its_target_and_join_returns_its_value() {
    let process = webpool::Process::spawn(|| (1..=5).sum::<i32>());
    let joined = process.join().unwrap();
    assert_eq!(joined.value, 15);
    assert!(joined.span.0 <= joined.span.1);
}

/// Real computation stops between two numbers when cancelled, not at its task's end: one
/// task of 2000 numbers of 1000 digits (a second or more of computing) is cancelled as it
/// starts.
#[test]
fn a_cancel_reaches_a_collatz_task_between_two_numbers() {
    let text: String = (1..=2000)
        .map(|k| format!("1{}{k:04} ", "0".repeat(995)))
        .collect();
    let numbers = parse_numbers(&text).unwrap();
    let cancel = CancelToken::new();
    let options = MapOptions {
        chunksize: Some(2000),
        cancel: cancel.clone(),
    };
    let pool = Pool::new(1).unwrap();
    let outcome = pool.map_with(Kernel::new(Op::Collatz), numbers, options, |m| {
        if let Message::Started(_) = m {
            cancel.cancel();
        }
    });
    let Err(RunError::Cancelled(report)) = outcome else {
        panic!("the run says it was cancelled: {outcome:?}");
    };
    let [task] = &report.events[..] else {
        panic!("one task: {:?}", report.events)
    };
    assert_eq!(task.status, TaskStatus::Cancelled);
    assert!(task.done < 2000, "{} numbers computed", task.done);
}

/// Integers packed as `i64`s (what a typed array becomes in the browser's engine) give what
/// the same integers as [`Number`]s give: results of every width, and the same failure.
#[test]
fn packed_integers_give_what_numbers_give() {
    let pool = Pool::new(1).unwrap();
    let cases: [(Op, Vec<i64>); 5] = [
        (Op::Square, (-500..=500).collect()),
        // Squares that leave 64 bits in the middle of a task, and the extremes.
        (
            Op::Square,
            vec![7, 3_037_000_499, 3_037_000_500, i64::MAX, i64::MIN, -7],
        ),
        // Cubes past 64 and then 128 bits.
        (
            Op::Cube,
            vec![2, -2_097_152, 2_097_152, 1 << 43, i64::MAX, -3],
        ),
        (Op::Collatz, vec![27, 97, 1, 871, i64::MAX]),
        // Collatz is defined for positive integers only: 0 fails its task.
        (Op::Collatz, vec![27, 3, 0, 5]),
    ];
    for (case, (op, packed)) in cases.into_iter().enumerate() {
        for chunksize in [1, 2, 1000] {
            let context = format!("case {case} ({op}), chunksize {chunksize}");
            let numbers: Vec<Number> = packed.iter().copied().map(Number::Int).collect();
            let kernel = Kernel::new(op);
            let options = MapOptions::chunksize(chunksize);
            let expected = outcome(pool.map_with(kernel, numbers, options.clone(), |_| {}));
            let got = outcome(pool.map_with(kernel, packed.clone(), options, |_| {}));
            assert_eq!(
                expected.is_err(),
                op == Op::Collatz && packed.contains(&0),
                "{context}"
            );
            assert_eq!(got, expected, "{context}");
        }
    }
    // With simulated work each item goes through the general loop, which fails the same way.
    let kernel = Kernel::new(Op::Collatz).with_work(Work::Sleep(Duration::from_millis(1)));
    let packed: Vec<i64> = vec![27, 3, 0, 5];
    let numbers: Vec<Number> = packed.iter().copied().map(Number::Int).collect();
    let expected = outcome(pool.map_with(kernel, numbers, MapOptions::chunksize(2), |_| {}));
    assert!(expected.is_err());
    let got = outcome(pool.map_with(kernel, packed, MapOptions::chunksize(2), |_| {}));
    assert_eq!(got, expected);
}

/// A run's results, or its failure as the caller sees it: the message, the input named
/// and what was kept.
fn outcome(run: Result<Report, RunError>) -> Result<Vec<Number>, (String, Number, Vec<Number>)> {
    match run {
        Ok(report) => Ok(report.results.to_vec()),
        Err(RunError::Task { error, report }) => {
            Err((error.to_string(), error.input, report.results.to_vec()))
        }
        Err(e) => panic!("neither results nor a failure: {e:?}"),
    }
}
