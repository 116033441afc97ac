//! A task that fails stops its own run and nothing else: a panic (a bug) is a failed task
//! with its message, never an abort, and `imap` ending on a failure leaves the caller's
//! cancel token alone.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use webpool::number::parse_numbers;
use webpool::pool::{MapOptions, RunError, TaskFailure, TaskStatus};
use webpool::{CancelToken, Kernel, Number, Op, Pool};

#[test]
fn a_panicking_task_fails_its_run_with_its_message_and_the_pool_goes_on() {
    let pool = Pool::new(2).unwrap();
    let numbers = parse_numbers("1..8").unwrap();
    let failed = pool.map_with(
        Kernel::new(Op::Panic),
        numbers.clone(),
        MapOptions::chunksize(2),
        |_| {},
    );
    let Err(RunError::Task { error, report }) = failed else {
        panic!("the run fails: {failed:?}");
    };
    let TaskFailure::Panicked(message) = &error.failure else {
        panic!("a panic, not {:?}", error.failure);
    };
    assert!(message.contains("a bug in the task computing"), "{message}");
    assert_eq!(
        error.to_string(),
        format!("task {} panicked: {message}", error.task)
    );
    // The item named is the task's first, where its results stop, and its input is that
    // item's number.
    assert_eq!(error.item, error.task * 2);
    assert_eq!(error.input, numbers[error.item]);
    assert!(
        report
            .events
            .iter()
            .any(|e| e.task == error.task && e.status == TaskStatus::Failed)
    );

    // The same pool, and so the same threads, still work.
    let squares = pool.map(Kernel::new(Op::Square), numbers).unwrap();
    assert_eq!(
        squares.results.to_vec(),
        parse_numbers("1 4 9 16 25 36 49 64").unwrap()
    );
}

#[test]
fn imap_ends_its_own_run_on_a_failure_and_not_the_caller_s_token() {
    let pool = Pool::new(2).unwrap();
    let cancel = CancelToken::new();
    // 1e200 ** 2 overflows a float: Python raises OverflowError, and so does the task.
    let numbers = parse_numbers("1 2 1e200 4 5").unwrap();
    let options = MapOptions {
        chunksize: Some(1),
        cancel: cancel.clone(),
    };
    let results: Vec<_> = pool
        .imap(Kernel::new(Op::Square), numbers, options)
        .collect();
    let first_error = results
        .iter()
        .position(|r| r.is_err())
        .expect("1e200 ** 2 fails");
    assert_eq!(first_error, 2, "{results:?}");
    assert_eq!(
        results.len(),
        3,
        "the stream ends after its failure: {results:?}"
    );
    assert!(!cancel.is_cancelled(), "the caller's token is not touched");

    // The same token still serves another run, which completes.
    let options = MapOptions {
        chunksize: None,
        cancel,
    };
    let cubes = pool
        .map_with(
            Kernel::new(Op::Cube),
            vec![Number::from(3)],
            options,
            |_| {},
        )
        .unwrap();
    assert_eq!(cubes.results.to_vec(), [Number::from(27)]);
}
