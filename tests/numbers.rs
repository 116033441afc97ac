//! The public number API: parsing, Python's `repr`, and `x**2` / `x**3`.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use num_bigint::BigInt;
use webpool::number::{
    ArithmeticError, MAX_INTEGER_DIGITS, MAX_NUMBERS, Number, ParseError, ParseErrorKind,
    parse_numbers, python_list,
};

fn parse(text: &str) -> Vec<Number> {
    parse_numbers(text).unwrap_or_else(|e| panic!("{text:?} should parse, got: {e}"))
}

fn parse_err(text: &str) -> ParseError {
    match parse_numbers(text) {
        Ok(numbers) => panic!("{text:?} should be refused, got {} numbers", numbers.len()),
        Err(e) => e,
    }
}

fn reprs(text: &str) -> Vec<String> {
    parse(text).iter().map(Number::to_string).collect()
}

fn big(text: &str) -> Number {
    Number::Big(Box::new(text.parse::<BigInt>().unwrap()))
}

fn float(x: f64) -> Number {
    Number::Float(x)
}

// ---------------------------------------------------------------- parsing

#[test]
fn separators_and_python_lists() {
    let expected = vec![Number::Int(1), Number::Int(2), Number::Int(3)];
    for text in [
        "1 2 3",
        "1,2,3",
        "[1, 2, 3]",
        "  1\n2\r\n\t3  ",
        "[1,2,3],",
        "1\u{a0}2\u{3000}3",
        "[[1]] [2] ,,, 3",
    ] {
        assert_eq!(parse(text), expected, "{text:?}");
    }
}

#[test]
fn integers_are_exact_and_small_ones_stay_i64() {
    assert_eq!(
        parse("0 -0 +5 007 -12"),
        vec![
            Number::Int(0),
            Number::Int(0),
            Number::Int(5),
            Number::Int(7),
            Number::Int(-12)
        ]
    );
    assert_eq!(parse("9223372036854775807"), vec![Number::Int(i64::MAX)]);
    assert_eq!(parse("-9223372036854775808"), vec![Number::Int(i64::MIN)]);
    assert_eq!(
        parse("9223372036854775808"),
        vec![big("9223372036854775808")]
    );
    assert_eq!(
        parse("-9223372036854775809"),
        vec![big("-9223372036854775809")]
    );
    // Leading zeros do not make a small number big.
    assert_eq!(
        parse(&format!("{}42", "0".repeat(500))),
        vec![Number::Int(42)]
    );
    let huge = format!("-{}", "9".repeat(MAX_INTEGER_DIGITS));
    assert_eq!(parse(&huge), vec![big(&huge)]);
}

#[test]
fn decimals_are_floats_rounded_like_python() {
    assert_eq!(
        parse("1.5 .5 5. 1e3 1E-3 -2.5e+2 +0.25 1.e2 -0.0"),
        vec![
            float(1.5),
            float(0.5),
            float(5.0),
            float(1000.0),
            float(0.001),
            float(-250.0),
            float(0.25),
            float(100.0),
            float(-0.0)
        ]
    );
    assert!(matches!(parse("-0.0")[0], Number::Float(x) if x.is_sign_negative()));
    // Correct rounding, including the tie between 2^53 and 2^53 + 2 (to even).
    assert_eq!(parse("9007199254740993.0"), vec![float(9007199254740992.0)]);
    assert_eq!(parse("0.1"), vec![float(0.1)]);
    assert_eq!(
        parse("2.2250738585072011e-308"),
        vec![float(2.225073858507201e-308)]
    );
    // Underflow is not an error, as in Python: float("1e-400") is 0.0.
    assert_eq!(
        parse("1e-400 -1e-99999999999999999999"),
        vec![float(0.0), float(-0.0)]
    );
    assert_eq!(parse("0e99999999999999999999"), vec![float(0.0)]);
    assert_eq!(parse("4.9e-324"), vec![float(5e-324)]);
    assert_eq!(parse("1.7976931348623158e308"), vec![float(f64::MAX)]);
}

