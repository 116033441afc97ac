//! STUB: replaced by the numbers helper.
use super::Number;

/// Most numbers one input may hold (ranges included), so that a typo such as
/// `1..10000000000` is refused before anything is allocated.
pub const MAX_NUMBERS: usize = 10_000_000;
/// Most digits an integer may have in the input.
pub const MAX_INTEGER_DIGITS: usize = 1000;

/// What is wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Nothing but separators.
    Empty,
    /// A token that is not a number or a range.
    NotANumber,
}

/// A bad input, with what it was and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub kind: ParseErrorKind,
    /// The offending token as typed.
    pub token: String,
    /// 1-based position of the token among the items.
    pub item: usize,
    /// Byte range of the token in the input text.
    pub span: std::ops::Range<usize>,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} (item {}) is not a number", self.token, self.item)
    }
}
impl std::error::Error for ParseError {}

/// Parses integers, decimals and inclusive ranges `a..b`, separated by spaces, commas or newlines.
pub fn parse_numbers(text: &str) -> Result<Vec<Number>, ParseError> {
    let mut out = Vec::new();
    for (i, tok) in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .enumerate()
    {
        if let Some((a, b)) = tok.split_once("..") {
            let (a, b): (i64, i64) = (a.parse().unwrap(), b.parse().unwrap());
            out.extend((a..=b).map(Number::Int));
        } else if let Ok(v) = tok.parse::<i64>() {
            out.push(Number::Int(v));
        } else if let Ok(v) = tok.parse::<f64>() {
            out.push(Number::Float(v));
        } else {
            return Err(ParseError {
                kind: ParseErrorKind::NotANumber,
                token: tok.into(),
                item: i + 1,
                span: 0..0,
            });
        }
    }
    if out.is_empty() {
        return Err(ParseError {
            kind: ParseErrorKind::Empty,
            token: String::new(),
            item: 0,
            span: 0..0,
        });
    }
    Ok(out)
}
