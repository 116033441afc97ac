//! What a run takes its numbers from: plain 64-bit integers packed side by side (the common
//! case, and what a typed array becomes), or any [`Number`]s. The packed form is what
//! [`Values`](super::Values) is for results: no tag per number, half the memory, and a
//! kernel loop that never asks which kind of number comes next.

use std::ops::Range;
use std::sync::Arc;

use crate::number::Number;

/// A run's numbers as the run reads them, borrowed from its [`Input`]. The same numbers may
/// come in either form, so compare them with [`Items::iter`], not by form.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Items<'a> {
    /// Integers that fit in 64 bits, each a Python `int`.
    Ints(&'a [i64]),
    /// Any numbers.
    Numbers(&'a [Number]),
}

impl<'a> Items<'a> {
    /// How many numbers there are.
    pub fn len(self) -> usize {
        match self {
            Items::Ints(v) => v.len(),
            Items::Numbers(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The numbers at positions `range`.
    ///
    /// # Panics
    ///
    /// If `range` does not lie within them.
    pub fn slice(self, range: Range<usize>) -> Items<'a> {
        match self {
            Items::Ints(v) => Items::Ints(&v[range]),
            Items::Numbers(v) => Items::Numbers(&v[range]),
        }
    }

    /// The number at position `i`, as a [`Number`] of its own (a copy: for a message or a
    /// log, not for a loop).
    ///
    /// # Panics
    ///
    /// If `i` is not below [`Items::len`].
    pub fn number(self, i: usize) -> Number {
        match self {
            Items::Ints(v) => Number::Int(v[i]),
            Items::Numbers(v) => v[i].clone(),
        }
    }

    /// The numbers in order (a packed integer becomes a [`Number`] here, without allocating).
    pub fn iter(self) -> impl Iterator<Item = Number> + 'a {
        let (ints, numbers) = match self {
            Items::Ints(v) => (v, &[][..]),
            Items::Numbers(v) => (&[][..], v),
        };
        (ints.iter().map(|&v| Number::Int(v))).chain(numbers.iter().cloned())
    }
}

/// What a run can take its numbers from without copying them: a vector of [`Number`]s or
/// of `i64`s (moved in), an `Arc` of either that several runs share, or a `'static` slice.
/// A run reads [`Input::items`] many times, from several threads: it must give the same
/// numbers every time.
///
/// ```
/// use std::sync::Arc;
/// use webpool::number::python_list;
/// use webpool::{Kernel, Op, Pool};
///
/// let pool = Pool::new(2)?;
/// // Packed integers: no `Number` each, as a typed array reaches the browser's engine.
/// let numbers: Arc<[i64]> = (1..=5).collect();
/// let squares = pool.map(Kernel::new(Op::Square), Arc::clone(&numbers))?;
/// assert_eq!(python_list(squares.results.values()), "[1, 4, 9, 16, 25]");
/// let cubes = pool.map(Kernel::new(Op::Cube), numbers)?;
/// assert_eq!(python_list(cubes.results.values()), "[1, 8, 27, 64, 125]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Input: std::fmt::Debug + Send + Sync + 'static {
    /// The numbers, borrowed.
    fn items(&self) -> Items<'_>;
}

macro_rules! inputs {
    ($($form:ident: $($owner:ty),+;)+) => {
        $($(impl Input for $owner {
            fn items(&self) -> Items<'_> {
                Items::$form(self)
            }
        })+)+
    };
}

inputs! {
    Ints: Vec<i64>, Box<[i64]>, Arc<[i64]>, Arc<Vec<i64>>, &'static [i64];
    Numbers: Vec<Number>, Box<[Number]>, Arc<[Number]>, Arc<Vec<Number>>, &'static [Number];
}
