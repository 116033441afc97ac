//! The native figures of the benchmark report (`./build.sh bench`; `benches/report.mjs`
//! draws them beside the browser's and CPython's, which measure the same workloads):
//!
//! - scaling: `pool.map(collatz)` over the 128 numbers `10**999 + 1 ..= 10**999 + 128`
//!   (real computation, a few hundred microseconds each) and `pool.map(square)` of 16
//!   numbers that each sleep 50 ms, on 1, 2, 4 and 8 workers, the worker counts taking turns
//!   run after run (the machine may be shared: a load that comes and goes weighs on each alike);
//! - size: `pool.map(square)` over `1..=n` on 2 workers for n = 10^3 … 10^7;
//! - start: `Pool::new(workers)` and its first result, `map(square)` of `[1]`.
//!
//! Every time is one `pool.map` call as a caller sees it (the numbers already parsed, as
//! criterion's `map` benchmark has them). It writes the raw times, in milliseconds, as JSON:
//!
//! ```sh
//! cargo bench --bench native -- target/bench-report/native.json
//! ```

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use num_bigint::BigInt;
use webpool::{Kernel, Number, Op, Pool, Work};

// The same allocator as the `webpool` command (see there why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORKERS: [usize; 4] = [1, 2, 4, 8];
/// The CPU-bound workload: as in `benches/cpython_pool.py` and `www/bench-report.js`.
const COLLATZ_ITEMS: u32 = 128;
const COLLATZ_RUNS: usize = 15;
/// The waiting workload: 16 numbers, each sleeping 50 ms.
const SLEEP_ITEMS: i64 = 16;
const SLEEP_MS: u64 = 50;
const SLEEP_RUNS: usize = 3;
const SIZES: [usize; 5] = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];
const START_RUNS: usize = 7;

/// Runs of `map(square)` over `items` numbers: fewer for the larger sizes.
fn size_runs(items: usize) -> usize {
    if items <= 100_000 {
        21
    } else if items <= 1_000_000 {
        11
    } else {
        5
    }
}

/// Milliseconds that `f` takes.
fn time_ms<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed().as_secs_f64() * 1e3, value)
}

/// One `pool.map`, checked complete; its time in ms.
fn map_ms(pool: &Pool, kernel: Kernel, numbers: &Arc<[Number]>) -> f64 {
    map_times(pool, kernel, numbers)[0]
}

/// One `pool.map`, checked complete: its time, its workers' time in tasks (summed) and the
/// run's own wall time (first start to last end, as the browser's `report.wallMs`), in ms.
fn map_times(pool: &Pool, kernel: Kernel, numbers: &Arc<[Number]>) -> [f64; 3] {
    let (ms, report) = time_ms(|| pool.map(kernel, Arc::clone(numbers)).expect("map"));
    assert!(report.is_complete(), "every result");
    let busy = report.busy.iter().map(|d| d.as_secs_f64() * 1e3).sum();
    let wall = report.wall.as_secs_f64() * 1e3;
    drop(report);
    [ms, busy, wall]
}

/// `[{ "workers": 1, "ms": [..], "busyMs": [..], "wallMs": [..] }, ..]`: times per worker count.
fn per_workers(times: &[(usize, [Vec<f64>; 3])]) -> String {
    let fields: Vec<String> = times
        .iter()
        .map(|(workers, [ms, busy, wall])| {
            format!(
                "{{ \"workers\": {workers}, \"ms\": {}, \"busyMs\": {}, \"wallMs\": {} }}",
                list(ms),
                list(busy),
                list(wall)
            )
        })
        .collect();
    format!("[{}]", fields.join(", "))
}

fn list(ms: &[f64]) -> String {
    let items: Vec<String> = ms.iter().map(|v| format!("{v:.4}")).collect();
    format!("[{}]", items.join(", "))
}

