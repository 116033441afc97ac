//! Q3. Write a Python code to create a process using the multiprocessing module.
//! One process prints `Number: 1` to `Number: 5`, one per second; the main program
//! waits for it with `join` and then says so.

use super::{Context, LessonError};
use crate::process::Process;

/// Runs Q3.
pub fn main(cx: &Context) -> Result<(), LessonError> {
    let out = cx.output();
    let second = cx.seconds(1.0);
    let cancel = cx.cancel_token();

    // def print_numbers(): ...
    let print_numbers = move || {
        for i in 1..=5 {
            out.print(format!("Number: {i}"));
            // time.sleep(1), which a cancel cuts short.
            if !cancel.sleep(second) {
                return;
            }
        }
    };

    // process = multiprocessing.Process(target=print_numbers); process.start()
    let process = Process::spawn(print_numbers);
    // process.join()
    process.join()?;
    cx.check()?;

    cx.print("Process has finished execution");
    Ok(())
}
