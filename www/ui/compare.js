// Threads against processes: the same workload on both backends, one after the other, with
// the same workers and chunksize, and tables that show them side by side. Used by the
// Timings panel ("Compare backends") and by Q2's "Threads or processes?".
//
// One side runs on the page's own pool; the other backend gets a pool of its own, created
// for the comparison and closed after it, so the page's pool is never swapped under it.

import { createPool, whyNoThreads } from '../webpool.js';
import { codeOf, messageOf, stoppedResult } from './errors.js';
import { count, defaultChunksize, duration, plural, ratio } from './format.js';

/** @typedef {import('../webpool.js').Pool} Pool */
/** @typedef {import('../webpool.js').Backend} Backend */
/** @typedef {import('../webpool.js').MapResult} MapResult */
/** @typedef {import('../webpool.js').Work} Work */

/**
 * What to run on each backend.
 * @typedef {object} Workload
 * @property {string} id         for data attributes (`form`, `tiny`, `large`)
 * @property {string} name       for people: `many tiny tasks`
 * @property {'square' | 'cube' | 'collatz'} kernel
 * @property {string} numbers    as a person types them (`1..10000`)
 * @property {number} [chunksize] blank: Python's default
 * @property {Work} [work]
 */

/**
 * How a workload went on one backend.
 * @typedef {object} Measurement
 * @property {Backend} backend
 * @property {'done' | 'cancelled' | 'failed' | 'unavailable'} status
 * @property {number} wallMs   from calling `map` to having every result, copies included
 * @property {number} tasks    task ends seen
 * @property {number} items
 * @property {string} reason   why it is not `done` ('' when it is)
 * @property {{ length: number, values: (string | null)[] | null, head: string[], tail: string[] } | null} fingerprint
 */

/**
 * One workload on both backends.
 * @typedef {object} Row
 * @property {Workload} workload
 * @property {Measurement | null} threads     null until it has run
 * @property {Measurement | null} processes
 * @property {boolean | null} identical      null unless both are done
 */

/**
 * @typedef {object} Comparison
 * @property {Row[]} rows
 * @property {string | null} threadsMissing  one sentence, when threads cannot run on this page
 * @property {'done' | 'cancelled' | 'failed'} status
 * @property {string} error                  what stopped it, for 'failed'
 */

/** @type {Backend[]} Always in this order, so tables read the same way every time. */
const ORDER = ['threads', 'processes'];

/** Why threads cannot run here, in one sentence, or null when they can. */
export function threadsMissing() {
  const why = whyNoThreads();
  if (!why) return null;
  if (why === 'no-shared-memory') return 'Threads cannot run in this browser: it offers no SharedArrayBuffer, even on this cross-origin isolated page, so only processes were measured.';
  return 'Threads cannot run on this page: it is not cross-origin isolated (./build.sh serve sends the headers that allow them), so only processes were measured.';
}

/**
 * Runs every workload on threads, then on processes, with `workers` workers. `pool` (the
 * page's) serves its own backend, resized to `workers` for the comparison and back after;
 * a pool of the other backend is created for it and closed at the end. `onProgress` gets
 * the comparison after each run (and a sentence saying what runs next), to show it fill.
 * @param {{ pool: Pool, workers: number, workloads: Workload[], signal?: AbortSignal,
 *   onProgress?: (comparison: Comparison, next: string) => void }} options
 * @returns {Promise<Comparison>}
 */
