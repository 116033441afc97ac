//! `x ** 2` and `x ** 3` as Python computes them.
//!
//! Integers are exact, staying in `i64`/`i128` while they fit so that the
//! common case never allocates. Float results are correctly rounded (to
//! nearest, ties to even) without calling the platform's `pow`: `x * x` is one
//! IEEE multiplication, and the cube is rounded from its exact value computed
//! with integers. So native and wasm32 builds give bit-identical results.
//!
//! CPython calls C `pow` instead, which equals the correctly rounded result
//! whenever the C library's `pow` is correctly rounded. glibc's is not quite
//! (it promises 0.52 ulp), and misrounds about one random double in a
//! thousand; there this module keeps the correctly rounded value.

use super::{I192, Number};
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// Why Python would refuse to compute a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArithmeticError {
    /// The float result is too large: Python raises `OverflowError: (34, 'Numerical result out of range')`.
    Overflow,
    /// The Collatz steps of zero or of a negative integer, which never reach 1: Python's
    /// reference (`src/kernel/collatz.py`) raises `ValueError`.
    NotPositive,
    /// The Collatz steps of a float, even a whole one such as `4.0`: Python's reference
    /// takes integers only, as `range` does, and raises its `TypeError`.
    NotInteger,
}

impl std::fmt::Display for ArithmeticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArithmeticError::Overflow => {
                f.write_str("OverflowError: (34, 'Numerical result out of range')")
            }
            ArithmeticError::NotPositive => {
                f.write_str("ValueError: collatz_steps() is defined for positive integers only")
            }
            ArithmeticError::NotInteger => {
                f.write_str("TypeError: 'float' object cannot be interpreted as an integer")
            }
        }
    }
}

impl std::error::Error for ArithmeticError {}

/// An integer in the smallest variant that holds it.
pub(super) fn normalize(value: BigInt) -> Number {
    match value.to_i64() {
        Some(v) => Number::Int(v),
        None => Number::Big(Box::new(value)),
    }
}

/// The largest |v| whose square fits in an i64: floor(sqrt(2^63 - 1)).
const SQUARE_FITS_I64: u64 = 3_037_000_499;
/// The largest |v| whose cube fits in an i64: floor(cbrt(2^63 - 1)).
const CUBE_FITS_I64: u64 = 2_097_151;

/// `x ** 2` if both are 64-bit integers. Bounds rather than `checked_mul`, which on wasm32
/// is a 128-bit library call.
#[inline]
pub(super) fn small_square(x: &Number) -> Option<i64> {
    match *x {
        Number::Int(v) if v.unsigned_abs() <= SQUARE_FITS_I64 => Some(v * v),
        _ => None,
    }
}

/// `x ** 3` if both are 64-bit integers.
#[inline]
pub(super) fn small_cube(x: &Number) -> Option<i64> {
    match *x {
        Number::Int(v) if v.unsigned_abs() <= CUBE_FITS_I64 => Some(v * v * v),
        _ => None,
    }
}

/// The largest |v| whose cube fits in an i128: floor(cbrt(2^127 - 1)).
const CUBE_FITS_I128: u64 = 5_541_191_377_756;

/// `x ** 2` if `x` is a 64-bit integer: |x| <= 2^63, so x² <= 2^126 always fits in an
/// i128. On wasm32 an i128 product is a library call, which is why the 64-bit path comes
/// first, but it is still far cheaper than a heap allocation.
#[inline]
pub(super) fn wide_square(x: &Number) -> Option<i128> {
    match *x {
        Number::Int(v) => Some(square_i128(v)),
        _ => None,
    }
}

#[inline]
fn square_i128(v: i64) -> i128 {
    let m = u128::from(v.unsigned_abs());
    // m² <= 2^126: no overflow, and a square is never negative.
    (m * m) as i128
}

/// `x ** 3` if `x` is a 64-bit integer whose cube fits in an i128.
#[inline]
pub(super) fn wide_cube(x: &Number) -> Option<i128> {
    match *x {
        Number::Int(v) if v.unsigned_abs() <= CUBE_FITS_I128 => {
            let v = i128::from(v);
            Some(v * v * v)
        }
        _ => None,
    }
}

