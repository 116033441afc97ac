//! webpool: the Python `multiprocessing` tutorial made real, natively and in the browser.
//!
//! `multiprocessing.Pool(processes=2).map(compute_square, numbers)` becomes
//! `Pool::new(2)?.map(Kernel::new(Op::Square), numbers)`, with exact Python numbers,
//! ordered results, task events on one clock and a report of the run. The same code runs
//! on OS threads natively and on Web Workers in the browser (see the `wasm` module).

pub mod cancel;
pub mod clock;
pub mod kernel;
pub mod lessons;
pub mod number;
pub mod pool;
pub mod process;

pub use cancel::CancelToken;
pub use kernel::{Kernel, Op, Work};
pub use number::Number;
pub use pool::{MapOptions, Pool, Report, RunError};
pub use process::Process;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
