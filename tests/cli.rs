//! The `webpool` command as a person runs it: into a pipe (as `Command::output` runs it),
//! on a terminal (through `script`) and into a pipe whose reader leaves early.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Read;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_webpool");

fn webpool(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn lesson_q1_prints_the_notebook_lines() {
    let (ok, stdout, _) = webpool(&["lesson", "q1", "--time-scale", "0.01"]);
    assert!(ok);
    assert!(stdout.contains("Computing square of 3\n"));
    assert!(
        stdout.ends_with("Squares: [1, 4, 9, 16, 25]\nCubes: [1, 8, 27, 64, 125]\n"),
        "{stdout}"
    );
}

#[test]
fn map_prints_results_in_order() {
    let (ok, stdout, _) = webpool(&["map", "square", "1", "2", "3", "-4", "--workers", "2"]);
    assert!(ok);
    assert_eq!(stdout, "[1, 4, 9, 16]\n");
}

#[test]
fn map_collatz_computes_and_fails_like_python_outside_its_domain() {
    // 2**64 + 1 too: past 64 bits, as CPython counts its steps.
    let (ok, stdout, _) = webpool(&["map", "collatz", "1..10", "18446744073709551617"]);
    assert!(ok);
    assert_eq!(stdout, "[0, 1, 7, 2, 5, 8, 16, 3, 19, 6, 483]\n");
    let (ok, stdout, stderr) = webpool(&["map", "collatz", "27", "0"]);
    assert!(!ok);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(
            "(input 0): ValueError: collatz_steps() is defined for positive integers only"
        ),
        "{stderr}"
    );
}

/// What CPython prints for `statement`; required, like the CPython comparisons of
/// tests/numbers_cpython.rs.
fn python(statement: &str) -> String {
    let out = Command::new("python3")
        .args(["-c", statement])
        .output()
        .unwrap_or_else(|e| panic!("cannot run `python3` ({e}): install it and put it on PATH"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn through_a_pipe_every_result_is_printed_as_python_prints_it() {
    let (ok, stdout, stderr) = webpool(&["map", "square", "1..100000", "--workers", "2"]);
    assert!(ok, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    // Checked apart from Python too, so that a failure says which way it is wrong.
    assert_eq!(stdout.matches(", ").count() + 1, 100_000);
    let expected: Vec<String> = (1..=100_000u64).map(|x| (x * x).to_string()).collect();
    assert!(
        stdout == format!("[{}]\n", expected.join(", ")),
        "first differing byte at {:?}",
        stdout
            .bytes()
            .zip(format!("[{}]\n", expected.join(", ")).bytes())
            .position(|(a, b)| a != b)
    );
    assert!(
        stdout == python("print([x**2 for x in range(1, 100001)])"),
        "differs from CPython"
    );
}

#[test]
fn every_kind_of_number_is_printed_as_python_prints_it() {
    // Over the terminal limit, with floats, negatives, both ends of 64 bits (-2097152 cubed
    // is i64::MIN) and integers beyond them among the ints.
    let (ok, stdout, stderr) = webpool(&[
        "map",
        "cube",
        "--workers",
        "3",
        "--",
        "-100..200",
        "0.1",
        "2.5",
        "1e8",
        "-1e-7",
        "-2097152",
        "2097151",
        "2097152",
        "123456789012",
        "99999999999999999999",
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        python(
            "print([x**3 for x in list(range(-100, 201)) + [0.1, 2.5, 1e8, -1e-7, \
             -2097152, 2097151, 2097152, 123456789012, 99999999999999999999]])"
        )
    );
}

#[test]
fn stats_and_log_go_to_stderr() {
    let (ok, stdout, stderr) = webpool(&[
        "map",
        "cube",
        "1..100000",
        "--workers",
        "2",
        "--stats",
        "--log",
    ]);
    assert!(ok, "{stderr}");
    // stdout is only what Python's print would print: one line, the whole list.
    assert_eq!(stdout.lines().count(), 1, "{}", &stdout[..200]);
    assert!(stdout.starts_with("[1, 8, 27, 64, "), "{}", &stdout[..200]);
    assert!(stdout.ends_with(", 1000000000000000]\n"));
    assert!(
        stderr.contains("100000 of 100000 items in 8 tasks on 2 workers"),
        "{stderr}"
    );
    assert!(stderr.contains("worker 2: busy"), "{stderr}");
    assert!(stderr.contains("worker 1 starts task 0"), "{stderr}");
    assert!(stderr.contains("ends task 7"), "{stderr}");
}

/// Reads `bytes` of what `webpool args` prints, then closes the pipe while it still
/// has megabytes to write; returns its exit status and stderr.
fn leave_early(args: &[&str], bytes: usize) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = vec![0; bytes];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    assert!(head.starts_with(b"[1, 4, 9, 16, "), "{head:?}");
    finish(child)
}

/// Waits for `child` to end; returns its exit status and all it wrote to stderr.
fn finish(mut child: std::process::Child) -> (std::process::ExitStatus, String) {
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap(), stderr)
}

#[test]
fn a_reader_that_leaves_early_ends_the_run_quietly() {
    // 6.9 MB against a pipe buffer of 64 KiB: the write is bound to meet the closed pipe.
    let (status, stderr) = leave_early(&["map", "square", "1..1000000"], 100);
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");

    let (status, stderr) = leave_early(&["map", "square", "1..1000000", "--stats"], 100);
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
}

#[test]
fn a_lesson_whose_reader_leaves_ends_quietly() {
    let mut child = Command::new(BIN)
        .args(["lesson", "q1", "--time-scale", "0.01"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let (status, stderr) = finish(child);
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// Runs `webpool args` on a pseudo-terminal (util-linux `script`); returns its exit status
/// and everything it showed there, stdout and stderr together.
#[cfg(target_os = "linux")]
fn on_a_terminal(args: &[&str]) -> (bool, String) {
    let command = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run util-linux `script` ({e})"));
    let shown = String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n");
    (out.status.success(), shown)
}

#[cfg(target_os = "linux")]
#[test]
fn a_terminal_sees_long_lists_abbreviated_unless_all() {
    let (ok, shown) = on_a_terminal(&["map", "square", "1..1000"]);
    assert!(ok, "{shown}");
    assert_eq!(
        shown,
        "1000 results: [1, 4, 9, ..., 1000000]\n\
         (pipe or redirect the output to get all 1000 results, or pass --all)\n"
    );

    let (ok, shown) = on_a_terminal(&["map", "square", "1..1000", "--all"]);
    assert!(ok, "{shown}");
    assert_eq!(
        shown,
        python("print([x**2 for x in range(1, 1001)])"),
        "--all prints the whole list and nothing else"
    );

    // A short list is printed whole without being asked.
    let (ok, shown) = on_a_terminal(&["map", "square", "1..100"]);
    assert!(ok, "{shown}");
    assert_eq!(shown, python("print([x**2 for x in range(1, 101)])"));
}

#[test]
fn bad_input_is_named_and_fails() {
    let (ok, stdout, stderr) = webpool(&["map", "square", "1", "2", "3x"]);
    assert!(!ok);
    assert!(stdout.is_empty());
    assert!(stderr.contains("\"3x\" (item 3)"), "{stderr}");
}

#[test]
fn an_unknown_lesson_is_refused() {
    let (ok, _, stderr) = webpool(&["lesson", "q9"]);
    assert!(!ok);
    assert!(stderr.contains("choose q1"), "{stderr}");
}
