// The page: a form for `pool.map`, and what a run shows (results, live log, timeline,
// timings), plus the notebook's lessons. It uses only webpool.js's public API, the same
// one any other site embeds. It runs on either backend: threads where the page is
// cross-origin isolated, processes anywhere, or the one chosen in the form.

import { chooseBackend, createPool, threadsAvailable, InputError, RunError } from './webpool.js';
import { RunClock } from './ui/clock.js';
import { backendTable, compareBackends, scrollBox } from './ui/compare.js';
import { count, defaultChunksize, duration, plural, ratio } from './ui/format.js';
import { describe, short } from './ui/labels.js';
import { Lessons } from './ui/lessons.js';
import { TaskLog } from './ui/log.js';
import { ResultsView } from './ui/results.js';
import { showStatus } from './ui/status.js';
import { Timeline } from './ui/timeline.js';
import { TimingsView } from './ui/timings.js';

/** @typedef {import('./webpool.js').Pool} Pool */
/** @typedef {import('./webpool.js').TaskEvent} TaskEvent */
/** @typedef {import('./webpool.js').Work} Work */
/** @typedef {import('./webpool.js').Backend} Backend */

/**
 * What a run is asked to do.
 * @typedef {object} Settings
 * @property {string} text
 * @property {number} workers
 * @property {'square' | 'cube' | 'both'} mode
 * @property {Work} work
 * @property {number | undefined} chunksize
 */

const cores = navigator.hardwareConcurrency || 1;
const MAX_WORKERS = Math.min(256, Math.max(8, 4 * cores));
const KERNEL_TEXT = { square: 'compute_square', cube: 'compute_cube', both: 'compute_square, then compute_cube' };
/** Why the lessons wait, for each thing that may hold the pool. */
const LESSONS_WAIT = {
  map: 'A map is running above: the lessons wait until it ends (or Cancel it).',
  starting: 'A pool is starting: the lessons wait until it is ready.',
};

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const ui = {
  status: byId('status'),
  form: /** @type {HTMLFormElement} */ (byId('run-form')),
  numbers: /** @type {HTMLTextAreaElement} */ (byId('numbers')),
  numbersError: byId('numbers-error'),
  numbersCount: byId('numbers-count'),
  workers: /** @type {HTMLInputElement} */ (byId('workers')),
  workersError: byId('workers-error'),
  backend: /** @type {HTMLSelectElement} */ (byId('backend')),
  backendHelp: byId('backend-help'),
  kernelName: byId('kernel-name'),
  workMs: /** @type {HTMLInputElement} */ (byId('work-ms')),
  workError: byId('work-error'),
  preset: byId('preset-tutorial'),
  chunksize: /** @type {HTMLInputElement} */ (byId('chunksize')),
  chunksizeHelp: byId('chunksize-help'),
  chunksizeError: byId('chunksize-error'),
  run: /** @type {HTMLButtonElement} */ (byId('run-button')),
  cancel: /** @type {HTMLButtonElement} */ (byId('cancel-button')),
  measure: /** @type {HTMLButtonElement} */ (byId('measure-button')),
  compare: /** @type {HTMLButtonElement} */ (byId('compare-button')),
  compareBox: byId('compare'),
  runState: byId('run-state'),
  progress: /** @type {HTMLProgressElement} */ (byId('progress')),
  progressText: byId('progress-text'),
};

const log = new TaskLog(byId('log'), byId('log-omitted'));
const timeline = new Timeline(byId('timeline'), { empty: 'Nothing has run yet: the timeline fills when you press Run.' });
const results = new ResultsView(byId('results'));
const timings = new TimingsView({ wall: byId('wall-time'), busy: byId('busy'), speedup: byId('speedup'), why: byId('why') }, cores);

/** @type {Pool | null} */
let pool = null;
/** The backend choice (`auto`, `threads`, `processes`) the pool was started for. @type {string | null} */
let poolFor = null;
/**
 * What holds the pool: a map run (or a comparison), a lesson, an engine growing during a
 * run, or a pool (re)starting on a backend.
 * @type {null | 'map' | 'lesson' | 'restart' | 'starting'}
 */
