//! A panic inside a task is a bug, not bad input: it fails that task with the panic's
//! message instead of ending the program (rayon aborts the process when a job panics) or
//! silently killing a browser's worker.

/// Runs `task`; a panic inside it becomes `Err(message)`.
///
/// Natively the panic unwinds to here. WebAssembly has no unwinding (a panic aborts, and
/// the instance traps on the panicking thread), so there `last_words` is called instead,
/// from the panic hook, on the panicking thread, just before the trap: the only chance to
/// tell anyone which task died and why.
pub(crate) fn catching<R>(
    task: impl FnOnce() -> R,
    last_words: impl FnOnce(String) + 'static,
) -> Result<R, String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        drop(last_words);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(task)).map_err(|payload| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into())
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        hook::install();
        hook::LAST_WORDS.with(|words| *words.borrow_mut() = Some(Box::new(last_words)));
        let result = task();
        hook::LAST_WORDS.with(|words| words.borrow_mut().take());
        Ok(result)
    }
}

/// How many threads of this instance died in a panicking task. A thread of rayon's pool
/// does not come back in WebAssembly (its instance traps on that thread), so the browser's
/// engine starts a fresh instance once this is not zero.
#[cfg(all(target_arch = "wasm32", not(processes)))]
pub(crate) fn threads_lost() -> usize {
    hook::LOST.load(std::sync::atomic::Ordering::SeqCst)
}

#[cfg(target_arch = "wasm32")]
mod hook {
    use std::cell::RefCell;
    use std::sync::Once;
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub(super) static LOST: AtomicUsize = AtomicUsize::new(0);

    /// What a task says with the message of the panic that kills it.
    type LastWords = Box<dyn FnOnce(String)>;

    thread_local! {
        /// What the task running on this thread says if it panics.
        pub(super) static LAST_WORDS: RefCell<Option<LastWords>> = const { RefCell::new(None) };
    }

    /// Chains a hook before the one that was there, once per instance.
    pub(super) fn install() {
        static INSTALLED: Once = Once::new();
        INSTALLED.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let words = LAST_WORDS.with(|words| words.try_borrow_mut().ok()?.take());
                if let Some(words) = words {
                    LOST.fetch_add(1, Ordering::SeqCst);
                    words(info.payload_as_str().unwrap_or("a panic").to_string());
                }
                previous(info);
            }));
        });
    }
}
