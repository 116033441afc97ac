//! The Collatz steps of a number: real computation, exact on integers of any size.
//!
//! `collatz_steps(n)` counts the steps of `n → n / 2` (when `n` is even) or `n → 3n + 1`
//! (when it is odd) until `n` is 1: 0 for 1, 7 for 3, 111 for 27, 524 for 837799 (the
//! longest chain below a million). Python's reference is `collatz.py`, beside this file.
//!
//! Why this kernel teaches well: it is CPU-bound (no memory to speak of, no waiting),
//! its answer is a small exact integer that CPython checks in a line, and its cost grows
//! with the number: about 24 steps per decimal digit (7.2 per bit), each step costing one
//! pass over the number's digits. Natively a number of up to 19 digits costs a tenth of a
//! microsecond to one, one of 100 digits several microseconds, one of 1000 digits (the
//! most webpool accepts) about 0.3 ms (CPython's loop: 18 ms; WebAssembly: about 0.4 ms);
//! a task takes as long as its numbers' sizes and count make it. Counting primes by trial division, the other candidate, is exact only
//! while the count is feasible (about 10^9): most integers webpool accepts would never
//! finish.
//!
//! Every start below 2^68 is known to reach 1; that every start does is the Collatz
//! conjecture, unproved. No trajectory has ever been found that does not, and the steps of
//! an integer of up to 1000 digits come to about 7.2 per bit (some 24,000 for 1000
//! digits), so no input webpool accepts is expected to run for long; one that never came
//! down would be a counterexample to a famous conjecture. Zero, negative integers and
//! floats are outside the domain: they are refused at once with Python's errors, never
//! looped on.
//!
//! Three paths, each exact, none allocating per step: `u64` while `3n + 1` fits, `u128`
//! past it, then a vector of 64-bit limbs (a few allocations per number, none per step:
//! in the threaded WebAssembly build every allocation takes one global lock). A trajectory moves
//! back down to the narrower paths as its numbers shrink, and up again if they grow.

use num_bigint::{BigInt, Sign};

use crate::number::{ArithmeticError, Number};

/// The number of Collatz steps from `number` to 1, or why Python's reference would refuse it:
/// [`ArithmeticError::NotPositive`] for zero and negative integers, and
/// [`ArithmeticError::NotInteger`] for floats (even whole ones such as `4.0`, as Python's
/// `range` refuses them).
///
/// ```
/// use webpool::Number;
/// use webpool::kernel::collatz_steps;
/// use webpool::number::{ArithmeticError, parse_numbers};
///
/// // 6 → 3 → 10 → 5 → 16 → 8 → 4 → 2 → 1: eight steps.
/// assert_eq!(collatz_steps(&Number::from(6)), Ok(8));
/// // Project Euler's 14th problem: the longest chain below a million starts at 837799.
/// assert_eq!(collatz_steps(&Number::from(837_799)), Ok(524));
/// // Exact past 64 bits: 2^100 - 1 climbs to 160 bits before it comes down.
/// let [big] = <[Number; 1]>::try_from(parse_numbers("1267650600228229401496703205375")?).unwrap();
/// assert_eq!(collatz_steps(&big), Ok(1465));
/// // Outside the domain: an error, never a hang.
/// assert_eq!(collatz_steps(&Number::from(0)), Err(ArithmeticError::NotPositive));
/// assert_eq!(collatz_steps(&Number::Float(4.0)), Err(ArithmeticError::NotInteger));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn collatz_steps(number: &Number) -> Result<u64, ArithmeticError> {
    match number {
        Number::Int(v) if *v >= 1 => Ok(from_u64(*v as u64, 0)),
        Number::Int(_) => Err(ArithmeticError::NotPositive),
        Number::Big(b) => from_big(b),
        Number::Float(_) => Err(ArithmeticError::NotInteger),
    }
}

/// Whether [`collatz_steps`] has an answer for `number`, without computing it.
#[inline]
pub(crate) fn in_domain(number: &Number) -> bool {
    match number {
        Number::Int(v) => *v >= 1,
        Number::Big(b) => b.sign() == Sign::Plus,
        Number::Float(_) => false,
    }
}

fn from_big(big: &BigInt) -> Result<u64, ArithmeticError> {
    if big.sign() != Sign::Plus {
        return Err(ArithmeticError::NotPositive);
    }
    let limbs: Vec<u64> = big.magnitude().iter_u64_digits().collect();
    Ok(match limbs[..] {
        [lo] => from_u64(lo, 0),
        [lo, hi] => from_u128(u128::from(hi) << 64 | u128::from(lo), 0),
        _ => from_limbs(limbs, 0),
    })
}

