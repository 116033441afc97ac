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

/**
 * What each task computes: the tutorial's `square` or `cube`; `panic` is a bug on purpose,
 * a task that panics, to see that it fails its run with a message and the pool goes on.
 * @typedef {'square' | 'cube' | 'panic'} KernelName
 */
/** @typedef {'none' | 'sleep' | 'spin'} WorkKind */

/**
 * Simulated work per number, like the tutorial's `time.sleep(2)`: `sleep` waits (occupies
 * a worker, not a core), `spin` computes (occupies a core).
 * @typedef {{ kind: WorkKind, ms?: number }} Work
 */

/**
 * Numbers: text as a person types it (`1, 2, 3`, `1..1000000`, `0.1 2.5 1e8`), or a typed
 * array, the cheap way to send many (a Float64Array's integral values are Python ints).
 * @typedef {string | Float64Array | Int32Array | number[]} NumbersInput
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
 * @property {AbortSignal} [signal] aborting it cancels the run
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

/** The results of one run, kept in the engine until released. */
export class MapResult {
  /** @param {Pool} pool @param {number} id @param {any} done */
  constructor(pool, id, done) {
    this.#pool = pool;
    this.#id = id;
    /** @type {Report} */
    this.report = done.report;
    /**
     * Every result by position, for runs of up to 10000 items (else null); an item that was
     * not computed (a cancelled or failed run) is null.
     * @type {(string | null)[] | null}
     */
    this.values = done.values;
    const computed = done.values?.filter((v) => v !== null);
    /** @type {string[]} the first few results computed */
    this.head = computed ? computed.slice(0, 5) : done.head;
    /** @type {string[]} the last few results computed */
    this.tail = computed ? computed.slice(-5) : done.tail;
  }

  #pool;
  #id;

  /** How many results there are. */
  get length() {
    return this.report.done;
  }

  /**
   * Results for input indexes `from..to` by position, as Python prints them (null where an
   * item was not computed).
   * @returns {Promise<(string | null)[]>}
   */
  async slice(from = 0, to = this.report.items) {
    if (this.values) return this.values.slice(from, to);
    return this.#pool._ask({ type: 'values', id: this.#id, from, to }, 'values');
  }

  /** Every result computed, one per line in input order (for a download). */
  async text() {
    if (this.values) return this.values.filter((v) => v !== null).map((v) => `${v}\n`).join('');
    return this.#pool._ask({ type: 'text', id: this.#id }, 'text');
  }

  /** Frees the results in the engine. */
  release() {
    this.#pool._send({ type: 'release', id: this.#id });
  }
}

/** @typedef {'threads' | 'processes'} Backend */

/** The wasm file of each backend's build. */
const WASM = { threads: 'pkg/webpool_bg.wasm', processes: 'pkg/webpool_processes_bg.wasm' };

/** One compiled module per backend and page: a new engine (after a resize) reuses it. */
const compiled = new Map();
function compileModule(base, backend) {
  const url = new URL(WASM[backend], base).href;
  if (!compiled.has(url)) compiled.set(url, WebAssembly.compileStreaming(fetch(url)));
  return compiled.get(url);
}

/** Whether threads can run here: they need SharedArrayBuffer, so cross-origin isolation. */
export function threadsAvailable() {
  return typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true;
}

/**
 * Which backend `backend` means on this page, and why, in a sentence for a person.
 * @param {Backend | 'auto'} backend
 * @returns {{ backend: Backend, reason: string }}
 */
export function chooseBackend(backend = 'auto') {
  const isolated = threadsAvailable();
  if (backend === 'threads' && !isolated) {
    throw new Error('threads need a cross-origin isolated page (served with COOP/COEP headers): '
      + 'SharedArrayBuffer is not available here; use backend "processes" or "auto"');
  }
  if (backend !== 'threads' && backend !== 'processes' && backend !== 'auto') {
    throw new RangeError(`backend must be "threads", "processes" or "auto", not ${JSON.stringify(backend)}`);
  }
  if (backend === 'processes') {
    return { backend, reason: 'Processes, as asked: each worker has memory of its own and gets its tasks by copied messages.' };
  }
  if (backend === 'threads') {
    return { backend, reason: 'Threads, as asked: the workers share one memory.' };
  }
  return isolated
    ? { backend: 'threads', reason: 'Threads: this page is cross-origin isolated, so the workers can share one memory.' }
    : { backend: 'processes', reason: 'Processes: this page is not cross-origin isolated (no COOP/COEP headers), '
      + 'so each worker has memory of its own and gets its tasks by copied messages.' };
}

/**
 * Starts a pool of `workers` workers, like `multiprocessing.Pool(processes=workers)`.
 * @param {{ workers?: number, backend?: Backend | 'auto', base?: string | URL }} [options]
 *   `backend`: `threads` (shared memory; needs a cross-origin isolated page), `processes`
 *   (messages; runs anywhere) or `auto` (the default: threads where they can run).
 *   `base`: where engine.js and pkg/ are (default: beside this module).
 * @returns {Promise<Pool>}
 */