/// Times `kernel` over `numbers` on 1, 2, 4 and 8 workers, the counts taking turns; the
/// first round warms up. Keeps the workers' time in tasks too: the same at 1 and 2 workers
/// when they cost each other nothing and the cores are the run's alone.
fn scaling(
    pools: &[(usize, Pool)],
    kernel: Kernel,
    numbers: &Arc<[Number]>,
    runs: usize,
) -> String {
    let mut times: Vec<(usize, [Vec<f64>; 3])> = pools
        .iter()
        .map(|(w, _)| (*w, Default::default()))
        .collect();
    for run in 0..=runs {
        for (i, (_, pool)) in pools.iter().enumerate() {
            let measured = map_times(pool, kernel, numbers);
            if run > 0 {
                for (list, value) in times[i].1.iter_mut().zip(measured) {
                    list.push(value);
                }
            }
        }
    }
    per_workers(&times)
}

fn main() {
    // `cargo bench` passes `--bench`; the first other argument is where the JSON goes.
    let out = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let pools: Vec<(usize, Pool)> = WORKERS
        .iter()
        .map(|&w| (w, Pool::new(w).expect("pool")))
        .collect();
    let mut json = String::from("{\n  \"source\": \"benches/native.rs\",\n");

    eprintln!("native: collatz and sleep on 1, 2, 4, 8 workers");
    let big = BigInt::from(10).pow(999);
    let collatz: Arc<[Number]> = (1..=COLLATZ_ITEMS)
        .map(|k| Number::from_bigint(&big + k))
        .collect();
    let sleepers: Arc<[Number]> = (1..=SLEEP_ITEMS).map(Number::Int).collect();
    let sleep = Kernel::new(Op::Square).with_work(Work::Sleep(Duration::from_millis(SLEEP_MS)));
    let _ = write!(
        json,
        "  \"scaling\": {{\n    \"collatz\": {{ \"items\": {COLLATZ_ITEMS}, \"runs\": {COLLATZ_RUNS}, \"points\": {} }},\n    \
         \"sleep\": {{ \"items\": {SLEEP_ITEMS}, \"sleepMs\": {SLEEP_MS}, \"runs\": {SLEEP_RUNS}, \"points\": {} }}\n  }},\n",
        scaling(&pools, Kernel::new(Op::Collatz), &collatz, COLLATZ_RUNS),
        scaling(&pools, sleep, &sleepers, SLEEP_RUNS),
    );

    eprintln!("native: map(square) over 10^3 .. 10^7 numbers on 2 workers");
    let two = &pools[1].1;
    let mut sizes = Vec::new();
    for items in SIZES {
        let numbers: Arc<[Number]> = (1..=items as i64).map(Number::Int).collect();
        map_ms(two, Kernel::new(Op::Square), &numbers); // warm up
        let ms: Vec<f64> = (0..size_runs(items))
            .map(|_| map_ms(two, Kernel::new(Op::Square), &numbers))
            .collect();
        sizes.push(format!("{{ \"items\": {items}, \"ms\": {} }}", list(&ms)));
    }
    let _ = writeln!(
        json,
        "  \"size\": {{ \"square\": [{}] }},",
        sizes.join(", ")
    );
    drop(pools);

    eprintln!("native: Pool::new and a first result on 1, 2, 4, 8 workers");
    let one: Arc<[Number]> = Arc::from(vec![Number::Int(1)]);
    let starts: Vec<(usize, [Vec<f64>; 3])> = WORKERS
        .iter()
        .map(|&workers| {
            let ms = (0..START_RUNS)
                .map(|_| {
                    time_ms(|| {
                        let pool = Pool::new(workers).expect("pool");
                        pool.map(Kernel::new(Op::Square), Arc::clone(&one))
                            .expect("map");
                        pool
                    })
                    .0
                })
                .collect();
            (workers, [ms, Vec::new(), Vec::new()])
        })
        .collect();
    let _ = writeln!(json, "  \"start\": {}\n}}", per_workers(&starts));

    match out {
        Some(path) => {
            if let Some(dir) = std::path::Path::new(&path).parent() {
                std::fs::create_dir_all(dir).expect("the report's folder");
            }
            std::fs::write(&path, json).expect("write the figures");
            eprintln!("native: figures in {path}");
        }
        None => print!("{json}"),
    }
}
