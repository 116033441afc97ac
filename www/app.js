// The page: a form for `pool.map`, a run's view (results, live log, timeline, timings) and
// the notebook's lessons, all on one pool. It uses only webpool.js's public API, the same one
// any other site embeds, and runs on either backend: threads where the page is cross-origin
// isolated, processes anywhere, or the one chosen in the form.
//
// This module is the session: which one thing holds the pool now. Every change goes
// through `enter`, which sets the controls, the lessons and the focus for the new state.
//
//   starting     a pool starts on the chosen backend     → idle, or unavailable if it fails
//   unavailable  no pool could start                     → starting, when a backend is chosen
//   idle         the pool waits                          → running, lesson, or starting (a new backend)
//   running      Run, Measure speedup or Compare backends, until done or cancelled   → idle
//   lesson       a lesson or Q2's comparison, claimed by ui/lessons.js              → idle

import { chooseBackend, createPool, threadsAvailable } from './webpool.js';
import { ComparePanel, compareSummary } from './ui/compare-panel.js';
import { backendTable, compareBackends } from './ui/compare.js';
import { codeOf, messageOf, stoppedResult } from './ui/errors.js';
import { RunForm } from './ui/form.js';
import { count, defaultChunksize, duration, plural } from './ui/format.js';
import { Lessons } from './ui/lessons.js';
import { RunView } from './ui/run-view.js';
import { describeWork, FIX_NUMBERS } from './ui/sentences.js';
import { showStatus } from './ui/status.js';

/** @typedef {import('./webpool.js').Pool} Pool */
/** @typedef {import('./ui/form.js').Settings} Settings */
/** @typedef {import('./ui/form.js').Preview} Preview */
/** @typedef {'run' | 'measure' | 'compare'} Kind */

/**
 * What holds the pool. `from` is the button that began a running session: the focus goes
 * back to it when the session ends.
 * @typedef {{ name: 'starting' } | { name: 'unavailable' } | { name: 'idle', pool: Pool }
 *   | { name: 'running', pool: Pool, kind: Kind, controller: AbortController, from: HTMLButtonElement }
 *   | { name: 'lesson', pool: Pool }} Session
 */

const cores = navigator.hardwareConcurrency || 1;
/** Why the lessons wait, in each state that keeps them from the pool. */
const LESSONS_WAIT = {
  starting: 'A pool is starting: the lessons wait until it is ready.',
  unavailable: 'The lessons cannot run without a pool: see the line at the top.',
  running: 'A map is running above: the lessons wait until it ends (or Cancel it).',
};
const IDLE = 'Press Run to map the numbers.';

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const formElement = /** @type {HTMLFormElement} */ (byId('run-form'));
const statusLine = byId('status');
const buttons = {
  run: /** @type {HTMLButtonElement} */ (byId('run-button')),
  measure: /** @type {HTMLButtonElement} */ (byId('measure-button')),
  compare: /** @type {HTMLButtonElement} */ (byId('compare-button')),
  cancel: /** @type {HTMLButtonElement} */ (byId('cancel-button')),
};

/** @type {Session} */
let session = { name: 'starting' };

const form = new RunForm(formElement, {
  cores,
  submit: () => begin('run'),
  // While a pool starts, the start takes the new choice up when it ends.
  backendChanged: () => { if (session.name === 'idle' || session.name === 'unavailable') start(); },
  // Only an idle pool checks the numbers as they are typed: a lesson may be restarting it.
  parser: () => (session.name === 'idle' ? session.pool : null),
});
const view = new RunView({
  state: byId('run-state'),
  progress: /** @type {HTMLProgressElement} */ (byId('progress')),
  progressText: byId('progress-text'),
  results: byId('results'),
  log: byId('log'),
  logOmitted: byId('log-omitted'),
  timeline: byId('timeline'),
  timings: { wall: byId('wall-time'), busy: byId('busy'), speedup: byId('speedup'), scaling: byId('scaling'), why: byId('why') },
}, cores);
const comparePanel = new ComparePanel(byId('compare'));
const lessons = new Lessons({
  speed: /** @type {HTMLSelectElement} */ (byId('lesson-speed')),
  cards: byId('lesson-cards'),
  nav: byId('lesson-nav'),
  state: byId('lessons-state'),
}, {
  claim: () => {
    if (session.name !== 'idle') return false;
    enter({ name: 'lesson', pool: session.pool });
    return true;
  },
  release: () => {
    if (session.name !== 'lesson') return;
    enter({ name: 'idle', pool: session.pool });
    form.checkSoon(0);
  },
});

