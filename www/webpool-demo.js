// <webpool-demo>: the tutorial's `pool.map` as one element that a tutorial author drops into
// any page, beside webpool.js, engine.js and pkg/:
//
//   <script type="module" src="webpool-demo.js"></script>
//   <webpool-demo numbers="1 2 3 4 5" workers="2" kernel="square"></webpool-demo>
//
// Everything it shows lives in its own (open) shadow root with its own styles, so the host
// page's CSS cannot reach inside and nothing is added to the host document. It uses only
// webpool.js's public API, as any other script would.

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

/** The API is loaded once per page, from beside this file, whatever folder that is. */
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
}
.box *, .box *::before, .box *::after { box-sizing: border-box; }
p, ol, form, fieldset { margin: 0; padding: 0; }
code, output, .log, input[type=text] { font-family: ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
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
input:focus-visible, select:focus-visible, button:focus-visible, .log:focus-visible {
  outline: 2px solid #1a62ff;
  outline-offset: 2px;
}
.error { flex-basis: 100%; color: #b42318; font-size: 14px; }
.field .error { flex-basis: auto; }
.error[hidden] { display: none; }
.error .context { margin-top: 2px; font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; color: #1b2330; white-space: pre-wrap; }
mark { background: #ffe58f; color: inherit; border-radius: 2px; }
.status { margin-top: 10px; font-size: 13px; color: #566170; }
.status[data-state=failed] { color: #b42318; }
.heading { margin-top: 12px; font-size: 13px; font-weight: 600; color: #3c4653; }
output {
  display: block;
  margin-top: 3px;
  padding: 6px 8px;
  min-height: 2.2em;
  border-radius: 6px;
  background: #f3f5f8;
  white-space: pre-wrap;
}
.state { margin-top: 4px; font-size: 14px; }
.state[data-state=failed], .state[data-state=invalid] { color: #b42318; }
.log {
  margin-top: 3px;
  max-height: 11em;
  overflow: auto;
  list-style: none;
  padding: 6px 8px;
  border: 1px solid #d9dee5;
  border-radius: 6px;
  font-size: 13px;
}
.log:empty::before { content: 'Nothing yet: press Run.'; color: #566170; }
.log .at { display: inline-block; min-width: 5em; color: #566170; }
.log .error { color: #b42318; }
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
      <div class="error" id="numbers-error" aria-live="assertive" hidden></div>
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
    <div class="error" id="workers-error" aria-live="assertive" hidden></div>
  </form>
  <p class="status" role="status" data-state="idle" data-backend="none"></p>
  <p class="heading" id="results-heading">Results</p>
  <output aria-labelledby="results-heading"></output>
  <p class="state" role="status" data-state="idle"></p>
  <p class="heading" id="log-heading">Log</p>
  <ol class="log" role="log" aria-live="off" tabindex="0" aria-labelledby="log-heading"></ol>
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
 */
export class WebpoolDemo extends HTMLElement {
  static observedAttributes = ['numbers', 'workers', 'kernel', 'work', 'work-ms', 'backend'];

  /** The shadow root's parts. */
  #ui;
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
  /** @type {HTMLLIElement[]} */
  #pendingLog = [];
  #logFrame = 0;

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
      output: $('output'),
      state: $('.state'),
      log: $('.log'),
    };
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
    numbers.addEventListener('input', () => showError(numbers, this.#ui.numbersError, null));
    workers.addEventListener('input', () => showError(workers, this.#ui.workersError, null));
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
        showError(numbers, this.#ui.numbersError, null);
        break;
      case 'workers':
        workers.value = value ?? DEFAULTS.workers;
        showError(workers, this.#ui.workersError, null);
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
    const kernel = settings.kernel;
    try {
      const { RunError } = await loadApi();
      if (!this.#pool) this.#setState('running', 'Starting the pool…');
      const pool = await this.#ensurePool();
      if (pool.workers !== settings.workers) await pool.resize(settings.workers);
      this.#clearLog();
      this.#ui.output.textContent = '';
      this.#setState('running', `Running on ${plural(settings.workers, 'worker')}…`);
      /** @param {TaskEvent} e */
      const onTask = (e) => {
        const n = e.end - e.first;
        if (e.type === 'start') {
          const what = n === 1 ? kernel : `${kernel}s`;
          this.#log(e.start, `worker ${e.worker + 1} computes ${what} of ${describe(e.inputs ?? [], n)}`);
        } else if (e.status !== 'done') {
          this.#log(e.finish, `worker ${e.worker + 1}: task ${e.task} ${e.status} after ${e.done} of ${plural(n, 'item')}`, 'error');
        }
      };
      let result;
      try {
        result = await pool.map(kernel, settings.numbers, { work: settings.work, signal: controller.signal, onTask });
      } catch (error) {
        if (!(error instanceof RunError)) throw error;
        result = error.result;
      }
      // Everything shown is read now, so the engine can drop the results at once.
      const { report, values, head, tail } = result;
      result.release();
      this.#ui.output.textContent = pythonList(values, head, tail, report);
      const took = `${plural(report.done, 'result')} in ${seconds(report.wallMs)} on ${plural(report.workers, 'worker')}`;
      const ended = {
        done: `Done: ${took}.`,
        cancelled: `Cancelled: ${report.done} of ${plural(report.items, 'result')} computed; they are kept above.`,
        failed: `A task failed: ${report.error?.message ?? 'unknown error'}. The results computed before it are kept above.`,
      }[report.status];
      this.#log(report.wallMs, ended, report.status === 'done' ? 'note' : 'error');
      this.#flushLog();
      this.#setState(report.status, ended);
      this.#result = { values, report, backend: pool.backend };
      this.dispatchEvent(new CustomEvent('webpool-done', { detail: this.#result, bubbles: true, composed: true }));
      return this.#result;
    } catch (error) {
      const { InputError } = await loadApi().catch(() => ({ InputError: null }));
      if (InputError && error instanceof InputError) {
        this.#showInputError(error, settings.numbers);
        this.#setState('invalid', 'Fix the numbers first (see the message beside them).');
      } else {
        this.#flushLog();
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
      showError(workers, workersError, `Workers: a whole number from 1 to ${MAX_WORKERS}.`);
      workers.focus();
      return null;
    }
    showError(workers, workersError, null);
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
      ? `, each number sleeping ${seconds(work.ms ?? 0)} (waits, like time.sleep)`
      : work.kind === 'spin' ? `, each number computing for ${seconds(work.ms ?? 0)} (keeps a core busy)` : '';
  }

  /** The pool for the backend the attribute asks for, started if need be. */
  #ensurePool() {
    if (this.#poolFor === this.#wantedBackend() && (this.#pool || this.#starting)) {
      return this.#pool ? Promise.resolve(this.#pool) : /** @type {Promise<Pool>} */ (this.#starting);
    }
    return this.#startPool();
  }

  #wantedBackend() {
    return this.getAttribute('backend') ?? 'auto';
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
    // Keep the keyboard where it was: the button it was on is about to be disabled.
    const refocus = this.shadowRoot?.activeElement === (busy ? run : cancel);
    run.disabled = busy;
    cancel.disabled = !busy;
    if (refocus) (busy ? cancel : run).focus();
  }

  /**
   * The mistake beside the numbers, its token marked in context, and selected in the field.
   * @param {import('./webpool.js').InputError} error @param {string} text
   */
  #showInputError(error, text) {
    const { numbers, numbersError } = this.#ui;
    showError(numbers, numbersError, error.message);
    const { start, end } = error;
    if (start === undefined || end === undefined || end <= start) return;
    const from = Math.max(0, start - 16);
    const to = Math.min(text.length, end + 16);
    const context = document.createElement('p');
    context.className = 'context';
    const mark = document.createElement('mark');
    mark.textContent = text.slice(start, end);
    context.append(`${from > 0 ? '…' : ''}${text.slice(from, start)}`, mark, `${text.slice(end, to)}${to < text.length ? '…' : ''}`);
    numbersError.append(context);
    numbers.focus();
    numbers.setSelectionRange(start, end);
  }

  #clearLog() {
    cancelAnimationFrame(this.#logFrame);
    this.#logFrame = 0;
    this.#pendingLog = [];
    this.#ui.log.replaceChildren();
  }

  /**
   * Adds a line to the log with the next frame: many tasks may start within one.
   * @param {number} at ms since the run started @param {string} text
   * @param {'start' | 'note' | 'error'} [kind]
   */
  #log(at, text, kind = 'start') {
    const li = document.createElement('li');
    li.className = kind;
    const time = document.createElement('span');
    time.className = 'at';
    time.textContent = seconds(at);
    li.append(time, ' ', text);
    this.#pendingLog.push(li);
    if (this.#pendingLog.length > LOG_LINES) this.#pendingLog.shift();
    this.#logFrame ||= requestAnimationFrame(() => this.#flushLog());
  }

  #flushLog() {
    cancelAnimationFrame(this.#logFrame);
    this.#logFrame = 0;
    const { log } = this.#ui;
    const follow = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    log.append(...this.#pendingLog);
    this.#pendingLog = [];
    while (log.childElementCount > LOG_LINES) log.firstElementChild?.remove();
    if (follow) log.scrollTop = log.scrollHeight;
  }
}

/**
 * Shows `message` under a field (null clears it).
 * @param {HTMLInputElement} field @param {HTMLElement} box @param {string | null} message
 */
function showError(field, box, message) {
  if (message === null) {
    field.removeAttribute('aria-invalid');
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  field.setAttribute('aria-invalid', 'true');
  const p = document.createElement('p');
  p.textContent = message;
  box.replaceChildren(p);
  box.hidden = false;
}


/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));

const grouped = new Intl.NumberFormat('en');

/** `1 worker`, `1,000 results`. @param {number} n @param {string} one */
function plural(n, one) {
  return `${grouped.format(n)} ${n === 1 ? one : `${one}s`}`;
}

/** `0.00 s`, `1.25 s`: the log's clock, in the tutorial's seconds. @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * A task's items as the log names them: `3`; `1, 2, 3`; `1, 2, 3, … 40`. The engine sends all
 * the inputs of a task of up to 4 items, otherwise the first three and the last.
 * @param {string[]} inputs @param {number} n
 */
function describe(inputs, n) {
  return n <= 4 ? inputs.join(', ') : `${inputs.slice(0, 3).join(', ')}, … ${inputs.at(-1)}`;
}

/**
 * The results as Python prints a list; `…` where an item was not computed, and only the
 * first and last few of a long run.
 * @param {(string | null)[] | null} values @param {string[]} head @param {string[]} tail
 * @param {Report} report
 */
function pythonList(values, head, tail, report) {
  if (values) return `[${values.map((v) => v ?? '…').join(', ')}]`;
  return `[${head.join(', ')}, … ${tail.join(', ')}]  (${plural(report.done, 'result')}; the first and last ${head.length} shown)`;
}

if (!customElements.get('webpool-demo')) customElements.define('webpool-demo', WebpoolDemo);
