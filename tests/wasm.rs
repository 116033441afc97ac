//! The core on a rayon pool of 2 Web Workers, in headless
//! Chromium, through the same bindings the engine worker uses. Runs in a dedicated worker,
//! as the engine does.
#![cfg(target_arch = "wasm32")]

mod wasm_support;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_support::{finish, get, log, overlap, pool, run};
use webpool::wasm::{MapRun, Numbers};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const THREADS: usize = 2;

#[wasm_bindgen_test]
async fn ordered_results_match_python() {
    pool(THREADS).await;
    let numbers =
        Numbers::parse("1, 2, 3, 4, 5 10000000000000000000000000000000000000000 0.1 -2.5").unwrap();
    let mut squares = run(&numbers, "square", "none", 0.0, 2, 1);
    finish(&mut squares, |_, _| {}).await;
    let mut expected: Vec<String> = ["1", "4", "9", "16", "25"].map(String::from).to_vec();
    expected.push(format!("1{}", "0".repeat(80)));
    expected.push("0.010000000000000002".into());
    expected.push("6.25".into());
    assert_eq!(squares.results(0, 100), expected);
    let report = squares.report().unwrap();
    assert_eq!(get(&report, "status").as_string().unwrap(), "done");
    assert_eq!(get(&report, "done").as_f64().unwrap(), 8.0);

    let mut cubes = run(&numbers, "cube", "none", 0.0, 2, 0);
    finish(&mut cubes, |_, _| {}).await;
    assert_eq!(cubes.results(0, 5), vec!["1", "8", "27", "64", "125"]);
    assert_eq!(cubes.results(7, 8), vec!["-15.625"]);
}

#[wasm_bindgen_test]
async fn collatz_is_exact_past_64_bits_and_fails_like_python_outside_its_domain() {
    pool(THREADS).await;
    let big = format!("1{}1", "0".repeat(998));
    let numbers = Numbers::parse(&format!(
        "27 837799 18446744073709551617 1267650600228229401496703205375 {big}"
    ))
    .unwrap();
    let mut steps = run(&numbers, "collatz", "none", 0.0, 2, 1);
    finish(&mut steps, |_, _| {}).await;
    // As CPython counts them (src/kernel/collatz.py); the last has 1000 digits.
    assert_eq!(
        steps.results(0, 5),
        vec!["111", "524", "483", "1465", "23068"]
    );

    let numbers = Numbers::parse("27 0").unwrap();
    let mut failing = run(&numbers, "collatz", "none", 0.0, 2, 2);
    finish(&mut failing, |_, _| {}).await;
    let report = failing.report().unwrap();
    assert_eq!(get(&report, "status").as_string().unwrap(), "failed");
    let error = get(&get(&report, "error"), "message").as_string().unwrap();
    assert!(
        error.ends_with(
            "(input 0): ValueError: collatz_steps() is defined for positive integers only"
        ),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn a_large_map_from_a_typed_array_keeps_order() {
    pool(THREADS).await;
    let values: Vec<f64> = (1..=200_000).map(f64::from).collect();
    let numbers =
        Numbers::from_float64_array(&js_sys::Float64Array::from(values.as_slice())).unwrap();
    let mut squares = run(&numbers, "square", "none", 0.0, 2, 0);
    let events = finish(&mut squares, |_, _| {}).await;
    // Python's default: ceil(200000 / 8) items a task.
    assert_eq!(events.len(), 8);
    let last = squares.results(199_998, 200_000);
    assert_eq!(last, vec!["39999600001", "40000000000"]);
    let text = squares.results_text();
    assert_eq!(text.lines().count(), 200_000);
    assert!(text.starts_with("1\n4\n9\n"));
}

#[wasm_bindgen_test]
async fn two_workers_spin_at_the_same_time_and_never_more() {
    pool(THREADS).await;
    let numbers = Numbers::parse("1 2 3 4").unwrap();
    let mut spin = run(&numbers, "square", "spin", 200.0, 2, 1);
    let events = finish(&mut spin, |_, _| {}).await;
    assert_eq!(events.len(), 4);
    let workers: std::collections::HashSet<usize> = events.iter().map(|e| e.worker).collect();
    assert_eq!(workers.len(), 2, "{events:?}");
    let pairs = events
        .iter()
        .enumerate()
        .flat_map(|(i, a)| events[i + 1..].iter().map(move |b| (a, b)))
        .filter(|(a, b)| a.worker != b.worker && overlap(a, b))
        .count();
    assert!(
        pairs >= 2,
        "two workers were busy at the same time: {events:?}"
    );
    // Never more than two at any instant: at each task's start, count those running then.
    // (A slow task may overlap several short ones of the other worker, one after another.)
    for a in &events {
        let at_once = events
            .iter()
            .filter(|b| b.start <= a.start && a.start < b.end)
            .count();
        assert!(at_once <= 2, "never more than 2 tasks at once: {events:?}");
    }
    let wall = get(&spin.report().unwrap(), "wallMs").as_f64().unwrap();
    log(&format!("2 workers, 4 x spin(200ms): wall {wall:.0} ms"));
}

#[wasm_bindgen_test]
async fn cancel_stops_the_run_and_keeps_what_was_done() {
    pool(THREADS).await;
    let numbers = Numbers::parse("1..40").unwrap();
    let mut slow = run(&numbers, "square", "sleep", 100.0, 2, 1);
    let mut cancelled = false;
    let events = finish(&mut slow, |events, run| {
        if events.len() >= 4 && !cancelled {
            run.cancel();
            cancelled = true;
        }
    })
    .await;
    let report = slow.report().unwrap();
    assert_eq!(get(&report, "status").as_string().unwrap(), "cancelled");
    let done = get(&report, "done").as_f64().unwrap() as usize;
    assert!((4..40).contains(&done), "kept {done} results");
    assert!(events.len() < 40);
    assert!(
        events.iter().any(|e| e.status == 1),
        "a task says it was cancelled"
    );
    let kept = slow.results(0, 4);
    assert_eq!(kept, vec!["1", "4", "9", "16"]);
}

#[wasm_bindgen_test]
async fn a_failing_item_is_named() {
    pool(THREADS).await;
    let numbers = Numbers::parse("1.5 1e200 3").unwrap();
    let mut overflow = run(&numbers, "square", "none", 0.0, 2, 1);
    finish(&mut overflow, |_, _| {}).await;
    let report = overflow.report().unwrap();
    assert_eq!(get(&report, "status").as_string().unwrap(), "failed");
    let error = get(&report, "error");
    assert_eq!(get(&error, "input").as_string().unwrap(), "1e+200");
    assert_eq!(get(&error, "item").as_f64().unwrap(), 1.0);
    assert!(
        get(&error, "message")
            .as_string()
            .unwrap()
            .contains("OverflowError")
    );
}

#[wasm_bindgen_test]
fn bad_input_says_what_and_where() {
    let error = Numbers::parse("1, 2, 3x, 4").expect_err("3x is refused");
    assert_eq!(get(&error, "token").as_string().unwrap(), "3x");
    assert_eq!(get(&error, "item").as_f64().unwrap(), 3.0);
    assert_eq!(get(&error, "start").as_f64().unwrap(), 6.0);
    assert_eq!(get(&error, "end").as_f64().unwrap(), 8.0);
    assert!(
        get(&error, "message")
            .as_string()
            .unwrap()
            .contains("\"3x\" (item 3)")
    );
    assert!(Numbers::parse("  , ").is_err());
    assert!(MapRun::new(&Numbers::parse("1").unwrap(), "sqrt", "none", 0.0, 1, 0).is_err());
}
