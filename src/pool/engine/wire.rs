//! How numbers travel between processes: the bytes a task's inputs and results are copied
//! as, like the pickles Python's `Pool` sends through its pipes.
//!
//! Every length is in the message, so damage shows as an error rather than as fewer
//! numbers: a message cut anywhere, with bytes after its end, or whose count disagrees
//! with what follows is refused. Counts and lengths are little-endian `u64`s.
//!
//! ```text
//! message = 'I' count (i64){count}        plain integers: the common case, no per-number tags
//!         | 'N' count item{count}         anything else (at least one item not an 'i')
//! item    = 'i' i64
//!         | 'f' f64 (its bits, NaN payloads and signed zeros kept)
//!         | 'b' length byte{length}      two's complement, shortest form, 9 bytes or more
//! ```
//!
//! Each list of numbers has exactly one encoding, and [`decode`] accepts only that one,
//! so whatever it accepts re-encodes to the same bytes.

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::number::Number;
use crate::pool::Values;

const INTS: u8 = b'I';
const NUMBERS: u8 = b'N';
const INT: u8 = b'i';
const FLOAT: u8 = b'f';
const BIG: u8 = b'b';

/// Bytes a count or length takes.
const LEN: usize = 8;
/// The fewest bytes an item of a mixed message takes (a tag and 8 bytes), which bounds how
/// many items a message of a given size can hold before anything is allocated for them.
const MIN_ITEM: usize = 9;
/// The shortest big integer: 8 bytes of two's complement hold every `i64`, and those
/// travel as `i64`s.
const MIN_BIG: usize = 9;

/// Bytes that are not a message this module wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub(crate) &'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a message between processes is damaged: {}", self.0)
    }
}

impl std::error::Error for WireError {}

/// `n` as an `i64` if it is an integer that fits, including a `Big` built by hand that
/// would fit, so that each value has one encoding.
fn small(n: &Number) -> Option<i64> {
    match n {
        Number::Int(v) => Some(*v),
        Number::Big(b) => b.to_i64(),
        Number::Float(_) => None,
    }
}

fn push_int(out: &mut Vec<u8>, v: i64) {
    out.push(INT);
    out.extend_from_slice(&v.to_le_bytes());
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    // usize is at most 64 bits on every target Rust supports.
    out.extend_from_slice(&(len as u64).to_le_bytes());
}

/// The bytes for `numbers`.
pub fn encode(numbers: &[Number]) -> Vec<u8> {
    if numbers.iter().all(|n| small(n).is_some()) {
        let mut out = Vec::with_capacity(1 + LEN + 8 * numbers.len());
        out.push(INTS);
        push_len(&mut out, numbers.len());
        for n in numbers {
            // Every one is small: checked just above.
            out.extend_from_slice(&small(n).unwrap_or_default().to_le_bytes());
        }
        return out;
    }
    let mut out = Vec::with_capacity(1 + LEN + MIN_ITEM * numbers.len());
    out.push(NUMBERS);
    push_len(&mut out, numbers.len());
    for n in numbers {
        match n {
            Number::Int(v) => push_int(&mut out, *v),
            Number::Float(v) => {
                out.push(FLOAT);
                out.extend_from_slice(&v.to_bits().to_le_bytes());
            }
            Number::Big(v) => match v.to_i64() {
                Some(v) => push_int(&mut out, v),
                None => {
                    let bytes = v.to_signed_bytes_le();
                    out.push(BIG);
                    push_len(&mut out, bytes.len());
                    out.extend_from_slice(&bytes);
                }
            },
        }
    }
    out
}

