//! What the wasm test files share: starting the pool, polling a run to its end.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use webpool::wasm::{MapRun, Numbers, start_threads, thread_count};

/// Starts the pool of `threads` Web Workers once per page (each test file is a page): any
/// rayon call before `initThreadPool` would start a one-thread pool of rayon's own.
pub async fn pool(threads: usize) {
    if thread_count() == 0 {
        start_threads(threads).await.expect("the threads start");
    }
    assert_eq!(thread_count(), threads);
}

/// Yields to the worker's event loop for `ms` between polls.
pub async fn tick(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout: Function = Reflect::get(&global, &"setTimeout".into())
            .unwrap()
            .unchecked_into();
        set_timeout.call2(&global, &resolve, &ms.into()).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub task: usize,
    pub worker: usize,
    pub start: f64,
    pub end: f64,
    pub status: u8,
}

/// Polls a run to its end, returning its finished-task events.
pub async fn finish(run: &mut MapRun, mut on_event: impl FnMut(&[Event], &MapRun)) -> Vec<Event> {
    let mut events = Vec::new();
    while !run.finished() {
        let packed = run.poll(1000).to_vec();
        for row in packed.chunks(9) {
            if row[0] == 1.0 {
                events.push(Event {
                    task: row[1] as usize,
                    worker: row[4] as usize,
                    start: row[5],
                    end: row[6],
                    status: row[7] as u8,
                });
            }
        }
        on_event(&events, run);
        tick(5).await;
    }
    events
}

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

pub fn overlap(a: &Event, b: &Event) -> bool {
    a.start < b.end && b.start < a.end
}

pub fn run(
    numbers: &Numbers,
    op: &str,
    work: &str,
    ms: f64,
    workers: usize,
    chunksize: usize,
) -> MapRun {
    MapRun::new(numbers, op, work, ms, workers, chunksize).expect("a run starts")
}

pub fn log(text: &str) {
    wasm_bindgen_test::console_log!("{text}");
}
