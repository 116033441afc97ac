//! Compares parsing, `repr`, `x**2` and `x**3` with the real CPython.
//!
//! Several thousand deterministic cases are written as tokens and fed to ONE
//! `python3` process, which prints for each token: `repr(x)`, `repr(x**2)`,
//! `repr(x**3)`, and the correctly rounded float powers computed exactly with
//! `fractions.Fraction` (independent of the C library's `pow`).
//!
//! Our results must equal the correctly rounded ones, and equal CPython's
//! `x**n` except where the C library's `pow` itself misrounds (glibc's does,
//! about once per thousand random doubles); those cases are counted and shown.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use num_bigint::BigInt;
use std::process::Command;
use std::sync::Arc;
use webpool::number::{Number, parse_numbers};
use webpool::pool::MapOptions;
use webpool::{Kernel, Op, Pool};

mod cpython;
use cpython::{Rng, shorten};

const SCRIPT: &str = r#"
import math, re, sys
from fractions import Fraction
INTEGER = re.compile(r'[+-]?[0-9]+')

def attempt(compute):
    try:
        return repr(compute())
    except OverflowError:
        return 'OverflowError'

def exact(x, n):
    if isinstance(x, int):
        return x ** n
    v = float(Fraction(x) ** n)  # int / int: correctly rounded
    if v == 0.0:  # Fraction(-0.0) is 0; underflow keeps the sign of x**n
        v = math.copysign(0.0, x) if n % 2 else 0.0
    return v

lines = []
for t in sys.stdin.read().split():
    x = int(t) if INTEGER.fullmatch(t) else float(t)
    lines.append('\t'.join([
        repr(x),
        attempt(lambda: x ** 2),
        attempt(lambda: x ** 3),
        attempt(lambda: exact(x, 2)),
        attempt(lambda: exact(x, 3)),
    ]))
sys.stdout.write('\n'.join(lines) + '\n')
"#;

/// Random inputs of this test's own kinds.
impl Rng {
    fn sign(&mut self) -> &'static str {
        if self.next() & 1 == 0 { "" } else { "-" }
    }

    /// A double with a random significand and sign and the given biased exponent.
    fn double_with_exponent(&mut self, biased: u64) -> f64 {
        let keep = 0x800f_ffff_ffff_ffff;
        f64::from_bits((self.next() & keep) | (biased << 52))
    }
}

/// Writes a float in one of several notations that all read back exactly.
fn float_token(rng: &mut Rng, x: f64) -> String {
    match rng.below(3) {
        0 => format!("{x:e}"),
        1 => format!("{x:?}"),
        _ => format!("{x:.24e}"),
    }
}

/// The exact decimal expansion of the midpoint between `x` (> 0) and the next
/// double up, plus a variant just above it: both test correct rounding of parsing.
fn midpoint_tokens(x: f64) -> [String; 2] {
    let bits = x.to_bits();
    let biased = (bits >> 52) as i64;
    let (m, e) = if biased == 0 {
        (bits, -1074)
    } else {
        (bits & ((1 << 52) - 1) | 1 << 52, biased - 1075)
    };
    // midpoint = (2m + 1)·2^(e-1)
    let odd = BigInt::from(2 * m + 1);
    let exact = if e >= 1 {
        format!("{}.0", odd << (e - 1) as usize)
    } else {
        let k = (1 - e) as u32;
        let digits = (odd * BigInt::from(5).pow(k)).to_string();
        let k = k as usize;
        let padded = format!(
            "{}{digits}",
            "0".repeat((k + 1).saturating_sub(digits.len()))
        );
        let point = padded.len() - k;
        format!("{}.{}", &padded[..point], &padded[point..])
    };
    let above = if exact.ends_with(".0") {
        format!("{exact}1")
    } else {
        format!("{exact}0001")
    };
    [exact, above]
}

