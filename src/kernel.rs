//! The tutorial's `compute_square` and `compute_cube`, a kernel that really computes
//! ([`Op::Collatz`]), and the simulated work that the tutorial's `time.sleep(2)` stands for.
//!
//! Which is which: `square` and `cube` are over in nanoseconds; `collatz` is real
//! computation whose cost the numbers set (see [`collatz_steps`]); [`Work::Sleep`] and
//! [`Work::Spin`] are simulated work of a given duration, waiting or computing.

mod collatz;

pub use collatz::collatz_steps;

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::clock;
use crate::number::{ArithmeticError, I192, Number};

/// What a task computes from its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `number ** 2`
    Square,
    /// `number ** 3`
    Cube,
    /// The number of Collatz steps from the number to 1 ([`collatz_steps`]): real
    /// computation, CPU-bound, whose cost grows with the number (about 24 steps per digit).
    /// Zero, negative numbers and floats fail their task with a Python error.
    Collatz,
    /// Panics on every number: a bug, on purpose. It shows (and the tests check) that a
    /// panicking task fails its run with a message, as an exception in a Python task does,
    /// and that the pool goes on working. The page does not offer it.
    Panic,
}

impl Op {
    /// The tutorial's word for it: `square` or `cube`, and `collatz`.
    pub fn name(self) -> &'static str {
        match self {
            Op::Square => "square",
            Op::Cube => "cube",
            Op::Collatz => "collatz",
            Op::Panic => "panic",
        }
    }

    /// Whether each item is real computation that may take milliseconds (`collatz`), rather
    /// than arithmetic over in nanoseconds: its tasks look at the cancel flag before every
    /// item, and the processes backend hands them out one at a time.
    pub fn is_costly(self) -> bool {
        self == Op::Collatz
    }

    /// Computes the result for one number.
    #[inline]
    pub fn apply(self, number: &Number) -> Result<Number, ArithmeticError> {
        match self {
            Op::Square => number.square(),
            Op::Cube => number.cube(),
            Op::Collatz => collatz_steps(number).map(|steps| Number::from_i128(steps.into())),
            Op::Panic => panic!("a bug in the task computing {number}"),
        }
    }
}

impl Op {
    /// The result as a plain 64-bit integer, when the number is one and so is its result:
    /// the fast path that most large runs take. (The Collatz steps of any number in its
    /// domain, of any size, are such a result.)
    #[inline]
    pub fn apply_small(self, number: &Number) -> Option<i64> {
        match self {
            Op::Square => number.small_square(),
            Op::Cube => number.small_cube(),
            Op::Collatz => collatz_steps(number).ok()?.try_into().ok(),
            Op::Panic => panic!("a bug in the task computing {number}"),
        }
    }

    /// Whether [`Op::apply_small`] has a result for `number`: the same as computing it,
    /// except for a costly kernel, which only checks its domain.
    #[inline]
    pub fn has_small(self, number: &Number) -> bool {
        match self {
            Op::Collatz => collatz::in_domain(number),
            op => op.apply_small(number).is_some(),
        }
    }

    /// The result as an `i128`, when the number is a 64-bit integer and its result fits:
    /// the path of results just past 64 bits, which then need no allocation each.
    #[inline]
    pub fn apply_wide(self, number: &Number) -> Option<i128> {
        match self {
            Op::Square => number.wide_square(),
            Op::Cube => number.wide_cube(),
            Op::Collatz => None,
            Op::Panic => panic!("a bug in the task computing {number}"),
        }
    }

    /// The result in 192 bits, when the number is a 64-bit integer (its square or cube
    /// always fits): the path of results past 128 bits, with no allocation each either.
    #[inline]
    pub fn apply_wider(self, number: &Number) -> Option<I192> {
        match self {
            Op::Square => number.wide_square().map(I192::from),
            Op::Cube => number.wider_cube(),
            Op::Collatz => None,
            Op::Panic => panic!("a bug in the task computing {number}"),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Op {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "square" => Ok(Op::Square),
            "cube" => Ok(Op::Cube),
            "collatz" => Ok(Op::Collatz),
            "panic" => Ok(Op::Panic),
            _ => Err(format!(
                "unknown kernel {s:?}: expected square, cube or collatz"
            )),
        }
    }
}

/// Simulated work done for each number before its result, like the tutorial's `time.sleep(2)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Work {
    /// No extra work: the task is just the arithmetic.
    #[default]
    None,
    /// Waiting (like I/O): occupies a worker but not a core, so it scales past the core count.
    Sleep(Duration),
    /// Computing: keeps a core busy, so it stops scaling at the core count.
    Spin(Duration),
}

