//! Many workers on a pool of 8 Web Workers: waiting work overlaps past the core count, and
//! a lesson (whose driver takes a thread of its own) runs beside its pool.
#![cfg(target_arch = "wasm32")]

mod wasm_support;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_support::{finish, get, log, overlap, pool, run, tick};
use webpool::wasm::{LessonRun, Numbers};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const THREADS: usize = 8;

#[wasm_bindgen_test]
async fn eight_sleeping_workers_all_overlap() {
    pool(THREADS).await;
    let numbers = Numbers::parse("1..8").unwrap();
    let mut sleep = run(&numbers, "cube", "sleep", 200.0, 8, 1);
    let events = finish(&mut sleep, |_, _| {}).await;
    assert_eq!(events.len(), 8);
    for (i, a) in events.iter().enumerate() {
        for b in &events[i + 1..] {
            assert!(overlap(a, b), "{a:?} and {b:?} overlap");
        }
    }
    let wall = get(&sleep.report().unwrap(), "wallMs").as_f64().unwrap();
    log(&format!("8 workers, 8 x sleep(200ms): wall {wall:.0} ms"));
}

#[wasm_bindgen_test]
async fn lesson_q1_prints_the_notebook_lines() {
    pool(THREADS).await;
    let mut lesson = LessonRun::new("q1", 0.01, 2, 1).unwrap();
    let mut lines = Vec::new();
    while !lesson.finished() {
        let events = lesson.poll().unwrap();
        for event in js_sys::Array::from(&events).iter() {
            if get(&event, "kind").as_string().as_deref() == Some("print") {
                lines.push(get(&event, "text").as_string().unwrap());
            }
        }
        tick(5).await;
    }
    assert_eq!(lesson.outcome().as_deref(), Some("ok"));
    let mut squares = lines[..5].to_vec();
    squares.sort();
    assert_eq!(
        squares,
        (1..=5)
            .map(|n| format!("Computing square of {n}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        &lines[10..],
        ["Squares: [1, 4, 9, 16, 25]", "Cubes: [1, 8, 27, 64, 125]"]
    );
}
