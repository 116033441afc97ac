// webpool's JavaScript API: a Pool of workers running Rust compiled to WebAssembly.
// The page in this folder uses exactly this module, and so can any other site:
//
//   import { createPool } from './webpool.js';
//   const pool = await createPool({ workers: 2 });
//   const result = await pool.map('square', '1, 2, 3, 4, 5');
//   result.values;  // ['1', '4', '9', '16', '25'], as Python prints them
//
// The pool lives in an engine Worker (engine.js) that owns the WebAssembly instance and
// its workers; this module only sends it messages, so the page's main thread never blocks.
// Two backends give the same results and events: `threads` (Web Workers sharing one
// instance's memory, which needs a cross-origin isolated page) and `processes` (Web
// Workers with instances of their own, sent their tasks by message, which runs anywhere).

import { fetchWasm, startWorker } from './assets.js';
import { lifeLockName, watchLife } from './life.js';

/**
 * What each task computes: the tutorial's `square` or `cube` (arithmetic, over in
 * nanoseconds); `collatz`, the Collatz steps of each positive integer (real computation,
 * longer for bigger numbers: about 0.3 ms natively for one of 1000 digits; zero, negative
 * numbers and floats fail their task with Python's error); `panic` is a bug on purpose,
 * a task that panics, to see that it fails its run with a message and the pool goes on.
 * @typedef {'square' | 'cube' | 'collatz' | 'panic'} KernelName
 */
/** @typedef {'none' | 'sleep' | 'spin'} WorkKind */

/**
 * Simulated work per number, like the tutorial's `time.sleep(2)`: `sleep` waits (occupies
 * a worker, not a core), `spin` computes (occupies a core) for the duration: simulated
 * computation, where the `collatz` kernel is real.
 * @typedef {{ kind: WorkKind, ms?: number }} Work
 */

/**
 * Numbers: text as a person types it (`1, 2, 3`, `1..1000000`, `0.1 2.5 1e8`), or a typed
 * array, the cheap way to send many (a Float64Array's integral values are Python ints).
 * @typedef {string | Float64Array | Int32Array | BigInt64Array | number[]} NumbersInput
 */

/**
 * One task (a chunk of consecutive items) starting or ending on a worker. Times are
 * milliseconds since the run started, on one clock shared by every worker.
 * @typedef {object} TaskEvent
 * @property {'start' | 'end'} type
 * @property {number} task      task index, from 0
 * @property {number} first     index of its first item
 * @property {number} end       index after its last item
 * @property {number} worker    the worker, from 0
 * @property {number} start     when it started (ms)
 * @property {number} finish    when it ended (ms); equals start for a 'start' event
 * @property {'done' | 'cancelled' | 'failed' | 'running'} status
 * @property {number} done      items computed
 * @property {number} run       the run it belongs to
 * @property {string[]} [inputs] for 'start': its inputs as Python prints them (all of them
 *   for up to 4 items, otherwise the first three and the last)
 */

/**
 * A task of one of a lesson's pool runs; `run` numbers those runs from 0 (Q1: squares, then
 * cubes), `item` is the task's first item.
 * @typedef {{ kind: 'taskStart', run: number, task: number, item: number, worker: number, at: number }
 *   | { kind: 'taskEnd', run: number, task: number, item: number, worker: number, start: number, end: number }} LessonTaskEvent
 */

/**
 * @typedef {object} MapOptions
 * @property {number} [chunksize]  items per task; default: Python's rule (about 4 tasks per worker)
 * @property {Work} [work]         simulated work per number
 * @property {(event: TaskEvent) => void} [onTask]  every task event of this run, as it happens
 * @property {(batch: TaskBatch) => void} [onTasks]  the same events, a batch at a time as the
 *   engine sends them, read without an object per event: for runs of very many tasks
 * @property {AbortSignal} [signal] aborting it cancels the run
 * @property {boolean} [transfer]  a typed array of numbers moves to the engine instead of
 *   being copied (cheaper for millions); its whole buffer is then detached (empty), as with
 *   postMessage's transfer
 */

/**
 * What a run tells at its end.
 * @typedef {object} Report
 * @property {number} items     how many numbers it was given
 * @property {number} workers
 * @property {number} done      how many results it has
 * @property {'done' | 'cancelled' | 'failed' | 'crashed'} status
 * @property {number} wallMs    from its start to its last task's end
 * @property {number[]} busyMs  time each worker spent in tasks
 * @property {number} startedAt when it started (ms since the epoch, the shared clock)
 * @property {number} skippedEvents task events not sent one by one: those that had ended
 *   but not yet been sent when a cancel came (a run of many tiny tasks ends at once)
 * @property {{ message: string, task: number, item: number, input: string } | null} error
 */