buttons.cancel.addEventListener('click', cancel);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') cancel();
});
buttons.measure.addEventListener('click', () => begin('measure'));
buttons.compare.addEventListener('click', () => begin('compare'));
start();

// ---------------------------------------------------------------- the state machine

/**
 * Moves to `next`: the buttons, the backend select, the lessons and the state line follow,
 * and the focus moves off any button that `next` disables.
 * @param {Session} next
 */
function enter(next) {
  const before = session;
  const focused = document.activeElement;
  session = next;
  formElement.dataset.state = next.name;
  const idle = next.name === 'idle';
  buttons.run.disabled = !idle;
  buttons.measure.disabled = !idle;
  buttons.compare.disabled = !idle;
  buttons.cancel.disabled = next.name !== 'running';
  form.lockBackend(next.name === 'running' || next.name === 'lesson');
  lessons.block(next.name === 'starting' || next.name === 'unavailable' || next.name === 'running' ? LESSONS_WAIT[next.name] : null);

  if (next.name === 'lesson') view.say('waiting', 'A lesson is running below: Run waits until it ends.');
  else if (next.name === 'unavailable') view.say('unavailable', 'No pool could start, so nothing can run: see the line at the top, or choose another backend.');
  else if (idle && (view.saying === 'waiting' || view.saying === 'unavailable')) view.say('idle', IDLE);

  // A disabled button drops the keyboard focus to the page's start; Cancel (or, at the end,
  // the button that began the session) takes it instead. Focus elsewhere (the numbers, with
  // Ctrl+Enter) stays where the person is.
  const lost = !focused || focused === document.body || (focused instanceof HTMLButtonElement && focused.disabled);
  if (next.name === 'running' && (lost || focused === next.from)) buttons.cancel.focus();
  else if (before.name === 'running' && next.name !== 'running' && (lost || focused === buttons.cancel)) before.from.focus();
}

/**
 * Starts a pool on the backend the select asks for, closing the one before. A choice
 * changed while a pool starts (arrow keys through the options, say) is taken up when that
 * start ends, so only the last choice keeps a pool.
 */
async function start() {
  const old = 'pool' in session ? session.pool : null;
  enter({ name: 'starting' });
  old?.close();
  /** @type {Pool | null} */
  let pool = null;
  let choice;
  do {
    choice = form.backendChoice;
    pool?.close();
    pool = null;
    const workers = form.chosenWorkers() ?? 2;
    try {
      // Which backend `auto` means here, to say so while it starts (the pool's own reason
      // replaces this once it is ready).
      showStatus(statusLine, { state: 'starting', backend: chooseBackend(choice).backend, threads: threadsAvailable(), workers, cores });
      pool = await createPool({ workers, backend: choice });
    } catch (error) {
      showStatus(statusLine, { state: 'failed', backend: null, threads: threadsAvailable(), cores, error: messageOf(error) });
    }
  } while (form.backendChoice !== choice);
  if (!pool) {
    enter({ name: 'unavailable' });
    return;
  }
  enter({ name: 'idle', pool });
  ready(pool);
  lessons.show(pool);
  form.checkSoon(0);
}

/** The status line for a pool that is ready. @param {Pool} pool */
function ready(pool) {
  showStatus(statusLine, {
    state: 'ready', backend: pool.backend, reason: pool.backendReason, threads: threadsAvailable(),
    workers: pool.workers, threadCount: pool.threads, cores,
  });
}

/**
 * Begins a session of `kind` with the form's settings, if the pool is idle and the form has
 * no mistake (else the mistake is shown at its field).
 * @param {Kind} kind
 */
