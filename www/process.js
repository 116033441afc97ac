// One worker process of the processes backend: a Web Worker with a WebAssembly instance of
// its own (the build without shared memory). It shares nothing with the engine that
// started it: each task arrives as bytes and its results leave as bytes, copied, as
// Python's pool pickles them through pipes. Messages are described in processes.js.

import init, { WorkerTask, spin, runTarget, lastPanic } from './pkg/webpool_processes.js';
import { sleep as sleepUnless } from './processes.js';
import { holdLifeLock } from './life.js';

/** @param {any} message @param {Transferable[]} [transfer] */
const post = (message, transfer = []) => self.postMessage(message, transfer);

/**
 * A task's answers (`started`, `finished`, `crashed`) wait here until this turn of the event
 * loop ends, then go in one message: a process that was sent several short tasks at once
 * answers them together, as a pipe carries many small writes in one read.
 * @type {{ messages: any[], transfer: Transferable[] }}
 */
let outbox = { messages: [], transfer: [] };
const flusher = new MessageChannel();
flusher.port1.onmessage = () => {
  const { messages, transfer } = outbox;
  outbox = { messages: [], transfer: [] };
  post({ type: 'answers', messages }, transfer);
};
/** @param {any} message @param {Transferable[]} [transfer] */
function answer(message, transfer = []) {
  if (outbox.messages.length === 0) flusher.port2.postMessage(null);
  outbox.messages.push(message);
  outbox.transfer.push(...transfer);
}

/** Now on the clock every worker shares (see src/clock.rs). */
const now = () => performance.timeOrigin + performance.now();

/** A turn of the event loop without setTimeout's 4 ms clamp, so a cancel can get in. */
const channel = new MessageChannel();
const yieldToEvents = () => new Promise((resolve) => {
  channel.port1.onmessage = resolve;
  channel.port2.postMessage(null);
});

/**
 * What this process is doing: `key` names it for a cancel (a run's id or a process's),
 * `wake` ends its sleeps early.
 * @type {{ key: number, cancelled: boolean, wake: Set<() => void> } | null}
 */
let current = null;

/** Sleeps `ms`, or less if the current job is cancelled; resolves with whether it slept it all. */
/** @param {number} ms */
function sleep(ms) {
  const job = current;
  if (!job || job.cancelled) return Promise.resolve(false);
  return sleepUnless(ms, job.wake).then((slept) => slept && !job.cancelled);
}

// What the instance calls out to (src/wasm/host.rs): a process's target sleeps and prints.
globalThis.webpoolHost = {
  sleep,
  print: (text, at) => post({ type: 'print', key: current?.key, text, at }),
};

const ready = new Promise((resolve) => { self.addEventListener('message', function first(/** @type {MessageEvent} */ { data }) {
  if (data.type !== 'init') return;
  self.removeEventListener('message', first);
  // The lock first, so that a death while the instance starts is noticed too; a start that
  // fails says why, since a rejected promise here reaches no one on its own.
  resolve(holdLifeLock(data.lock)
    .then(() => { post({ type: 'held' }); return init({ module_or_path: data.module }); })
    .then(() => post({ type: 'ready' }), (error) => post({ type: 'failed', message: String(error?.message ?? error) })));
}); });

/**
 * The keys cancelled so far: a job queued behind another, or a process still starting,
 * must see its cancel when it begins. (A number per cancel, for this process's life.)
 * @type {Set<number>}
 */
const cancelled = new Set();

/** The jobs of this process, one after the other. */
let queue = ready;

self.addEventListener('message', (/** @type {MessageEvent} */ { data }) => {
  if (data.type === 'cancel') {
    cancelled.add(data.key);
    if (current && current.key === data.key) {
      current.cancelled = true;
      for (const wake of [...current.wake]) wake();
    }
    return;
  }
  // One job at a time, in the order they came: the engine may send several tasks at once.
  if (data.type === 'tasks') {
    for (const { task, input } of data.tasks) {
      const job = { ...data.kernel, run: data.run, task, input };
      queue = queue.then(() => runTask(job)).catch((error) => crashed(job, error));
    }
  } else if (data.type === 'process') {
    queue = queue.then(() => runProcess(data));
  }
});

/**
 * Computes one task: the simulated work before each item, then its square, cube or Collatz steps.
 * @param {{ run: number, task: number, op: string, work: 'none' | 'sleep' | 'spin', workMs: number,
 *   spinBatches: number, batchesPerMs: number, costly: boolean, input: Uint8Array }} job
 */
async function runTask({ run, task: index, op, work, workMs, spinBatches, batchesPerMs, costly, input }) {
  current = { key: run, cancelled: cancelled.has(run), wake: new Set() };
  const job = current;
  const task = new WorkerTask(op, input);
  // Spin work comes as slices of computation counted by the engine; they are done about
  // 10 ms at a time, with a look at the messages between, so that a cancel gets in.
  const perItem = work === 'spin' ? spinBatches : 0;
  const slice = Math.max(1, Math.round(10 * batchesPerMs));
  const start = now();
  // A task without simulated work is over in a moment, unless it really computes
  // (collatz): it answers once, at its end.
  if (work !== 'none' || costly) answer({ type: 'started', task: index, at: start });
  let status = 0;
  if (work === 'none' && costly) {
    // Real computation, milliseconds an item: about 10 ms of items at a time, with a look
    // at the messages between, so that a cancel gets in.
    for (let n = 1; !job.cancelled;) {
      const from = now();
      const done = task.compute(n);
      if (done >= task.length || task.failed) break;
      const took = now() - from;
      n = took < 5 ? n * 2 : took > 20 ? Math.max(1, n >> 1) : n;
      await yieldToEvents();
    }
    if (job.cancelled) status = 1;
  } else if (work === 'none') {
    // Queued behind others, it may find its run cancelled already.
    if (job.cancelled) status = 1;
    else task.compute(task.length);
  } else {
    for (let i = 0; i < task.length && !task.failed; i++) {
      if (work === 'sleep' && !(await sleep(workMs))) break;
      for (let left = perItem; left > 0 && !job.cancelled;) {
        const n = Math.min(left, slice);
        spin(n);
        left -= n;
        if (left > 0) await yieldToEvents();
      }
      if (job.cancelled) break;
      task.compute(1);
    }
    if (job.cancelled) status = 1;
  }
  if (task.failed) status = 2;
  const output = task.output();
  task.free();
  if (current === job) current = null;
  answer({ type: 'finished', task: index, start, end: now(), status, output }, [output.buffer]);
}

/**
 * A task that threw leaves this process in an unknown state: the engine is told why, and
 * stops using it. A panic in Rust traps the instance ("unreachable"), so the panic's own
 * message, kept by the instance, says more.
 */
/** @param {{ task: number }} job @param {any} error */
function crashed({ task }, error) {
  /** @type {string | undefined} */
  let panic;
  try {
    panic = lastPanic();
  } catch { /* the instance cannot even say that */ }
  // A trap that is not a panic (out of memory, say) is a crash, not the task's own failure.
  const message = panic ?? `its instance trapped: ${String(error?.message ?? error)}`;
  answer({ type: 'crashed', task, message, panicked: panic !== undefined });
}

/** Runs a lesson's process target to its end. */
/** @param {{ key: number, name: string, arg: number, timeScale: number }} job */
async function runProcess({ key, name, arg, timeScale }) {
  current = { key, cancelled: cancelled.has(key), wake: new Set() };
  try {
    post({ type: 'exit', key, status: await runTarget(name, arg, timeScale) });
  } catch (error) {
    post({ type: 'exit', key, error: String(/** @type {any} */ (error)?.message ?? error) });
  }
}
