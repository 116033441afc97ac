//! Reading numbers from pasted text: `1 2 3`, `[1, 2.5, -3]`, `1..1000000`.
//!
//! The text is read twice. The first pass checks every token and counts the
//! numbers, so that a bad or oversized input is refused before anything the
//! size of its count is allocated; the second pass fills a vector of exactly
//! that size. Both passes share [`classify`], so they cannot disagree.

use super::Number;
use num_bigint::BigInt;
use std::fmt;
use std::ops::Range;

/// Most numbers one input may hold (ranges included), so that a typo such as
/// `1..10000000000` is refused before anything is allocated.
pub const MAX_NUMBERS: usize = 10_000_000;
/// Most digits an integer may have in the input (leading zeros count).
pub const MAX_INTEGER_DIGITS: usize = 1000;

/// What is wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Nothing but separators (spaces, newlines, commas, brackets).
    Empty,
    /// A token that is neither an integer, a decimal nor a range.
    NotANumber,
    /// `inf`, `nan` and their spellings: Python's `float()` takes them, but
    /// their powers are not numbers anyone wants listed.
    NotFinite,
    /// An integer with more digits than [`MAX_INTEGER_DIGITS`].
    TooManyDigits {
        /// Digits in the token.
        digits: usize,
        /// The limit, [`MAX_INTEGER_DIGITS`].
        max: usize,
    },
    /// A decimal too large for a float (it would round to infinity).
    FloatOverflow,
    /// Something with `..` that is not two integers around it (`1..`, `..5`, `1.5..3`).
    BadRange,
    /// A range end outside the 64-bit integers.
    RangeEndTooLarge,
    /// A range that ends before it starts, such as `5..1`.
    BackwardsRange {
        /// The first end as written.
        start: i64,
        /// The second end as written.
        end: i64,
    },
    /// The numbers read so far, this token included, exceed [`MAX_NUMBERS`].
    TooManyNumbers {
        /// Numbers counted up to and including this token.
        count: u128,
        /// The limit, [`MAX_NUMBERS`].
        max: usize,
    },
}

/// A bad input, with what it was and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub kind: ParseErrorKind,
    /// The offending token as typed (empty for [`ParseErrorKind::Empty`]).
    pub token: String,
    /// 1-based position of the token among the items (0 for [`ParseErrorKind::Empty`]).
    pub item: usize,
    /// Byte range of the token in the input text (the whole text for [`ParseErrorKind::Empty`]).
    pub span: Range<usize>,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParseErrorKind::*;
        if self.kind == Empty {
            return f.write_str(
                "there are no numbers: the input is empty or holds only spaces, commas and brackets",
            );
        }
        write!(f, "{:?} (item {}) ", abbreviate(&self.token), self.item)?;
        match &self.kind {
            Empty => Ok(()),
            NotANumber => f.write_str("is not a number"),
            NotFinite => f.write_str("is not a finite number: infinity and NaN are not accepted"),
            TooManyDigits { digits, max } => {
                write!(
                    f,
                    "has {digits} digits, but integers may have at most {max}"
                )
            }
            FloatOverflow => f.write_str(
                "is too large for a float (the largest is about 1.7976931348623157e+308)",
            ),
            BadRange => {
                f.write_str("is not a range: a range is two integers around \"..\", like 1..10")
            }
            RangeEndTooLarge => write!(
                f,
                "is not a usable range: its ends must lie between {} and {}",
                i64::MIN,
                i64::MAX
            ),
            BackwardsRange { start, end } => write!(
                f,
                "is an empty range: it ends at {end}, below its start {start} (write {end}..{start} to count up)"
            ),
            TooManyNumbers { count, max } => write!(
                f,
                "brings the count of numbers to {count}, more than the limit of {max}"
            ),
        }
    }
}

impl std::error::Error for ParseError {}

/// Shortens a huge token (a 1000-digit integer, a pasted blob) so that the
/// message stays readable; the full token is still in [`ParseError::token`].
fn abbreviate(token: &str) -> std::borrow::Cow<'_, str> {
    const HEAD: usize = 24;
    const TAIL: usize = 8;
    let chars = token.chars().count();
    if chars <= HEAD + TAIL + 1 {
        return token.into();
    }
    let head_end = token
        .char_indices()
        .nth(HEAD)
        .map_or(token.len(), |(i, _)| i);
    let tail_start = token
        .char_indices()
        .nth(chars - TAIL)
        .map_or(token.len(), |(i, _)| i);
    format!("{}…{}", &token[..head_end], &token[tail_start..]).into()
}