/// Where a path hands over: the odd number whose `3n + 1` it cannot hold, and the steps
/// taken before it.
struct Climb<T> {
    odd: T,
    steps: u64,
}

/// The largest odd `n` whose `3n + 1` fits in a `u64`.
const U64_ODD_MAX: u64 = (u64::MAX - 1) / 3;
/// The largest odd `n` whose `3n + 1` fits in a `u128`.
const U128_ODD_MAX: u128 = (u128::MAX - 1) / 3;

/// The steps from `n` (at least 1), `steps` taken already.
fn from_u64(n: u64, steps: u64) -> u64 {
    match run_u64(n, steps) {
        Ok(steps) => steps,
        Err(climb) => from_u128(u128::from(climb.odd), climb.steps),
    }
}

/// The steps from `n` (at least 1), `steps` taken already.
fn from_u128(n: u128, steps: u64) -> u64 {
    match run_u128(n, steps) {
        Ok(steps) => steps,
        Err(climb) => {
            let n = climb.odd;
            from_limbs(vec![n as u64, (n >> 64) as u64], climb.steps)
        }
    }
}

/// The 64-bit loop, where nearly every run of small numbers stays: strip the factors of 2
/// at once (each is a step), then take the odd step.
#[inline]
fn run_u64(mut n: u64, mut steps: u64) -> Result<u64, Climb<u64>> {
    loop {
        let zeros = n.trailing_zeros();
        n >>= zeros;
        steps += u64::from(zeros);
        if n == 1 {
            return Ok(steps);
        }
        if n > U64_ODD_MAX {
            return Err(Climb { odd: n, steps });
        }
        // 3n + 1 as shifts and adds: on wasm32 no multiplication library call either.
        n += (n << 1) + 1;
        steps += 1;
    }
}

/// The 128-bit loop, for trajectories past 64 bits; back to the 64-bit loop once they
/// come down below it.
fn run_u128(mut n: u128, mut steps: u64) -> Result<u64, Climb<u128>> {
    loop {
        let zeros = n.trailing_zeros();
        n >>= zeros;
        steps += u64::from(zeros);
        if let Ok(small) = u64::try_from(n) {
            match run_u64(small, steps) {
                Ok(steps) => return Ok(steps),
                Err(climb) => {
                    n = u128::from(climb.odd);
                    steps = climb.steps;
                }
            }
        }
        if n > U128_ODD_MAX {
            return Err(Climb { odd: n, steps });
        }
        n += (n << 1) + 1;
        steps += 1;
    }
}

/// Any size: `limbs` holds the number in base 2^64, least significant first, with no
/// zero limb at the top. Back to the 128-bit loop once the number fits in two limbs.
fn from_limbs(mut limbs: Vec<u64>, mut steps: u64) -> u64 {
    steps += strip_zeros(&mut limbs);
    loop {
        if limbs.len() <= 2 {
            let n = u128::from(limbs[0]) | u128::from(limbs.get(1).copied().unwrap_or(0)) << 64;
            match run_u128(n, steps) {
                Ok(steps) => return steps,
                Err(climb) => {
                    limbs = vec![climb.odd as u64, (climb.odd >> 64) as u64];
                    steps = climb.steps;
                }
            }
        }
        steps += odd_step(&mut limbs);
    }
}

/// `3x + carry` for one limb: the limb and the carry out (at most 2, as is `carry`).
#[inline(always)]
fn triple_plus(x: u64, carry: u64) -> (u64, u64) {
    let (sum, c1) = (x << 1).overflowing_add(x);
    let (sum, c2) = sum.overflowing_add(carry);
    (sum, (x >> 63) + u64::from(c1) + u64::from(c2))
}

