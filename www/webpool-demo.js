// <webpool-demo>: the tutorial's `pool.map` as one element that a tutorial author drops into
// any page, from the folder ./build.sh writes (dist/webpool/: this file, webpool.js, the
// workers, ui/ and pkg/), copied beside the page or served from another origin:
//
//   <script type="module" src="webpool-demo.js"></script>
//   <webpool-demo numbers="1 2 3 4 5" workers="2" kernel="square"></webpool-demo>
//
// Everything it shows lives in its own (open) shadow root with its own styles, so the host
// page's CSS cannot reach inside and nothing is added to the host document. It uses only
// webpool.js's public API, as any other script would, and the page's own modules in ui/ for
// what a run says (its log lines and its outcome, worded as on the page) and for showing a
// mistake at its field.

import * as shared from './shared-pool.js';
import { codeOf, messageOf, stoppedResult } from './ui/errors.js';
import { showFieldError, showInputError } from './ui/field-error.js';
import { duration, plural, pythonList } from './ui/format.js';
import { TaskLog } from './ui/log.js';
import { LESSON_IDS, LessonCard } from './ui/lesson-card.js';
import { FIX_NUMBERS, runOutcome } from './ui/sentences.js';

/** @typedef {import('./webpool.js').Pool} Pool */
/** @typedef {import('./webpool.js').Report} Report */
/** @typedef {import('./webpool.js').TaskBatch} TaskBatch */
/** @typedef {import('./webpool.js').ErrorCode} ErrorCode */
/** @typedef {import('./webpool.js').Work} Work */
/** @typedef {'square' | 'cube' | 'collatz'} KernelName */

/**
 * What the last run gave: the `detail` of the `webpool-done` event and the element's `result`.
 * @typedef {object} DemoResult
 * @property {(string | null)[] | null} values  results by position as Python prints them (null
 *   where an item was not computed; the whole list is null above 10,000 items)
 * @property {Report} report   the run's report (its `status` says done, cancelled or failed)
 * @property {'threads' | 'processes'} backend
 */

const KERNELS = { square: 'compute_square', cube: 'compute_cube', collatz: 'collatz_steps' };
const WORK_KINDS = ['none', 'sleep', 'spin'];
const DEFAULTS = { numbers: '1, 2, 3, 4, 5', workers: '2', kernel: 'square', workMs: 2000 };
/** The engine's own bound on workers. */
const MAX_WORKERS = 256;
/** A demo's log is a glance at what happens, not a record: older lines drop off. */
const LOG_LINES = 100;

