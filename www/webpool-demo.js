// <webpool-demo>: the tutorial's `pool.map` as one element that a tutorial author drops into
// any page, beside webpool.js, engine.js, processes.js, process.js, ui/ and pkg/:
//
//   <script type="module" src="webpool-demo.js"></script>
//   <webpool-demo numbers="1 2 3 4 5" workers="2" kernel="square"></webpool-demo>
//
// Everything it shows lives in its own (open) shadow root with its own styles, so the host
// page's CSS cannot reach inside and nothing is added to the host document. It uses only
// webpool.js's public API, as any other script would, and the page's own modules in ui/ for
// what a run says (its log lines and its outcome, worded as on the page) and for showing a
// mistake at its field.

import { codeOf, messageOf, stoppedResult } from './ui/errors.js';
import { showFieldError, showInputError } from './ui/field-error.js';
import { duration, plural, pythonList } from './ui/format.js';
import { TaskLog } from './ui/log.js';
import { FIX_NUMBERS, runOutcome, taskStarted, taskStopped } from './ui/sentences.js';

/** @typedef {import('./webpool.js').Pool} Pool */
/** @typedef {import('./webpool.js').Report} Report */
/** @typedef {import('./webpool.js').TaskEvent} TaskEvent */
/** @typedef {import('./webpool.js').Work} Work */
/** @typedef {'square' | 'cube'} KernelName */

/**
 * What the last run gave: the `detail` of the `webpool-done` event and the element's `result`.
 * @typedef {object} DemoResult
 * @property {(string | null)[] | null} values  results by position as Python prints them (null
 *   where an item was not computed; the whole list is null above 10,000 items)
 * @property {Report} report   the run's report (its `status` says done, cancelled or failed)
 * @property {'threads' | 'processes'} backend
 */

/**
 * The API is loaded once per page, from beside this file, whatever folder that is, when the
 * first element starts its pool.
 * @type {Promise<typeof import('./webpool.js')> | undefined}
 */
let api;
const loadApi = () => (api ??= import(new URL('webpool.js', import.meta.url).href));