/**
 * Why a call failed, stable across versions: switch on it, never on the message.
 * - `input`: the numbers (or an option) are not valid; nothing ran.
 * - `cancelled`: the run or lesson was cancelled; what was computed is kept.
 * - `task`: a task failed (Python would raise: an OverflowError, or a panic); the rest is kept.
 * - `crashed`: a worker or the engine died mid-run; what was computed is kept, and the pool
 *   replaces what died before its next call.
 * - `released`: the result was released, so its values are gone.
 * - `restarted`: the pool started a new engine (a resize, or after a crash) while this call
 *   waited on the old one.
 * - `closed`: the pool was closed.
 * - `unsupported`: this browser or page cannot do it (threads without cross-origin isolation).
 * @typedef {'input' | 'cancelled' | 'task' | 'crashed' | 'released' | 'restarted' | 'closed' | 'unsupported'} ErrorCode
 */

/** Every error the API rejects with: a sentence for a person and a stable {@link ErrorCode}. */
export class WebpoolError extends Error {
  /** @param {ErrorCode} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'WebpoolError';
    /** @type {ErrorCode} */
    this.code = code;
  }
}

/** Thrown for input that is not numbers; `start`/`end` locate the mistake in the text. */
export class InputError extends WebpoolError {
  /** @param {{ message: string, token?: string, item?: number, start?: number, end?: number }} e */
  constructor(e) {
    super('input', e.message);
    this.name = 'InputError';
    /** @type {string | undefined} the offending token */
    this.token = e.token;
    /** @type {number | undefined} its position among the items, from 1 */
    this.item = e.item;
    /** @type {number | undefined} where it starts in the text (UTF-16 index) */
    this.start = e.start;
    /** @type {number | undefined} where it ends */
    this.end = e.end;
  }
}

/** What a run's report status makes of it, as an error. */
const RUN_ERRORS = {
  cancelled: { code: 'cancelled', name: 'CancelledError' },
  failed: { code: 'task', name: 'TaskError' },
  crashed: { code: 'crashed', name: 'CrashedError' },
};

/**
 * Thrown when a run is cancelled (`code` `cancelled`), a task fails (`task`) or a worker dies
 * (`crashed`); `result` keeps what was computed.
 */
export class RunError extends WebpoolError {
  /** @param {MapResult} result */
  constructor(result) {
    const { status, error, done, items } = result.report;
    const kind = RUN_ERRORS[/** @type {'cancelled' | 'failed' | 'crashed'} */ (status)] ?? RUN_ERRORS.failed;
    super(/** @type {ErrorCode} */ (kind.code), error?.message ?? `cancelled after ${done} of ${items} results`);
    this.name = kind.name;
    /** @type {MapResult} */
    this.result = result;
  }
}

/**
 * Releases what a caller forgot: a result collected by the garbage collector frees its
 * values in the engine too. A safety net only; `release()` frees them at once.
 */
const forgotten = new FinalizationRegistry((/** @type {() => void} */ release) => release());

/** The results of one run, kept in the engine until released. */
export class MapResult {
  /** @param {Pool} pool @param {number} id @param {any} done @param {number} engine */
  constructor(pool, id, done, engine) {
    this.#pool = pool;
    this.#id = id;
    this.#engine = engine;
    /** @type {Report} */
    this.report = { ...done.report, skippedEvents: done.skipped ?? 0 };
    /**
     * Every result by position, for runs of up to 10000 items (else null); an item that was
     * not computed (a cancelled or failed run) is null.
     * @type {(string | null)[] | null}
     */
    this.values = done.values;
    const computed = done.values?.filter((/** @type {string | null} */ v) => v !== null);
    /** @type {string[]} the first few results computed */
    this.head = computed ? computed.slice(0, 5) : done.head;
    /** @type {string[]} the last few results computed */
    this.tail = computed ? computed.slice(-5) : done.tail;
    forgotten.register(this, () => pool._release(id, engine), this);
  }

  #pool;
  #id;
  /** Which of the pool's engines holds the values. */
  #engine;
  #released = false;

  /** How many results there are. */
  get length() {
    return this.report.done;
  }

  /**
   * Results for input indexes `from..to` by position, as Python prints them (null where an
   * item was not computed). Rejects with code `released` after {@link MapResult#release},
   * and `restarted` or `crashed` if the engine that held them is gone.
   * @returns {Promise<(string | null)[]>}
   */
  async slice(from = 0, to = this.report.items) {
    if (this.values) return this.values.slice(from, to);
    return this.#ask({ type: 'values', id: this.#id, from, to }, 'values');
  }

  /** Every result computed, one per line in input order (for a download). */
  async text() {
    if (this.values) return this.values.filter((v) => v !== null).map((v) => `${v}\n`).join('');
    return this.#ask({ type: 'text', id: this.#id }, 'text');
  }

  /**
   * Every result as one typed array: a `BigInt64Array` when every result is an integer of
   * 64 bits, a `Float64Array` when every one is a float. Rejects with code `input` when the
   * results are not complete (a cancelled or failed run) or do not all fit one, and as
   * {@link MapResult#slice} does once released or when the engine is gone.
   * @returns {Promise<BigInt64Array | Float64Array>}
   */
  async toTypedArray() {
    const typed = this.values ? typedFromText(this.values) : await this.#ask({ type: 'typed', id: this.#id }, 'typed');
    if (typed) return typed;
    throw new WebpoolError('input', this.report.done < this.report.items
      ? `only ${this.report.done} of ${this.report.items} results were computed: a typed array holds them all`
      : 'the results do not all fit one typed array: integers past 64 bits, or integers and floats mixed');
  }

