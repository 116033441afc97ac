// The pool that every <webpool-demo> of a page shares. A tutorial chapter with a demo after
// every paragraph must not start Web Workers for each one, nor any before a reader asks:
// - one engine per backend for the whole page, started by the first Run (no Web Worker
//   exists before), grown to the most workers a demo has asked for and never beyond;
// - one run at a time: a demo whose Run comes while another demo runs waits its turn, in
//   the order they asked, and can say so (and be cancelled while it waits);
// - closed when the last demo leaves the page.
// It uses webpool.js's public API only, as any script would.

/** @typedef {import('./webpool.js').Pool} Pool */
/** @typedef {import('./webpool.js').Backend} Backend */

/**
 * The API, loaded once per page from beside this file (whatever folder that is). Loading it
 * starts no Worker.
 * @type {Promise<typeof import('./webpool.js')> | undefined}
 */
let api;
export const loadApi = () => (api ??= import(new URL('webpool.js', import.meta.url).href));

/** The engine of each backend, once started. @type {Map<Backend, Promise<Pool>>} */
const pools = new Map();
/** The demos on the page; the pools close when none is left. @type {Set<object>} */
const users = new Set();

/**
 * A demo waiting for its turn, or running.
 * @typedef {object} Turn
 * @property {object} owner   the demo
 * @property {() => void} start  lets it run
 */

/** @type {Turn[]} who waits, in order */
const waiting = [];
/** @type {Turn | null} who runs */
let running = null;

/** A demo is on the page. @param {object} owner */
export function join(owner) {
  users.add(owner);
}

/**
 * A demo left the page: its place in the queue goes, and with the last demo the engines
 * close. A demo moved in the page leaves and joins again within one task: the engines stay.
 * A turn it holds ends when its run, cancelled by the demo, has ended: not before, so
 * that the next demo never runs beside it.
 * @param {object} owner
 */
export function leave(owner) {
  users.delete(owner);
  const at = waiting.findIndex((turn) => turn.owner === owner);
  if (at >= 0) waiting.splice(at, 1);
  setTimeout(() => {
    if (users.size > 0) return;
    for (const pool of pools.values()) pool.then((p) => p.close(), () => {});
    pools.clear();
  });
}

/** The demo that runs now, if any. */
export function holder() {
  return running?.owner ?? null;
}

/**
 * Waits for `owner`'s turn on the shared pool of `backend`, then resolves with that pool
 * sized to `workers` and a `done()` that ends the turn (call it once, however the run
 * ended). While another demo runs, `onWait(other)` is called once first. Rejects with
 * code `cancelled` if `signal` aborts before the turn comes.
 * @param {{ owner: object, backend: Backend | 'auto', workers: number, signal: AbortSignal,
 *   onWait?: (other: object) => void, onStart?: () => void }} request
 * @returns {Promise<{ pool: Pool, done: () => void }>}
 */
export async function take({ owner, backend, workers, signal, onWait, onStart }) {
  const { WebpoolError } = await loadApi();
  const cancelled = () => new WebpoolError('cancelled', 'cancelled before it began: nothing was computed');
  if (signal.aborted) throw cancelled();
  /** @type {Turn} */
  const turn = { owner, start: () => {} };
  const turnCame = new Promise((resolve, reject) => {
    turn.start = () => resolve(undefined);
    signal.addEventListener('abort', () => {
      const at = waiting.indexOf(turn);
      if (at >= 0) {
        waiting.splice(at, 1);
        reject(cancelled());
      }
    }, { once: true });
  });
  if (running) {
    waiting.push(turn);
    onWait?.(running.owner);
  } else {
    running = turn;
    turn.start();
  }
  await turnCame;
  const done = ender();
  try {
    const pool = await open(backend, workers, onStart);
    // Only the demo whose turn it is resizes: nobody else's run is on the engine.
    if (pool.workers !== workers) await pool.resize(Math.max(workers, 1));
    if (signal.aborted) throw cancelled();
    return { pool, done };
  } catch (error) {
    done();
    throw error;
  }
}

/**
 * The shared pool of `backend`, started (with `workers`, calling `onStart` first) if it was
 * not: for what must read the engine before a run, such as a lesson's card. Takes no turn:
 * resize it only during one. `auto` shares the engine of the backend it means here.
 * @param {Backend | 'auto'} backend @param {number} workers @param {() => void} [onStart]
 * @returns {Promise<Pool>}
 */
export async function open(backend, workers, onStart) {
  const { chooseBackend, createPool } = await loadApi();
  const key = chooseBackend(backend).backend;
  const known = pools.get(key);
  if (known) return known;
  onStart?.();
  const starting = createPool({ workers, backend });
  pools.set(key, starting);
  // A pool that could not start is not kept: the next Run tries again.
  starting.catch(() => { if (pools.get(key) === starting) pools.delete(key); });
  return starting;
}

/**
 * Takes the turn at once if nobody runs or waits, for what cannot wait (a lesson's button
 * says why instead); returns the turn's `done()`, or null.
 * @param {object} owner
 */
export function takeNow(owner) {
  if (running || waiting.length) return null;
  /** @type {Turn} */
  const turn = { owner, start: () => {} };
  running = turn;
  return ender();
}

/** How the turn running now ends: the next in line starts. Once only. */
function ender() {
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    running = waiting.shift() ?? null;
    running?.start();
  };
}
