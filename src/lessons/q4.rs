//! Q4. What is a multiprocessing pool in Python? Why is it used?
//! A Pool of 4 workers maps compute_square and compute_cube over 1..5.

use super::{Context, LessonError};
use crate::kernel::{Kernel, Op};
use crate::number::{Number, python_list};

/// Runs Q4.
pub async fn main(cx: &Context) -> Result<(), LessonError> {
    let numbers: Vec<Number> = [1, 2, 3, 4, 5].map(Number::from).to_vec();

    // with multiprocessing.Pool(processes=4) as pool:
    let pool = cx.pool(4)?;
    let squares = cx.map(&pool, Kernel::new(Op::Square), &numbers).await?;
    let cubes = cx.map(&pool, Kernel::new(Op::Cube), &numbers).await?;

    cx.print(format!("Squares: {}", python_list(&squares)));
    cx.print(format!("Cubes: {}", python_list(&cubes)));
    Ok(())
}
