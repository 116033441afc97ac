//! `pool.map(square)` over `1..=1_000_000` with 1 and 2 workers, the figure compared with
//! CPython's `Pool(2).map` in the README.

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

criterion_group!(benches, map_square);
criterion_main!(benches);
