//! Each lesson prints the notebook's lines: the same set of lines (order within a round of
//! parallel tasks may differ, as it does in Python), and the same closing lines.

use std::sync::{Arc, Mutex};

use webpool::lessons::{Context, Lesson, Output, OutputEvent, Threads};

fn run(lesson: Lesson) -> Vec<String> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let out = Output::new(move |event| {
        if let OutputEvent::Print { text, .. } = event {
            sink.lock().unwrap().push(text);
        }
    });
    let cx = Context::new(out, 0.01, Threads::Own, 2);
    pollster::block_on(lesson.run(&cx)).unwrap_or_else(|e| panic!("{} failed: {e}", lesson.id()));
    lines.lock().unwrap().clone()
}

fn sorted(lines: &[String]) -> Vec<String> {
    let mut lines = lines.to_vec();
    lines.sort();
    lines
}

fn strings(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|s| s.to_string()).collect()
}

#[test]
fn q1_computes_squares_then_cubes_and_prints_both_lists() {
    let lines = run(Lesson::Q1);
    let squares: Vec<String> = (1..=5)
        .map(|n| format!("Computing square of {n}"))
        .collect();
    let cubes: Vec<String> = (1..=5).map(|n| format!("Computing cube of {n}")).collect();
    // All squares are announced before any cube: the second map starts after the first.
    assert_eq!(sorted(&lines[..5]), squares);
    assert_eq!(sorted(&lines[5..10]), cubes);
    assert_eq!(
        &lines[10..],
        &strings(&["Squares: [1, 4, 9, 16, 25]", "Cubes: [1, 8, 27, 64, 125]"])
    );
}

#[test]
fn q2_measures_waiting_and_computing_work() {
    let lines = run(Lesson::Q2);
    let rows: Vec<&String> = lines.iter().filter(|l| l.contains("speedup")).collect();
    assert_eq!(rows.len(), 8, "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("Tasks waiting")));
    assert!(lines.iter().any(|l| l.starts_with("Tasks computing")));
}

#[test]
fn q3_prints_numbers_one_to_five_then_finishes() {
    let lines = run(Lesson::Q3);
    let mut expected: Vec<String> = (1..=5).map(|n| format!("Number: {n}")).collect();
    expected.push("Process has finished execution".into());
    assert_eq!(lines, expected);
}

#[test]
fn q4_and_q5_print_the_lists() {
    assert_eq!(
        run(Lesson::Q4),
        strings(&["Squares: [1, 4, 9, 16, 25]", "Cubes: [1, 8, 27, 64, 125]"])
    );
    assert_eq!(run(Lesson::Q5), strings(&["Squares: [1, 4, 9, 16, 25]"]));
}

#[test]
fn q6_four_processes_print_then_all_are_joined() {
    let lines = run(Lesson::Q6);
    let expected: Vec<String> = (1..=4)
        .map(|n| format!("Process printing number: {n}"))
        .collect();
    assert_eq!(sorted(&lines[..4]), expected);
    assert_eq!(
        &lines[4..],
        &strings(&["All processes have finished execution"])
    );
}

#[test]
fn a_cancelled_lesson_stops_and_says_so() {
    let out = Output::new(|_| {});
    let cx = Context::new(out, 1.0, Threads::Own, 2);
    let cancel = cx.cancel_token();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        cancel.cancel();
    });
    let started = std::time::Instant::now();
    let result = pollster::block_on(Lesson::Q1.run(&cx));
    canceller.join().unwrap();
    assert!(
        matches!(result, Err(webpool::lessons::LessonError::Cancelled)),
        "{result:?}"
    );
    // Q1 takes 12 s at the notebook's pace; cancelled, it stops at once.
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn every_lesson_shows_its_own_source() {
    for lesson in Lesson::ALL {
        let source = lesson.rust_source();
        assert!(
            source.contains("pub async fn main(cx: &Context)"),
            "{}",
            lesson.id()
        );
        assert!(
            source.contains(&format!("Runs {}.", lesson.id().to_uppercase())),
            "{}",
            lesson.id()
        );
    }
}