/// Parses integers, decimals and inclusive ranges `a..b`, separated by
/// whitespace, commas or the brackets of a pasted Python list.
///
/// Integers stay exact (up to [`MAX_INTEGER_DIGITS`] digits); decimals become
/// the nearest float, as Python's `float()` rounds them. At most
/// [`MAX_NUMBERS`] numbers are produced, ranges counted in full.
///
/// ```
/// use webpool::number::{parse_numbers, python_list};
///
/// let numbers = parse_numbers("[1, 2.5, 4..6, 123456789012345678901234567890]")?;
/// assert_eq!(
///     python_list(&numbers),
///     "[1, 2.5, 4, 5, 6, 123456789012345678901234567890]"
/// );
///
/// // A mistake is named, with where it is in the text.
/// let error = parse_numbers("1 2 3x").unwrap_err();
/// assert_eq!(error.to_string(), r#""3x" (item 3) is not a number"#);
/// assert_eq!(error.span, 4..6);
/// # Ok::<(), webpool::number::ParseError>(())
/// ```
pub fn parse_numbers(text: &str) -> Result<Vec<Number>, ParseError> {
    let count = count_numbers(text)?;
    let mut numbers = Vec::with_capacity(count);
    for (index, span) in tokens(text).enumerate() {
        match checked_token(text, index, span)? {
            Token::Int(v) => numbers.push(Number::Int(v)),
            Token::Big { negative, digits } => numbers.push(big(negative, digits)),
            Token::Float(x) => numbers.push(Number::Float(x)),
            Token::Range(start, end) => numbers.extend((start..=end).map(Number::Int)),
        }
    }
    Ok(numbers)
}

/// First pass: validates every token and returns how many numbers they make.
fn count_numbers(text: &str) -> Result<usize, ParseError> {
    let mut count: u128 = 0;
    for (index, span) in tokens(text).enumerate() {
        count += match checked_token(text, index, span.clone())? {
            // i128 because `i64::MIN..i64::MAX` holds 2^64 numbers.
            Token::Range(start, end) => (i128::from(end) - i128::from(start) + 1) as u128,
            _ => 1,
        };
        if count > MAX_NUMBERS as u128 {
            let kind = ParseErrorKind::TooManyNumbers {
                count,
                max: MAX_NUMBERS,
            };
            return Err(error(text, index, span, kind));
        }
    }
    if count == 0 {
        return Err(ParseError {
            kind: ParseErrorKind::Empty,
            token: String::new(),
            item: 0,
            span: 0..text.len(),
        });
    }
    Ok(count as usize)
}

fn checked_token(text: &str, index: usize, span: Range<usize>) -> Result<Token<'_>, ParseError> {
    classify(&text[span.clone()]).map_err(|kind| error(text, index, span, kind))
}

fn error(text: &str, index: usize, span: Range<usize>, kind: ParseErrorKind) -> ParseError {
    ParseError {
        kind,
        token: text[span.clone()].to_owned(),
        item: index + 1,
        span,
    }
}

/// Byte ranges of the tokens: maximal runs of non-separators.
fn tokens(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        loop {
            match separator_len(text, pos)? {
                0 => break,
                len => pos += len,
            }
        }
        let start = pos;
        while let Some(0) = separator_len(text, pos) {
            pos += char_len(text.as_bytes()[pos]);
        }
        Some(start..pos)
    })
}

/// The byte length of the separator at `at` (0 if none starts there; `None`
/// at the end). Python's list syntax is accepted as is, so brackets separate
/// like commas. Bytes first: inputs are ASCII but for a rare space.
#[inline]
fn separator_len(text: &str, at: usize) -> Option<usize> {
    let byte = *text.as_bytes().get(at)?;
    if byte.is_ascii() {
        let separator = matches!(byte, b' ' | b'\t'..=b'\r' | b',' | b'[' | b']');
        return Some(usize::from(separator));
    }
    let c = text.get(at..)?.chars().next()?;
    Some(if c.is_whitespace() { c.len_utf8() } else { 0 })
}