  /** Frees the results in the engine. Calling it again does nothing. */
  release() {
    if (this.#released) return;
    this.#released = true;
    forgotten.unregister(this);
    this.#pool._release(this.#id, this.#engine);
  }

  /** @param {any} message @param {string} field */
  #ask(message, field) {
    if (this.#released) return Promise.reject(new WebpoolError('released', 'these results have been released'));
    return this.#pool._ask(message, field, this.#engine);
  }
}

/**
 * Results as Python prints them, in one typed array if they all fit one (see
 * {@link MapResult#toTypedArray}), else null.
 * @param {(string | null)[]} values
 */
function typedFromText(values) {
  if (values.every((v) => v !== null && /^-?\d+$/.test(v))) {
    const ints = values.map((v) => BigInt(/** @type {string} */ (v)));
    if (ints.every((i) => BigInt.asIntN(64, i) === i)) return BigInt64Array.from(ints);
    return null;
  }
  if (values.every((v) => v !== null && /[.eE]|inf|nan/.test(v))) return Float64Array.from(values, Number);
  return null;
}

/** @typedef {'threads' | 'processes'} Backend */

/** The wasm file of each backend's build. */
const WASM = { threads: 'pkg/webpool_bg.wasm', processes: 'pkg/webpool_processes_bg.wasm' };

/**
 * One compiled module per backend and page: a new engine (after a resize) reuses it.
 * @type {Map<string, Promise<WebAssembly.Module>>}
 */
const compiled = new Map();
/** @param {string | URL} base @param {Backend} backend @returns {Promise<WebAssembly.Module>} */
function compileModule(base, backend) {
  const url = new URL(WASM[backend], base).href;
  if (!compiled.has(url)) {
    const module = WebAssembly.compileStreaming(fetchWasm(url));
    // A failed fetch is not kept: the next start tries again.
    module.catch(() => compiled.delete(url));
    compiled.set(url, module);
  }
  return /** @type {Promise<WebAssembly.Module>} */ (compiled.get(url));
}

/**
 * What keeps threads from running here, or null if nothing does. They need SharedArrayBuffer,
 * which browsers give only to cross-origin isolated pages: `file` (a page opened from disk,
 * never isolated), `not-isolated` (served without the COOP/COEP headers), or
 * `no-shared-memory` (isolated, but the browser offers none even so: WebKitGTK).
 * @returns {'file' | 'not-isolated' | 'no-shared-memory' | null}
 */
export function whyNoThreads() {
  const isolated = globalThis.crossOriginIsolated === true;
  if (!isolated) return globalThis.location?.protocol === 'file:' ? 'file' : 'not-isolated';
  return typeof SharedArrayBuffer === 'function' ? null : 'no-shared-memory';
}

/**
 * Why threads cannot run here, in words for a person, or null if they can.
 * @returns {string | null}
 */
function threadsMissing() {
  switch (whyNoThreads()) {
    case 'file': return 'this page was opened from a file, and only a page served with COOP/COEP headers can share memory between workers';
    case 'not-isolated': return 'this page is not cross-origin isolated (no COOP/COEP headers), so it cannot share memory between workers';
    case 'no-shared-memory': return 'this browser offers no SharedArrayBuffer, even on this cross-origin isolated page';
    default: return null;
  }
}

/** Whether threads can run here: they need SharedArrayBuffer, so cross-origin isolation. */
export function threadsAvailable() {
  return threadsMissing() === null;
}

/**
 * Which backend `backend` means on this page, and why, in a sentence for a person.
 * @param {Backend | 'auto'} backend
 * @returns {{ backend: Backend, reason: string }}
 */
export function chooseBackend(backend = 'auto') {
  if (backend !== 'threads' && backend !== 'processes' && backend !== 'auto') {
    throw new WebpoolError('input', `backend must be "threads", "processes" or "auto", not ${JSON.stringify(backend)}`);
  }
  const missing = threadsMissing();
  if (backend === 'threads' && missing) {
    throw new WebpoolError('unsupported', `threads cannot run here: ${missing}; use backend "processes" or "auto"`);
  }
  if (backend === 'processes') {
    return { backend, reason: 'Processes, as asked: each worker has memory of its own and gets its tasks by copied messages.' };
  }
  if (backend === 'threads') {
    return { backend, reason: 'Threads, as asked: the workers share one memory.' };
  }
  return missing
    ? { backend: 'processes', reason: `Processes: ${missing}, so each worker has memory of its own and gets its tasks by copied messages.` }
    : { backend: 'threads', reason: 'Threads: this page is cross-origin isolated, so the workers can share one memory.' };
}

/**
 * Starts a pool of `workers` workers, like `multiprocessing.Pool(processes=workers)`.
 * @param {{ workers?: number, backend?: Backend | 'auto', base?: string | URL }} [options]
 *   `backend`: `threads` (shared memory; needs a cross-origin isolated page), `processes`
 *   (messages; runs anywhere) or `auto` (the default: threads where they can run).
 *   `base`: where engine.js and pkg/ are (default: beside this module).
 * @returns {Promise<Pool>} rejects with code `input` (bad options), `unsupported` (threads
 *   on a page that cannot have them) or `crashed` (the engine could not start)
 */
export async function createPool({ workers = navigator.hardwareConcurrency || 2, backend = 'auto', base = new URL('.', import.meta.url) } = {}) {
  checkWorkers(workers);
  const pool = new Pool(workers, base, chooseBackend(backend));
  try {
    await pool._ready(workers);
  } catch (error) {
    pool.close();
    throw error;
  }
  return pool;
}

/** @param {number} workers */
function checkWorkers(workers) {
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new WebpoolError('input', `workers must be a whole number from 1 to 256, not ${workers}`);
  }
}