export async function compareBackends({ pool, workers, workloads, signal, onProgress = () => {} }) {
  const missing = threadsMissing();
  /** @type {Comparison} */
  const comparison = {
    rows: workloads.map((workload) => ({ workload, threads: null, processes: null, identical: null })),
    threadsMissing: missing,
    status: 'done',
    error: '',
  };
  /** @type {Partial<Record<Backend, Pool>>} */
  const pools = { [pool.backend]: pool };
  /** @type {Pool | null} */
  let other = null;
  const saved = pool.workers;
  try {
    if (pool.workers !== workers) await pool.resize(workers);
    const otherBackend = pool.backend === 'threads' ? 'processes' : 'threads';
    if (otherBackend === 'processes' || !missing) {
      onProgress(comparison, `Starting a pool of ${plural(workers, 'worker')} on ${otherBackend}…`);
      other = await createPool({ workers, backend: otherBackend });
      pools[otherBackend] = other;
    }
    // A first small run on each pool, not measured: it starts any worker process the pool
    // still lacks and lets the browser compile the hot code. Otherwise the fresh pool would
    // pay for that in its measured time and the page's pool, already warm, would not.
    for (const backend of ORDER) {
      const p = pools[backend];
      if (p) (await p.map(workloads[0].kernel, '1..64', { chunksize: 1, signal })).release();
    }
    for (const row of comparison.rows) {
      for (const backend of ORDER) {
        const p = pools[backend];
        if (!p) {
          row[backend] = unavailable(backend, /** @type {string} */ (missing));
          continue;
        }
        onProgress(comparison, `Running ${row.workload.name} on ${backend}…`);
        const measured = await measure(p, row.workload, signal);
        row[backend] = measured;
        if (measured.status === 'cancelled') {
          comparison.status = 'cancelled';
          return comparison;
        }
      }
      row.identical = row.threads?.status === 'done' && row.processes?.status === 'done'
        ? same(/** @type {any} */ (row.threads.fingerprint), /** @type {any} */ (row.processes.fingerprint))
        : null;
    }
    return comparison;
  } catch (error) {
    // The warm-up stopped (its partial result is freed here), or a pool could not start.
    stoppedResult(error)?.release();
    comparison.status = codeOf(error) === 'cancelled' ? 'cancelled' : 'failed';
    comparison.error = messageOf(error);
    return comparison;
  } finally {
    other?.close();
    // Back to the page's worker count (a smaller or equal count never restarts an engine;
    // were it to fail, the page's next run would say so, which is the better place).
    if (pool.workers !== saved) await pool.resize(saved).catch(() => {});
  }
}

/**
 * One measured run of `workload` on `pool`.
 * @param {Pool} pool @param {Workload} workload @param {AbortSignal} [signal]
 * @returns {Promise<Measurement>}
 */
async function measure(pool, workload, signal) {
  // Parsed first, outside the time: the engine keeps the text it parsed last, so the run
  // does not parse again, and both backends are timed on the same work.
  const preview = await pool.parse(workload.numbers);
  let tasks = 0;
  const onTask = (/** @type {{ type: string }} */ e) => { if (e.type === 'end') tasks += 1; };
  const started = performance.now();
  /** @type {MapResult} */
  let result;
  let status = /** @type {Measurement['status']} */ ('done');
  let reason = '';
  try {
    result = await pool.map(workload.kernel, workload.numbers, { chunksize: workload.chunksize, work: workload.work, onTask, signal });
  } catch (error) {
    const stopped = stoppedResult(error);
    if (!stopped) throw error;
    result = stopped;
    status = result.report.status === 'crashed' ? 'failed' : result.report.status;
    reason = messageOf(error);
  }
  const wallMs = performance.now() - started;
  result.release();
  return {
    backend: pool.backend, status, wallMs, reason,
    tasks: tasks || Math.ceil(preview.length / (workload.chunksize ?? defaultChunksize(preview.length, pool.workers))),
    items: result.report.items,
    fingerprint: { length: result.length, values: result.values, head: result.head, tail: result.tail },
  };
}

/** @param {Backend} backend @param {string} reason @returns {Measurement} */
function unavailable(backend, reason) {
  return { backend, status: 'unavailable', wallMs: NaN, tasks: 0, items: 0, reason, fingerprint: null };
}

/**
 * Whether two runs gave the same results: every value when both have them (up to 10,000),
 * else the count, the first few and the last few.
 * @param {NonNullable<Measurement['fingerprint']>} a @param {NonNullable<Measurement['fingerprint']>} b
 */
function same(a, b) {
  const equal = (/** @type {(string | null)[]} */ x, /** @type {(string | null)[]} */ y) => x.length === y.length && x.every((v, i) => v === y[i]);
  if (a.length !== b.length) return false;
  if (a.values && b.values) return equal(a.values, b.values);
  return equal(a.head, b.head) && equal(a.tail, b.tail);
}

