//! STUB: replaced by the numbers helper.
use super::Number;
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// Why Python would refuse to compute a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArithmeticError {
    /// The float result is too large: Python raises `OverflowError: (34, 'Numerical result out of range')`.
    Overflow,
}

impl std::fmt::Display for ArithmeticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OverflowError: (34, 'Numerical result out of range')")
    }
}
impl std::error::Error for ArithmeticError {}

pub(super) fn normalize(value: BigInt) -> Number {
    match value.to_i64() {
        Some(v) => Number::Int(v),
        None => Number::Big(Box::new(value)),
    }
}

#[inline]
pub(super) fn square(x: &Number) -> Result<Number, ArithmeticError> {
    match x {
        Number::Int(v) => Ok(v
            .checked_mul(*v)
            .map(Number::Int)
            .unwrap_or_else(|| normalize(BigInt::from(*v) * BigInt::from(*v)))),
        Number::Big(b) => Ok(normalize(&**b * &**b)),
        Number::Float(f) => {
            let r = f * f;
            if r.is_finite() {
                Ok(Number::Float(r))
            } else {
                Err(ArithmeticError::Overflow)
            }
        }
    }
}

pub(super) fn cube(x: &Number) -> Result<Number, ArithmeticError> {
    match x {
        Number::Int(v) => Ok(normalize(BigInt::from(*v).pow(3))),
        Number::Big(b) => Ok(normalize(b.pow(3))),
        Number::Float(f) => {
            let r = f * f * f;
            if r.is_finite() {
                Ok(Number::Float(r))
            } else {
                Err(ArithmeticError::Overflow)
            }
        }
    }
}