impl Work {
    /// Does the work, returning early (with `false`) if the run is cancelled meanwhile.
    #[inline]
    pub fn perform(self, cancel: &CancelToken) -> bool {
        match self {
            Work::None => !cancel.is_cancelled(),
            Work::Sleep(duration) => cancel.sleep(duration),
            Work::Spin(duration) => spin(duration, cancel),
        }
    }

    /// The duration of one task's work, if any.
    pub fn duration(self) -> Duration {
        match self {
            Work::None => Duration::ZERO,
            Work::Sleep(d) | Work::Spin(d) => d,
        }
    }
}

impl fmt::Display for Work {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Work::None => f.write_str("none"),
            Work::Sleep(d) => write!(f, "sleep({d:?})"),
            Work::Spin(d) => write!(f, "spin({d:?})"),
        }
    }
}

/// Computes for `duration` of one core's time, returning early (with `false`) if cancelled.
///
/// The amount of computation is fixed in advance from a one-time calibration rather than
/// by watching the clock: a task that spins until a deadline would finish on time however
/// many tasks share a core, and computing work would then seem to scale past the cores.
fn spin(duration: Duration, cancel: &CancelToken) -> bool {
    let mut batches = batches_for(duration);
    while batches > 0 {
        if cancel.is_cancelled() {
            return false;
        }
        spin_batch();
        batches -= 1;
    }
    true
}

/// How many slices of computation [`Work::Spin`] of `duration` does (calibrating first).
pub fn batches_for(duration: Duration) -> u64 {
    (duration.as_secs_f64() * batches_per_second()).round() as u64
}

/// Does `batches` slices of the computation that [`Work::Spin`] stands for: the browser's
/// processes backend spins a task's share a slice at a time, so that a cancel gets in.
pub fn spin_batches(batches: u64) {
    for _ in 0..batches {
        spin_batch();
    }
}

/// One slice of computation (tens of microseconds), short enough that cancelling is prompt.
/// Each step depends on the last (xorshift), so no compiler can shorten the chain.
#[inline(never)]
fn spin_batch() {
    let mut x = std::hint::black_box(0x9E37_79B9_7F4A_7C15_u64);
    for _ in 0..16_384 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    std::hint::black_box(x);
}

/// How many slices of spin work one core does per second, measured once per program (or per
/// WebAssembly instance), before the first spinning run starts.
///
/// Browsers run WebAssembly with a quick baseline compiler until a function is hot, then
/// switch to optimized code about twice as fast, so the speed is timed in slices of a few
/// milliseconds until three slices in a row agree (or 150 ms have passed), and the median
/// of those three is kept.
pub fn batches_per_second() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| {
        const BATCHES: u32 = 100;
        steady_rate(|| {
            for _ in 0..BATCHES {
                spin_batch();
            }
            BATCHES as usize
        })
    })
}

/// How many of `sample`'s numbers one core computes `op` of in a second, measured now, the
/// same way as [`batches_per_second`]. A sleep can be made shorter by a lesson's time
/// scale; a computation cannot, so a lesson scales how much it computes instead, with this.
///
/// ```
/// use webpool::kernel::{Op, per_second};
/// use webpool::number::parse_numbers;
///
/// let sample = parse_numbers("837799 8400511")?;
/// assert!(per_second(Op::Collatz, &sample) > 1000.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn per_second(op: Op, sample: &[Number]) -> f64 {
    if sample.is_empty() {
        return f64::INFINITY;
    }
    steady_rate(|| {
        for number in sample {
            let _ = std::hint::black_box(op.apply(std::hint::black_box(number)));
        }
        sample.len()
    })
}

/// Units of work per second: times `round` (which does some work and says how many units)
/// until three rounds in a row agree within 3% (or 150 ms have passed), and keeps the
/// median of those three.
fn steady_rate(mut round: impl FnMut() -> usize) -> f64 {
    let give_up = clock::now() + Duration::from_millis(150);
    let mut rates: Vec<f64> = Vec::new();
    loop {
        let start = clock::now();
        let units = round() as f64;
        rates.push(units / (clock::now() - start).as_secs_f64().max(1e-9));
        if let [.., a, b, c] = rates[..] {
            let (low, high) = (a.min(b).min(c), a.max(b).max(c));
            if high <= low * 1.03 || clock::now() > give_up {
                return a + b + c - low - high;
            }
        }
    }
}

/// A whole task description: the operation and the simulated work per number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kernel {
    /// What each number becomes.
    pub op: Op,
    /// Simulated work before each result.
    pub work: Work,
}

impl Kernel {
    /// The bare operation, with no simulated work.
    pub fn new(op: Op) -> Self {
        Kernel {
            op,
            work: Work::None,
        }
    }

    /// The same operation with simulated work per number.
    pub fn with_work(self, work: Work) -> Self {
        Kernel { work, ..self }
    }
}

impl From<Op> for Kernel {
    fn from(op: Op) -> Self {
        Kernel::new(op)
    }
}