#[test]
fn ranges_expand_inclusively() {
    assert_eq!(parse("1..5"), (1..=5).map(Number::Int).collect::<Vec<_>>());
    assert_eq!(
        parse("-2..2"),
        (-2..=2).map(Number::Int).collect::<Vec<_>>()
    );
    assert_eq!(parse("7..7"), vec![Number::Int(7)]);
    assert_eq!(
        parse("[0, 3..4, -1]"),
        vec![
            Number::Int(0),
            Number::Int(3),
            Number::Int(4),
            Number::Int(-1)
        ]
    );
    assert_eq!(
        parse("9223372036854775806..9223372036854775807"),
        vec![Number::Int(i64::MAX - 1), Number::Int(i64::MAX)]
    );
    assert_eq!(
        parse("-9223372036854775808..-9223372036854775807"),
        vec![Number::Int(i64::MIN), Number::Int(i64::MIN + 1)]
    );
    let million = parse("1..1000000");
    assert_eq!(million.len(), 1_000_000);
    assert_eq!(million[999_999], Number::Int(1_000_000));
}

#[test]
fn empty_input() {
    for text in ["", "   ", "\n\n", ", , ,", "[]", "[ ]\n,"] {
        let e = parse_err(text);
        assert_eq!(e.kind, ParseErrorKind::Empty, "{text:?}");
        assert_eq!(
            (e.item, e.token.as_str(), e.span.clone()),
            (0, "", 0..text.len())
        );
        assert_eq!(
            e.to_string(),
            "there are no numbers: the input is empty or holds only spaces, commas and brackets"
        );
    }
}

/// Checks kind, token, item, span and message of the error for `text`.
fn check_error(text: &str, kind: ParseErrorKind, token: &str, item: usize, message: &str) {
    let e = parse_err(text);
    assert_eq!(e.kind, kind, "{text:?}");
    assert_eq!(e.token, token, "{text:?}");
    assert_eq!(e.item, item, "{text:?}");
    assert_eq!(&text[e.span.clone()], token, "{text:?}");
    assert_eq!(e.to_string(), message, "{text:?}");
}

#[test]
fn not_a_number() {
    use ParseErrorKind::NotANumber;
    check_error(
        "1 2 3 3x",
        NotANumber,
        "3x",
        4,
        r#""3x" (item 4) is not a number"#,
    );
    check_error(
        "[1, 2, abc]",
        NotANumber,
        "abc",
        3,
        r#""abc" (item 3) is not a number"#,
    );
    for bad in [
        "--1", "+-1", "1e", "1e+", "e5", ".", "-", "+", ".e1", "1.2.3", "0x10", "1_000", "½", "١٢",
        "1e5.0", "٣.٥", "1f", "1.5f", "infinit", "nan1", "(1)", "1;2",
    ] {
        let e = parse_err(&format!("0 {bad}"));
        assert_eq!(e.kind, NotANumber, "{bad:?}");
        assert_eq!(
            (e.token.as_str(), e.item, e.span),
            (bad, 2, 2..2 + bad.len())
        );
    }
}

#[test]
fn spans_are_byte_offsets() {
    let text = "1, 2 ,\u{3000}é";
    let e = parse_err(text);
    assert_eq!(e.item, 3);
    assert_eq!(e.span, 9..11);
    assert_eq!(&text[e.span], "é");
    let e = parse_err("1 2 日本");
    assert_eq!((e.item, e.span), (3, 4..10));
}

#[test]
fn infinities_and_nan_are_refused() {
    for bad in ["inf", "-inf", "+Infinity", "INFINITY", "nan", "NaN", "-nan"] {
        check_error(
            bad,
            ParseErrorKind::NotFinite,
            bad,
            1,
            &format!("{bad:?} (item 1) is not a finite number: infinity and NaN are not accepted"),
        );
    }
}

#[test]
fn too_many_digits() {
    let digits = "1".repeat(MAX_INTEGER_DIGITS + 1);
    let text = format!("1 -{digits}");
    let e = parse_err(&text);
    assert_eq!(
        e.kind,
        ParseErrorKind::TooManyDigits {
            digits: MAX_INTEGER_DIGITS + 1,
            max: MAX_INTEGER_DIGITS
        }
    );
    assert_eq!((e.item, e.span.clone()), (2, 2..text.len()));
    assert_eq!(e.token, format!("-{digits}"));
    // The message shortens the token but keeps its start and end.
    assert_eq!(
        e.to_string(),
        r#""-11111111111111111111111…11111111" (item 2) has 1001 digits, but integers may have at most 1000"#
    );
}

