//! Feeds arbitrary text to `parse_numbers` and checks what comes out.
//!
//! Run from the crate root:
//! `cargo +nightly fuzz run parse_numbers -- -max_total_time=60 -max_len=4096`

#![no_main]

use libfuzzer_sys::fuzz_target;
use num_traits::ToPrimitive;
use webpool::number::{MAX_NUMBERS, Number, ParseErrorKind, parse_numbers};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_numbers(&text) {
        Ok(numbers) => {
            assert!(!numbers.is_empty(), "Ok is never empty");
            assert!(numbers.len() <= MAX_NUMBERS);
            for n in numbers.iter().take(8) {
                check_number(n);
                // Python's repr is itself valid input, naming the same number.
                let shown = n.to_string();
                assert_eq!(
                    parse_numbers(&shown).as_deref(),
                    Ok(std::slice::from_ref(n))
                );
                for power in [n.square(), n.cube()] {
                    match power {
                        Ok(p) => {
                            check_number(&p);
                            assert!(!p.to_string().is_empty());
                        }
                        Err(e) => {
                            assert!(matches!(n, Number::Float(_)), "only floats overflow");
                            assert!(e.to_string().starts_with("OverflowError"));
                        }
                    }
                }
            }
        }
        Err(e) => {
            let span = e.span.clone();
            assert!(span.start <= span.end && span.end <= text.len());
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            assert!(!e.to_string().is_empty());
            if e.kind == ParseErrorKind::Empty {
                assert_eq!((e.item, e.token.as_str()), (0, ""));
                assert!(text.chars().all(|c| c.is_whitespace() || ",[]".contains(c)));
            } else {
                assert!(e.item >= 1);
                assert!(!e.token.is_empty());
                assert_eq!(&text[span], e.token);
            }
        }
    }
});

/// The invariants `Number` promises.
fn check_number(n: &Number) {
    match n {
        Number::Int(_) => {}
        Number::Big(b) => assert!(b.to_i64().is_none(), "Big never fits in i64"),
        Number::Float(x) => assert!(x.is_finite(), "floats are finite"),
    }
}
