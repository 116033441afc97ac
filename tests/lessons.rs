//! Each lesson prints the notebook's lines: the same set of lines (order within a round of
//! parallel tasks may differ, as it does in Python), and the same closing lines.

// Native: `wasm-pack test` builds every test for wasm32 too, where this one is empty.
#![cfg(not(target_arch = "wasm32"))]

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
    assert!(lines.iter().any(|l| l == "Tasks waiting (sleep):"));
    assert!(lines.iter().any(|l| l == "Tasks computing (collatz):"));
    // The computing tasks are real work, sized so that one takes what a sleeping one does.
    let sized = lines
        .iter()
        .find_map(|l| l.strip_prefix("Each computing task finds the Collatz steps of "))
        .unwrap_or_else(|| panic!("says what a computing task computes: {lines:?}"));
    assert!(
        sized.contains(" numbers of 1000 digits: ") && sized.ends_with(" ms of one core here."),
        "{sized}"
    );
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

/// A backend like the browser's processes backend, from the crate's public parts: each
/// pool map is a [`Dispatch`] whose workers "start" for a while before its clock restarts,
/// then compute their tasks from bytes. It records when each task really started.
mod message_passing {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use webpool::clock;
    use webpool::lessons::{
        Backend, BackendPool, Context, LessonError, LessonProcess, LocalFuture, Observer, Target,
    };
    use webpool::number::Number;
    use webpool::pool::engine::{Dispatch, Driven, WorkerTask};
    use webpool::pool::{MapOptions, Poll, PoolError, Report, TaskStatus};
    use webpool::{CancelToken, Kernel};

    /// When each task of each run really started, by (run, task).
    pub type Starts = Arc<Mutex<HashMap<(usize, usize), clock::Instant>>>;

    pub struct Processes {
        pub starts: Starts,
    }

    struct ProcessPool {
        workers: usize,
        starts: Starts,
        runs: Arc<Mutex<usize>>,
    }

    impl Backend for Processes {
        fn pool(&self, workers: usize) -> Result<Box<dyn BackendPool>, PoolError> {
            Ok(Box::new(ProcessPool {
                workers,
                starts: Arc::clone(&self.starts),
                runs: Arc::default(),
            }))
        }

        fn sleep<'a>(&'a self, d: Duration, cancel: &'a CancelToken) -> LocalFuture<'a, bool> {
            Box::pin(async move { cancel.sleep(d) })
        }

        fn start_process(&self, _: Target, _: &Context) -> LessonProcess {
            LessonProcess::new(async { Err(LessonError::Backend("no processes here".into())) })
        }
    }

    impl BackendPool for ProcessPool {
        fn map(
            &self,
            kernel: Kernel,
            numbers: Vec<Number>,
            options: MapOptions,
            observe: Observer,
        ) -> LocalFuture<'_, Result<Report, LessonError>> {
            Box::pin(async move {
                let mut run = Dispatch::new(kernel, numbers, options, self.workers)?;
                run.observe(observe);
                let index = {
                    let mut runs = self.runs.lock().unwrap();
                    *runs += 1;
                    *runs - 1
                };
                // The workers take a while to start, as Web Workers do; the run's clock
                // starts once they are ready.
                std::thread::sleep(Duration::from_millis(20));
                run.restart_clock();
                let mut collector = run.collector();
                while let Some(task) = run.next_task(0) {
                    let start = clock::now();
                    self.starts.lock().unwrap().insert((index, task), start);
                    run.started(task, start);
                    let mut work = WorkerTask::new(kernel.op, &run.input(task)).unwrap();
                    work.compute(usize::MAX);
                    run.finished(task, start, clock::now(), TaskStatus::Done, &work.output())
                        .unwrap();
                }
                while let Poll::Message(message) = run.try_recv() {
                    collector.push(message);
                }
                Ok(run.finish(collector)?)
            })
        }
    }
}

#[test]
fn task_events_and_printed_lines_are_placed_when_tasks_really_started() {
    use webpool::pool::Message;

    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let out = Output::new(move |event| sink.lock().unwrap().push(event));
    let starts = message_passing::Starts::default();
    let backend = message_passing::Processes {
        starts: Arc::clone(&starts),
    };
    let cx = Context::new(out, 0.0, backend, 1);
    pollster::block_on(Lesson::Q1.run(&cx)).unwrap();

    let starts = starts.lock().unwrap();
    let events = events.lock().unwrap();
    let mut placed_bars = 0;
    let mut placed_lines = Vec::new();
    for event in events.iter() {
        match event {
            OutputEvent::Task {
                run,
                started,
                message: Message::Started(s),
            } => {
                let really = starts[&(*run, s.task)];
                let placed = *started + s.at;
                // Nanosecond durations: placing may round by at most one.
                assert!(
                    (placed - really).max(really - placed) <= std::time::Duration::from_micros(1),
                    "run {run} task {}: placed {:?} early, {:?} late",
                    s.task,
                    really - placed,
                    placed - really,
                );
                placed_bars += 1;
            }
            OutputEvent::Print { text, at } if text.starts_with("Computing") => {
                placed_lines.push(*at);
            }
            _ => {}
        }
    }
    assert_eq!(
        placed_bars, 10,
        "Q1 maps 5 squares and 5 cubes, a task each"
    );
    let mut really: Vec<_> = starts.values().copied().collect();
    really.sort();
    placed_lines.sort();
    assert_eq!(placed_lines.len(), 10);
    for (line, start) in placed_lines.iter().zip(&really) {
        assert!((*line - *start).max(*start - *line) <= std::time::Duration::from_micros(1));
    }
}