#[test]
fn float_overflow() {
    let message = "is too large for a float (the largest is about 1.7976931348623157e+308)";
    for bad in [
        "1e400",
        "-1e309",
        "1.8e308",
        "1e99999999999999999999",
        ".1e310",
    ] {
        let text = format!("1.5, {bad}");
        check_error(
            &text,
            ParseErrorKind::FloatOverflow,
            bad,
            2,
            &format!("{bad:?} (item 2) {message}"),
        );
    }
    let long = format!("{}.0", "9".repeat(400));
    assert_eq!(parse_err(&long).kind, ParseErrorKind::FloatOverflow);
}

#[test]
fn bad_ranges() {
    use ParseErrorKind::*;
    let bad_range = "is not a range: a range is two integers around \"..\", like 1..10";
    for bad in [
        "..", "1..", "..5", "1...5", "1.5..3", "1..2..3", "a..b", "1..e5", "-..5",
    ] {
        check_error(
            bad,
            BadRange,
            bad,
            1,
            &format!("{bad:?} (item 1) {bad_range}"),
        );
    }
    check_error(
        "1..9223372036854775808",
        RangeEndTooLarge,
        "1..9223372036854775808",
        1,
        r#""1..9223372036854775808" (item 1) is not a usable range: its ends must lie between -9223372036854775808 and 9223372036854775807"#,
    );
    check_error(
        "0 5..1",
        BackwardsRange { start: 5, end: 1 },
        "5..1",
        2,
        r#""5..1" (item 2) is an empty range: it ends at 1, below its start 5 (write 1..5 to count up)"#,
    );
    assert_eq!(
        parse_err("-1..-2").kind,
        BackwardsRange { start: -1, end: -2 }
    );
}

#[test]
fn too_many_numbers_is_refused_before_allocating() {
    let max = MAX_NUMBERS;
    check_error(
        "1..10000001",
        ParseErrorKind::TooManyNumbers {
            count: 10_000_001,
            max,
        },
        "1..10000001",
        1,
        r#""1..10000001" (item 1) brings the count of numbers to 10000001, more than the limit of 10000000"#,
    );
    let e = parse_err("1 2 1..9999998 3");
    assert_eq!(
        e.kind,
        ParseErrorKind::TooManyNumbers {
            count: 10_000_001,
            max
        }
    );
    assert_eq!((e.item, e.span), (4, 15..16));
    // 2^64 numbers: would overflow u64 and usize.
    let e = parse_err("-9223372036854775808..9223372036854775807");
    assert_eq!(
        e.kind,
        ParseErrorKind::TooManyNumbers {
            count: 1 << 64,
            max
        }
    );
    // Earlier problems are reported first, in reading order.
    assert_eq!(parse_err("x 1..100000000").kind, ParseErrorKind::NotANumber);
}

#[test]
fn never_panics_on_odd_strings() {
    let odd = [
        "..",
        "1..",
        "..5",
        "--1",
        "1e",
        "1e99999999999999999999",
        "-",
        ".",
        "e",
        "\0",
        "\u{feff}1",
        "1\u{300}",
        "💯",
        "1..💯",
        "[[[[",
        "]]]]",
        "\u{85}\u{2028}",
        "1e-",
        "0..0..0",
        "99999999999999999999..1",
        "-0..-0",
        "١",
        "ᛮ",
        "1\u{200b}2",
    ];
    for text in odd {
        match parse_numbers(text) {
            Ok(numbers) => assert!(!numbers.is_empty()),
            Err(e) => {
                assert!(e.span.end <= text.len());
                assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                assert!(!e.to_string().is_empty());
            }
        }
    }
}

#[test]
fn many_numbers_parse() {
    let text: String = (0..200_000).map(|i| format!("{i},")).collect();
    let numbers = parse(&text);
    assert_eq!(numbers.len(), 200_000);
    assert_eq!(numbers[123_456], Number::Int(123_456));
}

