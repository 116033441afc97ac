// The engine: one dedicated Worker that owns the WebAssembly instance and its workers, so
// that nothing ever blocks the page's main thread. It speaks only to webpool.js (the JS
// API), by messages; see there for what each message means.
//
// Two backends, chosen at init. `threads`: the threaded build, whose rayon pool of Web
// Workers shares the instance's memory; the engine blocks briefly waiting for task
// events. `processes`: the build without shared memory; worker processes with instances
// of their own get their tasks by message (processes.js), and the engine never blocks.

import { holdLifeLock } from './life.js';

/**
 * The generated bindings of the backend's build: Numbers, MapRun, LessonRun, ... The two
 * builds' MapRuns differ (threads wait, processes are driven), hence no narrower type.
 * @type {any}
 */
let wasm;
/** The instance's exports, for its memory's size. @type {{ memory: WebAssembly.Memory }} */
let instance;
/** @type {import('./processes.js').Processes | null} the processes backend's workers */
let processes = null;

/**
 * A message from the page, as webpool.js sends it.
 * @typedef {{ type: string, id: number, seq?: number, [field: string]: any }} Message
 */

/** Runs and lessons in progress or finished but not yet released, by id. @type {Map<number, any>} */
const runs = new Map();

/**
 * Cancelled runs, by id, with how many task events they did not post: their backlog is
 * taken into their results without a message per event, so a cancel ends a run at once
 * even when a million tiny tasks ended before it was read.
 * @type {Map<number, number>}
 */
const skipping = new Map();

/** How long the engine blocks waiting for the next task event before it looks at its own
 * messages again (a cancel, say). Blocking is allowed in a Worker and costs no CPU. */
const WAIT_MS = 15;

/**
 * A run's events go out in batches of at most this many, and the engine turns its event
 * loop at least every BATCH_MS, so that a cancel (or any message) is read within a few
 * milliseconds however fast a run's tasks end.
 */
const BATCH_EVENTS = 4096;
const BATCH_MS = 8;

/** Runs of up to this many items send all their results with their end; larger ones on request. */
const INLINE_RESULTS = 10000;

/** @param {any} message @param {Transferable[]} [transfer] */
const post = (message, transfer = []) => self.postMessage(message, transfer);

/**
 * A turn of the event loop without setTimeout's 4 ms clamp. Several runs pump at once, so
 * each waiter is queued: one shared `onmessage = resolve` would strand all but the last.
 * @type {(() => void)[]}
 */
const turns = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => turns.shift()?.();
const yieldToEvents = () => new Promise((resolve) => {
  turns.push(() => resolve(undefined));
  channel.port2.postMessage(null);
});

/** Settles once the instance and its threads are ready; every other message waits for it. @type {Promise<void> | null} */
let initialized = null;

self.onmessage = (/** @type {MessageEvent<Message>} */ { data }) => {
  const handled = data.type === 'init' ? (initialized = handle(data)) : (initialized ?? Promise.resolve()).then(() => handle(data));
  handled.catch((error) => post({ type: 'error', id: data.id, seq: data.seq, error: plainError(error) }));
};

/**
 * An error as a message carries it; `code` is one of the API's error codes when known.
 * @param {Error|any} error
 */
function plainError(error) {
  const { name = 'Error', message = String(error), code, token, item, start, end } = error ?? {};
  return { name, message, code, token, item, start, end };
}

/** @param {string} code @param {string} message */
function coded(code, message) {
  return Object.assign(new Error(message), { code });
}