/** @param {string} why */
const closedError = (why = 'the pool was closed') => new WebpoolError('closed', why);

/**
 * `starting` (its first engine), `ready`, `restarting` (a new engine, after a resize or a
 * crash) or `closed`.
 * @typedef {'starting' | 'ready' | 'restarting' | 'closed'} PoolState
 */

/**
 * A pool of workers in an engine Worker. Create one with {@link createPool}.
 *
 * Every call settles, in any order and overlap: it resolves, or rejects with a
 * {@link WebpoolError} whose `code` says why. The pool is a small state machine: one engine
 * at a time, and at most one start in flight, which later calls wait for (or supersede, when
 * they need more threads than it starts). An engine that dies is noticed (code `crashed` for
 * what waited on it) and replaced by the next call.
 */
export class Pool {
  /**
   * @param {number} workers @param {string | URL} base
   * @param {{ backend: Backend, reason: string }} chosen
   */
  constructor(workers, base, chosen) {
    this.#workers = workers;
    this.#base = base;
    /** @type {Backend} which backend runs this pool */
    this.backend = chosen.backend;
    /** Why this backend, in words for a person. */
    this.backendReason = chosen.reason;
  }

  #workers;
  #base;
  #closed = false;
  /** @type {{ worker: Worker, threads: number, id: number, life: { stop: () => void } } | null} */
  #engine = null;
  /** How many engines this pool has started: results name theirs by this. */
  #engines = 0;
  /** The start in flight, if any: how many threads it starts, and when it is done. @type {{ threads: number, done: Promise<void> } | null} */
  #starting = null;
  /** The engine being started, and how to stop waiting for it. @type {{ worker: Worker, stop: () => void } | null} */
  #booting = null;
  /** Counts starts, so that a superseded one knows it. */
  #generation = 0;
  /** The engine lost a thread to a panicking task: replace it before the next call. */
  #stale = false;
  #threads = 0;
  #nextId = 1;
  /** What waits on the engine, by id: runs, lessons, parses and questions about results. @type {Map<number, (message: any) => void>} */
  #handlers = new Map();
  /** @type {Set<(event: TaskEvent) => void>} */
  #listeners = new Set();
  /** Runs and lessons in progress, by id. @type {Set<number>} */
  #active = new Set();
  /** Calls waiting for an engine before they start; a cancel() reaches them too. @type {Set<{ cancelled: boolean }>} */
  #waiting = new Set();
  /** @type {any[]} */
  #lessons = [];
  /** Settles when the lesson before has ended (threads run one lesson at a time). @type {Promise<unknown>} */
  #lessonTurn = Promise.resolve();
  /** How long the last (re)start of the engine took, in ms. */
  startMs = 0;

  /** How many workers a run uses. */
  get workers() {
    return this.#workers;
  }

  /** How many Web Workers the engine has started (threads: at least `workers`). */
  get threads() {
    return this.#threads;
  }

