//! Q6. Write a Python program to create 4 processes, each process should print a different
//! number using the multiprocessing module. All start, then all are joined.

use super::{Context, LessonError};
use crate::process::Process;

/// Runs Q6.
pub fn main(cx: &Context) -> Result<(), LessonError> {
    let numbers = [1, 2, 3, 4];

    // Create and start a process for each number.
    let processes: Vec<Process<()>> = numbers
        .into_iter()
        .map(|number| {
            let out = cx.output();
            // def print_number(number): print(f"Process printing number: {number}")
            Process::spawn(move || out.print(format!("Process printing number: {number}")))
        })
        .collect();

    // Wait for all processes to complete.
    for process in processes {
        process.join()?;
    }
    cx.check()?;

    cx.print("All processes have finished execution");
    Ok(())
}
