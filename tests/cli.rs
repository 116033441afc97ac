//! The `webpool` command as a person runs it.

use std::process::Command;

fn webpool(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_webpool"))
        .args(args)
        .output()
        .unwrap();
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
fn a_large_map_prints_a_summary_with_stats() {
    let (ok, stdout, _) = webpool(&["map", "cube", "1..100000", "--workers", "2", "--stats"]);
    assert!(ok);
    assert!(
        stdout.starts_with("100000 results: [1, 8, 27, ..., 1000000000000000]\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("100000 of 100000 items in 8 tasks on 2 workers"),
        "{stdout}"
    );
    assert!(stdout.contains("worker 2: busy"), "{stdout}");
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