/// `x ** 3` if `x` is a 64-bit integer: always fits in 192 bits.
#[inline]
pub(super) fn wider_cube(x: &Number) -> Option<I192> {
    match *x {
        Number::Int(v) => Some(I192::cube(v)),
        _ => None,
    }
}

/// `x ** 2`.
#[inline]
pub(super) fn square(x: &Number) -> Result<Number, ArithmeticError> {
    match x {
        // The common case in 64 bits: on wasm32 any i128 product is a library call that
        // costs more than everything else a task does per item.
        Number::Int(_) if let Some(s) = small_square(x) => Ok(Number::Int(s)),
        Number::Int(v) => Ok(Number::from_i128(square_i128(*v))),
        // One allocation for the product's digits (and the box).
        Number::Big(b) => Ok(normalize(&**b * &**b)),
        Number::Float(v) => finite(v * v),
    }
}

/// `x ** 3`.
#[inline]
pub(super) fn cube(x: &Number) -> Result<Number, ArithmeticError> {
    match x {
        Number::Int(_) if let Some(c) = small_cube(x) => Ok(Number::Int(c)),
        Number::Int(_) if let Some(c) = wide_cube(x) => Ok(Number::from_i128(c)),
        // Past 128 bits: the exact cube in fixed width, then one allocation for its digits
        // (num-bigint's `pow` would allocate for every intermediate product).
        Number::Int(v) => Ok(Number::from(I192::cube(*v))),
        // x² then x²·x: num-bigint has no product into an existing buffer, so the square
        // is the one intermediate allocation.
        Number::Big(b) => Ok(normalize(&(&**b * &**b) * &**b)),
        Number::Float(v) => finite(float_cube(*v)),
    }
}

fn finite(x: f64) -> Result<Number, ArithmeticError> {
    if x.is_infinite() {
        Err(ArithmeticError::Overflow)
    } else {
        Ok(Number::Float(x))
    }
}

/// The correctly rounded cube of `x`; infinity when it overflows.
fn float_cube(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        // Python keeps the sign of zero for odd powers: (-0.0)**3 is -0.0.
        return x * x * x;
    }
    let (negative, m, e) = decompose(x);
    // x = m·2^e with m < 2^53, so m³ < 2^159: split m² (< 2^106) into 64-bit
    // halves so each partial product fits in a u128.
    let m = u128::from(m);
    let square = m * m;
    let low = (square & u128::from(u64::MAX)) * m;
    let high = (square >> 64) * m;
    // m³ = top·2^64 + bottom, with top < 2^96.
    let top = high + (low >> 64);
    let bottom = low as u64;
    let (n, sticky, exp) = if top >> 64 == 0 {
        ((top << 64) | u128::from(bottom), false, 3 * e)
    } else {
        // Keep the top 128 bits; what falls off only matters as "not zero".
        let excess = 64 - top.leading_zeros();
        let n = (top << (64 - excess)) | u128::from(bottom >> excess);
        let sticky = bottom & ((1u64 << excess) - 1) != 0;
        (n, sticky, 3 * e + excess as i32)
    };
    round_to_f64(negative, n, sticky, exp)
}

/// `x` as sign, integer significand and power of two: |x| = m·2^e.
fn decompose(x: f64) -> (bool, u64, i32) {
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    if biased == 0 {
        (negative, fraction, -1074)
    } else {
        (negative, fraction | (1u64 << 52), biased - 1075)
    }
}

/// Rounds (n + s)·2^exp to the nearest double, ties to even, where `s` is
/// some value strictly between 0 and 1 when `sticky` and 0 otherwise.
/// Handles subnormal results, underflow to ±0 and overflow to ±infinity.
fn round_to_f64(negative: bool, n: u128, sticky: bool, exp: i32) -> f64 {
    let sign = if negative { -1.0 } else { 1.0 };
    if n == 0 {
        return sign * 0.0;
    }
    let bits = 128 - n.leading_zeros() as i32;
    // The exponent of the result's last significand bit: 53 bits below the
    // leading one, but never below the smallest subnormal's.
    let q = (bits + exp - 53).max(-1074);
    let shift = q - exp;
    let m = if shift <= 0 {
        // Exact: fewer than 53 significant bits at or above 2^-1074.
        n << -shift
    } else {
        shift_right_rounded(n, shift as u32, sticky)
    };
    compose(negative, m, q)
}