const STYLE = `
:host { display: block; }
:host([hidden]) { display: none; }
/* The host page's inherited styles (fonts, colours, spacing) stop here. */
.box {
  all: initial;
  display: block;
  box-sizing: border-box;
  max-width: 100%;
  padding: 14px 16px;
  border: 1px solid var(--webpool-border, #c9d1db);
  border-radius: var(--webpool-radius, 10px);
  background: var(--webpool-background, #ffffff);
  color: var(--webpool-text, #1b2330);
  font: 15px/1.45 var(--webpool-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif);
  text-align: start;
  overflow-wrap: anywhere;
  /* One colour per worker, as on webpool's page; the log names workers in them. */
  --lane-0: #3a6ba5; --lane-1: #2b7a50; --lane-2: #ad5a1c; --lane-3: #7a4e9c;
  --lane-4: #1d7379; --lane-5: #a03a59; --lane-6: #5b6a2c; --lane-7: #545f6d;
}
.box *, .box *::before, .box *::after { box-sizing: border-box; }
p, ol, form, fieldset { margin: 0; padding: 0; }
code, .results, .log, input[type=text] { font-family: ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
code { font-size: 0.93em; }
.title { margin-bottom: 10px; font-weight: 600; }
.title .work { font-weight: 400; color: var(--webpool-muted, #566170); }
form { display: flex; flex-wrap: wrap; gap: 10px 12px; align-items: flex-end; }
.field { display: flex; flex-direction: column; gap: 3px; min-width: 0; }
.numbers { flex: 1 1 14em; }
.workers input { width: 5.5em; }
select { width: auto; max-width: 100%; }
label { font-size: 13px; font-weight: 600; color: #3c4653; }
input, select, button { font: inherit; color: inherit; margin: 0; }
input, select {
  min-height: 36px;
  padding: 5px 8px;
  border: 1px solid #9aa5b3;
  border-radius: 6px;
  background: #ffffff;
  width: 100%;
}
input[aria-invalid=true] { border-color: #b42318; box-shadow: 0 0 0 1px #b42318; }
.actions { display: flex; gap: 8px; }
button {
  min-height: 36px;
  padding: 6px 16px;
  border: 1px solid var(--webpool-accent, #2c5cad);
  border-radius: 6px;
  background: var(--webpool-background, #ffffff);
  color: var(--webpool-accent, #2c5cad);
  font-weight: 600;
  cursor: pointer;
}
button.run { background: var(--webpool-accent, #2c5cad); color: var(--webpool-background, #ffffff); }
button.run:hover:not(:disabled) { filter: brightness(0.85); }
button:disabled { opacity: 0.45; cursor: default; }
input:focus-visible, select:focus-visible, button:focus-visible, .log-box:focus-visible {
  outline: 2px solid #1a62ff;
  outline-offset: 2px;
}
.field-error { flex-basis: 100%; color: #b42318; font-size: 14px; }
.field .field-error { flex-basis: auto; }
/* Empty, an error box stays in the accessibility tree (it is a live region) but takes no room. */
.field-error:empty { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
.field-error .error-context { margin-top: 2px; font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; color: #1b2330; white-space: pre-wrap; }
mark { background: #ffe58f; color: inherit; border-radius: 2px; }
.status { margin-top: 10px; font-size: 13px; color: var(--webpool-muted, #566170); }
.status[data-state=failed] { color: #b42318; }
.heading { margin-top: 12px; font-size: 13px; font-weight: 600; color: #3c4653; }
.results {
  display: block;
  margin: 3px 0 0;
  font-size: 15px;
  padding: 6px 8px;
  min-height: 2.2em;
  border-radius: 6px;
  background: #f3f5f8;
  white-space: pre-wrap;
}
.state { margin-top: 4px; font-size: 14px; }
.state[data-state=failed], .state[data-state=invalid] { color: #b42318; }
.log-box {
  margin-top: 3px;
  max-height: 11em;
  overflow: auto;
  padding: 6px 8px;
  border: 1px solid #d9dee5;
  border-radius: 6px;
}
.log { list-style: none; font-size: 13px; }
.log:empty::before { content: 'Nothing yet: press Run.'; color: #566170; }
.log li { display: grid; grid-template-columns: 4.6em 4.8em minmax(0, 1fr); gap: 8px; }
.log-time { color: #566170; white-space: pre; text-align: end; }
.log-worker { color: var(--lane, #566170); font-weight: 700; white-space: nowrap; }
.log-end .log-text { color: #a6501c; }
.log-error .log-text { color: #b42318; }
.log-note .log-text { color: #22703f; font-weight: 600; }
.log-omitted { margin-bottom: 3px; font-size: 13px; font-style: italic; color: #566170; }
.log-omitted[hidden] { display: none; }
/* A narrow demo (a phone, a sidebar) puts each line's words under its time and worker. */
.box { container-type: inline-size; }
@container (max-width: 420px) {
  .log li { display: flex; flex-wrap: wrap; gap: 0 8px; margin-bottom: 3px; }
  .log-time { white-space: normal; }
  .log-text { flex-basis: 100%; min-width: 0; }
}
@media (prefers-reduced-motion: no-preference) { button { transition: background-color 120ms; } }
`;

// Only constant markup here; every text that comes from a person or the engine is set with
// textContent.
const template = document.createElement('template');
template.innerHTML = `<style>${STYLE}</style>
<div class="box" part="box" role="group" aria-labelledby="title">
  <p class="title" part="title" id="title"><code>pool.map(<span class="fn">compute_square</span>, numbers)</code><span
    class="work"></span></p>
  <form novalidate part="form">
    <div class="field numbers">
      <label for="numbers" part="label">Numbers</label>
      <input id="numbers" part="input" type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
        aria-describedby="numbers-error">
      <div class="field-error" id="numbers-error" aria-live="assertive"></div>
    </div>
    <div class="field workers">
      <label for="workers" part="label">Workers</label>
      <input id="workers" part="input" type="number" min="1" max="${MAX_WORKERS}" step="1" inputmode="numeric"
        aria-describedby="workers-error">
    </div>
    <div class="field kernel">
      <label for="kernel" part="label">Kernel</label>
      <select id="kernel" part="input">
        <option value="square">square: n ** 2</option>
        <option value="cube">cube: n ** 3</option>
        <option value="collatz">collatz: Collatz steps of n (real computation)</option>
      </select>
    </div>
    <div class="actions">
      <button type="submit" class="run" part="run">Run</button>
      <button type="button" class="cancel" part="cancel" disabled>Cancel</button>
    </div>
    <div class="field-error" id="workers-error" aria-live="assertive"></div>
  </form>
  <p class="status" part="status" role="status" data-state="idle" data-backend="none"></p>
  <p class="heading" id="results-heading">Results</p>
  <pre class="results" part="results"></pre>
  <p class="state" part="state" role="status" data-state="idle"></p>
  <p class="heading" id="log-heading">Log</p>
  <div class="log-box" part="log" role="log" aria-live="off" tabindex="0" aria-labelledby="log-heading">
    <p class="log-omitted" hidden></p>
    <ol class="log"></ol>
  </div>
</div>`;

