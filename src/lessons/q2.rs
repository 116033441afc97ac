//! Q2. What are the differences between multiprocessing and multithreading?
//! The notebook answers with a table; here it is measured. The same 8 tasks run as
//! waiting work (sleep, like I/O) and as computing work (spin) on 1, 2, 4 and 8 workers.
//! Waiting work keeps getting faster past the number of cores; computing work stops
//! getting faster at it, because a core can only compute one task at a time.

use super::{Context, LessonError};
use crate::kernel::{Kernel, Op, Work};
use crate::number::Number;

/// The worker counts compared.
pub const WORKER_COUNTS: [usize; 4] = [1, 2, 4, 8];
/// How many tasks each run has.
pub const TASKS: usize = 8;

/// Runs Q2.
pub async fn main(cx: &Context) -> Result<(), LessonError> {
    let numbers: Vec<Number> = (1..=TASKS as i64).map(Number::from).collect();
    let task = cx.seconds(0.25);
    cx.print(format!(
        "{TASKS} tasks of {} ms each, on a machine with {} cores.",
        task.as_millis(),
        cx.cores()
    ));

    for (name, work) in [
        ("waiting (sleep)", Work::Sleep(task)),
        ("computing (spin)", Work::Spin(task)),
    ] {
        cx.print(format!("Tasks {name}:"));
        let mut one_worker = None;
        for workers in WORKER_COUNTS {
            let pool = cx.pool(workers)?;
            let wall = cx
                .time_map(&pool, Kernel::new(Op::Square).with_work(work), &numbers)
                .await?;
            let base = *one_worker.get_or_insert(wall);
            cx.print(format!(
                "  {workers} worker(s): {:.2} s, speedup {:.1}x",
                wall.as_secs_f64(),
                base.as_secs_f64() / wall.as_secs_f64().max(1e-9)
            ));
        }
    }
    cx.print("Waiting work scales past the cores; computing work stops at the core count.");
    Ok(())
}
