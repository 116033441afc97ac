//! The `webpool` command: the tutorial's lessons and pool maps in a terminal.
//!
//! A native program: `wasm-pack test` builds every target for wasm32 too, and there it is
//! empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
mod command;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    command::main()
}