/** @param {Message} message */
async function handle(message) {
  switch (message.type) {
    case 'init': {
      await holdLifeLock(message.lock);
      // From here the page can notice this engine's death, even while it starts.
      post({ type: 'held' });
      if (message.backend === 'processes') {
        wasm = await import('./pkg/webpool_processes.js');
        instance = await wasm.default({ module_or_path: message.module });
        const { Processes } = await import('./processes.js');
        processes = new Processes(message.module);
        globalThis.webpoolHost = processes.host();
        await processes.prestart(message.threads);
        post({ type: 'ready', threads: message.threads, lessons: wasm.LessonRun.catalog() });
      } else {
        wasm = await import('./pkg/webpool.js');
        instance = await wasm.default({ module_or_path: message.module });
        await wasm.startThreads(message.threads);
        post({ type: 'ready', threads: wasm.threadCount(), lessons: wasm.LessonRun.catalog() });
      }
      break;
    }
    case 'parse':
      post({ type: 'parsed', id: message.id, preview: parsed(message.text).preview(5) });
      break;
    case 'map':
      startMap(message);
      break;
    case 'lesson':
      startLesson(message).catch((error) => {
        runs.delete(message.id);
        post({ type: 'error', id: message.id, error: plainError(error) });
      });
      break;
    case 'cancel': {
      const run = runs.get(message.id);
      if (run instanceof wasm.MapRun && !run.finished) skipping.set(message.id, 0);
      if (processes && run instanceof wasm.MapRun) processes.cancel(run);
      else run?.cancel();
      if (processes && run instanceof wasm.LessonRun) processes.cancelLesson(message.id);
      break;
    }
    case 'values':
      post({ type: 'values', id: message.id, seq: message.seq, values: known(message.id).valuesAt(message.from, message.to) });
      break;
    case 'typed': {
      // Made for the page: it moves there rather than being copied.
      const typed = known(message.id).typedResults();
      post({ type: 'typed', id: message.id, seq: message.seq, typed }, typed ? [typed.buffer] : []);
      break;
    }
    case 'text':
      post({ type: 'text', id: message.id, seq: message.seq, text: known(message.id).resultsText() });
      break;
    case 'stats':
      // For the soak run and the tests: what the engine holds, to see that nothing leaks.
      post({ type: 'stats', seq: message.seq, stats: { runs: runs.size, wasmBytes: instance.memory.buffer.byteLength } });
      break;
    case 'release':
      runs.get(message.id)?.free();
      runs.delete(message.id);
      break;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

/** @param {number} id */
function known(id) {
  const run = runs.get(id);
  if (!run) throw coded('released', `run ${id} has been released`);
  return run;
}

/** The last text parsed and its numbers: a page checks its input, then runs the same text. */
let lastParsed = { text: '', numbers: /** @type {any} */ (null) };

/** The numbers in `text`, parsed once for a check and the run that follows it. @param {string} text */
function parsed(text) {
  if (lastParsed.text !== text || !lastParsed.numbers) {
    const numbers = wasm.Numbers.parse(text);
    lastParsed.numbers?.free();
    lastParsed = { text, numbers };
  }
  return lastParsed.numbers;
}

/** @param {Message} message */
function startMap({ id, numbers: input, op, work, workMs, workers, chunksize, stream }) {
  // Options a caller got wrong are bad input, whatever the engine's own words for them.
  const asInput = (/** @type {() => any} */ make) => {
    try {
      return make();
    } catch (error) {
      if (/** @type {any} */ (error)?.name === 'ParseError') throw error;
      throw coded('input', /** @type {any} */ (error)?.message ?? String(error));
    }
  };
  let run;
  if (typeof input === 'string') {
    run = asInput(() => new wasm.MapRun(parsed(input), op, work, workMs, workers, chunksize));
  } else {
    const numbers = asInput(() => fromTypedArray(input));
    try {
      run = asInput(() => new wasm.MapRun(numbers, op, work, workMs, workers, chunksize));
    } finally {
      numbers.free();
    }
  }
  runs.set(id, run);
  (processes ? driveMap : pumpMap)(id, run, stream).catch((error) => {
    // The run cannot go on (its processes could not start): nothing of it is kept.
    runs.delete(id);
    run.free();
    post({ type: 'error', id, error: plainError(coded('crashed', error?.message ?? String(error))) });
  });
}

/** @param {Float64Array|Int32Array|BigInt64Array} input */
function fromTypedArray(input) {
  if (input instanceof Float64Array) return wasm.Numbers.fromFloat64Array(input);
  if (input instanceof Int32Array) return wasm.Numbers.fromInt32Array(input);
  if (input instanceof BigInt64Array) return wasm.Numbers.fromBigInt64Array(input);
  throw new TypeError('numbers must be a string, an Int32Array, a Float64Array or a BigInt64Array');
}

/**
 * Threads: waits (blocking this worker briefly) for task events and posts them.
 * @param {number} id @param {any} run @param {boolean} stream
 */
async function pumpMap(id, run, stream) {
  while (!run.finished) {
    run.wait(WAIT_MS);
    const until = performance.now() + BATCH_MS;
    while (postEvents(id, run, stream) === BATCH_EVENTS && performance.now() < until);
    await yieldToEvents();
  }
  postDone(id, run);
}

/**
 * Processes: drives the run on the worker processes, posting events as answers arrive.
 * @param {number} id @param {any} run @param {boolean} stream
 */
async function driveMap(id, run, stream) {
  let pending = false;
  await /** @type {import('./processes.js').Processes} */ (processes).drive(run, () => {
    // Many answers can arrive in one turn: post their events together.
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      // The run may have ended (and been freed) before this turn came.
      if (runs.get(id) === run) postEvents(id, run, stream);
    });
  });
  while (!run.finished) {
    postEvents(id, run, stream);
    if (!run.finished) await yieldToEvents();
  }
  postDone(id, run);
}

