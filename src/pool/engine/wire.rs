//! How numbers travel between processes: the bytes a task's inputs and results are copied
//! as, like the pickles Python's `Pool` sends through its pipes.
//!
//! Every length is in the message, so damage shows as an error rather than as fewer
//! numbers: a message cut anywhere, with bytes after its end, or whose count disagrees
//! with what follows is refused. Counts and lengths are little-endian `u64`s; fixed-width
//! integers are little-endian two's complement.
//!
//! ```text
//! message = 'I' count (i64){count}        plain integers: the common case, no per-number tags
//!         | 'W' count (i128){count}       integers that fit in 128 bits, not all in 64
//!         | 'H' count (i192){count}       integers that fit in 192 bits, not all in 128
//!         | 'N' count item{count}         anything else (a float, or an integer past 192 bits)
//! item    = 'i' i64
//!         | 'f' f64 (its bits, NaN payloads and signed zeros kept)
//!         | 'b' length byte{length}      two's complement, shortest form, 9 bytes or more
//! ```
//!
//! A list travels in the narrowest layout that holds all its numbers, and [`decode`]
//! accepts only that one: each list has exactly one encoding, so whatever it accepts
//! re-encodes to the same bytes. The fixed-width layouts decode into [`Values::Wide`] and
//! [`Values::Wider`], so a worker's results past 64 bits reach the run without an
//! allocation per number, as they left the worker.

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::number::{I192, Number};
use crate::pool::{Items, Values};

const INTS: u8 = b'I';
const WIDE: u8 = b'W';
const WIDER: u8 = b'H';
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

/// The layouts, narrowest first: a list travels in the first that holds all its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layout {
    Ints,
    Wide,
    Wider,
    Numbers,
}

fn layout_i128(v: i128) -> Layout {
    if i64::try_from(v).is_ok() {
        Layout::Ints
    } else {
        Layout::Wide
    }
}

fn layout_i192(v: I192) -> Layout {
    v.to_i128().map_or(Layout::Wider, layout_i128)
}

/// The narrowest layout for `n`, including a `Big` built by hand that would fit in 64 bits,
/// so that each value has one encoding.
fn layout(n: &Number) -> Layout {
    match n {
        Number::Int(_) => Layout::Ints,
        Number::Big(b) => I192::try_from(&**b).map_or(Layout::Numbers, layout_i192),
        Number::Float(_) => Layout::Numbers,
    }
}

/// The narrowest layout for all of `layouts` (`Ints` for none).
fn narrowest(layouts: impl Iterator<Item = Layout>) -> Layout {
    layouts.max().unwrap_or(Layout::Ints)
}

/// Bytes that are not a message this module wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub(crate) &'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a message between processes is damaged: {}", self.0)
    }
}

impl std::error::Error for WireError {}

