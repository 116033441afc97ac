//! Results past 64 bits: a task keeps them unboxed (`i128`, then 192 bits) while they fit,
//! moves to a wider form once when one does not, and every result is exact, on threads
//! and through a worker process's bytes alike.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use num_bigint::BigInt;
use webpool::number::{I192, Number, parse_numbers};
use webpool::pool::engine::{WorkerTask, wire};
use webpool::pool::{MapOptions, Report, Values};
use webpool::{Kernel, Op, Pool};

/// `x ** n` computed by num-bigint alone, the reference.
fn exact(x: &Number, n: u32) -> Number {
    match x {
        Number::Int(v) => Number::from_bigint(BigInt::from(*v).pow(n)),
        Number::Big(b) => Number::from_bigint(b.pow(n)),
        Number::Float(_) => panic!("integers only"),
    }
}

/// Which variant holds a task's results.
fn kind(values: &Values) -> &'static str {
    match values {
        Values::Ints(_) => "ints",
        Values::Wide(_) => "wide",
        Values::Wider(_) => "wider",
        Values::Numbers(_) => "numbers",
    }
}

/// Integers around every edge where a square or a cube changes width, both signs.
fn edges() -> Vec<Number> {
    let mut v: Vec<i64> = vec![0, 1, 2, i64::MAX, i64::MIN, i64::MIN + 1];
    for edge in [
        3_037_000_499,
        2_097_151,
        5_541_191_377_756,
        1 << 42,
        1 << 62,
    ] {
        for near in [edge - 1, edge, edge + 1] {
            v.extend([near, -near]);
        }
    }
    v.into_iter().map(Number::Int).collect()
}

/// Runs `op` over `numbers` in tasks of `chunksize` on 2 threads, checks every result
/// against num-bigint, and returns the variant of each task's results, in input order.
fn map_checked(op: Op, numbers: Vec<Number>, chunksize: usize) -> Vec<&'static str> {
    let n = if op == Op::Square { 2 } else { 3 };
    let numbers: Arc<[Number]> = numbers.into();
    let pool = Pool::new(2).unwrap();
    let report = pool
        .map_with(
            Kernel::new(op),
            Arc::clone(&numbers),
            MapOptions::chunksize(chunksize),
            |_| {},
        )
        .unwrap();
    let results = report.results.to_vec();
    assert_eq!(results.len(), numbers.len());
    for (x, result) in numbers.iter().zip(&results) {
        assert_eq!(*result, exact(x, n), "{x}**{n}");
    }
    (report.results.chunks().iter())
        .map(|c| kind(&c.values))
        .collect()
}

#[test]
fn results_take_the_narrowest_form_that_holds_a_whole_task() {
    // Four tasks of three: cubes in 64 bits, crossing into 128, within 128, past 128.
    let numbers = parse_numbers(
        "1 2 2097151  2097151 2097152 3  5541191377756 -4000000 4398046511104  \
         5541191377757 7 -9223372036854775808",
    )
    .unwrap();
    let kinds = map_checked(Op::Cube, numbers.clone(), 3);
    assert_eq!(kinds, ["ints", "wide", "wide", "wider"]);
    // Every square of a 64-bit integer fits in 128 bits.
    let kinds = map_checked(Op::Square, numbers, 3);
    assert_eq!(kinds, ["ints", "ints", "wide", "wide"]);
}

#[test]
fn every_edge_is_exact_whatever_the_task_cut() {
    for chunksize in [1, 2, 5, 1000] {
        for op in [Op::Square, Op::Cube] {
            map_checked(op, edges(), chunksize);
        }
    }
}

#[test]
fn a_task_never_narrows_again() {
    // Widest first: the small results after it are kept in the wide form.
    let numbers = parse_numbers("-9223372036854775808 5541191377757 3 -2").unwrap();
    assert_eq!(map_checked(Op::Cube, numbers, 4), ["wider"]);
    let numbers = parse_numbers("2097152 3 -2").unwrap();
    assert_eq!(map_checked(Op::Cube, numbers, 3), ["wide"]);
}