let busy = null;
/** @type {AbortController | null} */
let running = null;
/** What the running session shows its progress in: the results panel, or the comparison. */
let runningKind = /** @type {'run' | 'compare'} */ ('run');
/** Whether a pool is being started; a change of backend meanwhile is picked up after it. */
let startingPool = false;
/** The latest preview of the typed numbers, to size hints. @type {{ length: number } | null} */
let preview = null;

const lessons = new Lessons({
  speed: /** @type {HTMLSelectElement} */ (byId('lesson-speed')),
  cards: byId('lesson-cards'),
  nav: byId('lesson-nav'),
  state: byId('lessons-state'),
}, {
  claim: () => {
    if (!pool || busy) return false;
    setBusy('lesson');
    return true;
  },
  release: () => {
    setBusy(null);
    refreshStatus();
    validateSoon(0);
  },
});

// ---------------------------------------------------------------- start

setup();
start();

function setup() {
  ui.workers.max = String(MAX_WORKERS);
  byId('cores').textContent = plural(cores, 'core');
  byId('workers-help').textContent = `1 to ${MAX_WORKERS}. This device has ${plural(cores, 'core')}; the tutorial uses 2.`;
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    runSession();
  });
  ui.form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runSession();
    }
  });
  const cancel = () => {
    if (!running || running.signal.aborted) return;
    running.abort();
    if (runningKind === 'compare') showCompare('running', 'Cancelling the comparison…');
    else setRunState('cancelling', 'Cancelling: the workers stop at once; finished results are kept…');
  };
  ui.cancel.addEventListener('click', cancel);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && running) cancel();
  });
  ui.measure.addEventListener('click', () => runSession({ measure: true }));
  ui.compare.addEventListener('click', () => compareSession());
  setupBackend();
  ui.preset.addEventListener('click', () => {
    checkRadio('work', 'sleep');
    ui.workMs.value = '2000';
    syncForm();
  });
  ui.numbers.addEventListener('input', () => validateSoon());
  ui.form.addEventListener('input', (event) => {
    if (event.target !== ui.numbers) syncForm();
  });
  ui.form.addEventListener('change', syncForm);
  syncForm();
  results.clear('The results appear here, in input order, as Python prints them.');
  refreshButtons();
}

/**
 * The Backend select: says which backend Automatic picks here, and disables Threads (saying
 * why) where `chooseBackend('threads')` would throw.
 */
function setupBackend() {
  const auto = chooseBackend('auto');
  const automatic = /** @type {HTMLOptionElement} */ (ui.backend.querySelector('option[value=auto]'));
  automatic.textContent = `Automatic: ${auto.backend} here`;
  const threads = /** @type {HTMLOptionElement} */ (ui.backend.querySelector('option[value=threads]'));
  try {
    chooseBackend('threads');
  } catch {
    threads.disabled = true;
    threads.textContent = 'Threads (shared memory): not on this page';
    ui.backendHelp.replaceChildren(
      'Threads need a cross-origin isolated page (served with the COOP/COEP headers, as ',
      code('./build.sh serve'), ' does); this one is not, so its workers are processes: each has memory of its own and '
        + 'gets its tasks and results as copied messages, as Python\'s processes do.',
    );
    // A browser restoring the form after a reload may bring back a choice this page cannot have.
    if (ui.backend.value === 'threads') ui.backend.value = 'auto';
  }
  ui.backend.addEventListener('change', () => {
    // The select is disabled while anything runs, so this only ever replaces an idle pool.
    if (busy === null || busy === 'starting') start();
  });
}

/** @param {string} text */
function code(text) {
  const c = document.createElement('code');
  c.textContent = text;
  return c;
}

