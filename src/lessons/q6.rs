//! Q6. Write a Python program to create 4 processes, each process should print a different
//! number using the multiprocessing module. All start, then all are joined.

use super::{Context, LessonError, Target};

/// `def print_number(number)`: each process's target.
pub async fn print_number(cx: &Context, number: i64) -> Result<(), LessonError> {
    cx.print(format!("Process printing number: {number}"));
    Ok(())
}

/// Runs Q6.
pub async fn main(cx: &Context) -> Result<(), LessonError> {
    let numbers = [1, 2, 3, 4];

    // Create and start a process for each number.
    let processes: Vec<_> = numbers
        .into_iter()
        .map(|number| cx.start_process(Target::PrintNumber(number)))
        .collect();

    // Wait for all processes to complete.
    for process in processes {
        process.join().await?;
    }
    cx.check()?;

    cx.print("All processes have finished execution");
    Ok(())
}
