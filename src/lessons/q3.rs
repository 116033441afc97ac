//! Q3. Write a Python code to create a process using the multiprocessing module.
//! One process prints `Number: 1` to `Number: 5`, one per second; the main program
//! waits for it with `join` and then says so.

use super::{Context, LessonError, Target};

/// `def print_numbers()`: the process's target.
pub async fn print_numbers(cx: &Context) -> Result<(), LessonError> {
    for i in 1..=5 {
        cx.print(format!("Number: {i}"));
        // time.sleep(1), which a cancel cuts short.
        cx.sleep(cx.seconds(1.0)).await?;
    }
    Ok(())
}

/// Runs Q3.
pub async fn main(cx: &Context) -> Result<(), LessonError> {
    // process = multiprocessing.Process(target=print_numbers); process.start()
    let process = cx.start_process(Target::PrintNumbers);
    // process.join()
    process.join().await?;

    cx.print("Process has finished execution");
    Ok(())
}