/**
 * Starts the pool on the backend the select asks for, closing the one before. A choice
 * changed while a pool starts (arrow keys through the options, say) is taken up when that
 * start ends, so only the last choice keeps a pool.
 */
async function start() {
  if (startingPool) return;
  startingPool = true;
  setBusy('starting');
  try {
    while (!pool || poolFor !== ui.backend.value) {
      const choice = ui.backend.value;
      pool?.close();
      pool = null;
      poolFor = choice;
      const workers = chosenWorkers() ?? 2;
      const wanted = /** @type {Backend | 'auto'} */ (choice);
      try {
        // Which backend `auto` means here, to say so while it starts (the pool's own
        // reason replaces this once it is ready).
        const { backend } = chooseBackend(wanted);
        showStatus(ui.status, { state: 'starting', backend, threads: threadsAvailable(), workers, cores });
        const started = await createPool({ workers, backend: wanted });
        if (ui.backend.value !== choice) {
          started.close();
          continue;
        }
        pool = started;
      } catch (error) {
        showStatus(ui.status, {
          state: 'failed', backend: null, threads: threadsAvailable(), cores, error: String(/** @type {Error} */ (error)?.message ?? error),
        });
        if (ui.backend.value === choice) break;
      }
    }
  } finally {
    startingPool = false;
  }
  setBusy(null);
  if (!pool) {
    setRunState('unavailable', 'No pool could start, so nothing can run: see the line at the top, or choose another backend.');
    lessons.block('The lessons cannot run without a pool: see the line at the top.');
    return;
  }
  if (ui.runState.dataset.state === 'unavailable') setRunState('idle', 'Press Run to map the numbers.');
  refreshStatus();
  lessons.show(pool);
  validateSoon(0);
}

function refreshStatus() {
  if (!pool) return;
  showStatus(ui.status, {
    state: 'ready', backend: pool.backend, reason: pool.backendReason, threads: threadsAvailable(),
    workers: pool.workers, threadCount: pool.threads, cores,
  });
}

/** @param {typeof busy} what */
function setBusy(what) {
  busy = what;
  ui.form.dataset.busy = what ?? '';
  refreshButtons();
  lessons.block(what === 'map' || what === 'starting' ? LESSONS_WAIT[what] : null);
}

function refreshButtons() {
  ui.run.disabled = !pool || busy !== null;
  ui.measure.disabled = !pool || busy !== null;
  ui.compare.disabled = !pool || busy !== null;
  // Changing the backend replaces the pool: never under a run or a lesson.
  ui.backend.disabled = busy === 'map' || busy === 'lesson' || busy === 'restart';
  ui.cancel.disabled = busy !== 'map' || !running;
  if (busy === 'lesson') setRunState('waiting', 'A lesson is running below: Run waits until it ends.');
  else if (ui.runState.dataset.state === 'waiting') setRunState('idle', 'Press Run to map the numbers.');
}

// ---------------------------------------------------------------- the form

/** @param {string} name */
function radioValue(name) {
  return /** @type {HTMLInputElement | null} */ (ui.form.querySelector(`input[name="${name}"]:checked`))?.value ?? '';
}

/** @param {string} name @param {string} value */
function checkRadio(name, value) {
  const input = /** @type {HTMLInputElement | null} */ (ui.form.querySelector(`input[name="${name}"][value="${value}"]`));
  if (input) input.checked = true;
}

/** The worker count typed, if it is a usable one. */
function chosenWorkers() {
  const n = Number(ui.workers.value);
  return Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS ? n : null;
}

/** Keeps the form's hints in step with its values. */
function syncForm() {
  const mode = /** @type {'square' | 'cube' | 'both'} */ (radioValue('kernel') || 'square');
  ui.kernelName.textContent = KERNEL_TEXT[mode];
  ui.workMs.disabled = radioValue('work') === 'none';
  const workers = chosenWorkers();
  if (preview && workers) {
    const chunk = defaultChunksize(preview.length, workers);
    const tasks = Math.ceil(preview.length / chunk);
    ui.chunksizeHelp.textContent = `Blank: Python's default, about four tasks per worker — here ${plural(chunk, 'number')} `
      + `per task, ${plural(tasks, 'task')} on ${plural(workers, 'worker')}.`;
  }
}

