use std::time::Instant;
use webpool::{CancelToken, Number, Work, Op};
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let numbers: Vec<Number> = (1..=1_000_000).map(Number::Int).collect();
    let cancel = CancelToken::new();
    for _ in 0..5 {
        let t = Instant::now();
        let mut values = Vec::with_capacity(numbers.len());
        for n in &numbers { if !Work::None.perform(&cancel) { break; } values.push(Op::Square.apply(n).unwrap()); }
        let a = t.elapsed();
        let t = Instant::now();
        let v2: Vec<Number> = numbers.iter().map(|n| n.square().unwrap()).collect();
        let b = t.elapsed();
        let t = Instant::now();
        drop(values); drop(v2);
        println!("loop {a:?} collect {b:?} drop2 {:?}", t.elapsed());
    }
}