export async function createPool({ workers = navigator.hardwareConcurrency || 2, backend = 'auto', base = new URL('.', import.meta.url) } = {}) {
  checkWorkers(workers);
  const chosen = chooseBackend(backend);
  const pool = new Pool(workers, base, chosen);
  await pool._start(workers);
  return pool;
}

function checkWorkers(workers) {
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new RangeError(`workers must be a whole number from 1 to 256, not ${workers}`);
  }
}

/** A pool of workers in an engine Worker. Create one with {@link createPool}. */
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
  #threads = 0;
  #base;
  /** @type {Worker | null} */
  #engine = null;
  #nextId = 1;
  /** @type {Map<number, (message: any) => void>} */
  #handlers = new Map();
  /** @type {Set<(event: TaskEvent) => void>} */
  #listeners = new Set();
  /** @type {Set<number>} */
  #active = new Set();
  /** @type {any[]} */
  #lessons = [];
  /** Whether the engine lost a thread to a panicking task (see #fresh). */
  #stale = false;
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
   * Rejects with {@link InputError} for bad input, {@link RunError} if cancelled or a task
   * fails (its `result` keeps what was computed).
   * @param {KernelName} kernel
   * @param {NumbersInput} numbers
   * @param {MapOptions} [options]
   * @returns {Promise<MapResult>}
   */
  map(kernel, numbers, options = {}) {
    // Not awaited unless needed: a run starts at once, so a cancel() right after reaches it.
    if (this.#stale) return this.#fresh().then(() => this.map(kernel, numbers, options));
    return new Promise((resolve, reject) => {
      this.#startMap(kernel, numbers, options, false, {
        done: (result) => (result.report.status === 'done' ? resolve(result) : reject(new RunError(result))),
        error: reject,
      });
    });
  }

  /**
   * `pool.imap_unordered(kernel, numbers)`: `{ index, value }` as tasks finish. The default
   * chunksize is 1, as in Python. Breaking out of the loop cancels the run.
   * @param {KernelName} kernel
   * @param {NumbersInput} numbers
   * @param {MapOptions} [options]
   * @returns {AsyncGenerator<{ index: number, value: string }>}
   */
  async *imapUnordered(kernel, numbers, options = {}) {
    await this.#fresh();
    /** @type {{ index: number, value: string }[]} */
    const ready = [];
    let wake = () => {};
    let end = null;
    const id = this.#startMap(kernel, numbers, { chunksize: 1, ...options }, true, {
      values: (chunks) => {
        for (const { first, values } of chunks) values.forEach((value, i) => ready.push({ index: first + i, value }));
        wake();
      },
      done: (result) => { end = { result }; wake(); },
      error: (error) => { end = { error }; wake(); },
    });
    try {
      for (;;) {
        while (ready.length) yield /** @type {{ index: number, value: string }} */ (ready.shift());
        if (end) break;
        await new Promise((resolve) => { wake = resolve; });
      }
      if (end.error) throw end.error;
      if (end.result.report.status !== 'done') throw new RunError(end.result);
    } finally {
      if (!end) this._send({ type: 'cancel', id });
    }
  }

  /**
   * Checks text without running anything: resolves with `{ length, first, last }` (a few
   * numbers as Python prints them) or rejects with an {@link InputError}.
   * @param {string} text
   */
  parse(text) {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#handlers.set(id, (message) => {
        this.#handlers.delete(id);
        if (message.type === 'parsed') resolve(message.preview);
        else reject(engineError(message.error));
      });
      this._send({ type: 'parse', id, text });
    });
  }

  /** Cancels every run in progress; each keeps the results already computed. */
  cancel() {
    for (const id of this.#active) this._send({ type: 'cancel', id });
  }

  /**
   * Changes the number of workers for the next run. With threads, growing past the
   * engine's threads starts a new engine (reusing the compiled module) and cancels a run in
   * progress; processes start as runs need them.
   * @param {number} workers
   */
  async resize(workers) {
    checkWorkers(workers);
    this.#workers = workers;
    if (this.backend === 'threads' && workers > this.#threads) await this._start(workers);
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
    const lesson = this.#lessons.find((l) => l.id === id);
    if (!lesson) throw new RangeError(`no lesson ${id}`);
    await this.#fresh();
    // With threads the lesson's driver takes a thread of its own beside its pool's workers.
    if (this.backend === 'threads' && this.#threads < lesson.maxWorkers + 1) await this._start(lesson.maxWorkers + 1);
    if (signal?.aborted) return { outcome: 'cancelled', status: 'cancelled', lines: [] };
    const runId = this.#nextId++;
    /** @type {string[]} */
    const lines = [];
    return new Promise((resolve, reject) => {
      const abort = () => this._send({ type: 'cancel', id: runId });
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
        else reject(new Error(message.error.message));
      });
      this._send({ type: 'lesson', id: runId, lesson: id, timeScale, cores: navigator.hardwareConcurrency || 1 });
    });
  }

  /** Stops the engine and its workers. */
  close() {
    this.#engine?.terminate();
    this.#engine = null;
    this.#fail(new Error('the pool was closed'));
  }

  #startMap(kernel, numbers, options, stream, on) {
    const id = this.#nextId++;
    const { chunksize = 0, work = { kind: 'none' }, onTask, signal } = options;
    const input = Array.isArray(numbers) ? Float64Array.from(numbers) : numbers;
    const abort = () => this._send({ type: 'cancel', id });
    if (signal?.aborted) queueMicrotask(abort);
    signal?.addEventListener('abort', abort);
    this.#active.add(id);
    this.#handlers.set(id, (message) => {
      if (message.type === 'events') {
        for (const event of decodeEvents(message.events, message.inputs, id)) {
          onTask?.(event);
          for (const listener of this.#listeners) listener(event);
        }
        if (message.values) on.values?.(message.values);
        return;
      }
      this.#active.delete(id);
      signal?.removeEventListener('abort', abort);
      if (message.type === 'done') {
        if (message.restart) this.#stale = true;
        // The handler stays for slice() and text() until the result is released.
        this.#handlers.delete(id);
        on.done(new MapResult(this, id, message));
      } else {
        this.#handlers.delete(id);
        on.error(engineError(message.error));
      }
    });
    const transfer = ArrayBuffer.isView(input) && input !== numbers ? [input.buffer] : [];
    this._send({
      type: 'map', id, numbers: input, op: kernel, work: work.kind, workMs: work.ms ?? 0,
      workers: this.#workers, chunksize, stream,
    }, transfer);
    return id;
  }

  /** @internal Sends a message to the engine. */
  _send(message, transfer = []) {
    this.#engine?.postMessage(message, transfer);
  }

  /** @internal Asks the engine something about a run and waits for the answer. */
  _ask(message, field) {
    const seq = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#handlers.set(-seq, (answer) => {
        this.#handlers.delete(-seq);
        if (answer.type === 'error') reject(new Error(answer.error.message));
        else resolve(answer[field]);
      });
      this._send({ ...message, seq });
    });
  }

  /**
   * A task that panicked on threads took its thread with it: the next call starts a fresh
   * engine first (results kept in the old one are gone with it).
   */
  async #fresh() {
    if (!this.#stale) return;
    this.#stale = false;
    await this._start(this.#threads, 'the pool was restarted after a task panicked');
  }

  /** @internal (Re)starts the engine with `threads` Web Workers. */
  async _start(threads, why = 'the pool was restarted with more workers') {
    const started = performance.now();
    const module = await compileModule(this.#base, this.backend);
    this.#engine?.terminate();
    this.#fail(new Error(why));
    const engine = new Worker(new URL('engine.js', this.#base), { type: 'module', name: 'webpool-engine' });
    this.#engine = engine;
    const ready = await new Promise((resolve, reject) => {
      engine.onmessage = ({ data }) => {
        if (data.type === 'ready') resolve(data);
        else if (data.type === 'error') reject(new Error(data.error.message));
      };
      engine.onerror = (e) => reject(new Error(`the engine failed to start: ${e.message}`));
      engine.postMessage({ type: 'init', module, threads, backend: this.backend });
    });
    engine.onmessage = ({ data }) => this.#receive(data);
    engine.onerror = (e) => this.#fail(new Error(`the engine stopped: ${e.message}`));
    this.#threads = ready.threads;
    this.#lessons = ready.lessons;
    this.startMs = performance.now() - started;
  }

  #receive(message) {
    const handler = this.#handlers.get(message.seq ? -message.seq : message.id);
    handler?.(message);
  }

  /** Ends every pending call with `error`. */
  #fail(error) {
    const handlers = [...this.#handlers.values()];
    this.#handlers.clear();
    this.#active.clear();
    for (const handler of handlers) handler({ type: 'error', error: { message: error.message } });
  }
}

/** An error the engine reported, as the API throws it. */
function engineError(error) {
  return error.name === 'ParseError' ? new InputError(error) : new Error(error.message);
}

const STATUS = ['done', 'cancelled', 'failed'];

/** Unpacks the engine's Float64Array of task events (9 numbers each). */
function decodeEvents(packed, inputs, run) {
  /** @type {TaskEvent[]} */
  const events = [];
  for (let i = 0; i < packed.length; i += 9) {
    const started = packed[i] === 0;
    events.push({
      type: started ? 'start' : 'end',
      task: packed[i + 1],
      first: packed[i + 2],
      end: packed[i + 3],
      worker: packed[i + 4],
      start: packed[i + 5],
      finish: packed[i + 6],
      status: started ? 'running' : STATUS[packed[i + 7]],
      done: packed[i + 8],
      run,
      ...(started ? { inputs: inputs[i / 9] } : {}),
    });
  }
  return events;
}