/**
 * Shows `message` as the error of a field (or clears it with null).
 * @param {HTMLElement} field @param {HTMLElement} box @param {string | null} message
 */
function fieldError(field, box, message) {
  if (message === null) {
    field.removeAttribute('aria-invalid');
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  field.setAttribute('aria-invalid', 'true');
  const p = document.createElement('p');
  p.className = 'error-message';
  p.textContent = message;
  box.replaceChildren(p);
  box.hidden = false;
  if (!field.getAttribute('aria-describedby')?.includes(box.id)) {
    field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') ?? ''} ${box.id}`.trim());
  }
}

/** The form's values, or null after marking what is wrong. @returns {Settings | null} */
function readSettings() {
  let ok = true;
  const workers = chosenWorkers();
  fieldError(ui.workers, ui.workersError, workers ? null : `Choose a whole number of workers from 1 to ${MAX_WORKERS}.`);
  if (!workers) ok = false;

  const kind = /** @type {'none' | 'sleep' | 'spin'} */ (radioValue('work') || 'none');
  const ms = Number(ui.workMs.value);
  const goodMs = ui.workMs.value.trim() !== '' && Number.isFinite(ms) && ms >= 0 && ms <= 600000;
  fieldError(ui.workMs, ui.workError, kind === 'none' || goodMs ? null : 'The duration is a number of milliseconds from 0 to 600000.');
  if (kind !== 'none' && !goodMs) ok = false;

  const chunkText = ui.chunksize.value.trim();
  const chunksize = chunkText === '' ? undefined : Number(chunkText);
  const goodChunk = !ui.chunksize.validity.badInput && (chunksize === undefined || (Number.isInteger(chunksize) && chunksize >= 1));
  fieldError(ui.chunksize, ui.chunksizeError, goodChunk ? null : 'The chunksize is a whole number of 1 or more, or blank for Python\'s default.');
  if (!goodChunk) ok = false;

  if (!ok) {
    /** @type {HTMLElement | null} */ (ui.form.querySelector('[aria-invalid="true"]'))?.focus();
    return null;
  }
  return {
    text: ui.numbers.value,
    workers: /** @type {number} */ (workers),
    mode: /** @type {'square' | 'cube' | 'both'} */ (radioValue('kernel') || 'square'),
    work: kind === 'none' ? { kind } : { kind, ms },
    chunksize,
  };
}

/** @param {Work} work */
function describeWork(work) {
  return work.kind === 'none' ? 'no simulated work' : `${work.kind} ${count(work.ms ?? 0)} ms per number`;
}

// ---------------------------------------------------------------- checking the numbers

let validateTimer = 0;
let validateSeq = 0;

/** Checks the typed numbers a moment after the last keystroke. */
function validateSoon(delay = 350) {
  clearTimeout(validateTimer);
  validateTimer = window.setTimeout(() => validate(false).catch(() => {}), delay);
}

/**
 * Asks the engine to parse the numbers; shows the count, or the error next to the field
 * (and selects the bad token when `select`). Never while a lesson may restart the engine.
 * @param {boolean} select
 * @returns {Promise<{ length: number, first: string[], last: string[] } | null>}
 */
async function validate(select) {
  if (!pool || busy === 'lesson' || busy === 'restart' || busy === 'starting') return null;
  const seq = ++validateSeq;
  const text = ui.numbers.value;
  try {
    const parsed = await pool.parse(text);
    if (seq !== validateSeq) return parsed;
    preview = parsed;
    showNumbersError(null, text, false);
    const { length, first, last } = parsed;
    ui.numbersCount.textContent = length <= 5
      ? `${plural(length, 'number')}: ${first.join(', ')}.`
      : `${plural(length, 'number')}: ${first.slice(0, 3).join(', ')}, … ${last[last.length - 1]}.`;
    syncForm();
    return parsed;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    if (seq === validateSeq) showNumbersError(error, text, select);
    return null;
  }
}

/**
 * @param {InputError | null} error @param {string} text @param {boolean} select
 */
function showNumbersError(error, text, select) {
  if (!error) {
    fieldError(ui.numbers, ui.numbersError, null);
    return;
  }
  ui.numbersCount.textContent = '';
  fieldError(ui.numbers, ui.numbersError, error.message);
  const { start, end } = error;
  if (error.token && start !== undefined && end !== undefined && end > start) {
    // The mistake in its place: a few characters either side, the token marked.
    const context = document.createElement('p');
    context.className = 'error-context';
    const from = Math.max(0, start - 24);
    const to = Math.min(text.length, end + 24);
    const flat = (/** @type {string} */ s) => s.replace(/\s+/g, ' ');
    const mark = document.createElement('mark');
    mark.textContent = flat(text.slice(start, end));
    context.append(`${from > 0 ? '…' : ''}${flat(text.slice(from, start))}`, mark, `${flat(text.slice(end, to))}${to < text.length ? '…' : ''}`);
    ui.numbersError.append(context);
    if (select) {
      ui.numbers.focus();
      ui.numbers.setSelectionRange(start, end);
    }
  } else if (select) {
    ui.numbers.focus();
  }
}

// ---------------------------------------------------------------- runs

/** @param {string} state @param {string} text */
function setRunState(state, text) {
  ui.runState.dataset.state = state;
  ui.runState.textContent = text;
}

const progress = { done: 0, total: 0, frame: 0 };
/** Shows tasks done / total with the next animation frame. @param {number} done @param {number} total */
function showProgress(done, total) {
  progress.done = done;
  progress.total = total;
  progress.frame ||= requestAnimationFrame(() => {
    progress.frame = 0;
    ui.progress.max = Math.max(progress.total, 1);
    ui.progress.value = progress.done;
    ui.progress.dataset.done = String(progress.done);
    ui.progress.dataset.total = String(progress.total);
    ui.progressText.textContent = `${count(progress.done)} of ${plural(progress.total, 'task')} done`;
  });
}

/**
 * Runs the form's map (or, to measure the speedup, first on 1 worker and then on the
 * chosen count).
 * @param {{ measure?: boolean }} [options]
 */
async function runSession({ measure = false } = {}) {
  if (!pool || busy) return;
  const settings = readSettings();
  if (!settings) return;
  const controller = new AbortController();
  running = controller;
  // For scripts and tests: which session this is, and (data-busy) whether it is over.
  ui.form.dataset.session = String(Number(ui.form.dataset.session ?? 0) + 1);
  setBusy('map');
  try {
    const parsed = await validate(true);
    if (!parsed) {
      setRunState('invalid', 'Fix the numbers first (see the message under the field).');
      return;
    }
    if (!measure) {
      await runOnce(settings, parsed, controller.signal);
      return;
    }
    if (settings.workers === 1) {
      timings.speedupFailed('Choose more than 1 worker: the measurement compares 1 worker with your count.');
      await runOnce(settings, parsed, controller.signal);
      return;
    }
    const work = describeWork(settings.work);
    timings.measuring('Measuring: first on 1 worker…');
    // Both runs on one engine: a larger pool may need a new one, which should not be timed.
    await ensureWorkers(settings.workers);
    const one = await runOnce({ ...settings, workers: 1 }, parsed, controller.signal, 'measuring on 1 worker');
    if (one.status !== 'done') {
      timings.speedupFailed(`The measurement stopped: the run on 1 worker was ${one.status}.`);
      return;
    }
    timings.measuring(`Measuring: 1 worker took ${duration(one.wallMs)}; now on ${plural(settings.workers, 'worker')}…`);
    const many = await runOnce(settings, parsed, controller.signal, `measuring on ${plural(settings.workers, 'worker')}`);
    if (many.status !== 'done') {
      timings.speedupFailed(`The measurement stopped: the run on ${plural(settings.workers, 'worker')} was ${many.status}.`);
      return;
    }
    timings.speedup({ oneMs: one.wallMs, manyMs: many.wallMs, workers: settings.workers, work });
  } catch (error) {
    timeline.finish('failed');
    setRunState('failed', `The run stopped: ${error?.message ?? error}.`);
    log.add({ at: null, worker: null, kind: 'error', text: `The run stopped: ${error?.message ?? error}` });
    if (measure) timings.speedupFailed('The measurement stopped.');
  } finally {
    running = null;
    setBusy(null);
    refreshStatus();
  }
}

// ---------------------------------------------------------------- comparing the backends

/**
 * Shows the comparison's state, a sentence and (when given) its table and a note.
 * @param {'idle' | 'running' | 'done' | 'stopped'} state @param {string} text
 * @param {HTMLTableElement} [table] @param {string} [note]
 */
function showCompare(state, text, table, note) {
  const box = ui.compareBox;
  box.dataset.state = state;
  const p = document.createElement('p');
  p.className = 'compare-text';
  p.textContent = text;
  /** @type {Node[]} */
  const parts = [p];
  if (table) parts.push(scrollBox(table));
  if (note) {
    const n = document.createElement('p');
    n.className = 'compare-note';
    n.textContent = note;
    parts.push(n);
  }
  box.replaceChildren(...parts);
}

/**
 * "Compare backends": the form's workload (the squares, for "square, then cube") on
 * threads, then on processes, with the form's workers and chunksize. The page's pool runs
 * its own backend; a pool of the other is started for the comparison and closed after it.
 * The results, log and timeline above stay those of the last run.
 */
async function compareSession() {
  if (!pool || busy) return;
  const settings = readSettings();
  if (!settings) return;
  const controller = new AbortController();
  running = controller;
  runningKind = 'compare';
  ui.form.dataset.session = String(Number(ui.form.dataset.session ?? 0) + 1);
  setBusy('map');
  delete ui.compareBox.dataset.identical;
  showCompare('running', 'Comparing: checking the numbers…');
  try {
    const parsed = await validate(true);
    if (!parsed) {
      showCompare('stopped', 'Fix the numbers first (see the message under the field).');
      return;
    }
    await ensureWorkers(settings.workers);
    const kernel = settings.mode === 'cube' ? 'cube' : 'square';
    const chunk = settings.chunksize === undefined ? 'the default chunksize' : `chunksize ${count(settings.chunksize)}`;
    /** @type {import('./ui/compare.js').Workload} */
    const workload = {
      id: 'form', kernel, numbers: settings.text, chunksize: settings.chunksize, work: settings.work,
      name: `${kernel === 'square' ? 'Squares' : 'Cubes'} of ${plural(parsed.length, 'number')} on ${plural(settings.workers, 'worker')}, `
        + `${chunk}, ${describeWork(settings.work)}`,
    };
    const comparison = await compareBackends({
      pool: /** @type {Pool} */ (pool), workers: settings.workers, workloads: [workload], signal: controller.signal,
      // The table appears with the first measured row; until then, a sentence says what runs.
      onProgress: (c, next) => showCompare('running', `Comparing: ${next}`,
        c.rows[0].threads || c.rows[0].processes ? backendTable(c.rows[0]) : undefined, c.threadsMissing ?? undefined),
    });
    const [row] = comparison.rows;
    ui.compareBox.dataset.identical = String(row.identical);
    if (comparison.status !== 'done') {
      const why = comparison.status === 'cancelled' ? 'it was cancelled' : comparison.error;
      showCompare('stopped', `The comparison stopped: ${why}.`, backendTable(row), comparison.threadsMissing ?? undefined);
      return;
    }
    showCompare('done', compareSummary(row), backendTable(row), comparison.threadsMissing ?? undefined);
  } catch (error) {
    showCompare('stopped', `The comparison stopped: ${/** @type {Error} */ (error)?.message ?? error}.`);
  } finally {
    running = null;
    runningKind = 'run';
    setBusy(null);
    refreshStatus();
  }
}

/**
 * A sentence on a finished comparison: which backend took longer, by how much.
 * @param {import('./ui/compare.js').Row} row
 */
function compareSummary({ threads, processes, identical }) {
  const same = identical === true ? 'The results are identical.' : identical === false ? 'The results differ!' : '';
  if (threads?.status !== 'done' || processes?.status !== 'done') {
    const ran = [threads, processes].find((m) => m?.status === 'done');
    return ran ? `Measured on ${ran.backend}: ${duration(ran.wallMs)}.` : 'Neither backend finished.';
  }
  const r = processes.wallMs / Math.max(threads.wallMs, 1e-6);
  const how = r >= 1 ? `processes took ${ratio(r)} as long as threads` : `threads took ${ratio(1 / r)} as long as processes`;
  return `Measured here: ${how}. ${same}`.trim();
}

/**
 * `pool.resize(n)`, saying so when it starts a new engine (more Web Workers than it has).
 * @param {number} workers
 */
async function ensureWorkers(workers) {
  const p = /** @type {Pool} */ (pool);
  if (p.workers === workers) return;
  // Only threads start a new engine to grow; processes start as a run needs them.
  if (p.backend === 'threads' && workers > p.threads) {
    busy = 'restart';
    showStatus(ui.status, { state: 'restarting', threads: true, backend: 'threads', threadCount: workers, cores });
    if (runningKind === 'run') setRunState('starting', `Starting ${plural(workers, 'worker')}…`);
  }
  try {
    await p.resize(workers);
  } finally {
    busy = 'map';
  }
  refreshStatus();
}

/**
 * One run of the form: both kernels for "square, then cube", as the tutorial's Q1 does.
 * @param {Settings} s
 * @param {{ length: number }} parsed
 * @param {AbortSignal} signal
 * @param {string} [purpose]
 * @returns {Promise<{ status: 'done' | 'cancelled' | 'failed', wallMs: number }>}
 */
async function runOnce(s, parsed, signal, purpose = '') {
  const p = /** @type {Pool} */ (pool);
  await ensureWorkers(s.workers);
  const kernels = /** @type {('square' | 'cube')[]} */ (s.mode === 'both' ? ['square', 'cube'] : [s.mode]);
  const chunk = s.chunksize ?? defaultChunksize(parsed.length, s.workers);
  const totalTasks = Math.ceil(parsed.length / chunk) * kernels.length;
  let finished = 0;

  results.clear('Running…');
  log.clear();
  timings.clear();
  timeline.reset(s.workers);
  showProgress(0, totalTasks);
  const what = s.mode === 'both' ? 'squares, then cubes,' : `${s.mode}s`;
  setRunState('running', `Running: ${what} of ${plural(parsed.length, 'number')} on ${plural(s.workers, 'worker')}`
    + ` (${describeWork(s.work)})${purpose ? `, ${purpose}` : ''}…`);

  /** @type {RunClock[]} */
  const clocks = [];
  let current = 0;
  timeline.live(() => (timeline.runs[current]?.offset ?? 0) + clocks[current].now());
  /** @type {import('./ui/results.js').Part[]} */
  const parts = [];
  /** @type {RunError | null} */
  let stopped = null;
  try {
    for (const [run, kernel] of kernels.entries()) {
      const clock = new RunClock();
      clocks[run] = clock;
      current = run;
      const label = kernels.length > 1 ? kernel : '';
      const first = parts[0]?.result.report.startedAt;
      const place = () => timeline.setRun(run, first === undefined ? 0 : clock.epoch - first, label);
      place();
      /** The inputs each task's start event named, for its bar's label. @type {Map<number, string[]>} */
      const named = new Map();
      /** @param {TaskEvent} e */
      const onTask = (e) => {
        clock.observe(e.type === 'start' ? e.start : e.finish);
        if (run > 0) place();
        const offset = timeline.runs[run]?.offset ?? 0;
        const n = e.end - e.first;
        if (e.inputs) named.set(e.task, e.inputs);
        timeline.update({
          run, task: e.task, worker: e.worker, start: e.start, finish: e.type === 'end' ? e.finish : null,
          status: e.status, label: () => short(named.get(e.task) ?? [], n), first: e.first, end: e.end,
        });
        if (e.type === 'start') {
          const inputs = e.inputs ?? [];
          const text = () => `Computing ${kernel} of ${describe(inputs, n)}${n > 1 ? ` (task ${e.task}, ${count(n)} items)` : ''}`;
          log.add({ at: offset + e.start, worker: e.worker, kind: 'start', text });
          return;
        }
        finished += 1;
        showProgress(finished, totalTasks);
        if (e.status === 'cancelled') {
          log.add({ at: offset + e.finish, worker: e.worker, kind: 'end', text: `Task ${e.task} cancelled after ${count(e.done)} of ${plural(n, 'item')}` });
        } else if (e.status === 'failed') {
          log.add({ at: offset + e.finish, worker: e.worker, kind: 'error', text: `Task ${e.task} failed after ${count(e.done)} of ${plural(n, 'item')}` });
        }
      };
      const heading = kernels.length > 1 ? (kernel === 'square' ? 'Squares' : 'Cubes') : '';
      try {
        const result = await p.map(kernel, s.text, { chunksize: s.chunksize, work: s.work, signal, onTask });
        parts.push({ kernel, heading, result });
      } catch (error) {
        if (!(error instanceof RunError)) throw error;
        parts.push({ kernel, heading, result: error.result });
        stopped = error;
        break;
      }
    }
  } catch (error) {
    timeline.finish('failed');
    results.clear();
    throw error;
  }

  // Exact places on the shared clock, now that every run has told when it started.
  const origin = parts[0].result.report.startedAt;
  parts.forEach((part, run) => timeline.setRun(run, part.result.report.startedAt - origin, kernels.length > 1 ? part.kernel : ''));
  const lastReport = parts[parts.length - 1].result.report;
  const wallMs = lastReport.startedAt + lastReport.wallMs - origin;
  const status = stopped ? lastReport.status : 'done';
  timeline.finish(status, wallMs);
  results.show(parts);
  /** @type {number[]} */
  const busyMs = Array.from({ length: s.workers }, () => 0);
  for (const part of parts) part.result.report.busyMs.forEach((ms, i) => { busyMs[i] = (busyMs[i] ?? 0) + ms; });
  timings.show({ wallMs, busyMs, workers: s.workers, items: parsed.length, what: what.replace(/,$/, ''), work: describeWork(s.work) });

  const computedCount = parts.reduce((n, part) => n + part.result.length, 0);
  const wanted = parsed.length * kernels.length;
  if (status === 'done') {
    setRunState('done', `Done: ${plural(computedCount, 'result')} in ${duration(wallMs)} on ${plural(s.workers, 'worker')}.`);
    log.add({ at: wallMs, worker: null, kind: 'note', text: `All ${plural(finished, 'task')} done: ${plural(computedCount, 'result')} in ${duration(wallMs)}` });
  } else if (status === 'cancelled') {
    setRunState('cancelled', `Cancelled after ${count(computedCount)} of ${plural(wanted, 'result')}; the results computed so far are kept below.`);
    log.add({ at: wallMs, worker: null, kind: 'end', text: `Cancelled: ${count(computedCount)} of ${plural(wanted, 'result')} computed` });
  } else {
    const message = stopped?.message ?? 'a task failed';
    setRunState('failed', `A task failed: ${message}. The results computed before it are kept below.`);
    log.add({ at: wallMs, worker: null, kind: 'error', text: `Failed: ${message}` });
  }
  log.flush();
  return { status, wallMs };
}