/// The odd step `3n + 1` and every halving after it, as one pass over the limbs: the
/// lowest limb of `3n + 1` says how many halvings follow, so each limb is tripled and
/// shifted into place as it goes by. Returns the steps taken; `n` is odd again after.
fn odd_step(limbs: &mut Vec<u64>) -> u64 {
    let (low, mut carry) = triple_plus(limbs[0], 1);
    if low == 0 {
        // 64 or more halvings follow (once in 2^64 odd steps): the plain way.
        for limb in limbs.iter_mut() {
            (*limb, carry) = triple_plus(*limb, carry);
        }
        if carry != 0 {
            limbs.push(carry);
        }
        return 1 + strip_zeros(limbs);
    }
    let zeros = low.trailing_zeros(); // 1 ..= 63, as 3n + 1 is even
    let mut previous = low;
    for i in 1..limbs.len() {
        let (limb, next_carry) = triple_plus(limbs[i], carry);
        limbs[i - 1] = previous >> zeros | limb << (64 - zeros);
        (previous, carry) = (limb, next_carry);
    }
    let top = limbs.len() - 1;
    limbs[top] = previous >> zeros | carry << (64 - zeros);
    if carry >> zeros != 0 {
        limbs.push(carry >> zeros);
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    1 + u64::from(zeros)
}

/// Halves the number until it is odd; returns how many times (each a step).
fn strip_zeros(limbs: &mut Vec<u64>) -> u64 {
    let words = limbs.iter().take_while(|&&w| w == 0).count();
    limbs.drain(..words);
    let bits = limbs[0].trailing_zeros();
    if bits > 0 {
        for i in 0..limbs.len() {
            let high = limbs.get(i + 1).map_or(0, |next| next << (64 - bits));
            limbs[i] = limbs[i] >> bits | high;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    64 * words as u64 + u64::from(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, one step at a time, on num-bigint: slow and obviously right.
    fn by_definition(n: &BigInt) -> u64 {
        let (mut n, mut steps) = (n.clone(), 0);
        while n != BigInt::from(1) {
            n = if n.bit(0) { 3 * n + 1 } else { n >> 1 };
            steps += 1;
        }
        steps
    }

    fn steps(n: &BigInt) -> u64 {
        collatz_steps(&Number::from_bigint(n.clone())).unwrap()
    }

    #[test]
    fn small_numbers_known_by_heart() {
        let known = [
            (1, 0),
            (2, 1),
            (3, 7),
            (6, 8),
            (7, 16),
            (9, 19),
            (27, 111),
            (97, 118),
        ];
        for (n, expected) in known {
            assert_eq!(collatz_steps(&Number::from(n)), Ok(expected), "{n}");
        }
        assert_eq!(collatz_steps(&Number::from(837_799)), Ok(524));
        assert_eq!(collatz_steps(&Number::from(1 << 62)), Ok(62));
    }

    #[test]
    fn every_path_agrees_with_the_definition() {
        let mut starts: Vec<BigInt> = (1..2000).map(BigInt::from).collect();
        for bits in [62u32, 63, 64, 65, 126, 127, 128, 129, 130, 192, 300, 1000] {
            let power = BigInt::from(1) << bits;
            for delta in [-3, -1, 0, 1, 3, 7] {
                starts.push(&power + delta);
            }
        }
        // Just past what the 64- and 128-bit loops can take an odd step from.
        for edge in [BigInt::from(U64_ODD_MAX), BigInt::from(U128_ODD_MAX)] {
            for delta in -4..=4 {
                starts.push(&edge + delta);
            }
        }
        // 3n + 1 ends in a whole zero limb: 64 halvings or more in one go.
        for high in [1u32, 3, 1 << 20] {
            let low = BigInt::from(0x5555_5555_5555_5555u64);
            starts.push((BigInt::from(high) << 128u32) + (BigInt::from(high) << 64u32) + low);
        }
        starts.push(BigInt::from(u64::MAX));
        starts.push(BigInt::from(i64::MAX));
        // A start below 2^61 whose trajectory peaks past 2^125 (a known path record).
        starts.push(BigInt::from(1_980_976_057_694_848_447u64));
        for n in &starts {
            assert_eq!(steps(n), by_definition(n), "{n}");
        }
    }

    #[test]
    fn outside_the_domain_is_an_error() {
        assert_eq!(
            collatz_steps(&Number::from(0)),
            Err(ArithmeticError::NotPositive)
        );
        assert_eq!(
            collatz_steps(&Number::from(-5)),
            Err(ArithmeticError::NotPositive)
        );
        let huge_negative = Number::from_bigint(-(BigInt::from(1) << 200u32));
        assert_eq!(
            collatz_steps(&huge_negative),
            Err(ArithmeticError::NotPositive)
        );
        for x in [0.5, 4.0, -1.0, 0.0] {
            assert_eq!(
                collatz_steps(&Number::Float(x)),
                Err(ArithmeticError::NotInteger)
            );
        }
        assert!(!in_domain(&huge_negative) && !in_domain(&Number::Float(1.0)));
        assert!(in_domain(&Number::from(1)) && !in_domain(&Number::from(0)));
    }
}