/** A time per task, fine enough for microsecond tasks: `3.21 µs`, `512 µs`, `4.85 ms`, `12 ms`. @param {number} ms */
export function perTask(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${count(Number((ms * 1000).toPrecision(3)))} µs`;
  if (ms < 10) return `${Number(ms.toPrecision(3))} ms`;
  return duration(ms);
}

/**
 * The Timings panel's table: one row per backend (threads first), with wall time, tasks,
 * time per task and whether the results are identical. A backend that could not run has no row.
 * @param {Row} row
 * @returns {HTMLTableElement}
 */
export function backendTable(row) {
  const table = document.createElement('table');
  table.className = 'compare-table';
  table.createCaption().textContent = `${row.workload.name}, on each backend`;
  header(table, ['Backend', 'Wall time', 'Tasks', 'Time per task', 'Results identical']);
  const body = table.createTBody();
  for (const backend of ORDER) {
    const m = row[backend];
    if (!m || m.status === 'unavailable') continue;
    const tr = body.insertRow();
    tr.dataset.backend = backend;
    tr.dataset.status = m.status;
    rowHeader(tr, backend === 'threads' ? 'threads (shared memory)' : 'processes (messages)');
    timeCell(tr, 'wall', m, m.wallMs, m.status === 'done' ? duration(m.wallMs) : `${m.status}: ${m.reason}`);
    cell(tr, 'tasks', m.status === 'done' ? count(m.tasks) : '–').dataset.count = String(m.tasks);
    timeCell(tr, 'per-task', m, m.wallMs / m.tasks, m.status === 'done' ? perTask(m.wallMs / m.tasks) : '–');
    const identical = row.identical === null ? '–' : row.identical ? 'yes' : 'no';
    cell(tr, 'identical', identical).dataset.identical = String(row.identical);
  }
  return table;
}

/**
 * Q2's table: one row per workload; each backend's wall time and time per task, and how
 * many times longer processes took. A backend that could not run says why in its cells.
 * @param {Row[]} rows
 * @returns {HTMLTableElement}
 */
export function workloadTable(rows) {
  const table = document.createElement('table');
  table.className = 'compare-table';
  table.createCaption().textContent = 'Measured in this browser, 2 workers on each backend';
  header(table, ['Workload', 'Threads: wall time', 'Processes: wall time', 'Threads: per task', 'Processes: per task', 'Processes ÷ threads']);
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    tr.dataset.workload = row.workload.id;
    const th = rowHeader(tr, row.workload.name);
    th.append(document.createElement('br'), small(`${row.workload.numbers}, chunksize ${row.workload.chunksize ?? 'default'}`));
    for (const [field, of] of /** @type {const} */ ([['wall', 'wall'], ['per-task', 'per']])) {
      for (const backend of ORDER) {
        const m = row[backend];
        const ms = m ? (of === 'wall' ? m.wallMs : m.wallMs / m.tasks) : NaN;
        const text = !m ? '…'
          : m.status === 'unavailable' ? (of === 'wall' ? `not available (${whyNoThreads() === 'no-shared-memory' ? 'no SharedArrayBuffer' : 'page not cross-origin isolated'})` : '–')
            : m.status !== 'done' ? m.status
              : of === 'wall' ? duration(ms) : perTask(ms);
        const td = timeCell(tr, field, m, ms, text);
        td.dataset.backend = backend;
      }
    }
    const { threads, processes } = row;
    const both = threads?.status === 'done' && processes?.status === 'done';
    const r = both ? processes.wallMs / Math.max(threads.wallMs, 1e-6) : NaN;
    const td = cell(tr, 'ratio', both ? ratio(r) : '–');
    if (both) td.dataset.ratio = r.toFixed(3);
  }
  return table;
}

/**
 * `table` in a box that scrolls sideways on a narrow screen; the box takes the keyboard
 * focus (so arrow keys scroll it) and is named after the table's caption.
 * @param {HTMLTableElement} table
 */
export function scrollBox(table) {
  const box = document.createElement('div');
  box.className = 'table-scroll';
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', table.caption?.textContent ?? 'Table');
  box.append(table);
  return box;
}

/** @param {HTMLTableElement} table @param {string[]} titles */
function header(table, titles) {
  const head = table.createTHead().insertRow();
  for (const text of titles) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.append(th);
  }
}

/** @param {HTMLTableRowElement} tr @param {string} text */
function rowHeader(tr, text) {
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = text;
  tr.append(th);
  return th;
}

/** @param {HTMLTableRowElement} tr @param {string} field @param {string} text */
function cell(tr, field, text) {
  const td = tr.insertCell();
  td.dataset.field = field;
  td.textContent = text;
  return td;
}

/**
 * A cell with a time, its milliseconds in `data-ms` when the run is done (for scripts).
 * @param {HTMLTableRowElement} tr @param {string} field @param {Measurement | null} m
 * @param {number} ms @param {string} text
 */
function timeCell(tr, field, m, ms, text) {
  const td = cell(tr, field, text);
  if (m?.status === 'done' && Number.isFinite(ms)) td.dataset.ms = ms.toFixed(4);
  return td;
}

/** @param {string} text */
function small(text) {
  const s = document.createElement('small');
  s.textContent = text;
  return s;
}
