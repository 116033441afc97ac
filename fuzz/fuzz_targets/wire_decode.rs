//! Feeds arbitrary bytes to the wire format between processes and checks that it never
//! panics, that what it accepts is exactly what it writes, and that numbers built from
//! the input come back unchanged.
//!
//! Run from the crate root:
//! `cargo +nightly fuzz run wire_decode -- -max_total_time=60 -max_len=4096`

#![no_main]

use libfuzzer_sys::fuzz_target;
use num_bigint::BigInt;
use webpool::number::{I192, Number};
use webpool::pool::Values;
use webpool::pool::engine::wire::{decode, encode, encode_values};

fuzz_target!(|data: &[u8]| {
    // The bytes as a message, as a damaged or hostile worker could send them.
    check_message(data);

    // The bytes as a recipe for numbers, so that every layout is written and read back.
    let numbers = numbers_from(data);
    let bytes = encode(&numbers);
    let decoded = decode(&bytes).expect("encode's bytes are accepted");
    check_values(&decoded);
    assert!(same(&decoded.clone().into_numbers(), &numbers));
    assert_eq!(encode_values(&decoded), bytes);
    if let Some(ints) = numbers
        .iter()
        .map(|n| match n {
            Number::Int(v) => Some(*v),
            _ => None,
        })
        .collect::<Option<Vec<i64>>>()
    {
        assert_eq!(
            decoded,
            Values::Ints(ints.clone()),
            "plain integers stay plain"
        );
        assert_eq!(encode_values(&Values::Ints(ints)), bytes);
    }
    check_narrowest(&numbers, &decoded);
    // The same integers held wider travel the same way.
    if let Some(wider) = numbers.iter().map(integer).collect::<Option<Vec<I192>>>() {
        assert_eq!(encode_values(&Values::Wider(wider.clone())), bytes);
        if let Some(wide) = wider.iter().map(|v| v.to_i128()).collect::<Option<Vec<_>>>() {
            assert_eq!(encode_values(&Values::Wide(wide)), bytes);
        }
    }

    // That message damaged where the input says: arbitrary bytes seldom come this close to
    // a real message, and near one only decode's checks stand between damage and a
    // misreading.
    let [a, b] = [data.first(), data.last()].map(|x| usize::from(x.copied().unwrap_or(0)));
    let at = (a << 8 | b) % bytes.len();
    assert!(
        decode(&bytes[..at]).is_err(),
        "a cut at {at} of {} was accepted",
        bytes.len()
    );
    let extra = &data[..a.min(data.len())];
    if !extra.is_empty() {
        let longer = [&bytes[..], extra].concat();
        assert!(
            decode(&longer).is_err(),
            "bytes after the end were accepted"
        );
    }
    let mut changed = bytes.clone();
    changed[at] ^= b as u8 | 1;
    check_message(&changed);
});

/// Whatever `decode` accepts is exactly what `encode` writes for what it read: one
/// encoding per list, so nothing else can pass for a message.
fn check_message(bytes: &[u8]) {
    let Ok(values) = decode(bytes) else { return };
    check_values(&values);
    check_narrowest(&values.iter().collect::<Vec<_>>(), &values);
    let again = encode_values(&values);
    assert_eq!(again, bytes, "accepted bytes re-encode differently");
    let twice = decode(&again).expect("encode's bytes are accepted");
    assert!(same(
        &values.iter().collect::<Vec<_>>(),
        &twice.into_numbers()
    ));
    assert_eq!(encode(&values.into_numbers()), bytes);
}

/// Numbers from `data`: a byte chooses the kind, the bytes after it give its value.
fn numbers_from(mut data: &[u8]) -> Vec<Number> {
    let mut numbers = Vec::new();
    while let Some((&kind, rest)) = data.split_first() {
        let (number, rest) = match kind % 4 {
            // Small integers, so that lists of integers only (the fast layout) are common.
            0 => (Number::Int(i64::from(kind as i8 >> 2)), rest),
            1 => {
                let (b, rest) = eight(rest);
                (Number::Int(i64::from_le_bytes(b)), rest)
            }
            2 => {
                let (b, rest) = eight(rest);
                (Number::Float(f64::from_bits(u64::from_le_bytes(b))), rest)
            }
            _ => {
                let len = usize::from(kind >> 2).min(rest.len());
                let (digits, rest) = rest.split_at(len);
                (
                    Number::from_bigint(BigInt::from_signed_bytes_le(digits)),
                    rest,
                )
            }
        };
        numbers.push(number);
        data = rest;
    }
    numbers
}

/// Up to eight bytes, zero-padded.
fn eight(data: &[u8]) -> ([u8; 8], &[u8]) {
    let len = data.len().min(8);
    let mut b = [0; 8];
    b[..len].copy_from_slice(&data[..len]);
    (b, &data[len..])
}

/// Equal, with floats compared by their bits (NaN is never `==` to itself).
fn same(a: &[Number], b: &[Number]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Number::Float(x), Number::Float(y)) => x.to_bits() == y.to_bits(),
            (x, y) => x == y,
        })
}

/// What decoded values promise: a `Big` never holds an integer that fits in 64 bits.
fn check_values(values: &Values) {
    for n in values.iter() {
        if let Number::Big(b) = n {
            assert!(i64::try_from(&*b).is_err(), "Big never fits in i64");
        }
    }
}

/// `n` as an integer of at most 192 bits, if it is one.
fn integer(n: &Number) -> Option<I192> {
    match n {
        Number::Int(v) => Some(I192::from(*v)),
        Number::Big(b) => I192::try_from(&**b).ok(),
        Number::Float(_) => None,
    }
}

/// `values`, decoded from `numbers`, are in the narrowest variant that holds them all: the
/// one layout each list has.
fn check_narrowest(numbers: &[Number], values: &Values) {
    let integers: Option<Vec<I192>> = numbers.iter().map(integer).collect();
    let fits_128 = |ints: &[I192]| ints.iter().all(|v| v.to_i128().is_some());
    let fits_64 = |ints: &[I192]| {
        ints.iter()
            .all(|v| v.to_i128().is_some_and(|v| i64::try_from(v).is_ok()))
    };
    let narrowest = match integers {
        None => "numbers",
        Some(ints) if fits_64(&ints) => "ints",
        Some(ints) if fits_128(&ints) => "wide",
        Some(_) => "wider",
    };
    let held = match values {
        Values::Ints(_) => "ints",
        Values::Wide(_) => "wide",
        Values::Wider(_) => "wider",
        Values::Numbers(_) => "numbers",
    };
    assert_eq!(held, narrowest, "{numbers:?}");
}