/**
 * Posts a batch of the task events waiting in `run`, with what a log and a stream need of
 * them; returns how many events it posted.
 * @param {number} id @param {any} run @param {boolean} stream
 */
function postEvents(id, run, stream) {
  if (run.finished) return 0;
  const skipped = skipping.get(id);
  if (skipped !== undefined) {
    const taken = run.skip(BATCH_EVENTS);
    skipping.set(id, skipped + taken);
    return taken;
  }
  const events = run.poll(BATCH_EVENTS);
  if (!events.length) return 0;
  const values = stream ? streamedValues(run, events) : undefined;
  const { text, offsets } = startedInputs(run, events);
  post({ type: 'events', id, events, text, offsets, values }, [events.buffer, offsets.buffer]);
  return events.length / 9;
}

/** Posts a run's end: its report and, for a small run, every result. @param {number} id @param {any} run */
function postDone(id, run) {
  const report = run.report();
  const values = report.items <= INLINE_RESULTS ? run.valuesAt(0, report.items) : null;
  const head = values ? null : run.results(0, 5);
  const tail = values ? null : run.results(Math.max(5, report.items - 5), report.items);
  // A task that panicked on threads killed its thread (WebAssembly cannot unwind): the
  // pool goes on with fewer, and asks for a fresh engine before its next call.
  const restart = !processes && wasm.threadsLost() > 0;
  const skipped = skipping.get(id) ?? 0;
  skipping.delete(id);
  post({ type: 'done', id, report, values, head, tail, restart, skipped });
}

/**
 * The inputs of each started task in this batch of events, as the log names them: one
 * string, and where each event's part of it begins and ends (an end's part is empty).
 * Inputs are separated by U+001F, which no number's repr holds. One string and one typed
 * array cost the page almost nothing to receive, where an array per event cost it a
 * structured clone each.
 * @param {any} run @param {Float64Array} events
 */
function startedInputs(run, events) {
  const offsets = new Uint32Array((events.length / 9) * 2);
  /** @type {string[]} */
  const parts = [];
  let at = 0;
  for (let i = 0, k = 0; i < events.length; i += 9, k += 2) {
    offsets[k] = at;
    if (events[i] === 0) {
      const part = run.inputs(events[i + 2], events[i + 3]).join('\u001f');
      parts.push(part);
      at += part.length;
    }
    offsets[k + 1] = at;
  }
  return { text: parts.join(''), offsets };
}

/**
 * The results of the tasks that finished in this batch of events, for unordered streams.
 * @param {any} run @param {Float64Array} events
 */
function streamedValues(run, events) {
  /** @type {{ first: number, values: string[] }[]} */
  const chunks = [];
  for (let i = 0; i < events.length; i += 9) {
    if (events[i] !== 1) continue;
    const first = events[i + 2];
    const done = events[i + 8];
    chunks.push({ first, values: run.results(first, first + done) });
  }
  return chunks;
}

/** @param {Message} message */
async function startLesson({ id, lesson: lessonId, timeScale, cores }) {
  const lesson = new wasm.LessonRun(lessonId, timeScale, cores, id);
  runs.set(id, lesson);
  for (;;) {
    const events = lesson.poll();
    if (events.length) post({ type: 'lessonEvents', id, events });
    if (lesson.finished) break;
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  }
  post({ type: 'lessonDone', id, outcome: lesson.outcome(), status: lesson.status() });
  runs.delete(id);
  lesson.free();
  processes?.endLesson(id);
}
