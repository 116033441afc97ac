//! What only an engine needs: the parts of a run that a host drives by itself.
//!
//! A [`crate::Pool`] runs its workers and hands back a [`crate::pool::Run`]. A host whose
//! workers share no memory (the browser's processes backend) instead drives a [`Dispatch`]:
//! it hands each free worker a task as bytes ([`wire`]), the worker computes it with a
//! [`WorkerTask`], and the answer goes back as bytes.

mod dispatch;
pub mod wire;

pub use dispatch::{Dispatch, WorkerTask};
