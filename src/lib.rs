//! webpool: the Python `multiprocessing` tutorial made real, natively and in the browser.
//!
//! The tutorial's program, and the same in Rust:
//!
//! ```python
//! with multiprocessing.Pool(processes=2) as pool:
//!     squares = pool.map(compute_square, [1, 2, 3, 4, 5])
//! print(squares)
//! ```
//!
//! ```
//! use webpool::number::{parse_numbers, python_list};
//! use webpool::{Kernel, Op, Pool};
//!
//! let pool = Pool::new(2)?;
//! let squares = pool.map(Kernel::new(Op::Square), parse_numbers("1, 2, 3, 4, 5")?)?;
//! assert_eq!(python_list(squares.results.values()), "[1, 4, 9, 16, 25]");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Results are exact Python numbers ([`Number`]: integers of any size, floats printed as
//! CPython's `repr`), in input order, with a [`Report`] of every task: which worker ran it,
//! from when to when on one clock shared by all workers.
//!
//! | Python | webpool |
//! |---|---|
//! | `multiprocessing.Pool(processes=2)` | [`Pool::new`] |
//! | `pool.map`, `imap`, `imap_unordered`, `chunksize` | [`Pool::map`], [`Pool::imap`], [`Pool::imap_unordered`], [`MapOptions`] |
//! | `time.sleep(2)` inside a task | [`Work::Sleep`] (waits), [`Work::Spin`] (simulates computing) |
//! | a real CPU-bound function, `collatz_steps(n)` | [`Op::Collatz`] ([`kernel::collatz_steps`]) |
//! | an exception in a task | [`RunError::Task`], naming the task and its input, keeping the results |
//! | `Process(target=f).start()`, `.join()` | [`Process::spawn`], [`Process::join`] |
//! | the notebook's six questions | [`lessons`], runnable with [`lessons::Context`] |
//!
//! The same code runs on OS threads natively and on Web Workers in the browser, where the
//! `wasm` module is its JavaScript face and [`pool::engine`] holds what only such an engine
//! needs.

#![warn(missing_docs, missing_debug_implementations)]
// wasm-bindgen's generated glue needs `unsafe`; everything we write is safe.
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]
#![cfg_attr(target_arch = "wasm32", deny(unsafe_code))]

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