/// The bytes for a task's results.
pub fn encode_values(values: &Values) -> Vec<u8> {
    match values {
        Values::Ints(ints) => {
            let mut out = Vec::with_capacity(1 + LEN + 8 * ints.len());
            out.push(INTS);
            push_len(&mut out, ints.len());
            for v in ints {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out
        }
        Values::Numbers(numbers) => encode(numbers),
    }
}

/// The numbers in `bytes`, kept as plain integers when they all are; an error unless
/// `bytes` is exactly a message [`encode`] or [`encode_values`] writes.
pub fn decode(bytes: &[u8]) -> Result<Values, WireError> {
    let (&tag, rest) = bytes.split_first().ok_or(WireError("empty"))?;
    if tag != INTS && tag != NUMBERS {
        return Err(WireError("unknown message tag"));
    }
    let (count, mut rest) = take_len(rest)?;
    if tag == INTS {
        let want = count
            .checked_mul(8)
            .ok_or(WireError("integers cut short"))?;
        return match rest.len().cmp(&want) {
            std::cmp::Ordering::Less => Err(WireError("integers cut short")),
            std::cmp::Ordering::Greater => Err(WireError("bytes after the last integer")),
            std::cmp::Ordering::Equal => Ok(Values::Ints(
                rest.as_chunks::<8>()
                    .0
                    .iter()
                    .map(|b| i64::from_le_bytes(*b))
                    .collect(),
            )),
        };
    }
    // A count no message of this size can hold is refused before it sizes an allocation.
    if count > rest.len() / MIN_ITEM {
        return Err(WireError("numbers cut short"));
    }
    let mut numbers = Vec::with_capacity(count);
    let mut only_ints = true;
    for _ in 0..count {
        let (&tag, tail) = rest.split_first().ok_or(WireError("numbers cut short"))?;
        let (number, tail) = match tag {
            INT => {
                let (b, tail) = take::<8>(tail)?;
                (Number::Int(i64::from_le_bytes(b)), tail)
            }
            FLOAT => {
                let (b, tail) = take::<8>(tail)?;
                (Number::Float(f64::from_bits(u64::from_le_bytes(b))), tail)
            }
            BIG => {
                let (len, tail) = take_len(tail)?;
                if tail.len() < len {
                    return Err(WireError("integer cut short"));
                }
                let (digits, tail) = tail.split_at(len);
                (Number::Big(Box::new(big(digits)?)), tail)
            }
            _ => return Err(WireError("unknown number tag")),
        };
        only_ints &= tag == INT;
        numbers.push(number);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(WireError("bytes after the last number"));
    }
    if only_ints {
        // encode writes these as plain integers; accepting both would give one list two
        // encodings, and a decoded message could come back in another layout.
        return Err(WireError("plain integers sent as mixed numbers"));
    }
    Ok(Values::Numbers(numbers))
}

/// The integer whose shortest two's complement is `digits`: the only form [`encode`]
/// writes, and one that never fits in an `i64` (those travel as `i64`s), so that
/// `Number::Big` keeps its promise.
fn big(digits: &[u8]) -> Result<BigInt, WireError> {
    if digits.len() < MIN_BIG {
        return Err(WireError("a big integer that fits in 64 bits"));
    }
    let (last, prev) = (digits[digits.len() - 1], digits[digits.len() - 2]);
    // A last byte that only repeats the sign of the one before it could be dropped.
    if (last == 0x00 && prev < 0x80) || (last == 0xff && prev >= 0x80) {
        return Err(WireError("a big integer with needless bytes"));
    }
    Ok(BigInt::from_signed_bytes_le(digits))
}

fn take<const N: usize>(bytes: &[u8]) -> Result<([u8; N], &[u8]), WireError> {
    match bytes.split_first_chunk::<N>() {
        Some((head, tail)) => Ok((*head, tail)),
        None => Err(WireError("number cut short")),
    }
}

/// A count or length, saturated to `usize::MAX` where it does not fit (on wasm32): no
/// message in memory is that long, so it is refused as cut short by the caller's check.
fn take_len(bytes: &[u8]) -> Result<(usize, &[u8]), WireError> {
    let (b, tail) = take::<LEN>(bytes).map_err(|_| WireError("length cut short"))?;
    Ok((
        usize::try_from(u64::from_le_bytes(b)).unwrap_or(usize::MAX),
        tail,
    ))
}