  /** @returns {PoolState} */
  get state() {
    if (this.#closed) return 'closed';
    if (this.#starting) return this.#engines > 0 ? 'restarting' : 'starting';
    return 'ready';
  }

  /**
   * The notebook's lessons: `[{ id, title, maxWorkers, source, notebook }]`: `source` is the
   * lesson's Rust exactly as compiled, `notebook` the notebook's cell (Python; Markdown for q2).
   */
  get lessons() {
    return this.#lessons;
  }

  /**
   * Listens to the task events of every run; returns a function that stops listening.
   * @param {(event: TaskEvent) => void} listener
   */
  onTask(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * `pool.map(kernel, numbers)`: every result in input order, as Python prints it.
   * Rejects with {@link InputError} (code `input`) for bad input, {@link RunError} (codes
   * `cancelled`, `task`, `crashed`; its `result` keeps what was computed), or a
   * {@link WebpoolError} (`restarted`, `closed`, `crashed`) when the engine went away.
   * @param {KernelName} kernel
   * @param {NumbersInput} numbers
   * @param {MapOptions} [options]
   * @returns {Promise<MapResult>}
   */
  map(kernel, numbers, options = {}) {
    return this.#whenReady(() => new Promise((resolve, reject) => {
      this.#startMap(kernel, numbers, options, false, {
        done: (result) => (result.report.status === 'done' ? resolve(result) : reject(new RunError(result))),
        error: reject,
      });
    }));
  }

  /**
   * `pool.imap_unordered(kernel, numbers)`: `{ index, value }` as tasks finish. The default
   * chunksize is 1, as in Python. Breaking out of the loop cancels the run; its results are
   * released in the engine either way.
   * @param {KernelName} kernel
   * @param {NumbersInput} numbers
   * @param {MapOptions} [options]
   * @returns {AsyncGenerator<{ index: number, value: string }>}
   */
  async *imapUnordered(kernel, numbers, options = {}) {
    /** @type {{ index: number, value: string }[]} */
    const ready = [];
    let wake = () => {};
    /** @type {{ result?: MapResult, error?: any } | null} */
    let end = null;
    let left = false;
    const id = await this.#whenReady(async () => this.#startMap(kernel, numbers, { chunksize: 1, ...options }, true, {
      values: (/** @type {{ first: number, values: string[] }[]} */ chunks) => {
        for (const { first, values } of chunks) values.forEach((value, i) => ready.push({ index: first + i, value }));
        wake();
      },
      done: (result) => {
        end = { result };
        // Streamed, the values have been handed out: the engine need not keep them.
        if (left || result.report.status === 'done') result.release();
        wake();
      },
      error: (error) => { end = { error }; wake(); },
    }));
    try {
      for (;;) {
        while (ready.length) yield /** @type {{ index: number, value: string }} */ (ready.shift());
        if (end) break;
        await new Promise((resolve) => { wake = () => resolve(undefined); });
      }
      const { result, error } = /** @type {{ result?: MapResult, error?: any }} */ (end);
      if (error) throw error;
      if (result && result.report.status !== 'done') throw new RunError(result);
    } finally {
      left = true;
      if (!end) this.#send({ type: 'cancel', id });
    }
  }

  /**
   * Checks text without running anything: resolves with `{ length, first, last }` (a few
   * numbers as Python prints them) or rejects with an {@link InputError}.
   * @param {string} text
   */
  parse(text) {
    return this.#whenReady(() => new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#handlers.set(id, (message) => {
        this.#handlers.delete(id);
        if (message.type === 'parsed') resolve(message.preview);
        else reject(engineError(message.error));
      });
      this.#send({ type: 'parse', id, text });
    }));
  }

  /** Cancels every run and lesson in progress or waiting to start; each keeps what it computed. */
  cancel() {
    for (const waiting of this.#waiting) waiting.cancelled = true;
    for (const id of this.#active) this.#send({ type: 'cancel', id });
  }

  /**
   * Changes the number of workers for the next run. With threads, growing past the
   * engine's threads starts a new engine (reusing the compiled module); what ran on the old
   * one rejects with code `restarted`. Processes start as runs need them.
   * @param {number} workers
   */
  async resize(workers) {
    checkWorkers(workers);
    if (this.#closed) throw closedError();
    this.#workers = workers;
    if (this.backend === 'threads') await this._ready(workers);
  }

  /**
   * Runs one of the notebook's lessons (`q1` .. `q6`). Resolves when it ends.
   * @param {string} id
   * @param {{ timeScale?: number, onPrint?: (text: string, at: number) => void,
   *   onTask?: (event: LessonTaskEvent) => void, signal?: AbortSignal }} [options]
   *   `timeScale` multiplies the notebook's durations (default 1: real time). Times (`at`,
   *   `start`, `end`) are milliseconds since the lesson started, on the workers' shared clock.
   * @returns {Promise<{ status: 'done' | 'cancelled' | 'failed', outcome: string, lines: string[] }>}
   *   `outcome` is `ok` or what stopped the lesson.
   */
  async runLesson(id, { timeScale = 1, onPrint, onTask, signal } = {}) {
    if (!(Number.isFinite(timeScale) && timeScale >= 0 && timeScale <= 1000)) {
      throw new WebpoolError('input', `timeScale must be a number from 0 to 1000, not ${timeScale}`);
    }
    const cancelled = { outcome: 'cancelled', status: /** @type {const} */ ('cancelled'), lines: [] };
    // Waiting for its engine or its turn, a lesson is reached by cancel() too.
    const waiting = { cancelled: false };
    this.#waiting.add(waiting);
    /** @type {() => void} */
    let endTurn = () => {};
    try {
      await this._ready(1);
      const lesson = this.#lessons.find((l) => l.id === id);
      if (!lesson) throw new WebpoolError('input', `no lesson ${id}`);
      if (this.backend === 'threads') {
        // A lesson's driver holds a thread of its own while it waits for its pool's workers,
        // so on threads lessons take turns: side by side they could hold every thread.
        const previous = this.#lessonTurn;
        this.#lessonTurn = new Promise((resolve) => { endTurn = () => resolve(undefined); });
        await previous;
        await this._ready(lesson.maxWorkers + 1);
      }
    } catch (error) {
      endTurn();
      throw error;
    } finally {
      this.#waiting.delete(waiting);
    }
    if (waiting.cancelled || signal?.aborted) {
      endTurn();
      return cancelled;
    }
    return this.#whenReady(() => new Promise((resolve, reject) => {
      const runId = this.#nextId++;
      /** @type {string[]} */
      const lines = [];
      const abort = () => this.#send({ type: 'cancel', id: runId });
      signal?.addEventListener('abort', abort);
      this.#active.add(runId);
      this.#handlers.set(runId, (message) => {
        if (message.type === 'lessonEvents') {
          for (const event of message.events) {
            if (event.kind === 'print') {
              lines.push(event.text);
              onPrint?.(event.text, event.at);
            } else {
              onTask?.(event);
            }
          }
          return;
        }
        this.#handlers.delete(runId);
        this.#active.delete(runId);
        signal?.removeEventListener('abort', abort);
        if (message.type === 'lessonDone') resolve({ status: message.status, outcome: message.outcome, lines });
        else reject(engineError(message.error));
      });
      this.#send({ type: 'lesson', id: runId, lesson: id, timeScale, cores: navigator.hardwareConcurrency || 1 });
    })).finally(endTurn);
  }

  /**
   * Stops the engine and its workers. Whatever waits rejects with code `closed`, and so
   * does every later call. Calling it again does nothing.
   */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#generation++;
    this.#booting?.stop();
    this.#starting = null;
    this.#stopEngine('closed', 'the pool was closed');
  }

  /**
   * Runs `call` once an engine is ready: at once if one is (so that a cancel() right
   * after a call reaches it), else after the engine (re)starts.
   * @template T @param {() => T | Promise<T>} call @returns {Promise<T>}
   */
  async #whenReady(call) {
    if (this.#closed) throw closedError();
    if (this.#engine && !this.#starting && !this.#stale) return call();
    const waiting = { cancelled: false };
    this.#waiting.add(waiting);
    try {
      await this._ready(1);
    } finally {
      this.#waiting.delete(waiting);
    }
    if (waiting.cancelled) throw new WebpoolError('cancelled', 'cancelled before it started');
    return this.#whenReady(call);
  }

  /**
   * @internal Resolves once an engine with at least `threads` threads is ready: the one
   * running, the start in flight if it starts enough, or a new start that supersedes it.
   * @param {number} threads
   * @returns {Promise<void>}
   */
  _ready(threads) {
    if (this.#closed) return Promise.reject(closedError());
    const want = Math.max(threads, this.#threads, this.backend === 'threads' ? this.#workers : 1);
    if (this.#starting && this.#starting.threads >= threads) return this.#starting.done;
    if (!this.#starting && this.#engine && !this.#stale && this.#threads >= threads) return Promise.resolve();
    const why = this.#stale ? 'the pool was restarted after a task panicked' : 'the pool was restarted with more workers';
    return this.#start(Math.max(want, this.#starting?.threads ?? 0), why);
  }

  /**
   * Starts an engine with `threads` threads, superseding any start in flight: the engine in
   * use stops now (what waited on it rejects with code `restarted`), and every caller waiting
   * for a start is answered when the newest one is ready.
   * @param {number} threads @param {string} why
   */
  #start(threads, why) {
    const generation = ++this.#generation;
    this.#stale = false;
    this.#booting?.stop();
    this.#stopEngine('restarted', why);
    const done = this.#boot(threads, generation).finally(() => {
      if (this.#starting?.done === done) this.#starting = null;
    });
    this.#starting = { threads, done };
    return done;
  }

  /** @param {number} threads @param {number} generation */
  async #boot(threads, generation) {
    const started = performance.now();
    const superseded = () => {
      if (this.#closed) throw closedError();
      // A newer start answers for this one.
      return this.#starting?.done;
    };
    // The engine's Worker starts (and loads its scripts) while the module compiles; a script
    // that fails to load says so meanwhile, and is heard.
    /** @type {string | null} */
    let loadFailed = null;
    /** @type {Worker | null} */
    let worker = null;
    let module;
    try {
      worker = startWorker(new URL('engine.js', this.#base), 'webpool-engine');
      worker.onerror = (e) => { loadFailed = e.message || 'its script could not load'; };
      module = await compileModule(this.#base, this.backend);
      if (loadFailed) throw new Error(loadFailed);
    } catch (error) {
      worker?.terminate();
      if (generation !== this.#generation) return superseded();
      throw new WebpoolError('crashed', `the engine could not load: ${/** @type {Error} */ (error)?.message ?? error}`);
    }
    if (generation !== this.#generation) {
      worker.terminate();
      return superseded();
    }
    const lock = lifeLockName('engine');
    const engine = { worker, threads: 0, id: 0, life: { stop: () => {} } };
    /** Who hears of the engine's death: its start, then the pool. */
    let onDeath = () => {};
    let ready;
    try {
      ready = await new Promise((resolve, reject) => {
        const failed = (/** @type {string} */ why) => reject(new WebpoolError('crashed', `the engine failed to start: ${why}`));
        onDeath = () => failed('it stopped');
        // A close or a newer start stops this one at once, and its callers are answered.
        this.#booting = { worker, stop: () => reject(new WebpoolError('restarted', 'a newer start superseded this one')) };
        worker.onmessage = ({ data }) => {
          if (data.type === 'held') engine.life = watchLife(lock, () => onDeath());
          else if (data.type === 'ready') resolve(data);
          else if (data.type === 'error') failed(data.error.message);
        };
        worker.onerror = (e) => failed(e.message);
        worker.postMessage({ type: 'init', module, threads, backend: this.backend, lock });
      });
    } catch (error) {
      engine.life.stop();
      worker.terminate();
      if (generation !== this.#generation) return superseded();
      throw error;
    } finally {
      if (this.#booting?.worker === worker) this.#booting = null;
    }
    if (generation !== this.#generation) {
      engine.life.stop();
      worker.terminate();
      return superseded();
    }
    engine.threads = ready.threads;
    engine.id = ++this.#engines;
    onDeath = () => this.#died(engine, 'the engine stopped');
    worker.onmessage = ({ data }) => this.#receive(data);
    worker.onerror = (e) => this.#died(engine, `the engine stopped: ${e.message}`);
    this.#engine = engine;
    this.#threads = ready.threads;
    this.#lessons = ready.lessons;
    this.startMs = performance.now() - started;
  }

  /**
   * The engine died: what waited on it rejects with code `crashed`, and the next call
   * starts a new one.
   * @param {{ worker: Worker }} engine @param {string} why
   */
  #died(engine, why) {
    if (this.#engine === engine) this.#stopEngine('crashed', why);
  }

  /**
   * Stops the engine in use, if any, and answers what waited on it with `code`.
   * @param {ErrorCode} code @param {string} why
   */
  #stopEngine(code, why) {
    const engine = this.#engine;
    this.#engine = null;
    if (engine) {
      engine.life.stop();
      engine.worker.terminate();
    }
    const handlers = [...this.#handlers.values()];
    this.#handlers.clear();
    this.#active.clear();
    for (const handler of handlers) handler({ type: 'error', error: { code, message: why } });
  }

  /**
   * Starts a map in the engine; `on` hears its values (streams), its end and its failure.
   * @param {KernelName} kernel @param {NumbersInput} numbers @param {MapOptions} options
   * @param {boolean} stream
   * @param {{ values?: (chunks: any) => void, done: (result: MapResult) => void, error: (error: any) => void }} on
   */
  #startMap(kernel, numbers, options, stream, on) {
    const id = this.#nextId++;
    const engine = this.#engines;
    const { chunksize = 0, work = { kind: 'none' }, onTask, onTasks, signal } = options;
    const input = Array.isArray(numbers) ? Float64Array.from(numbers) : numbers;
    const abort = () => this.#send({ type: 'cancel', id });
    if (signal?.aborted) queueMicrotask(abort);
    signal?.addEventListener('abort', abort);
    this.#active.add(id);
    this.#handlers.set(id, (message) => {
      if (message.type === 'events') {
        if (message.values) on.values?.(message.values);
        const batch = new TaskBatch(id, message.events, message.text, message.offsets);
        // A listener that throws is reported, and the others still hear every event.
        if (onTasks) heard(() => onTasks(batch));
        // An object per event only for those who listen one event at a time.
        if (onTask || this.#listeners.size) {
          for (let i = 0; i < batch.length; i++) {
            const event = batch.event(i);
            if (onTask) heard(() => onTask(event));
            for (const listener of this.#listeners) heard(() => listener(event));
          }
        }
        return;
      }
      this.#active.delete(id);
      this.#handlers.delete(id);
      signal?.removeEventListener('abort', abort);
      if (message.type === 'done') {
        if (message.restart) {
          this.#stale = true;
          // Other runs may wait for the threads that died: a new engine answers them now.
          if (this.#active.size > 0) this._ready(1).catch(() => {});
        }
        on.done(new MapResult(this, id, message, engine));
      } else {
        on.error(engineError(message.error));
      }
    });
    // A typed array of the caller's moves (not copied) only when asked: its whole buffer is
    // then detached, as postMessage's transfer does. Shared memory cannot move (nor needs to).
    const movable = ArrayBuffer.isView(input) && input.buffer instanceof ArrayBuffer;
    const transfer = movable && (input !== numbers || options.transfer) ? [input.buffer] : [];
    try {
      this.#send({
        type: 'map', id, numbers: input, op: kernel, work: work.kind, workMs: work.ms ?? 0,
        workers: this.#workers, chunksize, stream,
      }, transfer);
    } catch (error) {
      // Options that cannot be sent (a function where a number belongs, say) start nothing.
      this.#active.delete(id);
      this.#handlers.delete(id);
      signal?.removeEventListener('abort', abort);
      throw new WebpoolError('input', `these options cannot be sent to the engine: ${/** @type {Error} */ (error).message}`);
    }
    return id;
  }

  /** @param {any} message @param {Transferable[]} [transfer] */
  #send(message, transfer = []) {
    this.#engine?.worker.postMessage(message, transfer);
  }

  /**
   * @internal What the engine holds: `{ runs, wasmBytes }` (results not released, and its
   * WebAssembly memory), for the soak run and the tests.
   * @returns {Promise<{ runs: number, wasmBytes: number }>}
   */
  _stats() {
    return this.#whenReady(() => this._ask({ type: 'stats' }, 'stats', this.#engines));
  }

  /**
   * @internal Frees a result's values, if the engine that holds them still runs.
   * @param {number} id @param {number} engine
   */
  _release(id, engine) {
    if (this.#engine?.id === engine) this.#send({ type: 'release', id });
  }

  /**
   * @internal Asks engine number `engine` something about a run and waits for the answer.
   * @param {any} message @param {string} field @param {number} engine
   */
  _ask(message, field, engine) {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#engine?.id !== engine) {
      return Promise.reject(new WebpoolError('restarted', 'the engine that held these results has stopped; run the map again'));
    }
    const seq = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#handlers.set(-seq, (answer) => {
        this.#handlers.delete(-seq);
        if (answer.type === 'error') reject(engineError(answer.error));
        else resolve(answer[field]);
      });
      this.#send({ ...message, seq });
    });
  }

  /** @param {any} message */
  #receive(message) {
    const handler = this.#handlers.get(message.seq ? -message.seq : message.id);
    handler?.(message);
  }
}

