//! The Pool as a user of the crate sees it: ordered results, streaming, chunks, events on
//! one clock, cancellation and errors.

use std::collections::HashSet;
use std::time::Duration;

use webpool::number::parse_numbers;
use webpool::pool::{Message, TaskEvent, TaskStatus, default_chunksize};
use webpool::{CancelToken, Kernel, MapOptions, Number, Op, Pool, RunError, Work};

fn ints(range: std::ops::RangeInclusive<i64>) -> Vec<Number> {
    range.map(Number::Int).collect()
}

fn overlap(a: &TaskEvent, b: &TaskEvent) -> bool {
    a.start < b.end && b.start < a.end
}

/// Pairs of events from different workers that ran at the same time.
fn overlapping_pairs(events: &[TaskEvent]) -> usize {
    let mut pairs = 0;
    for (i, a) in events.iter().enumerate() {
        for b in &events[i + 1..] {
            if a.worker != b.worker && overlap(a, b) {
                pairs += 1;
            }
        }
    }
    pairs
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
    assert!(squares.is_complete());
}

#[test]
fn large_map_keeps_order_across_many_chunks() {
    let pool = Pool::new(2).unwrap();
    let report = pool
        .map(Kernel::new(Op::Square), ints(1..=100_000))
        .unwrap();
    assert_eq!(report.results.len(), 100_000);
    // Python's rule: ceil(100000 / (4 * 2)) = 12500 items a task, so 8 tasks.
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
    let mut sizes: Vec<usize> = report.events.iter().map(|e| e.items.len()).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, vec![1, 3, 3, 3]);
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
fn spin_tasks_on_two_workers_overlap_two_at_a_time() {
    let pool = Pool::new(2).unwrap();
    let kernel = Kernel::new(Op::Square).with_work(Work::Spin(Duration::from_millis(200)));
    let report = pool.map(kernel, ints(1..=4)).unwrap();
    let workers: HashSet<usize> = report.events.iter().map(|e| e.worker).collect();
    assert_eq!(
        workers.len(),
        2,
        "both workers ran tasks: {:?}",
        report.events
    );
    assert!(
        overlapping_pairs(&report.events) >= 2,
        "tasks on different workers overlap: {:?}",
        report.events
    );
    // Never more than two at once: each event overlaps at most one other.
    for a in &report.events {
        let others = report
            .events
            .iter()
            .filter(|b| *b != a && overlap(a, b))
            .count();
        assert!(
            others <= 2,
            "a task overlaps {others} others: {:?}",
            report.events
        );
    }
}

#[test]
fn sleep_tasks_on_four_workers_all_overlap() {
    let pool = Pool::new(4).unwrap();
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(200)));
    let report = pool.map(kernel, ints(1..=4)).unwrap();
    assert_eq!(report.events.len(), 4);
    let workers: HashSet<usize> = report.events.iter().map(|e| e.worker).collect();
    assert_eq!(workers.len(), 4);
    assert_eq!(
        overlapping_pairs(&report.events),
        6,
        "every pair overlaps: {:?}",
        report.events
    );
    for busy in &report.busy {
        assert!(
            *busy >= Duration::from_millis(200),
            "each worker slept its task: {:?}",
            report.busy
        );
    }
}

#[test]
fn tasks_are_handed_out_in_order() {
    let pool = Pool::new(2).unwrap();
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(30)));
    let mut started = Vec::new();
    pool.map_with(kernel, ints(1..=6), MapOptions::chunksize(1), |m| {
        if let Message::Started(s) = m {
            started.push(s.task);
        }
    })
    .unwrap();
    // Like Python's task queue: tasks 0 and 1 go first, then 2 and 3, then 4 and 5.
    let rounds: Vec<HashSet<usize>> = started
        .chunks(2)
        .map(|c| c.iter().copied().collect())
        .collect();
    assert_eq!(
        rounds,
        vec![
            HashSet::from([0, 1]),
            HashSet::from([2, 3]),
            HashSet::from([4, 5])
        ]
    );
}

#[test]
fn imap_streams_in_order_and_unordered_in_completion_order() {
    let pool = Pool::new(2).unwrap();
    let numbers = ints(1..=6);
    let ordered: Vec<Number> = pool
        .imap(
            Kernel::new(Op::Square),
            numbers.clone(),
            MapOptions::default(),
        )
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        ordered,
        (1..=6).map(|n| Number::Int(n * n)).collect::<Vec<_>>()
    );

    // Task 0 holds three slow items and task 1 only one, so task 1's result comes first.
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(60)));
    let unordered: Vec<(usize, Number)> = pool
        .imap_unordered(kernel, ints(1..=4), MapOptions::chunksize(3))
        .map(Result::unwrap)
        .collect();
    let indexes: Vec<usize> = unordered.iter().map(|(i, _)| *i).collect();
    assert_eq!(indexes, vec![3, 0, 1, 2]);
    for (i, value) in &unordered {
        let n = *i as i64 + 1;
        assert_eq!(value, &Number::Int(n * n));
    }
}

#[test]
fn cancel_stops_a_run_promptly_and_keeps_finished_results() {
    let pool = Pool::new(2).unwrap();
    let cancel = CancelToken::new();
    let options = MapOptions {
        chunksize: Some(1),
        cancel: cancel.clone(),
    };
    let kernel = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(100)));
    let run = pool.start(kernel, ints(1..=40), options);
    let mut collector = run.collector();
    let mut finished = 0;
    while let Some(message) = run.recv() {
        if matches!(message, Message::Finished(_)) {
            finished += 1;
            if finished == 4 {
                cancel.cancel();
            }
        }
        collector.push(message);
    }
    let elapsed = run.elapsed();
    let Err(RunError::Cancelled(report)) = run.finish(collector) else {
        panic!("the run says it was cancelled");
    };
    // 40 tasks of 100 ms on 2 workers would take 2 s; a cancel after 4 stops well before.
    assert!(
        elapsed < Duration::from_secs(1),
        "stopped promptly: {elapsed:?}"
    );
    assert!(report.results.len() >= 4 && report.results.len() < 40);
    assert!(
        report
            .events
            .iter()
            .any(|e| e.status == TaskStatus::Cancelled)
    );
    for (i, value) in report.results.iter() {
        let n = i as i64 + 1;
        assert_eq!(value, Number::Int(n * n));
    }
}

#[test]
fn a_failing_task_names_its_task_and_input() {
    let pool = Pool::new(2).unwrap();
    let numbers = parse_numbers("1.5 2.5 1e200 4.5").unwrap();
    let error = pool
        .map_with(
            Kernel::new(Op::Square),
            numbers,
            MapOptions::chunksize(1),
            |_| {},
        )
        .unwrap_err();
    let RunError::Task { error, report } = &error else {
        panic!("a task error: {error:?}");
    };
    assert_eq!((error.task, error.item), (2, 2));
    assert_eq!(error.input.to_string(), "1e+200");
    let message = error.to_string();
    assert!(
        message.contains("item 3")
            && message.contains("1e+200")
            && message.contains("OverflowError"),
        "{message}"
    );
    assert_eq!(report.results.iter().next(), Some((0, Number::Float(2.25))));
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
