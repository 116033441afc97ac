//! How numbers travel between processes: the bytes a task's inputs and results are copied
//! as, like the pickles Python's `Pool` sends through its pipes. A task of 64-bit integers
//! (the common case) is one tag and their plain bytes; anything else is tagged per number.

use num_bigint::BigInt;

use crate::pool::Values;
use crate::number::Number;

const INTS: u8 = b'I';
const NUMBERS: u8 = b'N';
const INT: u8 = b'i';
const FLOAT: u8 = b'f';
const BIG: u8 = b'b';

/// Bytes that are not a message this module wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub(crate) &'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a message between processes is damaged: {}", self.0)
    }
}

impl std::error::Error for WireError {}

/// The bytes for `numbers`.
pub fn encode(numbers: &[Number]) -> Vec<u8> {
    if numbers.iter().all(|n| matches!(n, Number::Int(_))) {
        let mut out = Vec::with_capacity(1 + 8 * numbers.len());
        out.push(INTS);
        for n in numbers {
            if let Number::Int(v) = n {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        return out;
    }
    let mut out = Vec::with_capacity(1 + 9 * numbers.len());
    out.push(NUMBERS);
    for n in numbers {
        match n {
            Number::Int(v) => {
                out.push(INT);
                out.extend_from_slice(&v.to_le_bytes());
            }
            Number::Float(v) => {
                out.push(FLOAT);
                out.extend_from_slice(&v.to_bits().to_le_bytes());
            }
            Number::Big(v) => {
                let bytes = v.to_signed_bytes_le();
                out.push(BIG);
                out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                out.extend_from_slice(&bytes);
            }
        }
    }
    out
}

/// The bytes for a task's results.
pub fn encode_values(values: &Values) -> Vec<u8> {
    match values {
        Values::Ints(ints) => {
            let mut out = Vec::with_capacity(1 + 8 * ints.len());
            out.push(INTS);
            for v in ints {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out
        }
        Values::Numbers(numbers) => encode(numbers),
    }
}

/// The numbers in `bytes`, kept as plain integers when they all are.
pub fn decode(bytes: &[u8]) -> Result<Values, WireError> {
    let (&tag, mut rest) = bytes.split_first().ok_or(WireError("empty"))?;
    match tag {
        INTS => {
            if rest.len() % 8 != 0 {
                return Err(WireError("integers cut short"));
            }
            Ok(Values::Ints(
                rest.chunks_exact(8)
                    .map(|b| i64::from_le_bytes(b.try_into().expect("8 bytes")))
                    .collect(),
            ))
        }
        NUMBERS => {
            let mut numbers = Vec::new();
            while let Some((&tag, tail)) = rest.split_first() {
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
                        let (len, tail) = take::<4>(tail)?;
                        let len = u32::from_le_bytes(len) as usize;
                        if tail.len() < len {
                            return Err(WireError("integer cut short"));
                        }
                        let (digits, tail) = tail.split_at(len);
                        (
                            Number::from_bigint(BigInt::from_signed_bytes_le(digits)),
                            tail,
                        )
                    }
                    _ => return Err(WireError("unknown number tag")),
                };
                numbers.push(number);
                rest = tail;
            }
            Ok(Values::Numbers(numbers))
        }
        _ => Err(WireError("unknown message tag")),
    }
}

fn take<const N: usize>(bytes: &[u8]) -> Result<([u8; N], &[u8]), WireError> {
    if bytes.len() < N {
        return Err(WireError("number cut short"));
    }
    let (head, tail) = bytes.split_at(N);
    Ok((head.try_into().expect("N bytes"), tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::parse_numbers;

    #[test]
    fn numbers_travel_unchanged() {
        let numbers = parse_numbers("0 -1 9223372036854775807 -9223372036854775808 0.1 -2.5e300 5e-324 123456789012345678901234567890 -98765432109876543210").unwrap();
        assert_eq!(decode(&encode(&numbers)).unwrap().into_numbers(), numbers);
        let ints = parse_numbers("1 -2 3").unwrap();
        let bytes = encode(&ints);
        assert_eq!(
            bytes.len(),
            1 + 3 * 8,
            "plain integers travel as 8 bytes each"
        );
        assert_eq!(decode(&bytes).unwrap(), Values::Ints(vec![1, -2, 3]));
        assert_eq!(decode(&encode(&[])).unwrap().len(), 0);
    }

    #[test]
    fn damaged_bytes_are_refused_not_misread() {
        let bytes = encode(&parse_numbers("1.5 2 100000000000000000000").unwrap());
        for cut in 1..bytes.len() - 1 {
            let decoded = decode(&bytes[..cut]);
            assert!(
                decoded.is_err() || decoded.as_ref().unwrap().len() < 3,
                "cut at {cut}"
            );
        }
        assert!(decode(&[]).is_err());
        assert!(decode(b"X").is_err());
        assert!(decode(b"I1234567").is_err());
    }
}
