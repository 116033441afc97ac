use std::fmt;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use webpool::lessons::{Context, Lesson, Output, OutputEvent, Threads};
use webpool::number::parse_numbers;
use webpool::pool::{MapOptions, Message, Report, Results, Values};
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
    /// Maps square, cube or collatz over numbers on a pool of workers.
    Map {
        /// square or cube (arithmetic, over in nanoseconds), or collatz (real computation:
        /// the Collatz steps of each positive integer, longer for bigger numbers).
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
        /// Prints timings and per-worker busy time on stderr, after the results.
        #[arg(long)]
        stats: bool,
        /// Prints each task as it starts and ends, on stderr.
        #[arg(long)]
        log: bool,
        /// Prints every result even on a terminal, which otherwise shows a long list abbreviated
        /// (through a pipe or into a file every result is always printed).
        #[arg(long)]
        all: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KernelName {
    /// n ** 2
    Square,
    /// n ** 3
    Cube,
    /// The Collatz steps of n: real computation (spin only simulates it)
    Collatz,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WorkKind {
    /// No simulated work
    None,
    /// Waits (simulated I/O): a worker, not a core
    Sleep,
    /// Computes for the duration (simulated computation): a core
    Spin,
}

/// On a terminal, results beyond this many print as a summary: a million numbers would
/// only scroll away what came before.
const FULL_LIST_LIMIT: usize = 100;

/// Gathers the small writes (brackets, floats, big integers, the summary) that would
/// otherwise each reach stdout, whose own buffer holds 1 KiB and flushes at every newline.
const STDOUT_BUFFER: usize = 8 * 1024;

fn parse_lesson(text: &str) -> Result<Lesson, String> {
    Lesson::from_id(text)
        .ok_or_else(|| format!("no lesson {text:?}: choose q1, q2, q3, q4, q5 or q6"))
}

pub(crate) fn main() -> ExitCode {
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
            all,
        } => {
            let op = match kernel {
                KernelName::Square => Op::Square,
                KernelName::Cube => Op::Cube,
                KernelName::Collatz => Op::Collatz,
            };
            let duration = Duration::from_millis(work_ms);
            let work = match work {
                WorkKind::None => Work::None,
                WorkKind::Sleep => Work::Sleep(duration),
                WorkKind::Spin => Work::Spin(duration),
            };
            let kernel = Kernel::new(op).with_work(work);
            let show = Show { stats, log, all };
            run_map(kernel, &numbers.join(" "), workers, chunksize, show)
        }
    }
}

