//! The functions that lessons run as a `Process`'s target.

use super::{Context, LessonError, q3, q6};

/// A process's target, named rather than passed as a closure: on the processes backend a
/// process is another WebAssembly instance in another Web Worker, which can only be told
/// *which* function to run and with what. Python pickles a `Process`'s target by its name
/// for the same reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Q3's `print_numbers()`.
    PrintNumbers,
    /// Q6's `print_number(number)`.
    PrintNumber(i64),
}

impl Target {
    /// Runs the target in the process `cx` belongs to.
    pub async fn run(self, cx: Context) -> Result<(), LessonError> {
        match self {
            Target::PrintNumbers => q3::print_numbers(&cx).await,
            Target::PrintNumber(number) => q6::print_number(&cx, number).await,
        }
    }

    /// Its name and argument, as a message carries them.
    pub fn to_message(self) -> (&'static str, i64) {
        match self {
            Target::PrintNumbers => ("print_numbers", 0),
            Target::PrintNumber(number) => ("print_number", number),
        }
    }

    /// The target a message names.
    pub fn from_message(name: &str, arg: i64) -> Option<Target> {
        match name {
            "print_numbers" => Some(Target::PrintNumbers),
            "print_number" => Some(Target::PrintNumber(arg)),
            _ => None,
        }
    }
}
