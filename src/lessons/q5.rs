//! Q5. How can we create a pool of worker processes in Python using the multiprocessing
//! module? A Pool of 4 workers distributes the squares of 1..5.

use super::{Context, LessonError};
use crate::kernel::{Kernel, Op};
use crate::number::{Number, python_list};

/// Runs Q5.
pub async fn main(cx: &Context) -> Result<(), LessonError> {
    let numbers: Vec<Number> = [1, 2, 3, 4, 5].map(Number::from).to_vec();

    // with multiprocessing.Pool(processes=4) as pool:
    let pool = cx.pool(4)?;
    let squares = cx.map(&pool, Kernel::new(Op::Square), &numbers).await?;

    cx.print(format!("Squares: {}", python_list(&squares)));
    Ok(())
}
