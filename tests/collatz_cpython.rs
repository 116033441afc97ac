//! Compares the `collatz` kernel with its Python reference, `src/kernel/collatz.py`, run
//! by the real CPython: integers of every size webpool accepts (1 to 1000 digits), the
//! edges where the kernel moves between its 64-bit, 128-bit and any-size paths, and the
//! numbers outside its domain, whose errors must read as Python's exceptions.
//!
//! The numbers go as text to ONE `python3` process, which prints one line per number.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use num_bigint::BigInt;
use webpool::number::{Number, parse_numbers};
use webpool::pool::MapOptions;
use webpool::{Kernel, Op, Pool, RunError};

mod cpython;
use cpython::{Rng, shorten};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/kernel/collatz.py");

/// Random inputs of this test's own kinds.
impl Rng {
    /// A positive integer of exactly `digits` decimal digits.
    fn digits(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|i| {
                char::from(
                    b'0' + if i == 0 {
                        1 + self.below(9)
                    } else {
                        self.below(10)
                    } as u8,
                )
            })
            .collect()
    }
}

/// Positive integers: every path of the kernel and the handovers between them.
fn valid_cases() -> Vec<String> {
    let mut rng = Rng(0xc011_a7a5_5eed);
    let mut t: Vec<String> = (1..=3000).map(|n: u64| n.to_string()).collect();
    let one = BigInt::from(1);
    // Powers of two (only halvings) and their neighbours (2^k - 1 climbs for k steps first),
    // up to the largest power of two with 1000 digits.
    for k in (1..=3321u32)
        .step_by(37)
        .chain([63, 64, 65, 127, 128, 129, 3320, 3321])
    {
        let power = &one << k;
        for delta in [-1i32, 0, 1] {
            let n = &power + delta;
            if n >= one {
                t.push(n.to_string());
            }
        }
    }
    // Where the 64-bit and the 128-bit loops hand over: the largest odd n whose 3n + 1 fits.
    let u64_odd_max = BigInt::from((u64::MAX - 1) / 3);
    let u128_odd_max = BigInt::from((u128::MAX - 1) / 3);
    for edge in [&u64_odd_max, &u128_odd_max] {
        for delta in -6i32..=6 {
            t.push((edge + delta).to_string());
        }
    }
    t.extend([
        i64::MAX.to_string(),
        (i64::MAX - 1).to_string(),
        u64::MAX.to_string(),
        u128::MAX.to_string(),
        // Records of the longest chains and highest peaks for their size.
        "77031".into(),
        "837799".into(),
        "63728127".into(),
        "670617279".into(),
        "9780657630".into(),
        "75128138247".into(),
        "1980976057694848447".into(),
        // Written as people type them: leading zeros and a plus sign.
        "+27".into(),
        "0007".into(),
    ]);
    // The largest and the first of the numbers Q2 computes on: 1000 digits.
    t.push("9".repeat(1000));
    t.push(format!("1{}", "0".repeat(999)));
    t.push(format!("1{}1", "0".repeat(998)));
    // Random integers of every size: 64-bit ones of every width, then 19 to 1000 digits.
    for _ in 0..500 {
        let bits = rng.below(64);
        t.push((rng.next() >> bits).max(1).to_string());
    }
    for _ in 0..120 {
        let digits = 19 + rng.below(200) as usize;
        t.push(rng.digits(digits));
    }
    for _ in 0..25 {
        let digits = 200 + rng.below(801) as usize;
        t.push(rng.digits(digits));
    }
    t
}

/// Outside the domain: zero, negative integers of every size, floats (even whole ones).
fn invalid_cases() -> Vec<String> {
    [
        "0",
        "-0",
        "+0",
        "-1",
        "-27",
        "-9223372036854775808",
        "-9223372036854775809",
        "-340282366920938463463374607431768211456",
        "2.5",
        "4.0",
        "1.0",
        "0.0",
        "-0.0",
        "1e300",
        "-2.5",
        "5e-324",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("-{}", "9".repeat(1000))])
    .collect()
}

fn run_python(input: &str) -> Vec<String> {
    cpython::run(&[REFERENCE], input)
        .lines()
        .map(String::from)
        .collect()
}

/// Every number, one by one: the steps, or the error, exactly as Python's reference says.
#[test]
fn collatz_matches_the_python_reference() {
    let tokens: Vec<String> = valid_cases().into_iter().chain(invalid_cases()).collect();
    let input = tokens.join("\n");
    let numbers = parse_numbers(&input).expect("every generated token parses");
    assert_eq!(numbers.len(), tokens.len());
    let python = run_python(&input);
    assert_eq!(
        python.len(),
        tokens.len(),
        "one line per number from python3"
    );

    let mut mismatches = Vec::new();
    let (mut big, mut errors) = (0, 0);
    for ((token, number), python) in tokens.iter().zip(&numbers).zip(&python) {
        let ours = match Op::Collatz.apply(number) {
            Ok(steps) => steps.to_string(),
            Err(e) => {
                errors += 1;
                e.to_string()
            }
        };
        big += usize::from(matches!(number, Number::Big(_)));
        if ours != *python {
            mismatches.push(format!(
                "collatz({}): ours {ours:?} python {python:?}",
                shorten(token)
            ));
        }
    }
    eprintln!(
        "compared the Collatz steps of {} numbers ({big} past 64 bits, {errors} outside the \
         domain) with {REFERENCE}",
        tokens.len()
    );
    assert_eq!(errors, invalid_cases().len(), "every invalid case fails");
    assert!(
        mismatches.is_empty(),
        "{} mismatches; the first ones:\n  {}",
        mismatches.len(),
        mismatches[..mismatches.len().min(15)].join("\n  ")
    );
}

/// The same numbers through a pool of 2 workers, in tasks of a few: the results the tasks
/// keep are the reference's too.
#[test]
fn collatz_through_a_pool_matches_the_python_reference() {
    let tokens = valid_cases();
    let input = tokens.join("\n");
    let numbers: Arc<[Number]> = parse_numbers(&input).expect("integers parse").into();
    let python = run_python(&input);
    let pool = Pool::new(2).unwrap();
    let report = pool
        .map_with(
            Kernel::new(Op::Collatz),
            Arc::clone(&numbers),
            MapOptions::chunksize(7),
            |_| {},
        )
        .unwrap();
    let ours: Vec<String> = report.results.values().map(|n| n.to_string()).collect();
    assert_eq!(ours, python);
}

/// A number outside the domain fails its task with Python's error, naming the item and
/// the input, and keeps what was computed before it.
#[test]
fn collatz_outside_its_domain_fails_the_task_like_python() {
    let pool = Pool::new(2).unwrap();
    for (text, python) in [
        ("27 97 0 5", &run_python("0")[0]),
        ("27 97 2.5 5", &run_python("2.5")[0]),
    ] {
        let numbers = parse_numbers(text).unwrap();
        let error = pool
            .map_with(
                Kernel::new(Op::Collatz),
                numbers,
                MapOptions::chunksize(4),
                |_| {},
            )
            .unwrap_err();
        let RunError::Task {
            error: task,
            report,
        } = &error
        else {
            panic!("{text}: {error:?}")
        };
        let input = text.split(' ').nth(2).unwrap();
        assert_eq!(
            task.to_string(),
            format!("task 0 failed on item 3 (input {input}): {python}")
        );
        assert_eq!(
            report
                .results
                .values()
                .take(2)
                .map(|n| n.to_string())
                .collect::<Vec<_>>(),
            ["111", "118"]
        );
    }
}