fn cases() -> Vec<String> {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut t: Vec<String> = Vec::new();

    // Integers: small, boundaries of i64 and of the i128 fast paths, 10^k, big.
    t.extend((-300..=300).map(|v: i64| v.to_string()));
    let edges: [i64; 16] = [
        i64::MIN,
        i64::MIN + 1,
        i64::MAX,
        i64::MAX - 1,
        1 << 31,
        -(1 << 31),
        (1 << 32) + 1,
        3_037_000_499, // largest whose square fits in i64
        3_037_000_500,
        2_097_151, // largest whose cube fits in i64
        2_097_152,
        -2_097_152, // cube is exactly i64::MIN
        -2_097_153,
        5_541_191_377_756, // around the cube root of i128::MAX
        5_541_191_377_757,
        -5_541_191_377_757,
    ];
    t.extend(edges.iter().map(i64::to_string));
    for k in (0..1000).step_by(3) {
        t.push(format!("{}1{}", rng.sign(), "0".repeat(k)));
        t.push(format!("{}{}", rng.sign(), "9".repeat(k + 1)));
    }
    for _ in 0..600 {
        let bits = rng.below(64);
        let v = (rng.next() >> bits) as i64;
        t.push(v.to_string());
    }
    for _ in 0..200 {
        let len = 19 + rng.below(982) as usize;
        let digits: String = (0..len)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        t.push(format!("{}{}", rng.sign(), digits));
    }
    t.extend(
        [
            "007",
            "+42",
            "-0",
            "+0",
            "-000",
            "00000000000000000000000012345678901234567890",
        ]
        .map(String::from),
    );

    // Decimals as people type them.
    t.extend(
        [
            "0.1",
            "2.5",
            "1e8",
            "-2.5",
            "0.0001",
            "0.00001",
            "1e16",
            "1e15",
            "1e-5",
            "1.5e300",
            "5e-324",
            "4.9e-324",
            "0.5",
            "3.0",
            "1e22",
            "1e23",
            "0.3",
            "1.1",
            "-0.0",
            "0.0",
            "+1.5",
            "1.",
            ".5",
            "1E5",
            "1e-320",
            "123.456",
            "2.2250738585072014e-308",
            "1.7976931348623157e308",
            "1e154",
            "1e103",
            "-1e103",
            "5.64e102",
            "1e-108",
            "1e-400",
            "9007199254740993.0",
            "0.1e1",
            "100000000000000000000.5",
        ]
        .map(String::from),
    );
    t.extend((-330..=308).map(|k| format!("1e{k}")));
    // Long decimals whose exponent and digit count pull the opposite way.
    for zeros in [20, 400, 800] {
        let z = "0".repeat(zeros);
        t.push(format!("0.{z}123e{}", zeros + 100));
        t.push(format!("-1{z}.5e-{}", zeros + 100));
        t.push(format!("0.{z}17976931348623157e{}", zeros + 309));
        t.push(format!("3.14159{z}1"));
    }

    // Random doubles across the whole range, subnormals, and the edges where
    // x² and x³ underflow (biased exponents ~486 and ~665) or overflow (~1535, ~1364).
    let mut floats: Vec<f64> = Vec::new();
    while floats.len() < 1500 {
        let x = f64::from_bits(rng.next());
        if x.is_finite() {
            floats.push(x);
        }
    }
    for _ in 0..200 {
        floats.push(rng.double_with_exponent(0));
    }
    for (centre, spread, count) in [
        (486, 12, 200),
        (665, 12, 300),
        (1535, 2, 150),
        (1364, 2, 150),
    ] {
        for _ in 0..count {
            let biased = centre - spread + rng.below(2 * spread);
            floats.push(rng.double_with_exponent(biased));
        }
    }
    // Exactly around the last finite square and cube, and the last nonzero cube.
    for edge in [
        f64::MAX.sqrt(),
        f64::MAX.cbrt(),
        (5e-324f64 / 2.0).cbrt(),
        5e-324f64.cbrt(),
    ] {
        let mut below = edge;
        let mut above = edge;
        for _ in 0..25 {
            floats.extend([below, above, -above]);
            below = below.next_down();
            above = above.next_up();
        }
    }
    // Cubes that lie exactly halfway between two doubles, at several scales.
    let ties = (131_073u64..262_144)
        .step_by(2)
        .filter(|m| BigInt::from(*m).pow(3).bits() == 54);
    for m in ties.take(120) {
        let scale = 2f64.powi(rng.below(400) as i32 - 200);
        floats.push(m as f64);
        floats.push(-(m as f64) * scale);
    }
    // Every power of two (the shortest digits are subtle where the gap
    // below a double is half the gap above), and halfway ties for repr:
    // odd·2^-k whose exact decimal has 18 digits ending in 5.
    floats.extend((-1074..=1023).map(|k| 2f64.powi(k)));
    for k in 1..=24u32 {
        let low = 10u64.pow(17).div_ceil(5u64.pow(k));
        let high = (10u64.pow(18) / 5u64.pow(k)).min(1 << 53);
        for _ in 0..if low < high { 12 } else { 0 } {
            let m = (low + rng.below(high - low)) | 1;
            floats.push(m as f64 / 2f64.powi(k as i32));
        }
    }
    for &x in &floats {
        t.push(float_token(&mut rng, x));
    }

    // Decimal midpoints between neighbouring doubles, exact and nudged up.
    for _ in 0..60 {
        let x = f64::from_bits(rng.next() >> 1 | 1);
        if x.is_finite() && x.next_up().is_finite() {
            t.extend(midpoint_tokens(x));
        }
    }
    for _ in 0..20 {
        for biased in [rng.below(3), 1023 + rng.below(60)] {
            let x = rng.double_with_exponent(biased).abs();
            if x != 0.0 {
                t.extend(midpoint_tokens(x));
            }
        }
    }
    t
}

