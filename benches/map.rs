//! `pool.map(square)` over `1..=1_000_000` with 1 and 2 workers, the figure compared with
//! CPython's `Pool(2).map` in the README; and cubes whose results leave 64 bits (past 64
//! and past 128 bits) on 1, 2 and 4 workers, the workload where allocating each result
//! once made more workers slower (see the README's Benchmarks).

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use webpool::{Kernel, Number, Op, Pool};

// The same allocator as the `webpool` command (see there why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn map_square(c: &mut Criterion) {
    let numbers: Arc<[Number]> = (1..=1_000_000).map(Number::Int).collect();
    let mut group = c.benchmark_group("map_square_1e6");
    group.throughput(Throughput::Elements(numbers.len() as u64));
    group.sample_size(30);
    for workers in [1, 2] {
        let pool = Pool::new(workers).expect("pool");
        group.bench_function(format!("{workers}_workers"), |b| {
            b.iter(|| {
                let report = pool
                    .map(Kernel::new(Op::Square), Arc::clone(&numbers))
                    .expect("map");
                assert_eq!(report.results.len(), numbers.len());
                report
            })
        });
    }
    group.finish();
}

/// The browser benchmark's big-integer workloads (`www/bench.js`), natively: cubes of
/// `3000000..=6000000` (results of 65 to 68 bits) and of 3,000,001 numbers from 10^13
/// (results of about 130 bits).
fn map_cube_big(c: &mut Criterion) {
    const TEN_13: i64 = 10_000_000_000_000;
    let workloads: [(&str, std::ops::RangeInclusive<i64>); 2] = [
        ("past_64_bits", 3_000_000..=6_000_000),
        ("past_128_bits", TEN_13..=TEN_13 + 3_000_000),
    ];
    for (name, range) in workloads {
        let numbers: Arc<[Number]> = range.map(Number::Int).collect();
        let mut group = c.benchmark_group(format!("map_cube_{name}"));
        group.throughput(Throughput::Elements(numbers.len() as u64));
        group.sample_size(20);
        for workers in [1, 2, 4] {
            let pool = Pool::new(workers).expect("pool");
            group.bench_function(format!("{workers}_workers"), |b| {
                b.iter(|| {
                    let report = pool
                        .map(Kernel::new(Op::Cube), Arc::clone(&numbers))
                        .expect("map");
                    assert_eq!(report.results.len(), numbers.len());
                    report
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, map_square, map_cube_big);
criterion_main!(benches);