/// n / 2^shift rounded to nearest, ties to even; `sticky` as in [`round_to_f64`].
fn shift_right_rounded(n: u128, shift: u32, sticky: bool) -> u128 {
    if shift > 128 {
        // n < 2^128 <= 2^(shift-1): less than half a unit, so it rounds to 0.
        return 0;
    }
    let kept = n.checked_shr(shift).unwrap_or(0);
    let rest = n & (u128::MAX >> (128 - shift));
    let half = 1u128 << (shift - 1);
    let round_up = rest > half || (rest == half && (sticky || kept & 1 == 1));
    kept + u128::from(round_up)
}

/// The double m·2^q, for m <= 2^53 and q >= -1074 (m < 2^52 only when q is -1074).
fn compose(negative: bool, m: u128, q: i32) -> f64 {
    // Rounding up may carry into a 54th bit.
    let (m, q) = if m >> 53 != 0 {
        (m >> 1, q + 1)
    } else {
        (m, q)
    };
    let magnitude = if m >> 52 == 0 {
        m as u64 // subnormal (or zero): biased exponent 0
    } else {
        let biased = q + 1075;
        if biased >= 0x7ff {
            f64::INFINITY.to_bits()
        } else {
            ((biased as u64) << 52) | (m as u64 & ((1u64 << 52) - 1))
        }
    };
    f64::from_bits(magnitude | (u64::from(negative) << 63))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// splitmix64: deterministic, dependency-free.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The same rounding path as the cube, checked against the hardware's
    /// correctly rounded multiplication on squares, subnormals included.
    fn rounded_square(x: f64) -> f64 {
        let (_, m, e) = decompose(x);
        round_to_f64(false, u128::from(m) * u128::from(m), false, 2 * e)
    }

    /// A random double whose square is near overflow (biased exponent 1535)
    /// or near and below the subnormal range (biased exponent ~486).
    fn near_square_edges(state: &mut u64) -> f64 {
        let edge = if next(state).is_multiple_of(2) {
            1535
        } else {
            480
        };
        let biased = edge - 40 + next(state) % 80;
        f64::from_bits((next(state) & !(0x7ff << 52)) | (biased << 52))
    }

    #[test]
    fn rounding_matches_hardware_multiplication() {
        let mut state = 7;
        for _ in 0..200_000 {
            for x in [
                f64::from_bits(next(&mut state)),
                near_square_edges(&mut state),
            ] {
                if x.is_finite() {
                    assert_eq!(
                        rounded_square(x).to_bits(),
                        (x * x).abs().to_bits(),
                        "{x:e}"
                    );
                }
            }
        }
    }

    /// With at most 26 significant bits, x·x is exact, so (x·x)·x is one
    /// correctly rounded operation: an independent reference for the cube,
    /// ties (18-bit significands) and subnormal or zero results included.
    #[test]
    fn cube_matches_single_rounding_of_exact_square() {
        let mut state = 11;
        for _ in 0..300_000 {
            let bits = 1 + next(&mut state) % 26;
            let m = (next(&mut state) >> (64 - bits)) | 1 << (bits - 1);
            // x² must stay normal and finite: |exponent of x| below ~510.
            let e = (next(&mut state) % 1000) as i32 - 500 - bits as i32;
            let sign = if next(&mut state).is_multiple_of(2) {
                1.0
            } else {
                -1.0
            };
            let x = sign * m as f64 * 2f64.powi(e);
            assert_eq!(float_cube(x).to_bits(), (x * x * x).to_bits(), "{x:e}");
        }
    }

    #[test]
    fn cube_edges() {
        assert_eq!(float_cube(-0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(float_cube(5e-324).to_bits(), 0);
        assert_eq!(float_cube(-5e-324).to_bits(), (-0.0f64).to_bits());
        assert_eq!(float_cube(f64::MAX), f64::INFINITY);
        assert_eq!(float_cube(-1e103), f64::NEG_INFINITY);
        assert_eq!(float_cube(262143.0), 1.8014192351838208e16);
    }
}