// ---------------------------------------------------------------- repr

#[test]
fn float_repr_matches_cpython() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.0, "1.0"),
        (-2.5, "-2.5"),
        (0.1, "0.1"),
        (0.1 * 0.1, "0.010000000000000002"),
        (100.0, "100.0"),
        (1e15, "1000000000000000.0"),
        (9999999999999998.0, "9999999999999998.0"),
        (1e16, "1e+16"),
        (1.5e16, "1.5e+16"),
        (123456789012345680.0, "1.2345678901234568e+17"),
        (1e22, "1e+22"),
        (0.0001, "0.0001"),
        (0.00012345, "0.00012345"),
        (0.00001, "1e-05"),
        (1.5e-5, "1.5e-05"),
        (1.5e300, "1.5e+300"),
        (-1e100, "-1e+100"),
        (5e-324, "5e-324"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"),
        (f64::MAX, "1.7976931348623157e+308"),
        (1.0 / 3.0, "0.3333333333333333"),
        (2.0 / 3.0, "0.6666666666666666"),
        (1e8, "100000000.0"),
        (123.456, "123.456"),
        (9007199254740993.0, "9007199254740992.0"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
    ];
    for &(x, expected) in cases {
        assert_eq!(float(x).to_string(), expected, "{x:e}");
    }
}

#[test]
fn int_repr_and_lists() {
    assert_eq!(Number::Int(i64::MIN).to_string(), "-9223372036854775808");
    assert_eq!(
        big("-123456789012345678901234567890").to_string(),
        "-123456789012345678901234567890"
    );
    assert_eq!(reprs("[1, 2.0, -3]"), ["1", "2.0", "-3"]);
    assert_eq!(python_list(parse("1 2.5 1e16")), "[1, 2.5, 1e+16]");
    // Formatting flags never change Python's text.
    assert_eq!(
        format!("{:>6}|{:.1}", Number::Int(7), float(0.25)),
        "7|0.25"
    );
}

// ---------------------------------------------------------------- arithmetic

fn square(n: &Number) -> String {
    n.square().map_or_else(|e| e.to_string(), |v| v.to_string())
}

fn cube(n: &Number) -> String {
    n.cube().map_or_else(|e| e.to_string(), |v| v.to_string())
}

#[test]
fn integer_powers_are_exact() {
    let cases: &[(&str, &str, &str)] = &[
        ("0", "0", "0"),
        ("-3", "9", "-27"),
        (
            "3037000499",
            "9223372030926249001",
            "28011385460385661648235251499",
        ),
        (
            "3037000500",
            "9223372037000250000",
            "28011385488055777750125000000",
        ),
        ("2097152", "4398046511104", "9223372036854775808"),
        ("-2097152", "4398046511104", "-9223372036854775808"),
        (
            "-9223372036854775808",
            "85070591730234615865843651857942052864",
            "-784637716923335095479473677900958302012794430558004314112",
        ),
        (
            "9223372036854775807",
            "85070591730234615847396907784232501249",
            "784637716923335095224261902710254454442933591094742482943",
        ),
        (
            "12345678901234567890",
            "152415787532388367501905199875019052100",
            "1881676372353657772490265749424677022198701224860897069000",
        ),
    ];
    for &(x, sq, cu) in cases {
        let n = &parse(x)[0];
        assert_eq!((square(n).as_str(), cube(n).as_str()), (sq, cu), "{x}");
    }
    // Small results come back as Int even from i128 or BigInt arithmetic.
    assert_eq!(Number::Int(-2097152).cube().unwrap(), Number::Int(i64::MIN));
    assert_eq!(
        Number::Int(3037000499).square().unwrap(),
        Number::Int(9223372030926249001)
    );
    assert!(matches!(
        Number::Int(3037000500).square().unwrap(),
        Number::Big(_)
    ));
}

