//! `webpool-serve`: the dev server behind `./build.sh serve`.
//!
//! Serves a static directory (default `www/`) for the page that runs webpool compiled to
//! threaded WebAssembly. Threads need `SharedArrayBuffer`, which browsers only enable on a
//! cross-origin isolated page, so every response carries COOP/COEP (and CORP, so that the
//! page's own workers and modules still load under COEP). `--no-isolation` drops them, to
//! see how the page behaves on a plain static host that cannot send headers. `--cors` lets
//! pages of other origins load the files (`Access-Control-Allow-Origin: *`,
//! `Cross-Origin-Resource-Policy: cross-origin`), as a CDN does for webpool's folder.
//!
//! After binding it prints one line, `webpool: serving <dir> at http://<addr>/`, with the
//! real port (so `--port 0` is usable from scripts and tests), then serves until Ctrl-C or
//! SIGTERM.
//!
//! A native program: `wasm-pack test` builds every target for wasm32 too, and there it is
//! empty.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(not(target_arch = "wasm32"))]
mod server;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    server::main()
}
