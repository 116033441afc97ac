use std::time::{Duration, Instant};
use webpool::{CancelToken, Work};
fn main() {
    let c = CancelToken::new();
    println!("rate {}", webpool::kernel::batches_per_second());
    for _ in 0..3 { let t = Instant::now(); Work::Spin(Duration::from_millis(200)).perform(&c); println!("spin200 {:?}", t.elapsed()); }
}
