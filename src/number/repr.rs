//! Text exactly as CPython's `repr` prints it.
//!
//! Integers are plain decimal. Floats use the shortest digits that read back
//! to the same double, laid out by CPython's rule (`float_repr_style =
//! 'short'`): positional when the decimal exponent is in `-4..16`, with `.0`
//! added to integral values; scientific otherwise, with a signed exponent of
//! at least two digits.
//!
//! Rust's `{:e}` finds the same shortest digits as CPython, except when the
//! double lies exactly halfway between two shortest candidates (such as
//! `1515599705995470.25`): Rust then rounds up, CPython (David Gay's `dtoa`)
//! to the even digit. [`Shortest::break_tie_to_even`] settles those.

use super::Number;
use std::fmt::{self, Write};

/// Writes `n` as CPython's `repr(n)`. Formatting flags (width, precision) are
/// ignored: the text is always exactly Python's.
pub(super) fn write_repr(n: &Number, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match n {
        // `write!` with a fresh format string drops the caller's flags and
        // formats the integer on the stack, without allocating.
        Number::Int(v) => write!(f, "{v}"),
        Number::Big(v) => write!(f, "{v}"),
        Number::Float(x) => f.write_str(float_repr(*x).as_str()),
    }
}

fn float_repr(x: f64) -> Buffer {
    let mut out = Buffer::default();
    if x.is_sign_negative() && !x.is_nan() {
        out.push(b'-');
    }
    if !x.is_finite() {
        // Parsing and arithmetic never make these, but the enum is open.
        out.extend(if x.is_nan() { b"nan" } else { b"inf" });
        return out;
    }
    let shortest = Shortest::of(x.abs());
    layout(&mut out, shortest.digits.as_bytes(), shortest.exponent);
    out
}

/// Places `digits` (d₁d₂…, meaning d₁.d₂… × 10^exponent) the way CPython does.
fn layout(out: &mut Buffer, digits: &[u8], exponent: i32) {
    if !(-4..16).contains(&exponent) {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    } else if exponent < 0 {
        out.extend(b"0.");
        for _ in 0..(-exponent - 1) {
            out.push(b'0');
        }
        out.extend(digits);
    } else {
        let point = exponent as usize + 1;
        if point < digits.len() {
            out.extend(&digits[..point]);
            out.push(b'.');
            out.extend(&digits[point..]);
        } else {
            out.extend(digits);
            for _ in digits.len()..point {
                out.push(b'0');
            }
            out.extend(b".0");
        }
    }
}

/// The shortest decimal that reads back as a double: the digits d₁d₂…
/// (at most 17, no trailing zeros) mean d₁.d₂… × 10^exponent.
struct Shortest {
    digits: Buffer,
    exponent: i32,
}

impl Shortest {
    /// For a finite `x >= 0`.
    fn of(x: f64) -> Shortest {
        let mut text = Buffer::default();
        // A finite double always fits, so this cannot fail.
        let _ = write!(text, "{x:e}");
        let mut shortest = Shortest {
            digits: Buffer::default(),
            exponent: 0,
        };
        let mut bytes = text.as_bytes().iter();
        for &b in bytes.by_ref() {
            match b {
                b'0'..=b'9' => shortest.digits.push(b),
                b'e' => break,
                _ => {}
            }
        }
        let exponent = std::str::from_utf8(bytes.as_slice()).unwrap_or("0");
        shortest.exponent = exponent.parse().unwrap_or(0);
        shortest.break_tie_to_even(x);
        shortest
    }

    /// Switches an odd last digit to its even neighbour when `x` lies exactly
    /// halfway between them and the neighbour also reads back as `x`.
    fn break_tie_to_even(&mut self, x: f64) {
        let digits = self.digits.as_bytes();
        if digits.last().is_none_or(|d| d % 2 == 0) {
            return;
        }
        let unit = self.exponent - digits.len() as i32 + 1;
        let value = digits
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        let Some(mut even) = tie_neighbour(x, value, unit) else {
            return;
        };
        let mut text = Buffer::default();
        let _ = write!(text, "{even}e{unit}");
        if text.as_str().parse::<f64>() != Ok(x) {
            return;
        }
        let mut unit = unit;
        while even % 10 == 0 && even != 0 {
            even /= 10;
            unit += 1;
        }
        self.digits = Buffer::default();
        let _ = write!(self.digits, "{even}");
        self.exponent = unit + self.digits.len as i32 - 1;
    }
}

/// The neighbour `digits ± 1` when `x` (> 0) is exactly halfway between it
/// and `digits`, both counted in units of 10^unit.
fn tie_neighbour(x: f64, digits: u64, unit: i32) -> Option<u64> {
    let bits = x.to_bits();
    let biased = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    if m == 0 {
        return None;
    }
    let zeros = m.trailing_zeros();
    let (odd, power) = (u128::from(m >> zeros), e + zeros as i32);
    // Halfway means 2x = (2·digits ± 1)·10^unit. With x = odd·2^power, the
    // powers of two on both sides must match, then the odd parts.
    if power + 1 != unit {
        return None;
    }
    let five = 5u128.checked_pow(unit.unsigned_abs())?;
    [digits.checked_sub(1)?, digits + 1]
        .into_iter()
        .find(|&neighbour| {
            let midpoint = u128::from(digits + neighbour);
            if unit >= 0 {
                midpoint.checked_mul(five) == Some(odd)
            } else {
                odd.checked_mul(five) == Some(midpoint)
            }
        })
}

/// Enough for the longest repr, `-2.2250738585072014e-308` (24 bytes).
const CAPACITY: usize = 32;

/// Text built on the stack, so printing millions of floats allocates nothing.
#[derive(Default)]
struct Buffer {
    bytes: [u8; CAPACITY],
    len: usize,
}

impl Buffer {
    fn push(&mut self, byte: u8) {
        self.extend(&[byte]);
    }

    fn extend(&mut self, bytes: &[u8]) {
        if let Some(slot) = self.bytes.get_mut(self.len..self.len + bytes.len()) {
            slot.copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn as_str(&self) -> &str {
        // Only ASCII was written.
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl Write for Buffer {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
