//! Names the processes build: WebAssembly without the `threads` feature, where every Web
//! Worker has an instance of its own and nothing may block. `#[cfg(processes)]` reads
//! better than the condition it stands for, which the lessons need in many places.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(processes)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    let threads = std::env::var_os("CARGO_FEATURE_THREADS").is_some();
    if wasm && !threads {
        println!("cargo::rustc-cfg=processes");
    }
}