async function begin(kind) {
  if (session.name !== 'idle') return;
  const settings = form.read();
  if (!settings) return;
  const { pool } = session;
  const controller = new AbortController();
  // For scripts and tests: which session this is (data-state says whether it is over).
  formElement.dataset.session = String(Number(formElement.dataset.session ?? 0) + 1);
  enter({ name: 'running', pool, kind, controller, from: buttons[kind] });
  try {
    if (kind === 'compare') await compare(pool, settings, controller.signal);
    else await map(pool, settings, controller.signal, kind === 'measure');
  } finally {
    enter({ name: 'idle', pool });
    ready(pool);
  }
}

function cancel() {
  if (session.name !== 'running' || session.controller.signal.aborted) return;
  session.controller.abort();
  if (session.kind === 'compare') comparePanel.show('running', 'Cancelling the comparison…');
  else view.say('cancelling', 'Cancelling: the workers stop at once; finished results are kept…');
}

// ---------------------------------------------------------------- the sessions

/** How a measured run is kept honest, in one sentence. */
const HONEST = 'The log and timeline are drawn after each measured run, not during it, so drawing takes no time from the workers.';

/**
 * The form's map; to measure the speedup, on 1 worker, then on more up to the chosen count.
 * @param {Pool} pool @param {Settings} s @param {AbortSignal} signal @param {boolean} measure
 */
async function map(pool, s, signal, measure) {
  const { timings } = view;
  try {
    const parsed = await form.check(pool, { select: true });
    if (!parsed) {
      view.say('invalid', FIX_NUMBERS);
      return;
    }
    if (!measure) {
      await runOnce(pool, s, parsed, signal);
      return;
    }
    if (s.workers === 1) {
      timings.speedupFailed('Choose more than 1 worker: the measurement compares 1 worker with your count.');
      await runOnce(pool, s, parsed, signal);
      return;
    }
    // Every count from 1 up, so the picture shows where adding workers stops helping.
    const counts = workerCounts(s.workers);
    /** @type {{ workers: number, ms: number }[]} */
    const points = [];
    timings.scaling(points, s.workers);
    // All runs on one engine: a larger pool may need a new one, which should not be timed.
    await ensureWorkers(pool, s.workers);
    for (const workers of counts) {
      const on = plural(workers, 'worker');
      const so = points.length ? `${points.map((p) => `${plural(p.workers, 'worker')}: ${duration(p.ms)}`).join(', ')}; now ` : 'first ';
      timings.measuring(`Measuring: ${so}on ${on}… ${HONEST}`);
      // The last run's drawing is painted before the next starts, not while it runs.
      if (points.length) await painted();
      const measured = await runOnce(pool, { ...s, workers }, parsed, signal, `measuring on ${on}`);
      if (measured.status !== 'done') {
        timings.speedupFailed(`The measurement stopped: the run on ${on} was ${measured.status}.`);
        return;
      }
      points.push({ workers, ms: measured.wallMs });
      timings.scaling(points, s.workers);
    }
    const [one, many] = [points[0], points[points.length - 1]];
    timings.speedup({ oneMs: one.ms, manyMs: many.ms, workers: s.workers, work: describeWork(s.work) });
  } catch (error) {
    // Not a run that stopped with results (those end in runOnce): cancelled before it began,
    // or the pool could not run it.
    view.fail(messageOf(error), { cancelled: codeOf(error) === 'cancelled' });
    if (measure) timings.speedupFailed('The measurement stopped.');
  }
}

/**
 * The worker counts "Measure speedup" runs, up to `n`: each from 1 to 4, then doubling
 * (and `n` itself), at most 8 runs.
 * @param {number} n
 */
function workerCounts(n) {
  const counts = [];
  for (let w = 1; w < n; w = w < 4 ? w + 1 : w * 2) counts.push(w);
  counts.push(n);
  return counts.length > 8 ? [...counts.slice(0, 7), n] : counts;
}

/** Settles once the next frame has been drawn and painted (or soon, in a hidden tab, which draws none). */
function painted() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, 200);
  });
}

/**
 * One run of the form: both kernels for "square, then cube", as the tutorial's Q1 does.
 * @param {Pool} pool @param {Settings} s @param {Preview} parsed @param {AbortSignal} signal
 * @param {string} [purpose]
 */