#[test]
fn big_integer_powers() {
    let x = &parse(&format!("1{}", "0".repeat(40)))[0];
    assert!(matches!(x, Number::Big(_)));
    assert_eq!(square(x), format!("1{}", "0".repeat(80)));
    assert_eq!(cube(x), format!("1{}", "0".repeat(120)));
    let minus = &parse(&format!("-1{}", "0".repeat(40)))[0];
    assert_eq!(cube(minus), format!("-1{}", "0".repeat(120)));
    let nines = &parse(&"9".repeat(1000))[0];
    let squared = square(nines);
    // (10^1000 - 1)^2 = 10^2000 - 2·10^1000 + 1 = 99…9800…01
    assert_eq!(squared, format!("{}8{}1", "9".repeat(999), "0".repeat(999)));
}

#[test]
fn from_bigint_normalizes() {
    assert_eq!(Number::from_bigint(BigInt::from(-5)), Number::Int(-5));
    assert_eq!(
        Number::from_bigint(BigInt::from(i64::MIN)),
        Number::Int(i64::MIN)
    );
    assert_eq!(
        Number::from_bigint(BigInt::from(i64::MAX) + 1),
        big("9223372036854775808")
    );
}

#[test]
fn float_powers_follow_python() {
    let cases: &[(f64, &str, &str)] = &[
        (0.0, "0.0", "0.0"),
        (-0.0, "0.0", "-0.0"),
        (-2.5, "6.25", "-15.625"),
        (0.1, "0.010000000000000002", "0.0010000000000000002"),
        (1e8, "1e+16", "1e+24"),
        (1.5, "2.25", "3.375"),
        (1e-200, "0.0", "0.0"),
        (-1e-200, "0.0", "-0.0"),
        (1e-160, "1e-320", "0.0"),
        (1e-108, "1e-216", "0.0"),
        (5e-324, "0.0", "0.0"),
        (-5e-324, "0.0", "-0.0"),
        (
            1e154,
            "1e+308",
            "OverflowError: (34, 'Numerical result out of range')",
        ),
        (
            1e200,
            "OverflowError: (34, 'Numerical result out of range')",
            "OverflowError: (34, 'Numerical result out of range')",
        ),
        (
            -1e103,
            "1e+206",
            "OverflowError: (34, 'Numerical result out of range')",
        ),
        (
            5.64e102,
            "3.1809600000000004e+205",
            "1.7940614400000003e+308",
        ),
    ];
    for &(x, sq, cu) in cases {
        let n = float(x);
        assert_eq!(square(&n), sq, "{x:e}**2");
        assert_eq!(cube(&n), cu, "{x:e}**3");
    }
    assert_eq!(float(1e200).square(), Err(ArithmeticError::Overflow));
    // Subnormal cubes keep their sign and round correctly.
    assert_eq!(cube(&float(-1e-105)), "-1e-315");
    assert!(matches!(float(-0.0).cube(), Ok(Number::Float(x)) if x.is_sign_negative()));
}

#[test]
fn float_cube_is_correctly_rounded_at_ties() {
    // These cubes need exactly 54 bits, so they lie halfway between two
    // doubles and round to the even one. (glibc's pow, and so CPython on
    // Linux, gets about half of such ties wrong: 208083.0**3 gives
    // 9009689035307786.0 there.)
    let ties: &[(u64, &str)] = &[
        (262143, "1.8014192351838208e+16"),
        (208083, "9009689035307788.0"),
        (208069, "9007870619192508.0"),
    ];
    for &(m, expected) in ties {
        let exact = BigInt::from(m).pow(3);
        assert_eq!(exact.bits(), 54);
        assert_eq!(cube(&float(m as f64)), expected, "{m}");
        assert_eq!(cube(&float(-(m as f64))), format!("-{expected}"), "-{m}");
    }
}

#[test]
fn integer_fast_paths_end_exactly_where_64_bits_end() {
    use num_bigint::BigInt;
    for v in [
        3_037_000_499_i64,
        3_037_000_500,
        2_097_151,
        2_097_152,
        i64::MAX,
        i64::MIN,
    ] {
        for v in [v, v.saturating_neg()] {
            let big = BigInt::from(v);
            let n = Number::Int(v);
            assert_eq!(
                n.square().unwrap(),
                Number::from_bigint(&big * &big),
                "{v}²"
            );
            assert_eq!(
                n.cube().unwrap(),
                Number::from_bigint(&big * &big * &big),
                "{v}³"
            );
        }
    }
}