fn run_python(input: &str) -> (String, String) {
    let output = cpython::run(&["-c", SCRIPT], input);
    let version = Command::new("python3")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    (output, version)
}

fn ours(result: Result<Number, webpool::number::ArithmeticError>) -> String {
    match result {
        Ok(n) => n.to_string(),
        Err(e) => {
            assert_eq!(
                e.to_string(),
                "OverflowError: (34, 'Numerical result out of range')"
            );
            "OverflowError".to_owned()
        }
    }
}

#[test]
fn matches_cpython() {
    let tokens = cases();
    let input = tokens.join("\n");
    let numbers = parse_numbers(&input).expect("every generated token parses");
    assert_eq!(numbers.len(), tokens.len(), "one number per token");
    let (output, version) = run_python(&input);
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines.len(),
        tokens.len(),
        "one line per token from {version}"
    );

    let mut mismatches = Vec::new();
    let mut libm_misroundings = Vec::new();
    for ((token, number), line) in tokens.iter().zip(&numbers).zip(&lines) {
        let python: Vec<&str> = line.split('\t').collect();
        assert_eq!(python.len(), 5, "bad line from python3: {line:?}");
        let (repr, powers, exact) = (python[0], [python[1], python[2]], [python[3], python[4]]);
        let ours_repr = number.to_string();
        if ours_repr != repr {
            mismatches.push(format!(
                "repr({}): ours {} python {}",
                shorten(token),
                shorten(&ours_repr),
                shorten(repr)
            ));
        }
        let results = [ours(number.square()), ours(number.cube())];
        for (n, ((our, python), exact)) in results.iter().zip(powers).zip(exact).enumerate() {
            let what = format!("{}**{}", shorten(token), n + 2);
            if our == python && python == exact {
                continue;
            }
            if our == exact && python != exact && matches!(number, Number::Float(_)) {
                libm_misroundings.push(format!(
                    "{what}: CPython {python}, correctly rounded {exact}"
                ));
            } else {
                mismatches.push(format!(
                    "{what}: ours {} python {} correctly rounded {}",
                    shorten(our),
                    shorten(python),
                    shorten(exact)
                ));
            }
        }
    }
    let squares = libm_misroundings
        .iter()
        .filter(|m| m.contains("**2"))
        .count();
    let examples = &libm_misroundings[..libm_misroundings.len().min(5)];
    eprintln!(
        "compared {} numbers (repr, x**2, x**3) with {version}; its C pow misrounded {} x**2 \
         and {} x**3, where we keep the correctly rounded value{}{}",
        tokens.len(),
        squares,
        libm_misroundings.len() - squares,
        if examples.is_empty() {
            ""
        } else {
            ", e.g.\n  "
        },
        examples.join("\n  ")
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches with {version}; the first ones:\n  {}",
        mismatches.len(),
        mismatches[..mismatches.len().min(15)].join("\n  ")
    );
}

/// The same integers through a pool: results past 64 bits are kept as `i128`s or in 192
/// bits by the tasks and become numbers only when read, and must still print as CPython's.
/// Small tasks, so that tasks of every width and tasks that widen midway all occur.
#[test]
fn pool_results_match_cpython() {
    let tokens: Vec<String> = cases()
        .into_iter()
        .filter(|t| {
            t.trim_start_matches(['+', '-'])
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .collect();
    let input = tokens.join("\n");
    let numbers: Arc<[Number]> = parse_numbers(&input).expect("integers parse").into();
    assert!(numbers.iter().all(|n| !matches!(n, Number::Float(_))));
    let (output, version) = run_python(&input);
    let lines: Vec<Vec<&str>> = output.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        lines.len(),
        tokens.len(),
        "one line per token from {version}"
    );
    let pool = Pool::new(2).unwrap();
    for (op, column) in [(Op::Square, 1), (Op::Cube, 2)] {
        let report = pool
            .map_with(
                Kernel::new(op),
                Arc::clone(&numbers),
                MapOptions::chunksize(7),
                |_| {},
            )
            .unwrap();
        let ours: Vec<String> = report.results.values().map(|n| n.to_string()).collect();
        assert_eq!(ours.len(), tokens.len());
        let mismatches: Vec<String> = (tokens.iter().zip(&ours).zip(&lines))
            .filter(|((_, our), python)| **our != python[column])
            .map(|((token, our), python)| {
                format!(
                    "{}**{}: ours {} python {}",
                    shorten(token),
                    column + 1,
                    shorten(our),
                    shorten(python[column])
                )
            })
            .collect();
        assert!(
            mismatches.is_empty(),
            "{} mismatches with {version} through the pool; the first ones:\n  {}",
            mismatches.len(),
            mismatches[..mismatches.len().min(15)].join("\n  ")
        );
    }
}
