//! Numbers as Python has them: exact integers of any size, IEEE doubles, and text
//! printed the way CPython's `repr` prints it.
//!
//! Integers that fit in 64 bits stay in [`Number::Int`] so that the common case
//! (squares of `1..1000000`) never allocates; larger ones become [`Number::Big`]. Results
//! of 64-bit inputs are also offered unboxed, as `i128` and [`I192`], for a task to keep
//! (see [`crate::pool::Values`]).

mod arith;
mod parse;
mod repr;
mod wide;

pub use arith::ArithmeticError;
pub use parse::{MAX_INTEGER_DIGITS, MAX_NUMBERS, ParseError, ParseErrorKind, parse_numbers};
pub use wide::I192;

use num_bigint::BigInt;

/// One number, exact as Python keeps it: `int` (any size) or `float` (an IEEE double).
/// Results print as CPython's `repr` prints them.
///
/// ```
/// use webpool::Number;
/// use webpool::number::{ArithmeticError, parse_numbers};
///
/// assert_eq!(Number::from(3).cube()?.to_string(), "27");
/// // Integers never overflow: past 64 bits they grow, as Python's do.
/// let big = Number::from(i64::MAX).square()?;
/// assert_eq!(big.to_string(), "85070591730234615847396907784232501249");
/// // Floats are IEEE doubles, with Python's rounding and its errors.
/// let [tenth, huge] = <[Number; 2]>::try_from(parse_numbers("0.1 1e200")?).unwrap();
/// assert_eq!(tenth.square()?.to_string(), "0.010000000000000002");
/// assert_eq!(huge.square(), Err(ArithmeticError::Overflow));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    /// A Python `int` that fits in 64 bits.
    Int(i64),
    /// A Python `int` that does not fit in 64 bits (never holds a value that would fit).
    Big(Box<BigInt>),
    /// A Python `float`; always finite.
    Float(f64),
}

impl Number {
    /// `self ** 2` as Python computes it.
    #[inline]
    pub fn square(&self) -> Result<Number, ArithmeticError> {
        arith::square(self)
    }

    /// `self ** 3` as Python computes it.
    #[inline]
    pub fn cube(&self) -> Result<Number, ArithmeticError> {
        arith::cube(self)
    }

    /// `self ** 2` when `self` is a 64-bit integer and so is its square, else `None`.
    #[inline]
    pub fn small_square(&self) -> Option<i64> {
        arith::small_square(self)
    }

    /// `self ** 3` when `self` is a 64-bit integer and so is its cube, else `None`.
    #[inline]
    pub fn small_cube(&self) -> Option<i64> {
        arith::small_cube(self)
    }

    /// `self ** 2` when `self` is a 64-bit integer (its square always fits in an `i128`),
    /// else `None`: the unboxed path for squares past 64 bits.
    #[inline]
    pub fn wide_square(&self) -> Option<i128> {
        arith::wide_square(self)
    }

    /// `self ** 3` when `self` is a 64-bit integer and its cube fits in an `i128`, else
    /// `None`: the unboxed path for cubes just past 64 bits.
    #[inline]
    pub fn wide_cube(&self) -> Option<i128> {
        arith::wide_cube(self)
    }

    /// `self ** 3` when `self` is a 64-bit integer (its cube always fits in 192 bits),
    /// else `None`: the unboxed path for cubes past 128 bits.
    #[inline]
    pub fn wider_cube(&self) -> Option<I192> {
        arith::wider_cube(self)
    }

    /// An integer of up to 128 bits, stored in the smallest variant that holds it (a
    /// method rather than `From<i128>`, which would leave `Number::from(1)` ambiguous).
    pub fn from_i128(value: i128) -> Number {
        wide::number_from_i128(value)
    }

    /// An integer, stored in the smallest variant that holds it.
    pub fn from_bigint(value: BigInt) -> Number {
        arith::normalize(value)
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        Number::Int(value)
    }
}

impl std::fmt::Display for Number {
    /// Prints exactly what CPython's `repr` prints for the same value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        repr::write_repr(self, f)
    }
}

/// Prints a list as Python prints one.
///
/// ```
/// use webpool::Number;
/// use webpool::number::python_list;
///
/// assert_eq!(python_list([1, 4, 9].map(Number::from)), "[1, 4, 9]");
/// ```
pub fn python_list<N: std::borrow::Borrow<Number>>(numbers: impl IntoIterator<Item = N>) -> String {
    let items: Vec<String> = numbers
        .into_iter()
        .map(|n| n.borrow().to_string())
        .collect();
    format!("[{}]", items.join(", "))
}
