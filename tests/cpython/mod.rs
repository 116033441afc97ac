//! Running the real CPython for the tests that compare webpool with it: the inputs go as
//! text to ONE `python3` process, which answers on stdout.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `python3 args…` with `input` on stdin and returns its stdout. Panics (never skips)
/// when python3 is missing or fails: these tests exist to compare with it.
pub fn run(args: &[&str], input: &str) -> String {
    let mut child = Command::new("python3")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `python3` ({e}): this test compares against CPython and must \
                 not be skipped; install python3 and put it on PATH"
            )
        });
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_owned();
    // A thread, so that Python's output cannot fill a pipe while we still write.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("python3 runs");
    writer
        .join()
        .expect("writer thread")
        .expect("writing to python3");
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("ASCII output")
}

/// A long number shortened for an assertion's message: its start, its end and its length.
pub fn shorten(text: &str) -> String {
    if text.len() > 60 {
        format!(
            "{}…{} ({} chars)",
            &text[..40],
            &text[text.len() - 10..],
            text.len()
        )
    } else {
        text.to_owned()
    }
}

/// Random inputs for the comparisons, the same on every run: splitmix64, deterministic
/// and dependency-free.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
