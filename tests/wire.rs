//! The bytes numbers travel between processes as: every list comes back exactly, and
//! damaged bytes are refused rather than read as fewer (or other) numbers.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use num_bigint::BigInt;
use webpool::number::{I192, Number, parse_numbers};
use webpool::pool::Values;
use webpool::pool::engine::wire::{decode, encode, encode_values};

/// Equal, with floats compared by their bits: NaN payloads and the sign of zero must
/// survive, and NaN is never `==` to itself.
fn same(a: &[Number], b: &[Number]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Number::Float(x), Number::Float(y)) => x.to_bits() == y.to_bits(),
            (x, y) => x == y,
        })
}

fn big(text: &str) -> Number {
    let n = Number::from_bigint(text.parse::<BigInt>().unwrap());
    assert!(matches!(n, Number::Big(_)), "{text} fits in 64 bits");
    n
}

fn pow2(bits: u32) -> BigInt {
    BigInt::from(1) << bits
}

/// Big integers around the byte boundaries of two's complement, where a sign byte is or
/// is not needed, and far beyond.
fn bigs() -> Vec<Number> {
    let mut values = vec![
        BigInt::from(i64::MAX) + 1,
        BigInt::from(i64::MIN) - 1,
        BigInt::from(u64::MAX),
        -BigInt::from(u64::MAX),
        pow2(64),
        -pow2(64),
        BigInt::from(10).pow(300),
        -BigInt::from(10).pow(1000),
        pow2(10_000) - 1,
        -pow2(10_000),
    ];
    for bits in [71, 72, 79, 80, 127, 128] {
        for offset in [-1, 0, 1] {
            values.push(pow2(bits) + offset);
            values.push(-pow2(bits) + offset);
        }
    }
    values.into_iter().map(Number::from_bigint).collect()
}

fn floats() -> Vec<Number> {
    [
        0.0,
        -0.0,
        0.1,
        -2.5e300,
        5e-324,
        -5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::from_bits(0x7ff8_0000_0000_0001),
        // A signalling NaN, and a negative one with a payload: copied as bits, never computed.
        f64::from_bits(0x7ff0_0000_0000_0001),
        f64::from_bits(0xfff4_5678_9abc_def0),
    ]
    .into_iter()
    .map(Number::Float)
    .collect()
}

fn ints() -> Vec<Number> {
    [
        0,
        1,
        -1,
        255,
        -256,
        i64::MAX,
        i64::MIN,
        i64::MAX - 1,
        i64::MIN + 1,
    ]
    .into_iter()
    .map(Number::Int)
    .collect()
}

/// Integers that need more than 64 bits and at most 128, with a few small ones.
fn wides() -> Vec<Number> {
    let mut values = vec![
        BigInt::from(i64::MAX) + 1,
        BigInt::from(i64::MIN) - 1,
        BigInt::from(i128::MAX),
        BigInt::from(i128::MIN),
        BigInt::from(7),
        BigInt::from(i64::MIN),
    ];
    for bits in [64, 100, 126] {
        values.extend([pow2(bits) + 1, -pow2(bits)]);
    }
    values.into_iter().map(Number::from_bigint).collect()
}

/// Integers that need more than 128 bits and at most 192 (every cube of a 64-bit integer
/// is one of these or narrower), with narrower ones.
fn widers() -> Vec<Number> {
    let mut values = vec![
        pow2(191) - 1,
        -pow2(191),
        BigInt::from(i64::MIN).pow(3),
        BigInt::from(i64::MAX).pow(3),
        BigInt::from(i128::MAX) + 1,
        BigInt::from(-3),
        BigInt::from(i128::MIN),
    ];
    for bits in [128, 150, 190] {
        values.extend([pow2(bits) + 1, -pow2(bits) - 1]);
    }
    values.into_iter().map(Number::from_bigint).collect()
}

/// Lists of every kind, each a message that must round-trip.
fn lists() -> Vec<Vec<Number>> {
    let mut mixed = parse_numbers(
        "0 -1 9223372036854775807 -9223372036854775808 0.1 -2.5e300 5e-324 \
         123456789012345678901234567890 -98765432109876543210",
    )
    .unwrap();
    mixed.extend(bigs());
    mixed.extend(floats());
    mixed.extend(ints());
    vec![
        Vec::new(),
        vec![Number::Int(7)],
        ints(),
        floats(),
        bigs(),
        vec![Number::Float(-0.0)],
        vec![big("9223372036854775808")],
        vec![Number::Int(1), Number::Float(f64::NAN), Number::Int(2)],
        wides(),
        widers(),
        vec![big("-9223372036854775809")],
        vec![Number::from_bigint(pow2(190))],
        mixed,
    ]
}