/** Calls a listener of the caller's; what it throws is reported, not let loose in the pool. @param {() => void} call */
function heard(call) {
  try {
    call();
  } catch (error) {
    reportError(error);
  }
}

/**
 * An error the engine reported (or the pool, for what waited on an engine that went), as
 * the API throws it.
 * @param {{ name?: string, code?: ErrorCode, message: string }} error
 */
function engineError(error) {
  if (error.name === 'ParseError') return new InputError(error);
  return new WebpoolError(error.code ?? 'task', error.message);
}

/** How the engine numbers a task's end (see src/wasm/run.rs). @type {TaskEvent['status'][]} */
const STATUS = ['done', 'cancelled', 'failed'];

/**
 * Task events as the engine sent them, a batch at a time: a run of a million tiny tasks
 * sends two million events, and reading them here costs no object each. Event `i` of the
 * batch (0 ≤ i < {@link length}) is read field by field, or whole with {@link event}.
 * Times are milliseconds since the run started, as in {@link TaskEvent}.
 */
export class TaskBatch {
  /**
   * @param {number} run @param {Float64Array} packed 9 numbers per event (src/wasm/run.rs)
   * @param {string} text the started tasks' inputs @param {Uint32Array} offsets where each event's are
   */
  constructor(run, packed, text, offsets) {
    /** The run the events belong to. */
    this.run = run;
    this.packed = packed;
    this.text = text;
    this.offsets = offsets;
    /** How many events. */
    this.length = packed.length / 9;
  }

