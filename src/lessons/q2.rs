//! Q2. What are the differences between multiprocessing and multithreading?
//! The notebook answers with a table; here it is measured. 8 tasks run as waiting work
//! (sleep, like I/O) and as real computing work (the Collatz steps of big numbers) on 1,
//! 2, 4 and 8 workers. Waiting work keeps getting faster past the number of cores;
//! computing work stops getting faster at it, because a core computes one task at a time.

use super::{Context, LessonError};
use crate::kernel::{Kernel, Op, Work, per_second};
use crate::number::Number;
use num_bigint::BigInt;

/// The worker counts compared.
pub const WORKER_COUNTS: [usize; 4] = [1, 2, 4, 8];
/// How many tasks each run has.
pub const TASKS: usize = 8;
/// How many digits the numbers of the computing tasks have (the most webpool accepts).
pub const DIGITS: u32 = 1000;
/// The most numbers the computing runs have, whatever the time scale.
pub const MAX_COMPUTED: usize = 50_000;

/// Runs Q2.
pub async fn main(cx: &Context) -> Result<(), LessonError> {
    let task = cx.seconds(0.25);
    cx.print(format!(
        "{TASKS} tasks of {} ms each, on a machine with {} cores.",
        task.as_millis(),
        cx.cores()
    ));

    // Waiting: each task sleeps, like the notebook's time.sleep.
    let numbers: Vec<Number> = (1..=TASKS as i64).map(Number::from).collect();
    let sleeping = Kernel::new(Op::Square).with_work(Work::Sleep(task));
    measure(cx, "Tasks waiting (sleep):", sleeping, &numbers, None).await?;

    // Computing: the Collatz steps of numbers of 1000 digits, 10**999 + 1 and on. A time
    // scale cannot make a computation shorter, so it sets how many numbers a task has: as
    // many as one core here computes in `task`, measured just now (at most MAX_COMPUTED in
    // all, about 25 MB of them).
    let first = BigInt::from(10).pow(DIGITS - 1);
    let sample: Vec<Number> = (1..=8).map(|k| Number::from_bigint(&first + k)).collect();
    let rate = per_second(Op::Collatz, &sample);
    let per_task = ((task.as_secs_f64() * rate).round() as usize).clamp(1, MAX_COMPUTED / TASKS);
    let numbers: Vec<Number> = (1..=TASKS * per_task)
        .map(|k| Number::from_bigint(&first + k))
        .collect();
    cx.check()?;
    cx.print(format!(
        "Each computing task finds the Collatz steps of {per_task} numbers of {DIGITS} digits: \
         {:.0} ms of one core here.",
        per_task as f64 / rate * 1e3
    ));
    let computing = Kernel::new(Op::Collatz);
    measure(
        cx,
        "Tasks computing (collatz):",
        computing,
        &numbers,
        Some(per_task),
    )
    .await?;

    cx.print("Waiting work scales past the cores; computing work stops at the core count.");
    Ok(())
}

/// Runs `kernel` over `numbers` on each worker count, printing the time and the speedup.
async fn measure(
    cx: &Context,
    heading: &str,
    kernel: Kernel,
    numbers: &[Number],
    chunksize: Option<usize>,
) -> Result<(), LessonError> {
    cx.print(heading);
    let mut one_worker = None;
    for workers in WORKER_COUNTS {
        let pool = cx.pool(workers)?;
        let wall = match chunksize {
            Some(chunksize) => {
                cx.time_map_chunked(&pool, kernel, numbers, chunksize)
                    .await?
            }
            None => cx.time_map(&pool, kernel, numbers).await?,
        };
        let base = *one_worker.get_or_insert(wall);
        cx.print(format!(
            "  {workers} worker(s): {:.2} s, speedup {:.1}x",
            wall.as_secs_f64(),
            base.as_secs_f64() / wall.as_secs_f64().max(1e-9)
        ));
    }
    Ok(())
}