/// The length of the UTF-8 sequence that starts with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// One token, checked but not yet turned into a [`Number`] when that would
/// allocate (big integers, ranges).
enum Token<'a> {
    Int(i64),
    Big { negative: bool, digits: &'a str },
    Float(f64),
    Range(i64, i64),
}

fn classify(token: &str) -> Result<Token<'_>, ParseErrorKind> {
    let (negative, unsigned) = split_sign(token);
    if is_digits(unsigned) {
        return integer(negative, unsigned);
    }
    // A byte scan: `str::split_once("..")` sets up a substring searcher per call.
    if let Some(at) = token.as_bytes().windows(2).position(|pair| pair == b"..") {
        let start = range_end(&token[..at])?;
        let end = range_end(&token[at + 2..])?;
        return if end < start {
            Err(ParseErrorKind::BackwardsRange { start, end })
        } else {
            Ok(Token::Range(start, end))
        };
    }
    if is_decimal(unsigned.as_bytes()) {
        return decimal(token);
    }
    let non_finite = ["inf", "infinity", "nan"];
    if non_finite
        .iter()
        .any(|name| unsigned.eq_ignore_ascii_case(name))
    {
        Err(ParseErrorKind::NotFinite)
    } else {
        Err(ParseErrorKind::NotANumber)
    }
}

fn range_end(text: &str) -> Result<i64, ParseErrorKind> {
    let (negative, digits) = split_sign(text);
    if !is_digits(digits) {
        return Err(ParseErrorKind::BadRange);
    }
    small_integer(negative, digits).ok_or(ParseErrorKind::RangeEndTooLarge)
}

fn integer(negative: bool, digits: &str) -> Result<Token<'_>, ParseErrorKind> {
    if digits.len() > MAX_INTEGER_DIGITS {
        let kind = ParseErrorKind::TooManyDigits {
            digits: digits.len(),
            max: MAX_INTEGER_DIGITS,
        };
        return Err(kind);
    }
    Ok(match small_integer(negative, digits) {
        Some(v) => Token::Int(v),
        None => Token::Big { negative, digits },
    })
}

/// The value of validated ASCII digits, if it fits in an `i64`.
fn small_integer(negative: bool, digits: &str) -> Option<i64> {
    let mut magnitude: u64 = 0;
    for d in digits.bytes() {
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(u64::from(d - b'0'))?;
    }
    let value = i128::from(magnitude);
    i64::try_from(if negative { -value } else { value }).ok()
}

/// Only reached for integers that do not fit in an `i64`, so never `Int`.
fn big(negative: bool, digits: &str) -> Number {
    let magnitude = BigInt::parse_bytes(digits.as_bytes(), 10).unwrap_or_default();
    super::arith::normalize(if negative { -magnitude } else { magnitude })
}

fn decimal(token: &str) -> Result<Token<'_>, ParseErrorKind> {
    // The grammar was checked by `is_decimal`, which is stricter than Rust's
    // parser, so an error here would be a bug; refusing is still safer than panicking.
    let x: f64 = token.parse().map_err(|_| ParseErrorKind::NotANumber)?;
    if x.is_finite() {
        Ok(Token::Float(x))
    } else {
        Err(ParseErrorKind::FloatOverflow)
    }
}

fn split_sign(token: &str) -> (bool, &str) {
    match token.as_bytes().first() {
        Some(b'-') => (true, &token[1..]),
        Some(b'+') => (false, &token[1..]),
        _ => (false, token),
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn leading_digits(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// `(digits "." digits? | "." digits) exponent? | digits exponent`, with
/// exponent `[eE] [+-]? digits`. Checked here because Rust's float parser
/// also takes `inf`, `NaN` and friends.
fn is_decimal(s: &[u8]) -> bool {
    let int_digits = leading_digits(s);
    let mut i = int_digits;
    let has_point = s.get(i) == Some(&b'.');
    let mut frac_digits = 0;
    if has_point {
        i += 1;
        frac_digits = leading_digits(&s[i..]);
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    let has_exponent = matches!(s.get(i), Some(b'e' | b'E'));
    if has_exponent {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exponent_digits = leading_digits(&s[i..]);
        if exponent_digits == 0 {
            return false;
        }
        i += exponent_digits;
    }
    i == s.len() && (has_point || has_exponent)
}
