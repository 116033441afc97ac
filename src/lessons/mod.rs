//! The notebook's six questions as programs, one file each, run the same way by the
//! native CLI and by the page. Each file is the Rust a reader sees beside the Python.

mod backend;
mod context;
pub mod q1;
pub mod q2;
pub mod q3;
pub mod q4;
pub mod q5;
pub mod q6;
mod target;
mod threads;

pub use backend::{Backend, BackendPool, LessonProcess, LocalFuture, Observer};
pub use context::{Context, LessonError, Output, OutputEvent, Pool};
pub use target::Target;
pub use threads::Threads;

/// One of the notebook's questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lesson {
    /// What is multiprocessing? A Pool of 2 maps square, then cube, with a 2 s task each.
    Q1,
    /// Multiprocessing versus multithreading, measured: waiting work against computing work.
    Q2,
    /// One Process prints `Number: 1` to `Number: 5`, then is joined.
    Q3,
    /// A Pool of 4 maps square and cube.
    Q4,
    /// A Pool of 4 maps square.
    Q5,
    /// Four processes each print a number, then all are joined.
    Q6,
}

impl Lesson {
    /// Every lesson, in the notebook's order.
    pub const ALL: [Lesson; 6] = [
        Lesson::Q1,
        Lesson::Q2,
        Lesson::Q3,
        Lesson::Q4,
        Lesson::Q5,
        Lesson::Q6,
    ];

    /// Its short name: `q1` .. `q6`.
    pub fn id(self) -> &'static str {
        match self {
            Lesson::Q1 => "q1",
            Lesson::Q2 => "q2",
            Lesson::Q3 => "q3",
            Lesson::Q4 => "q4",
            Lesson::Q5 => "q5",
            Lesson::Q6 => "q6",
        }
    }

    /// The lesson with this short name (`q1`, `Q1`), if any.
    pub fn from_id(id: &str) -> Option<Lesson> {
        Lesson::ALL
            .into_iter()
            .find(|l| l.id().eq_ignore_ascii_case(id))
    }

    /// The notebook's question.
    pub fn title(self) -> &'static str {
        match self {
            Lesson::Q1 => "What is multiprocessing in Python? Why is it useful?",
            Lesson::Q2 => "What are the differences between multiprocessing and multithreading?",
            Lesson::Q3 => "Create a process using the multiprocessing module.",
            Lesson::Q4 => "What is a multiprocessing pool? Why is it used?",
            Lesson::Q5 => "How can we create a pool of worker processes?",
            Lesson::Q6 => "Create 4 processes, each printing a different number.",
        }
    }

    /// The Rust source of this lesson, exactly as compiled.
    pub fn rust_source(self) -> &'static str {
        match self {
            Lesson::Q1 => include_str!("q1.rs"),
            Lesson::Q2 => include_str!("q2.rs"),
            Lesson::Q3 => include_str!("q3.rs"),
            Lesson::Q4 => include_str!("q4.rs"),
            Lesson::Q5 => include_str!("q5.rs"),
            Lesson::Q6 => include_str!("q6.rs"),
        }
    }

    /// What the notebook shows for this question: its Python code, or for Q2 (which has
    /// no code) its comparison table in Markdown.
    pub fn notebook_source(self) -> &'static str {
        match self {
            Lesson::Q1 => include_str!("q1.py"),
            Lesson::Q2 => include_str!("q2.md"),
            Lesson::Q3 => include_str!("q3.py"),
            Lesson::Q4 => include_str!("q4.py"),
            Lesson::Q5 => include_str!("q5.py"),
            Lesson::Q6 => include_str!("q6.py"),
        }
    }

    /// The most workers the lesson runs at once (pool workers or processes).
    pub fn max_workers(self) -> usize {
        match self {
            Lesson::Q1 => 2,
            Lesson::Q2 => q2::WORKER_COUNTS[q2::WORKER_COUNTS.len() - 1],
            Lesson::Q3 => 1,
            Lesson::Q4 | Lesson::Q5 | Lesson::Q6 => 4,
        }
    }

    /// Runs the lesson, printing through the context's output. Where blocking is allowed,
    /// drive it with `pollster::block_on`.
    pub async fn run(self, cx: &Context) -> Result<(), LessonError> {
        match self {
            Lesson::Q1 => q1::main(cx).await,
            Lesson::Q2 => q2::main(cx).await,
            Lesson::Q3 => q3::main(cx).await,
            Lesson::Q4 => q4::main(cx).await,
            Lesson::Q5 => q5::main(cx).await,
            Lesson::Q6 => q6::main(cx).await,
        }
    }
}