  /** Whether event `i` is a start (else an end). @param {number} i */
  isStart(i) { return this.packed[i * 9] === 0; }
  /** Its task's index. @param {number} i */
  task(i) { return this.packed[i * 9 + 1]; }
  /** Its task's first item. @param {number} i */
  first(i) { return this.packed[i * 9 + 2]; }
  /** The item after its task's last. @param {number} i */
  end(i) { return this.packed[i * 9 + 3]; }
  /** The worker, from 0. @param {number} i */
  worker(i) { return this.packed[i * 9 + 4]; }
  /** When its task started (ms). @param {number} i */
  start(i) { return this.packed[i * 9 + 5]; }
  /** When its task ended (ms); its start, for a start. @param {number} i */
  finish(i) { return this.packed[i * 9 + 6]; }
  /** How its task stands. @param {number} i @returns {TaskEvent['status']} */
  status(i) { return this.isStart(i) ? 'running' : STATUS[this.packed[i * 9 + 7]]; }
  /** Items computed. @param {number} i */
  done(i) { return this.packed[i * 9 + 8]; }

  /**
   * A start's inputs as Python prints them (all of them for up to 4 items, otherwise the
   * first three and the last); none for an end.
   * @param {number} i @returns {string[]}
   */
  inputs(i) {
    const from = this.offsets[i * 2];
    const to = this.offsets[i * 2 + 1];
    return to > from ? this.text.slice(from, to).split('\u001f') : [];
  }

  /** The latest time any event of the batch tells (ms since the run started). */
  get latest() {
    let latest = 0;
    for (let i = 0; i < this.length; i++) latest = Math.max(latest, this.packed[i * 9 + 6]);
    return latest;
  }

  /** Event `i` as one object. @param {number} i @returns {TaskEvent} */
  event(i) {
    const started = this.isStart(i);
    return {
      type: started ? 'start' : 'end',
      task: this.task(i),
      first: this.first(i),
      end: this.end(i),
      worker: this.worker(i),
      start: this.start(i),
      finish: this.finish(i),
      status: this.status(i),
      done: this.done(i),
      run: this.run,
      ...(started ? { inputs: this.inputs(i) } : {}),
    };
  }
}
