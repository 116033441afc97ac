// Knowing when a worker dies, however it dies. A Worker that is terminated, runs out of
// memory or closes itself sends no event to whoever started it; but a Web Lock it holds is
// released when it goes. So each worker holds a lock named for it, and its owner asks for
// the same lock: the owner is granted it exactly when the worker is gone.

/** A lock name no other worker of this origin uses. @param {string} what */
export function lifeLockName(what) {
  return `webpool-${what}-${crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`}`;
}

/**
 * In the worker: holds the lock `name` for as long as this worker lives. Resolves once it
 * is held, so the owner can start watching. Without Web Locks (an insecure context, an old
 * browser) it resolves at once and nobody is told of a death.
 * @param {string | undefined} name
 * @returns {Promise<void>}
 */
export function holdLifeLock(name) {
  if (!name || !globalThis.navigator?.locks) return Promise.resolve();
  return new Promise((held) => {
    navigator.locks.request(name, () => {
      held();
      return new Promise(() => {});
    });
  });
}

/**
 * In the owner: calls `onDeath` once the worker holding the lock `name` is gone, unless
 * `stop()` was called first (the owner ended it on purpose).
 * @param {string} name @param {() => void} onDeath
 * @returns {{ stop: () => void }}
 */
export function watchLife(name, onDeath) {
  let watching = true;
  globalThis.navigator?.locks?.request(name, () => {
    if (watching) onDeath();
  });
  return { stop: () => { watching = false; } };
}