const KERNELS = { square: 'compute_square', cube: 'compute_cube' };
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
  border: 1px solid #c9d1db;
  border-radius: 10px;
  background: #ffffff;
  color: #1b2330;
  font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif;
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
.title .work { font-weight: 400; color: #566170; }
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
  border: 1px solid #2c5cad;
  border-radius: 6px;
  background: #ffffff;
  color: #2c5cad;
  font-weight: 600;
  cursor: pointer;
}
button.run { background: #2c5cad; color: #ffffff; }
button.run:hover:not(:disabled) { background: #234a8c; }
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
.status { margin-top: 10px; font-size: 13px; color: #566170; }
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
<div class="box" role="group" aria-labelledby="title">
  <p class="title" id="title"><code>pool.map(<span class="fn">compute_square</span>, numbers)</code><span
    class="work"></span></p>
  <form novalidate>
    <div class="field numbers">
      <label for="numbers">Numbers</label>
      <input id="numbers" type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
        aria-describedby="numbers-error">
      <div class="field-error" id="numbers-error" aria-live="assertive"></div>
    </div>
    <div class="field workers">
      <label for="workers">Workers</label>
      <input id="workers" type="number" min="1" max="${MAX_WORKERS}" step="1" inputmode="numeric"
        aria-describedby="workers-error">
    </div>
    <div class="field kernel">
      <label for="kernel">Kernel</label>
      <select id="kernel">
        <option value="square">square: n ** 2</option>
        <option value="cube">cube: n ** 3</option>
      </select>
    </div>
    <div class="actions">
      <button type="submit" class="run">Run</button>
      <button type="button" class="cancel" disabled>Cancel</button>
    </div>
    <div class="field-error" id="workers-error" aria-live="assertive"></div>
  </form>
  <p class="status" role="status" data-state="idle" data-backend="none"></p>
  <p class="heading" id="results-heading">Results</p>
  <pre class="results"></pre>
  <p class="state" role="status" data-state="idle"></p>
  <p class="heading" id="log-heading">Log</p>
  <div class="log-box" role="log" aria-live="off" tabindex="0" aria-labelledby="log-heading">
    <p class="log-omitted" hidden></p>
    <ol class="log"></ol>
  </div>
</div>`;

/**
 * `<webpool-demo>`: numbers, workers and a kernel to map, a Run and a Cancel button, the
 * ordered results, a live log of which worker computes what, and which backend it runs on.
 *
 * Attributes: `numbers` (text as webpool reads it: `1 2 3`, `1..100`), `workers` (1 or more),
 * `kernel` (`square` | `cube`), `work` (`sleep` | `spin`: simulated work per number) with
 * `work-ms` (default 2000, the tutorial's `time.sleep(2)`), and `backend` (`auto`, the default,
 * `threads` or `processes`). Changing an attribute updates the controls.
 *
 * Fires `webpool-done` (bubbling) when a run ends, with a {@link DemoResult} as its detail.
 * The status line (`.status` in the shadow root) carries `data-backend` and `data-state`.
 * A screen reader hears how a run ended in one sentence (`.state`), not the results.
 */
export class WebpoolDemo extends HTMLElement {
  static observedAttributes = ['numbers', 'workers', 'kernel', 'work', 'work-ms', 'backend'];

  /** The shadow root's parts. */
  #ui;
  /** @type {TaskLog} */
  #log;
  /** @type {Pool | null} */
  #pool = null;
  /** @type {Promise<Pool> | null} */
  #starting = null;
  /** The backend the current pool was asked for, to know when the attribute changes it. */
  #poolFor = '';
  /** @type {AbortController | null} */
  #running = null;
  /** @type {DemoResult | null} */
  #result = null;

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
    kernel.addEventListener('change', () => this.#showTitle());
    this.#setStatus('idle', 'none', 'The pool starts when this demo is on the page.');
  }

  connectedCallback() {
    // Started at once, so the status line can say which backend it will be before Run.
    if (!this.#pool && !this.#starting) this.#startPool().catch(() => {});
  }

  disconnectedCallback() {
    // Moving the element disconnects and reconnects it at once: keep the pool for that.
    queueMicrotask(() => {
      if (!this.isConnected) this.#closePool();
    });
  }

  /** @param {string} name @param {string | null} _old @param {string | null} value */
  attributeChangedCallback(name, _old, value) {
    const { numbers, workers, kernel } = this.#ui;
    switch (name) {
      case 'numbers':
        numbers.value = value ?? DEFAULTS.numbers;
        showFieldError(numbers, this.#ui.numbersError, null);
        break;
      case 'workers':
        workers.value = value ?? DEFAULTS.workers;
        showFieldError(workers, this.#ui.workersError, null);
        break;
      case 'kernel':
        if (value !== null && !(value in KERNELS)) console.warn(`<webpool-demo>: kernel="${value}" is not square or cube; using square`);
        kernel.value = value !== null && value in KERNELS ? value : DEFAULTS.kernel;
        break;
      case 'work':
        if (value !== null && !WORK_KINDS.includes(value)) console.warn(`<webpool-demo>: work="${value}" is not sleep, spin or none; using none`);
        break;
      case 'backend':
        // A new backend needs a new pool, but never under a run in progress.
        if (this.isConnected && !this.#running && (this.#pool || this.#starting)) this.#startPool().catch(() => {});
        break;
      default:
        break;
    }
    this.#showTitle();
  }

  /** What the last run gave (null before the first one ends). @returns {DemoResult | null} */
  get result() {
    return this.#result;
  }

  /** The backend the pool runs on, once it has started. @returns {'threads' | 'processes' | null} */
  get backend() {
    return this.#pool ? this.#pool.backend : null;
  }

  /**
   * Runs the map as the controls say, as if Run were pressed. Resolves with the run's result,
   * or null when the controls hold a mistake (shown beside the field) or nothing ran.
   * @returns {Promise<DemoResult | null>}
   */
  async run() {
    if (this.#running) return null;
    const settings = this.#settings();
    if (!settings) return null;
    const controller = new AbortController();
    this.#running = controller;
    this.#setBusy(true);
    const { kernel } = settings;
    try {
      if (!this.#pool) this.#setState('running', 'Starting the pool…');
      const pool = await this.#ensurePool();
      if (pool.workers !== settings.workers) await pool.resize(settings.workers);
      this.#log.clear();
      this.#ui.results.textContent = '';
      this.#setState('running', `Running on ${plural(settings.workers, 'worker')}…`);
      /** @param {TaskEvent} e */
      const onTask = (e) => {
        const n = e.end - e.first;
        if (e.type === 'start') {
          const inputs = e.inputs ?? [];
          this.#log.add({ at: e.start, worker: e.worker, kind: 'start', text: () => taskStarted(kernel, inputs, n, e.task) });
        } else if (e.status !== 'done') {
          this.#log.add({ at: e.finish, worker: e.worker, kind: e.status === 'cancelled' ? 'end' : 'error', text: taskStopped(e.task, e.status, e.done, n) });
        }
      };
      /** @type {import('./webpool.js').MapResult} */
      let result;
      /** @type {Error | null} */
      let stopped = null;
      try {
        result = await pool.map(kernel, settings.numbers, { work: settings.work, signal: controller.signal, onTask });
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
      this.dispatchEvent(new CustomEvent('webpool-done', { detail: this.#result, bubbles: true, composed: true }));
      return this.#result;
    } catch (error) {
      if (codeOf(error) === 'input') {
        const { numbers, numbersError } = this.#ui;
        showInputError(numbers, numbersError, /** @type {import('./webpool.js').InputError} */ (error), settings.numbers, { select: true, around: 16 });
        this.#setState('invalid', FIX_NUMBERS);
      } else if (codeOf(error) === 'cancelled') {
        // Cancelled while the pool was still getting ready.
        this.#setState('cancelled', 'Cancelled before it began: nothing was computed.');
      } else {
        this.#log.flush();
        this.#setState('failed', `The run stopped: ${messageOf(error)}`);
      }
      return null;
    } finally {
      if (this.#running === controller) this.#running = null;
      this.#setBusy(false);
    }
  }

  /** Cancels the run in progress; the results already computed are kept. */
  cancel() {
    if (!this.#running || this.#running.signal.aborted) return;
    this.#running.abort();
    this.#setState('cancelling', 'Cancelling: the workers stop at once…');
  }

  /** The controls' values, or null after marking what is wrong beside its field. */
  #settings() {
    const { numbers, workers, workersError, kernel } = this.#ui;
    const count = Number(workers.value);
    if (workers.value.trim() === '' || !Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
      showFieldError(workers, workersError, `Workers: a whole number from 1 to ${MAX_WORKERS}.`);
      workers.focus();
      return null;
    }
    showFieldError(workers, workersError, null);
    return {
      numbers: numbers.value,
      workers: count,
      kernel: /** @type {KernelName} */ (kernel.value in KERNELS ? kernel.value : DEFAULTS.kernel),
      work: this.#work(),
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
      : work.kind === 'spin' ? `, each number computing for ${duration(work.ms ?? 0)} (keeps a core busy)` : '';
  }

  /** The pool for the backend the attribute asks for, started if need be. */
  #ensurePool() {
    if (this.#poolFor === this.#wantedBackend() && (this.#pool || this.#starting)) {
      return this.#pool ? Promise.resolve(this.#pool) : /** @type {Promise<Pool>} */ (this.#starting);
    }
    return this.#startPool();
  }

  #wantedBackend() {
    return /** @type {import('./webpool.js').Backend | 'auto'} */ (this.getAttribute('backend') ?? 'auto');
  }

  /** Starts a pool (closing any other) and says on which backend and why. */
  #startPool() {
    this.#closePool();
    const backend = this.#wantedBackend();
    const count = Number(this.#ui.workers.value);
    const workers = Number.isInteger(count) && count >= 1 && count <= MAX_WORKERS ? count : Number(DEFAULTS.workers);
    this.#poolFor = backend;
    this.#setStatus('starting', 'none', `Starting a pool of ${plural(workers, 'worker')}…`);
    const starting = loadApi().then(({ createPool }) => createPool({ workers, backend }));
    this.#starting = starting;
    starting.then((pool) => {
      // Superseded (another backend, or the element left the page) while it started.
      if (this.#starting !== starting) {
        pool.close();
        return;
      }
      this.#pool = pool;
      this.#starting = null;
      this.#setStatus('ready', pool.backend, pool.backendReason);
    }, (error) => {
      if (this.#starting !== starting) return;
      this.#starting = null;
      this.#setStatus('failed', 'none', `The pool could not start: ${messageOf(error)}`);
    });
    return starting;
  }

  #closePool() {
    this.#running?.abort();
    this.#pool?.close();
    this.#pool = null;
    this.#starting = null;
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