async function runOnce(pool, s, parsed, signal, purpose = '') {
  await ensureWorkers(pool, s.workers);
  const kernels = /** @type {('square' | 'cube' | 'collatz')[]} */ (s.mode === 'both' ? ['square', 'cube'] : [s.mode]);
  const chunk = s.chunksize ?? defaultChunksize(parsed.length, s.workers);
  const shown = view.begin({ kernels, items: parsed.length, tasks: Math.ceil(parsed.length / chunk), workers: s.workers, work: s.work, purpose, measured: purpose !== '' });
  /** @type {Error | null} */
  let stopped = null;
  try {
    for (const [i, kernel] of kernels.entries()) {
      try {
        shown.add(await pool.map(kernel, s.text, { chunksize: s.chunksize, work: s.work, signal, onTasks: shown.tasks(i) }));
      } catch (error) {
        const result = stoppedResult(error);
        if (!result) throw error;
        shown.add(result);
        stopped = /** @type {Error} */ (error);
        break;
      }
    }
  } catch (error) {
    shown.abandon();
    throw error;
  }
  return shown.end(stopped);
}

/**
 * "Compare backends": the form's workload (the squares, for "square, then cube") on
 * threads, then on processes, with the form's workers and chunksize. The results, log and
 * timeline above stay those of the last run.
 * @param {Pool} pool @param {Settings} s @param {AbortSignal} signal
 */
async function compare(pool, s, signal) {
  comparePanel.identical(null);
  comparePanel.show('running', 'Comparing: checking the numbers…');
  try {
    const parsed = await form.check(pool, { select: true });
    if (!parsed) {
      comparePanel.show('stopped', FIX_NUMBERS);
      return;
    }
    await ensureWorkers(pool, s.workers);
    const kernel = s.mode === 'both' ? 'square' : s.mode;
    const chunk = s.chunksize === undefined ? 'the default chunksize' : `chunksize ${count(s.chunksize)}`;
    /** @type {import('./ui/compare.js').Workload} */
    const workload = {
      id: 'form', kernel, numbers: s.text, chunksize: s.chunksize, work: s.work,
      name: `${{ square: 'Squares', cube: 'Cubes', collatz: 'Collatz steps' }[kernel]} of ${plural(parsed.length, 'number')} on ${plural(s.workers, 'worker')}, `
        + `${chunk}, ${describeWork(s.work)}`,
    };
    const comparison = await compareBackends({
      pool, workers: s.workers, workloads: [workload], signal,
      // The table appears with the first measured row; until then, a sentence says what runs.
      onProgress: (c, next) => comparePanel.show('running', `Comparing: ${next}`,
        c.rows[0].threads || c.rows[0].processes ? backendTable(c.rows[0]) : undefined, c.threadsMissing ?? undefined),
    });
    const [row] = comparison.rows;
    comparePanel.identical(row.identical);
    const note = comparison.threadsMissing ?? undefined;
    if (comparison.status !== 'done') {
      const why = comparison.status === 'cancelled' ? 'it was cancelled' : comparison.error;
      comparePanel.show('stopped', `The comparison stopped: ${why}.`, backendTable(row), note);
      return;
    }
    comparePanel.show('done', compareSummary(row), backendTable(row), note);
  } catch (error) {
    comparePanel.show('stopped', `The comparison stopped: ${messageOf(error)}.`);
  }
}

/**
 * `pool.resize(n)`, saying so when it starts a new engine (more Web Workers than it has).
 * @param {Pool} pool @param {number} workers
 */
async function ensureWorkers(pool, workers) {
  if (pool.workers === workers) return;
  // Only threads start a new engine to grow; processes start as a run needs them.
  if (pool.backend === 'threads' && workers > pool.threads) {
    showStatus(statusLine, { state: 'restarting', threads: true, backend: 'threads', threadCount: workers, cores });
    if (session.name === 'running' && session.kind !== 'compare') view.say('starting', `Starting ${plural(workers, 'worker')}…`);
  }
  await pool.resize(workers);
  ready(pool);
}