/// `op` over `numbers` in one task.
fn one_task(op: Op, numbers: Vec<Number>) -> Report {
    let pool = Pool::new(1).unwrap();
    let options = MapOptions::chunksize(numbers.len());
    let report = pool.map_with(Kernel::new(op), numbers, options, |_| {});
    let report = report.unwrap();
    assert_eq!(report.results.chunks().len(), 1);
    report
}

#[test]
fn floats_and_big_inputs_make_numbers() {
    let numbers = parse_numbers("4398046511104 0.5 5541191377757").unwrap();
    let report = one_task(Op::Cube, numbers);
    assert_eq!(kind(&report.results.chunks()[0].values), "numbers");
    let want = [
        exact(&Number::Int(1 << 42), 3),
        Number::Float(0.125),
        exact(&Number::Int(5541191377757), 3),
    ];
    assert_eq!(report.results.to_vec(), want);
    // A float first: no wide form is built only to be thrown away.
    let report = one_task(Op::Cube, parse_numbers("0.5 4398046511104").unwrap());
    assert_eq!(kind(&report.results.chunks()[0].values), "numbers");
    // Inputs past 64 bits go through num-bigint, exactly.
    let numbers = parse_numbers("9223372036854775808 -123456789012345678901234567890").unwrap();
    for (op, n) in [(Op::Square, 2), (Op::Cube, 3)] {
        let report = one_task(op, numbers.clone());
        let want: Vec<Number> = numbers.iter().map(|x| exact(x, n)).collect();
        assert_eq!(report.results.to_vec(), want, "{op}");
    }
}

#[test]
fn a_worker_process_resumes_in_every_width() {
    let numbers = edges();
    let input = wire::encode(&numbers);
    for op in [Op::Square, Op::Cube] {
        let n = if op == Op::Square { 2 } else { 3 };
        let mut task = WorkerTask::new(op, &input).unwrap();
        // One item at a time, as a process with simulated work computes them.
        for done in 1..=numbers.len() {
            assert_eq!(task.compute(1), done);
        }
        let values = wire::decode(&task.output()).unwrap();
        let want: Vec<Number> = numbers.iter().map(|x| exact(x, n)).collect();
        assert_eq!(values.into_numbers(), want, "{op}");
    }
}

#[test]
fn appending_keeps_the_narrowest_form_that_holds_both() {
    let big = I192::cube(-(1 << 62));
    let wide = 1i128 << 100;
    let cases = [
        (Values::Ints(vec![1]), Values::Ints(vec![2]), "ints"),
        (Values::Ints(vec![1]), Values::Wide(vec![wide]), "wide"),
        (Values::Wide(vec![wide]), Values::Ints(vec![2]), "wide"),
        (Values::Ints(vec![1]), Values::Wider(vec![big]), "wider"),
        (Values::Wider(vec![big]), Values::Wide(vec![wide]), "wider"),
        (Values::Wide(vec![wide]), Values::Wider(vec![big]), "wider"),
        (
            Values::Wider(vec![big]),
            Values::Numbers(vec![Number::Float(0.5)]),
            "numbers",
        ),
        (
            Values::Numbers(vec![Number::Float(0.5)]),
            Values::Wide(vec![wide]),
            "numbers",
        ),
    ];
    for (mut a, b, want) in cases {
        let all: Vec<Number> = a.iter().chain(b.iter()).collect();
        a.append(b);
        assert_eq!(kind(&a), want);
        assert_eq!(a.into_numbers(), all);
    }
}

#[test]
fn wide_results_read_back_as_python_ints() {
    let values = Values::Wider(vec![I192::cube(-10_000_000_000_000), I192::from(-7i64)]);
    let text: Vec<String> = values.iter().map(|n| n.to_string()).collect();
    assert_eq!(text, ["-1000000000000000000000000000000000000000", "-7"]);
    assert!(matches!(values.slice(1..2).next(), Some(Number::Int(-7))));
    assert_eq!(values.slice(1..9).count(), 1, "a slice is clamped");
}