/**
 * `<webpool-demo>`: numbers, workers and a kernel to map, a Run and a Cancel button, the
 * ordered results, a live log of which worker computes what, and which backend it runs on.
 *
 * Attributes, each mirrored by a property (set either; the other follows, and so do the
 * controls): `numbers` (text as webpool reads it: `1 2 3`, `1..100`), `workers` (1 or
 * more), `kernel` (`square` | `cube`, arithmetic; `collatz`, the Collatz steps of each
 * number: real computation, longer for bigger numbers), `work` (`sleep` | `spin`: simulated
 * work per number) with `work-ms` (property `workMs`; default 2000, the tutorial's
 * `time.sleep(2)`), `chunksize` (items per task; default Python's rule) and `backend`
 * (`auto`, the default, `threads` or `processes`). What a person types in a control is
 * written back to its attribute.
 *
 * All the demos of a page share one pool (see shared-pool.js): no Web Worker starts before
 * the first Run, and one demo runs at a time; a demo whose Run comes while another runs
 * waits its turn and says so.
 *
 * Events (bubbling, composed): `webpool-start` (detail: the settings it runs with),
 * `webpool-task` for each batch of task events as the engine sends them (detail: the API's
 * {@link TaskBatch}: `detail.length`, `detail.event(i)`, or field by field without an object
 * per event, so that a run of many tiny tasks stays cheap),
 * `webpool-done` when a run ends, done or cancelled or failed with the results it kept
 * (detail: a {@link DemoResult}), and `webpool-error` when nothing could run (detail:
 * `{ code, message }`, with the API's error codes: `input` for numbers or settings that are
 * not valid, `unsupported`, `crashed`, ...). Methods: `run()`, `cancel()`.
 *
 * Theming: the custom properties `--webpool-accent`, `--webpool-background`,
 * `--webpool-text`, `--webpool-muted`, `--webpool-border`, `--webpool-radius` and
 * `--webpool-font`, and the parts `box`, `title`, `form`, `label`, `input`, `run`, `cancel`,
 * `status`, `results`, `state` and `log`.
 *
 * The status line (`.status` in the shadow root) carries `data-backend` and `data-state`.
 * A screen reader hears how a run ended in one sentence (`.state`), not the results.
 */
export class WebpoolDemo extends HTMLElement {
  static observedAttributes = ['numbers', 'workers', 'kernel', 'work', 'work-ms', 'chunksize', 'backend'];

