//! The `webpool` command: the tutorial's lessons and pool maps in a terminal.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use webpool::lessons::{Context, Lesson, Output, OutputEvent, PoolKind};
use webpool::number::parse_numbers;
use webpool::pool::{MapOptions, Message, Report};
use webpool::{Kernel, Op, Pool, Work};

// glibc's allocator hands the memory of a large run's results back to the kernel when they
// are freed and faults it back in on the next run (about 4 µs a page on these machines),
// which made a map of a million squares 2.5 to 4.5 times slower (3.0 ms instead of 1.2 ms on
// 2 workers, 8.0 ms instead of 1.7 ms on 1); mimalloc keeps it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Python's multiprocessing tutorial, in Rust: a Pool of workers maps square and cube.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs one of the notebook's questions (q1 .. q6) and prints what it prints.
    Lesson {
        /// Which question: q1, q2, q3, q4, q5 or q6.
        #[arg(value_parser = parse_lesson)]
        lesson: Lesson,
        /// Multiplies every simulated duration (0.01 turns 2 s into 20 ms).
        #[arg(long, default_value_t = 1.0)]
        time_scale: f64,
    },
    /// Maps square or cube over numbers on a pool of workers.
    Map {
        /// square or cube.
        kernel: KernelName,
        /// Numbers and ranges: `1 2 3`, `1,2,3`, `1..1000000`, `0.1 2.5 1e8`.
        #[arg(required = true, num_args = 1.., allow_negative_numbers = true)]
        numbers: Vec<String>,
        /// How many workers the pool has.
        #[arg(long, short, default_value_t = 2)]
        workers: usize,
        /// Items per task (default: Python's rule, about 4 tasks per worker).
        #[arg(long)]
        chunksize: Option<usize>,
        /// Simulated work per number: sleep (waiting) or spin (computing).
        #[arg(long, value_enum, default_value_t = WorkKind::None)]
        work: WorkKind,
        /// How long the simulated work takes per number, in milliseconds.
        #[arg(long, default_value_t = 0)]
        work_ms: u64,
        /// Prints timings and per-worker busy time instead of (or, for short runs, after) the results.
        #[arg(long)]
        stats: bool,
        /// Prints each task as it starts and ends.
        #[arg(long)]
        log: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KernelName {
    Square,
    Cube,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WorkKind {
    None,
    Sleep,
    Spin,
}

/// Results beyond this many print as a summary.
const FULL_LIST_LIMIT: usize = 100;

fn parse_lesson(text: &str) -> Result<Lesson, String> {
    Lesson::from_id(text)
        .ok_or_else(|| format!("no lesson {text:?}: choose q1, q2, q3, q4, q5 or q6"))
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Lesson { lesson, time_scale } => run_lesson(lesson, time_scale),
        Command::Map {
            kernel,
            numbers,
            workers,
            chunksize,
            work,
            work_ms,
            stats,
            log,
        } => {
            let op = match kernel {
                KernelName::Square => Op::Square,
                KernelName::Cube => Op::Cube,
            };
            let duration = Duration::from_millis(work_ms);
            let work = match work {
                WorkKind::None => Work::None,
                WorkKind::Sleep => Work::Sleep(duration),
                WorkKind::Spin => Work::Spin(duration),
            };
            let kernel = Kernel::new(op).with_work(work);
            run_map(kernel, &numbers.join(" "), workers, chunksize, stats, log)
        }
    }
}

fn run_lesson(lesson: Lesson, time_scale: f64) -> ExitCode {
    let out = Output::new(|event| {
        if let OutputEvent::Print { text, .. } = event {
            println!("{text}");
        }
    });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cx = Context::new(out, time_scale, PoolKind::OwnThreads, cores);
    match pollster::block_on(lesson.run(&cx)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_map(
    kernel: Kernel,
    text: &str,
    workers: usize,
    chunksize: Option<usize>,
    stats: bool,
    log: bool,
) -> ExitCode {
    let numbers = match parse_numbers(text) {
        Ok(numbers) => numbers,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let pool = match Pool::new(workers) {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = MapOptions {
        chunksize,
        ..MapOptions::default()
    };
    let result = pool.map_with(kernel, numbers, options, |message| {
        if log {
            print_event(kernel.op, message);
        }
    });
    match result {
        Ok(report) => {
            print_results(&report, stats);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            print_stats(e.report());
            ExitCode::FAILURE
        }
    }
}

fn print_event(op: Op, message: &Message) {
    match message {
        Message::Started(s) => println!(
            "[{:>9.3} ms] worker {} starts task {} ({} of items {}..{})",
            s.at.as_secs_f64() * 1e3,
            s.worker + 1,
            s.task,
            op,
            s.items.start + 1,
            s.items.end
        ),
        Message::Finished(f) => println!(
            "[{:>9.3} ms] worker {} ends task {} ({:?})",
            f.event.end.as_secs_f64() * 1e3,
            f.event.worker + 1,
            f.event.task,
            f.event.status
        ),
    }
}

fn print_results(report: &Report, stats: bool) {
    let mut out = std::io::stdout().lock();
    let n = report.results.len();
    if n <= FULL_LIST_LIMIT {
        let _ = writeln!(
            out,
            "{}",
            webpool::number::python_list(report.results.values())
        );
    } else {
        let first: Vec<String> = report
            .results
            .values()
            .take(3)
            .map(|v| v.to_string())
            .collect();
        let last = report
            .results
            .chunks()
            .last()
            .and_then(|c| c.values.iter().last());
        let last = last.map(|v| v.to_string()).unwrap_or_default();
        let _ = writeln!(out, "{n} results: [{}, ..., {last}]", first.join(", "));
    }
    if stats || n > FULL_LIST_LIMIT {
        drop(out);
        print_stats(report);
    }
}

fn print_stats(report: &Report) {
    println!(
        "{} of {} items in {} tasks on {} workers: wall {:.3} ms ({:.1} ns per item)",
        report.results.len(),
        report.items,
        report.events.len(),
        report.workers,
        report.wall.as_secs_f64() * 1e3,
        report.wall.as_secs_f64() * 1e9 / report.items.max(1) as f64
    );
    for (worker, busy) in report.busy.iter().enumerate() {
        println!(
            "  worker {}: busy {:.3} ms",
            worker + 1,
            busy.as_secs_f64() * 1e3
        );
    }
}