fn run_lesson(lesson: Lesson, time_scale: f64) -> ExitCode {
    let out = Output::new(|event| {
        if let OutputEvent::Print { text, .. } = event {
            let mut stdout = io::stdout().lock();
            if let Err(e) = writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
                // A lesson would run on for seconds after its reader left: stop it here.
                if !reader_left(&e) {
                    note(format_args!("error: cannot write: {e}"));
                    std::process::exit(1);
                }
                std::process::exit(0);
            }
        }
    });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cx = Context::new(out, time_scale, Threads::Own, cores);
    match pollster::block_on(lesson.run(&cx)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            note(format_args!("error: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// What `map` prints besides the results.
#[derive(Clone, Copy)]
struct Show {
    stats: bool,
    log: bool,
    all: bool,
}

fn run_map(
    kernel: Kernel,
    text: &str,
    workers: usize,
    chunksize: Option<usize>,
    show: Show,
) -> ExitCode {
    let numbers = match parse_numbers(text) {
        Ok(numbers) => numbers,
        Err(e) => {
            note(format_args!("error: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let pool = match Pool::new(workers) {
        Ok(pool) => pool,
        Err(e) => {
            note(format_args!("error: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let options = MapOptions {
        chunksize,
        ..MapOptions::default()
    };
    let result = pool.map_with(kernel, numbers, options, |message| {
        if show.log {
            print_event(kernel.op, message);
        }
    });
    match result {
        Ok(report) => {
            if let Err(e) = print_results(&report, show.all) {
                return write_failed(&e);
            }
            if show.stats {
                print_stats(&report);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            note(format_args!("error: {e}"));
            print_stats(e.report());
            ExitCode::FAILURE
        }
    }
}

/// Says something on stderr. Unlike `eprintln!` it does not panic when stderr is a closed
/// pipe (`--log 2>&1 | head`): there is nobody left to tell, and stdout's own write
/// failure ends the run quietly.
fn note(args: fmt::Arguments) {
    let _ = writeln!(io::stderr(), "{args}");
}

/// Whether a write failed only because the reader is gone (`| head`): that is how pipes
/// normally end, so it is a quiet success, as for `cat` or `grep`.
fn reader_left(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// The exit code after stdout failed: quiet success if the reader left, else an error
/// (a full disk).
fn write_failed(e: &io::Error) -> ExitCode {
    if reader_left(e) {
        ExitCode::SUCCESS
    } else {
        note(format_args!("error: cannot write the results: {e}"));
        ExitCode::FAILURE
    }
}

fn print_event(op: Op, message: &Message) {
    match message {
        Message::Started(s) => note(format_args!(
            "[{:>9.3} ms] worker {} starts task {} ({} of items {}..{})",
            s.at.as_secs_f64() * 1e3,
            s.worker + 1,
            s.task,
            op,
            s.items.start + 1,
            s.items.end
        )),
        Message::Finished(f) => note(format_args!(
            "[{:>9.3} ms] worker {} ends task {} ({:?})",
            f.event.end.as_secs_f64() * 1e3,
            f.event.worker + 1,
            f.event.task,
            f.event.status
        )),
    }
}

/// Prints what Python's `print(results)` prints: every result, unless stdout is a terminal
/// and the list is long (then a summary, and a hint on stderr) and `all` was not asked.
fn print_results(report: &Report, all: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let abbreviate = !all && report.results.len() > FULL_LIST_LIMIT && stdout.is_terminal();
    let mut out = BufWriter::with_capacity(STDOUT_BUFFER, stdout.lock());
    if abbreviate {
        write_summary(&mut out, &report.results)?;
    } else {
        write_list(&mut out, &report.results)?;
    }
    // Flushed here rather than on drop, which would swallow the error.
    out.flush()?;
    drop(out);
    if abbreviate {
        note(format_args!(
            "(pipe or redirect the output to get all {} results, or pass --all)",
            report.results.len()
        ));
    }
    Ok(())
}

/// `N results: [first, second, third, ..., last]`.
fn write_summary(out: &mut impl Write, results: &Results) -> io::Result<()> {
    let first: Vec<String> = results.values().take(3).map(|v| v.to_string()).collect();
    let last = results
        .chunks()
        .last()
        .and_then(|c| c.values.iter().last())
        .map(|v| v.to_string())
        .unwrap_or_default();
    writeln!(
        out,
        "{} results: [{}, ..., {last}]",
        results.len(),
        first.join(", ")
    )
}

/// Every result as Python's list repr, the same text as `webpool::number::python_list`
/// but streamed: a million results would otherwise first become a million Strings.
fn write_list(out: &mut impl Write, results: &Results) -> io::Result<()> {
    out.write_all(b"[")?;
    let mut ints = IntBatch::new();
    let mut first = true;
    for chunk in results.chunks() {
        match &chunk.values {
            Values::Ints(values) => {
                for &value in values {
                    ints.push(out, value, !first)?;
                    first = false;
                }
            }
            Values::Numbers(values) => {
                // What is batched comes first.
                ints.flush(out)?;
                for value in values {
                    if !first {
                        out.write_all(b", ")?;
                    }
                    first = false;
                    write!(out, "{value}")?;
                }
            }
            // Integers past 64 bits, each made a `Number` as it is printed.
            wide @ (Values::Wide(_) | Values::Wider(_)) => {
                ints.flush(out)?;
                for value in wide.iter() {
                    if !first {
                        out.write_all(b", ")?;
                    }
                    first = false;
                    write!(out, "{value}")?;
                }
            }
        }
    }
    ints.flush(out)?;
    out.write_all(b"]\n")
}

/// How many bytes [`IntBatch`] formats before handing them on: more than [`STDOUT_BUFFER`],
/// so that BufWriter passes them straight to stdout rather than copying them again.
const BATCH: usize = 64 * 1024;

/// The longest item: `, ` and `-9223372036854775808`.
const LONGEST_INT: usize = 2 + 20;

/// List items formatted in place. With `write!` and one `write_all` per piece, the `fmt`
/// machinery and the small copies took more time than the whole map of a million squares.
struct IntBatch {
    bytes: Box<[u8]>,
    len: usize,
}

impl IntBatch {
    fn new() -> Self {
        IntBatch {
            bytes: vec![0; BATCH].into_boxed_slice(),
            len: 0,
        }
    }

    /// Adds `value`, after `, ` if `separated`.
    #[inline]
    fn push(&mut self, out: &mut impl Write, value: i64, separated: bool) -> io::Result<()> {
        if self.len > BATCH - LONGEST_INT {
            self.flush(out)?;
        }
        if separated {
            self.bytes[self.len..self.len + 2].copy_from_slice(b", ");
            self.len += 2;
        }
        self.len += format_int(value, &mut self.bytes[self.len..]);
        Ok(())
    }

    /// Hands on what is batched.
    fn flush(&mut self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.bytes[..self.len])?;
        self.len = 0;
        Ok(())
    }
}

/// Writes `value` in decimal at the start of `to` (which must hold 20 bytes), as `{value}`
/// and so Python's `repr` print it, and returns its length.
fn format_int(value: i64, to: &mut [u8]) -> usize {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut rest = value.unsigned_abs();
    let digits = rest.checked_ilog10().unwrap_or(0) as usize + 1;
    let len = digits + usize::from(value < 0);
    // Digits go in from the right, two at a time, so that nothing is copied afterwards.
    let mut at = len;
    while rest >= 100 {
        let pair = (rest % 100) as usize * 2;
        rest /= 100;
        at -= 2;
        to[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if rest >= 10 {
        let pair = rest as usize * 2;
        to[at - 2..at].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        to[at - 1] = b'0' + rest as u8;
    }
    if value < 0 {
        to[0] = b'-';
    }
    len
}

fn print_stats(report: &Report) {
    let mut text = format!(
        "{} of {} items in {} tasks on {} workers: wall {:.3} ms ({:.1} ns per item)",
        report.results.len(),
        report.items,
        report.events.len(),
        report.workers,
        report.wall.as_secs_f64() * 1e3,
        report.wall.as_secs_f64() * 1e9 / report.items.max(1) as f64
    );
    for (worker, busy) in report.busy.iter().enumerate() {
        text += &format!(
            "\n  worker {}: busy {:.3} ms",
            worker + 1,
            busy.as_secs_f64() * 1e3
        );
    }
    note(format_args!("{text}"));
}