/// `n` as an integer of at most 192 bits, if it is one.
fn integer(n: &Number) -> Option<I192> {
    match n {
        Number::Int(v) => Some(I192::from(*v)),
        Number::Big(b) => I192::try_from(&**b).ok(),
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

/// A fixed-width message: `tag`, the count, then each of `values` as `N` bytes.
fn fixed<const N: usize>(tag: u8, values: impl ExactSizeIterator<Item = [u8; N]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + LEN + N * values.len());
    out.push(tag);
    push_len(&mut out, values.len());
    for v in values {
        out.extend_from_slice(&v);
    }
    out
}

/// `values` in the fixed-width `layout` (one that holds each of them; see [`narrowest`]).
fn fixed_width(layout: Layout, values: impl ExactSizeIterator<Item = I192>) -> Vec<u8> {
    // Each value fits `layout`, so the conversions below never fall back to the default.
    let wide = |v: I192| v.to_i128().unwrap_or_default();
    match layout {
        Layout::Ints => fixed(INTS, values.map(|v| (wide(v) as i64).to_le_bytes())),
        Layout::Wide => fixed(WIDE, values.map(|v| wide(v).to_le_bytes())),
        Layout::Wider | Layout::Numbers => fixed(WIDER, values.map(I192::to_le_bytes)),
    }
}

/// The bytes for `numbers`.
pub fn encode(numbers: &[Number]) -> Vec<u8> {
    let layout = narrowest(numbers.iter().map(layout));
    if layout < Layout::Numbers {
        return fixed_width(
            layout,
            numbers.iter().map(|n| integer(n).unwrap_or_default()),
        );
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

/// The bytes for a task's inputs: the same as [`encode`] writes for the same numbers,
/// however they are held.
pub fn encode_items(items: Items<'_>) -> Vec<u8> {
    match items {
        Items::Ints(ints) => encode_ints(ints),
        Items::Numbers(numbers) => encode(numbers),
    }
}

fn encode_ints(ints: &[i64]) -> Vec<u8> {
    fixed(INTS, ints.iter().map(|v| v.to_le_bytes()))
}

/// The bytes for a task's results: the same as [`encode`] writes for the same numbers,
/// however they are held.
pub fn encode_values(values: &Values) -> Vec<u8> {
    match values {
        Values::Ints(ints) => encode_ints(ints),
        Values::Wide(wide) => {
            let layout = narrowest(wide.iter().map(|&v| layout_i128(v)));
            fixed_width(layout, wide.iter().map(|&v| I192::from(v)))
        }
        Values::Wider(wider) => {
            let layout = narrowest(wider.iter().map(|&v| layout_i192(v)));
            fixed_width(layout, wider.iter().copied())
        }
        Values::Numbers(numbers) => encode(numbers),
    }
}

/// The `N`-byte values of a fixed-width message of `count` values.
fn values_of<const N: usize>(count: usize, rest: &[u8]) -> Result<&[[u8; N]], WireError> {
    let want = count
        .checked_mul(N)
        .ok_or(WireError("integers cut short"))?;
    match rest.len().cmp(&want) {
        std::cmp::Ordering::Less => Err(WireError("integers cut short")),
        std::cmp::Ordering::Greater => Err(WireError("bytes after the last integer")),
        std::cmp::Ordering::Equal => Ok(rest.as_chunks::<N>().0),
    }
}

/// The numbers in `bytes`, held as compactly as they were sent; an error unless `bytes`
/// is exactly a message [`encode`] or [`encode_values`] writes.
pub fn decode(bytes: &[u8]) -> Result<Values, WireError> {
    let (&tag, rest) = bytes.split_first().ok_or(WireError("empty"))?;
    if ![INTS, WIDE, WIDER, NUMBERS].contains(&tag) {
        return Err(WireError("unknown message tag"));
    }
    let (count, mut rest) = take_len(rest)?;
    // A fixed-width layout is refused for a list that a narrower one holds: accepting both
    // would give one list two encodings.
    match tag {
        INTS => {
            let values = values_of::<8>(count, rest)?;
            return Ok(Values::Ints(
                values.iter().map(|b| i64::from_le_bytes(*b)).collect(),
            ));
        }
        WIDE => {
            let values: Vec<i128> = (values_of::<16>(count, rest)?.iter())
                .map(|b| i128::from_le_bytes(*b))
                .collect();
            if narrowest(values.iter().map(|&v| layout_i128(v))) < Layout::Wide {
                return Err(WireError("128-bit integers that all fit in 64 bits"));
            }
            return Ok(Values::Wide(values));
        }
        WIDER => {
            let values: Vec<I192> = (values_of::<{ I192::BYTES }>(count, rest)?.iter())
                .map(|b| I192::from_le_bytes(*b))
                .collect();
            if narrowest(values.iter().map(|&v| layout_i192(v))) < Layout::Wider {
                return Err(WireError("192-bit integers that all fit in 128 bits"));
            }
            return Ok(Values::Wider(values));
        }
        _ => {}
    }
    // A count no message of this size can hold is refused before it sizes an allocation.
    if count > rest.len() / MIN_ITEM {
        return Err(WireError("numbers cut short"));
    }
    let mut numbers = Vec::with_capacity(count);
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
        numbers.push(number);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(WireError("bytes after the last number"));
    }
    if narrowest(numbers.iter().map(layout)) < Layout::Numbers {
        // encode writes these in a fixed-width layout; accepting both would give one list
        // two encodings, and a decoded message could come back in another layout.
        return Err(WireError(
            "integers of at most 192 bits sent as mixed numbers",
        ));
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