/// Checks that `numbers` come back exactly and that their bytes are the only encoding:
/// re-encoding what was decoded gives the same bytes.
fn round_trip(numbers: &[Number]) -> Vec<u8> {
    let bytes = encode(numbers);
    let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{e}: {numbers:?}"));
    assert!(
        same(&decoded.clone().into_numbers(), numbers),
        "{numbers:?}"
    );
    assert_eq!(encode_values(&decoded), bytes);
    assert_eq!(
        encode_values(&Values::Numbers(numbers.to_vec())),
        bytes,
        "the same numbers, the same bytes, however they are held"
    );
    bytes
}

fn refused(bytes: &[u8], why: &str) {
    match decode(bytes) {
        Ok(values) => panic!("{why}: {bytes:?} read as {values:?}"),
        Err(e) => assert!(
            e.to_string()
                .starts_with("a message between processes is damaged: "),
            "{e}"
        ),
    }
}

/// A message of `tag`, claiming `count` numbers, followed by `body`.
fn message(tag: u8, count: u64, body: &[u8]) -> Vec<u8> {
    let mut bytes = vec![tag];
    bytes.extend_from_slice(&count.to_le_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// A big-integer item whose two's complement is `digits`.
fn big_item(digits: &[u8]) -> Vec<u8> {
    let mut item = vec![b'b'];
    item.extend_from_slice(&(digits.len() as u64).to_le_bytes());
    item.extend_from_slice(digits);
    item
}

#[test]
fn integers_travel_as_a_tag_a_count_and_their_bytes() {
    let bytes = round_trip(&ints());
    assert_eq!(bytes.len(), 1 + 8 + 8 * ints().len());
    assert_eq!(bytes[0], b'I');
    assert_eq!(bytes[1..9], (ints().len() as u64).to_le_bytes());
    assert_eq!(bytes[9..17], 0i64.to_le_bytes());
    let values = [1, -2, 3];
    let bytes = encode_values(&Values::Ints(values.to_vec()));
    assert_eq!(
        decode(&bytes).unwrap(),
        Values::Ints(values.to_vec()),
        "plain integers stay plain"
    );
    assert_eq!(bytes, encode(&values.map(Number::Int)));
}

#[test]
fn nothing_travels_as_an_empty_list_of_integers() {
    let bytes = round_trip(&[]);
    assert_eq!(bytes, message(b'I', 0, &[]));
    assert_eq!(decode(&bytes).unwrap(), Values::Ints(Vec::new()));
    assert_eq!(encode_values(&Values::Numbers(Vec::new())), bytes);
}

#[test]
fn floats_keep_their_bits() {
    for x in floats() {
        round_trip(std::slice::from_ref(&x));
    }
    round_trip(&floats());
}

#[test]
fn big_integers_come_back_exactly() {
    for n in bigs() {
        assert!(matches!(n, Number::Big(_)), "{n}");
        round_trip(std::slice::from_ref(&n));
    }
    round_trip(&bigs());
    round_trip(&[big("-9223372036854775809"), Number::Int(i64::MIN)]);
}

#[test]
fn mixed_lists_come_back_exactly() {
    for list in lists() {
        round_trip(&list);
    }
}

#[test]
fn a_big_integer_that_fits_travels_as_a_plain_one() {
    // Number::Big promises never to hold one, but it can be built by hand.
    let numbers = [Number::Big(Box::new(BigInt::from(-5))), Number::Int(6)];
    let bytes = encode(&numbers);
    assert_eq!(bytes, encode(&[Number::Int(-5), Number::Int(6)]));
    assert_eq!(decode(&bytes).unwrap(), Values::Ints(vec![-5, 6]));
    let numbers = [Number::Big(Box::new(BigInt::from(-5))), Number::Float(0.5)];
    assert!(same(
        &decode(&encode(&numbers)).unwrap().into_numbers(),
        &[Number::Int(-5), Number::Float(0.5)]
    ));
}

/// The variant a decoded message holds.
fn kind(values: &Values) -> &'static str {
    match values {
        Values::Ints(_) => "ints",
        Values::Wide(_) => "wide",
        Values::Wider(_) => "wider",
        Values::Numbers(_) => "numbers",
    }
}

#[test]
fn integers_past_64_bits_travel_in_a_fixed_width() {
    let bytes = round_trip(&wides());
    assert_eq!(bytes[0], b'W');
    assert_eq!(bytes.len(), 1 + 8 + 16 * wides().len());
    assert_eq!(bytes[9..25], (i128::from(i64::MAX) + 1).to_le_bytes());
    let bytes = round_trip(&widers());
    assert_eq!(bytes[0], b'H');
    assert_eq!(bytes.len(), 1 + 8 + 24 * widers().len());
    assert_eq!(
        bytes[9..33],
        I192::try_from(&(pow2(191) - 1)).unwrap().to_le_bytes()
    );
    // Held as they were computed, they travel the same way, and come back unboxed.
    let wide: Vec<i128> = vec![-5, i128::MAX, 1 << 64];
    let bytes = encode_values(&Values::Wide(wide.clone()));
    assert_eq!(decode(&bytes).unwrap(), Values::Wide(wide));
    let wider = vec![I192::cube(i64::MIN), I192::from(3i64)];
    let bytes = encode_values(&Values::Wider(wider.clone()));
    assert_eq!(decode(&bytes).unwrap(), Values::Wider(wider));
}

#[test]
fn each_list_travels_in_the_narrowest_layout_that_holds_it() {
    let small = Values::Wider(vec![I192::from(1i64), I192::from(-2i64)]);
    assert_eq!(
        encode_values(&small),
        encode_values(&Values::Ints(vec![1, -2]))
    );
    let wide = Values::Wider(vec![I192::from(1i128 << 70), I192::from(-2i64)]);
    assert_eq!(
        encode_values(&wide),
        encode_values(&Values::Wide(vec![1 << 70, -2]))
    );
    assert_eq!(kind(&decode(&encode_values(&wide)).unwrap()), "wide");
    assert_eq!(
        kind(&decode(&encode_values(&Values::Wide(vec![3]))).unwrap()),
        "ints"
    );
    let with_float = [wides(), widers(), vec![Number::Float(0.5)]].concat();
    assert_eq!(kind(&decode(&round_trip(&with_float)).unwrap()), "numbers");
    let past_192 = [widers(), vec![Number::from_bigint(pow2(191))]].concat();
    assert_eq!(kind(&decode(&round_trip(&past_192)).unwrap()), "numbers");
    for (list, want) in [(ints(), "ints"), (wides(), "wide"), (widers(), "wider")] {
        assert_eq!(kind(&decode(&encode(&list)).unwrap()), want);
    }
}

#[test]
fn a_layout_wider_than_its_list_needs_is_refused() {
    refused(&message(b'W', 0, &[]), "no numbers, 128 bits wide");
    refused(&message(b'H', 0, &[]), "no numbers, 192 bits wide");
    let fits_64 = [(-5i128).to_le_bytes(), i128::from(i64::MAX).to_le_bytes()].concat();
    refused(
        &message(b'W', 2, &fits_64),
        "64-bit integers, 128 bits wide",
    );
    let fits_128 = [
        I192::from(i128::MIN).to_le_bytes(),
        I192::from(5i64).to_le_bytes(),
    ]
    .concat();
    refused(
        &message(b'H', 2, &fits_128),
        "128-bit integers, 192 bits wide",
    );
    // 2^63 in the mixed layout: it travels in 128 bits.
    let mut two_63 = [0u8; 9];
    two_63[7] = 0x80;
    let int = [b"i".as_slice(), &[1; 8]].concat();
    let mixed = [int.as_slice(), &big_item(&two_63)].concat();
    refused(&message(b'N', 2, &mixed), "128-bit integers, mixed");
    // 2^191 needs 193 bits of two's complement: mixed it is.
    let mut two_191 = [0u8; 25];
    two_191[23] = 0x80;
    let past = [int.as_slice(), &big_item(&two_191)].concat();
    assert!(decode(&message(b'N', 2, &past)).is_ok());
    two_191[23] = 0x40; // 2^190 fits in 192 bits
    let within = [int.as_slice(), &big_item(&two_191[..24])].concat();
    refused(&message(b'N', 2, &within), "192-bit integers, mixed");
}

#[test]
fn every_cut_is_refused() {
    for list in lists() {
        let bytes = encode(&list);
        for cut in 0..bytes.len() {
            refused(&bytes[..cut], &format!("cut at {cut} of {}", bytes.len()));
        }
    }
}

#[test]
fn bytes_after_the_end_are_refused() {
    for list in lists() {
        let bytes = encode(&list);
        for extra in [&[0u8][..], b"i", &[0; 8], &[0; 9], &encode(&list)[..]] {
            let mut longer = bytes.clone();
            longer.extend_from_slice(extra);
            refused(&longer, &format!("{} extra bytes", extra.len()));
        }
    }
}

#[test]
fn a_count_that_lies_is_refused() {
    for list in lists() {
        let bytes = encode(&list);
        let count = list.len() as u64;
        let mut lies = vec![count + 1, count.saturating_sub(1), count * 2 + 1, u64::MAX];
        // u64::MAX / 8 + 1 numbers of 8 bytes overflow a u64 byte count.
        lies.extend([u64::MAX / 8 + 1, u64::MAX / 9 + 1, u64::from(u32::MAX) + 1]);
        for lie in lies.into_iter().filter(|&lie| lie != count) {
            let mut lying = bytes.clone();
            lying[1..9].copy_from_slice(&lie.to_le_bytes());
            refused(&lying, &format!("count {lie} for {count}"));
        }
    }
}

#[test]
fn unknown_tags_are_refused() {
    refused(&[], "empty");
    refused(b"X", "unknown message tag");
    refused(b"I1234567", "a count cut short");
    refused(&message(b'X', 0, &[]), "unknown message tag with a count");
    refused(&message(b'i', 1, &[0; 8]), "a number tag as a message tag");
    for tag in [b'I', b'N', b'x', 0, 0xff] {
        refused(
            &message(
                b'N',
                2,
                &[b"f".as_slice(), &[0; 8], &[tag], &[0; 8]].concat(),
            ),
            &format!("unknown number tag {tag}"),
        );
    }
}

#[test]
fn integers_only_in_the_mixed_layout_are_refused() {
    // encode writes these as plain integers, so that a list has one encoding.
    refused(&message(b'N', 0, &[]), "no numbers, mixed");
    let two_ints = [b"i".as_slice(), &[1; 8], b"i", &[2; 8]].concat();
    refused(&message(b'N', 2, &two_ints), "two integers, mixed");
    let float = [b"f".as_slice(), &[0; 8]].concat();
    let with_float = [two_ints.as_slice(), &float].concat();
    assert!(decode(&message(b'N', 3, &with_float)).is_ok());
}

#[test]
fn big_integers_in_another_form_are_refused() {
    let float = [b"f".as_slice(), &[0; 8]].concat();
    let with = |item: &[u8]| message(b'N', 2, &[&float, item].concat());
    // 2^63 and -2^63 - 1: the shortest big integers, accepted.
    let mut smallest = [0u8; 9];
    smallest[7] = 0x80;
    let lowest = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff];
    for digits in [smallest, lowest] {
        let bytes = with(&big_item(&digits));
        let decoded = decode(&bytes).unwrap();
        assert!(matches!(decoded.iter().nth(1), Some(Number::Big(_))));
        assert_eq!(encode_values(&decoded), bytes);
    }
    for (digits, why) in [
        (vec![], "no bytes"),
        (vec![5], "one byte"),
        (vec![0xff; 8], "-1 in 8 bytes"),
        (i64::MIN.to_le_bytes().to_vec(), "i64::MIN"),
        ([&[5u8][..], &[0; 8]].concat(), "5 with needless zeros"),
        (
            [&[0xfb][..], &[0xff; 8]].concat(),
            "-5 with needless sign bytes",
        ),
        ([&smallest[..], &[0]].concat(), "2^63 with a needless zero"),
        (
            [&lowest[..], &[0xff]].concat(),
            "-2^63-1 with a needless sign byte",
        ),
    ] {
        refused(&with(&big_item(&digits)), why);
    }
    // A length longer than what follows, and one no message could have.
    let mut item = big_item(&smallest);
    item[1..9].copy_from_slice(&10u64.to_le_bytes());
    refused(&with(&item), "a length one too long");
    item[1..9].copy_from_slice(&u64::MAX.to_le_bytes());
    refused(&with(&item), "a length of u64::MAX");
}
