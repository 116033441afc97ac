//! Q1. What is multiprocessing in Python? Why is it useful?
//! A Pool of 2 workers maps compute_square, then compute_cube, over 1..5; each task
//! prints what it computes and takes 2 seconds, so 2 tasks run at a time.

use super::{Context, LessonError};
use crate::kernel::{Kernel, Op, Work};
use crate::number::{Number, python_list};

/// Runs Q1.
pub async fn main(cx: &Context) -> Result<(), LessonError> {
    let numbers: Vec<Number> = [1, 2, 3, 4, 5].map(Number::from).to_vec();
    // time.sleep(2) in each task: simulate a time-consuming task.
    let slow = Work::Sleep(cx.seconds(2.0));

    // with multiprocessing.Pool(processes=2) as pool:
    let pool = cx.pool(2)?;
    let squares = cx
        .map_printing(&pool, Kernel::new(Op::Square).with_work(slow), &numbers)
        .await?;
    let cubes = cx
        .map_printing(&pool, Kernel::new(Op::Cube).with_work(slow), &numbers)
        .await?;

    cx.print(format!("Squares: {}", python_list(&squares)));
    cx.print(format!("Cubes: {}", python_list(&cubes)));
    Ok(())
}