  /** The shadow root's parts. */
  #ui;
  /** @type {TaskLog} */
  #log;
  /** @type {AbortController | null} */
  #running = null;
  /** @type {DemoResult | null} */
  #result = null;
  /** The backend the pool runs on, once this demo has run. @type {'threads' | 'processes' | null} */
  #ranOn = null;
  /** With a `lesson` attribute, the lesson's card, shown instead of the map. @type {LessonCard | null} */
  #lesson = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(template.content.cloneNode(true));
    const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
    this.#ui = {
      form: /** @type {HTMLFormElement} */ ($('form')),
      fn: $('.fn'),
      work: $('.work'),
      numbers: /** @type {HTMLInputElement} */ ($('#numbers')),
      numbersError: $('#numbers-error'),
      workers: /** @type {HTMLInputElement} */ ($('#workers')),
      workersError: $('#workers-error'),
      kernel: /** @type {HTMLSelectElement} */ ($('#kernel')),
      run: /** @type {HTMLButtonElement} */ ($('.run')),
      cancel: /** @type {HTMLButtonElement} */ ($('.cancel')),
      status: $('.status'),
      results: $('.results'),
      state: $('.state'),
    };
    this.#log = new TaskLog($('.log'), $('.log-omitted'), { maxLines: LOG_LINES });
    const { form, numbers, workers, kernel, cancel } = this.#ui;
    numbers.value = DEFAULTS.numbers;
    workers.value = DEFAULTS.workers;
    kernel.value = DEFAULTS.kernel;
    this.#showTitle();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run();
    });
    cancel.addEventListener('click', () => this.cancel());
    root.addEventListener('keydown', (event) => {
      if (/** @type {KeyboardEvent} */ (event).key === 'Escape' && this.#running) this.cancel();
    });
    numbers.addEventListener('input', () => showFieldError(numbers, this.#ui.numbersError, null));
    workers.addEventListener('input', () => showFieldError(workers, this.#ui.workersError, null));
    // What a person types becomes the attribute, so that the properties read what is shown.
    numbers.addEventListener('change', () => this.setAttribute('numbers', numbers.value));
    workers.addEventListener('change', () => this.setAttribute('workers', workers.value));
    kernel.addEventListener('change', () => this.setAttribute('kernel', kernel.value));
  }

  connectedCallback() {
    shared.join(this);
    const lesson = this.getAttribute('lesson');
    if (lesson !== null && !this.#lesson) {
      if (LESSON_IDS.includes(lesson)) this.#lesson = new LessonCard(/** @type {ShadowRoot} */ (this.shadowRoot), lesson, this.backend);
      else console.warn(`<webpool-demo>: lesson="${lesson}" is not one of ${LESSON_IDS.join(', ')}; showing the map`);
    }
    if (!this.#lesson) this.#showBackend();
  }

  disconnectedCallback() {
    // Moving the element disconnects and reconnects it at once: its run goes on then.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#running?.abort();
      this.#lesson?.dispose();
      this.#lesson = null;
      shared.leave(this);
    });
  }

  /** @param {string} name @param {string | null} _old @param {string | null} value */
  attributeChangedCallback(name, _old, value) {
    const { numbers, workers, kernel } = this.#ui;
    switch (name) {
      case 'numbers':
        if (numbers.value !== (value ?? DEFAULTS.numbers)) numbers.value = value ?? DEFAULTS.numbers;
        showFieldError(numbers, this.#ui.numbersError, null);
        break;
      case 'workers':
        if (workers.value !== (value ?? DEFAULTS.workers)) workers.value = value ?? DEFAULTS.workers;
        showFieldError(workers, this.#ui.workersError, null);
        break;
      case 'kernel':
        if (value !== null && !(value in KERNELS)) console.warn(`<webpool-demo>: kernel="${value}" is not square, cube or collatz; using square`);
        kernel.value = value !== null && value in KERNELS ? value : DEFAULTS.kernel;
        break;
      case 'work':
        if (value !== null && !WORK_KINDS.includes(value)) console.warn(`<webpool-demo>: work="${value}" is not sleep, spin or none; using none`);
        break;
      case 'backend':
        if (this.isConnected) this.#showBackend();
        break;
      default:
        break;
    }
    this.#showTitle();
  }

  /** The numbers, as text. */
  get numbers() { return this.#ui.numbers.value; }
  set numbers(value) { this.setAttribute('numbers', String(value)); }

  /** How many workers a run uses. */
  get workers() { return Number(this.#ui.workers.value); }
  set workers(value) { this.setAttribute('workers', String(value)); }

  /** `square`, `cube` or `collatz`. @returns {KernelName} */
  get kernel() { return /** @type {KernelName} */ (this.#ui.kernel.value); }
  set kernel(value) { this.setAttribute('kernel', String(value)); }

  /** Simulated work per number: `none`, `sleep` or `spin`. */
  get work() { return this.#work().kind; }
  set work(value) { this.setAttribute('work', String(value)); }

  /** How long each number's simulated work takes (ms). */
  get workMs() { return this.#work().ms ?? DEFAULTS.workMs; }
  set workMs(value) { this.setAttribute('work-ms', String(value)); }

  /** Items per task, or null for Python's default. @returns {number | null} */
  get chunksize() {
    const text = this.getAttribute('chunksize');
    return text === null || text.trim() === '' ? null : Number(text);
  }
  set chunksize(value) {
    if (value === null || value === undefined) this.removeAttribute('chunksize');
    else this.setAttribute('chunksize', String(value));
  }

  /** The backend asked for: `auto` (the default), `threads` or `processes`. */
  get backend() { return /** @type {import('./webpool.js').Backend | 'auto'} */ (this.getAttribute('backend') ?? 'auto'); }
  set backend(value) { this.setAttribute('backend', String(value)); }

  /** The backend the last run ran on (null before one has). */
  get ranOn() { return this.#ranOn; }

  /** What the last run gave (null before the first one ends). @returns {DemoResult | null} */
  get result() {
    return this.#result;
  }

  /**
   * Runs the map as the controls say, as if Run were pressed. Resolves with the run's result,
   * or null when the controls hold a mistake (shown beside the field) or nothing ran (a
   * `webpool-error` says why). Never rejects.
   * @returns {Promise<DemoResult | null>}
   */
  async run() {
    if (this.#running || this.#lesson) return null;
    const settings = this.#settings();
    if (!settings) return null;
    const controller = new AbortController();
    this.#running = controller;
    this.#setBusy(true);
    const { kernel } = settings;
    /** @type {(() => void) | null} */
    let done = null;
    try {
      this.#setState('running', 'Getting the pool…');
      const turn = await shared.take({
        owner: this, backend: this.backend, workers: settings.workers, signal: controller.signal,
        onWait: () => this.#setState('waiting', 'Waiting for its turn: another demo on this page is running. The demos share one pool and run one at a time.'),
        onStart: () => this.#setState('running', 'Starting the pool (the first Run on this page)…'),
      });
      done = turn.done;
      const { pool } = turn;
      this.#ranOn = pool.backend;
      this.#setStatus('ready', pool.backend, pool.backendReason);
      this.#log.clear();
      this.#ui.results.textContent = '';
      this.#setState('running', `Running on ${plural(settings.workers, 'worker')}…`);
      this.#emit('webpool-start', { ...settings, backend: pool.backend });
      /** @param {TaskBatch} batch */
      const onTasks = (batch) => {
        this.#log.addBatch(batch, kernel);
        this.#emit('webpool-task', batch);
      };
      /** @type {import('./webpool.js').MapResult} */
      let result;
      /** @type {Error | null} */
      let stopped = null;
      try {
        result = await pool.map(kernel, settings.numbers, { work: settings.work, chunksize: settings.chunksize ?? undefined, signal: controller.signal, onTasks });
      } catch (error) {
        const kept = stoppedResult(error);
        if (!kept) throw error;
        result = kept;
        stopped = /** @type {Error} */ (error);
      }
      // Everything shown is read now, so the engine can drop the results at once.
      const { report, values, head, tail } = result;
      result.release();
      this.#ui.results.textContent = resultList(values, head, tail, report);
      const status = /** @type {import('./ui/sentences.js').RunStatus} */ (report.status);
      const ended = runOutcome({
        status, computed: report.done, wanted: report.items, ms: report.wallMs, workers: report.workers,
        error: report.error?.message ?? stopped?.message,
      });
      this.#log.add({ at: report.wallMs, worker: null, kind: status === 'done' ? 'note' : status === 'cancelled' ? 'end' : 'error', text: ended });
      this.#log.flush();
      this.#setState(status, ended);
      this.#result = { values, report, backend: pool.backend };
      this.#emit('webpool-done', this.#result);
      return this.#result;
    } catch (error) {
      const code = codeOf(error);
      if (/** @type {Error} */ (error)?.name === 'InputError') {
        const { numbers, numbersError } = this.#ui;
        showInputError(numbers, numbersError, /** @type {import('./webpool.js').InputError} */ (error), settings.numbers, { select: true, around: 16 });
        this.#setState('invalid', FIX_NUMBERS);
      } else if (code === 'cancelled') {
        // Cancelled while it waited for its turn or for the pool.
        this.#setState('cancelled', 'Cancelled before it began: nothing was computed.');
      } else {
        this.#log.flush();
        this.#setState('failed', `The run stopped: ${messageOf(error)}`);
      }
      this.#emit('webpool-error', { code: code ?? 'crashed', message: messageOf(error) });
      return null;
    } finally {
      done?.();
      if (this.#running === controller) this.#running = null;
      this.#setBusy(false);
    }
  }

  /** Cancels the run in progress (or waiting for its turn); the results already computed are kept. */
  cancel() {
    if (!this.#running || this.#running.signal.aborted) return;
    this.#running.abort();
    this.#setState('cancelling', 'Cancelling: the workers stop at once…');
  }

  /** @param {string} type @param {unknown} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** The controls' values, or null after marking what is wrong beside its field (and saying so in a `webpool-error`). */
  #settings() {
    const { numbers, workers, workersError, kernel } = this.#ui;
    const count = Number(workers.value);
    /** @param {string} message */
    const wrong = (message) => {
      showFieldError(workers, workersError, message);
      workers.focus();
      this.#emit('webpool-error', { code: 'input', message });
      return null;
    };
    if (workers.value.trim() === '' || !Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
      return wrong(`Workers: a whole number from 1 to ${MAX_WORKERS}.`);
    }
    const chunksize = this.chunksize;
    if (chunksize !== null && (!Number.isInteger(chunksize) || chunksize < 1)) {
      return wrong(`chunksize="${this.getAttribute('chunksize')}": a whole number of 1 or more, or no attribute for Python's default.`);
    }
    showFieldError(workers, workersError, null);
    return {
      numbers: numbers.value,
      workers: count,
      kernel: /** @type {KernelName} */ (kernel.value in KERNELS ? kernel.value : DEFAULTS.kernel),
      work: this.#work(),
      chunksize,
    };
  }

  /** The simulated work the attributes ask for. @returns {Work} */
  #work() {
    const kind = this.getAttribute('work') ?? 'none';
    if (!WORK_KINDS.includes(kind)) return { kind: 'none' };
    if (kind === 'none') return { kind };
    const ms = Number(this.getAttribute('work-ms') ?? DEFAULTS.workMs);
    return { kind: /** @type {'sleep' | 'spin'} */ (kind), ms: Number.isFinite(ms) && ms >= 0 ? ms : DEFAULTS.workMs };
  }

  #showTitle() {
    const kernel = this.#ui.kernel.value in KERNELS ? this.#ui.kernel.value : DEFAULTS.kernel;
    this.#ui.fn.textContent = KERNELS[/** @type {KernelName} */ (kernel)];
    const work = this.#work();
    this.#ui.work.textContent = work.kind === 'sleep'
      ? `, each number sleeping ${duration(work.ms ?? 0)} (waits, like time.sleep)`
      : work.kind === 'spin' ? `, each number spinning ${duration(work.ms ?? 0)} (simulated computing: keeps a core busy)` : '';
  }

  /** Says which backend a Run will use and why, without starting anything. */
  #showBackend() {
    const wanted = this.backend;
    shared.loadApi().then(({ chooseBackend }) => {
      if (this.backend !== wanted || this.#running) return;
      const { backend, reason } = chooseBackend(wanted);
      this.#setStatus('idle', backend, `${reason} The pool starts at the first Run on this page.`);
    }).catch((error) => this.#setStatus('failed', 'none', messageOf(error)));
  }

  /** @param {string} state @param {string} backend @param {string} text */
  #setStatus(state, backend, text) {
    const { status } = this.#ui;
    status.dataset.state = state;
    status.dataset.backend = backend;
    status.textContent = text;
  }

  /** @param {string} state @param {string} text */
  #setState(state, text) {
    this.#ui.state.dataset.state = state;
    this.#ui.state.textContent = text;
  }

  /** @param {boolean} busy */
  #setBusy(busy) {
    const { run, cancel } = this.#ui;
    // The button the keyboard is on is about to be disabled: the focus goes to the other one.
    const refocus = this.shadowRoot?.activeElement === (busy ? run : cancel);
    run.disabled = busy;
    cancel.disabled = !busy;
    if (refocus) (busy ? cancel : run).focus();
  }
}

/**
 * The results as Python prints a list; `…` where an item was not computed, and only the
 * first and last few of a long run.
 * @param {(string | null)[] | null} values @param {string[]} head @param {string[]} tail
 * @param {Report} report
 */
function resultList(values, head, tail, report) {
  if (values) return pythonList(values.map((v) => v ?? '…'));
  return `[${head.join(', ')}, … ${tail.join(', ')}]  (${plural(report.done, 'result')}; the first and last ${head.length} shown)`;
}

if (!customElements.get('webpool-demo')) customElements.define('webpool-demo', WebpoolDemo);
