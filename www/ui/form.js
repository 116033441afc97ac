// The run form: numbers, workers, backend, kernel, simulated work and chunksize, the hints
// beside them, and their validation, each mistake shown at its own field. It knows nothing
// of runs: the session (app.js) asks it for the settings and tells it which pool may check
// the numbers.

import { chooseBackend, whyNoThreads } from '../webpool.js';
import { codeOf } from './errors.js';
import { showFieldError, showInputError } from './field-error.js';
import { defaultChunksize, plural } from './format.js';

/** @typedef {import('../webpool.js').Pool} Pool */
/** @typedef {import('../webpool.js').Work} Work */
/** @typedef {import('../webpool.js').Backend} Backend */
/** @typedef {'square' | 'cube' | 'collatz' | 'both'} Mode */

/**
 * What a run is asked to do.
 * @typedef {object} Settings
 * @property {string} text
 * @property {number} workers
 * @property {Mode} mode
 * @property {Work} work
 * @property {number | undefined} chunksize
 */

/** What the engine made of the numbers: how many, and the first and last few. @typedef {{ length: number, first: string[], last: string[] }} Preview */

const KERNEL_TEXT = { square: 'compute_square', cube: 'compute_cube', collatz: 'collatz_steps', both: 'compute_square, then compute_cube' };
const MAX_WORK_MS = 600_000;

export class RunForm {
  /**
   * @param {HTMLFormElement} form  the page's #run-form
   * @param {{ cores: number, submit: () => void, backendChanged: () => void, parser: () => Pool | null }} host
   *   `submit`: Run (or Ctrl+Enter) was pressed; `parser`: the pool that may check the numbers
   *   now, or null while it must not be disturbed
   */
  constructor(form, host) {
    this.form = form;
    this.host = host;
    const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (form.querySelector(`#${id}`));
    this.numbers = /** @type {HTMLTextAreaElement} */ ($('numbers'));
    this.numbersError = $('numbers-error');
    this.numbersCount = $('numbers-count');
    this.workers = /** @type {HTMLInputElement} */ ($('workers'));
    this.workersError = $('workers-error');
    this.backend = /** @type {HTMLSelectElement} */ ($('backend'));
    this.backendHelp = $('backend-help');
    this.kernelName = $('kernel-name');
    this.workMs = /** @type {HTMLInputElement} */ ($('work-ms'));
    this.workError = $('work-error');
    this.chunksize = /** @type {HTMLInputElement} */ ($('chunksize'));
    this.chunksizeHelp = $('chunksize-help');
    this.chunksizeError = $('chunksize-error');
    /** More than 8 workers only pay off for sleeping tasks; a few per core is plenty to see it. */
    this.maxWorkers = Math.min(256, Math.max(8, 4 * host.cores));
    /** The latest preview of the typed numbers, to size the chunksize hint. @type {Preview | null} */
    this.preview = null;
    this.checkTimer = 0;
    this.checkSeq = 0;

    this.workers.max = String(this.maxWorkers);
    $('workers-help').textContent = `1 to ${this.maxWorkers}. This device has ${plural(host.cores, 'core')}; the tutorial uses 2.`;
    this.#setupBackend();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      host.submit();
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        host.submit();
      }
    });
    $('preset-tutorial').addEventListener('click', () => {
      this.#choose('work', 'sleep');
      this.workMs.value = '2000';
      this.sync();
    });
    this.numbers.addEventListener('input', () => this.checkSoon());
    form.addEventListener('input', (event) => {
      if (event.target !== this.numbers) this.sync();
    });
    form.addEventListener('change', () => this.sync());
    this.sync();
  }

  /** The backend the select asks for: `auto`, `threads` or `processes`. */
  get backendChoice() {
    return /** @type {Backend | 'auto'} */ (this.backend.value);
  }

  /** Changing the backend replaces the pool: never under a run or a lesson. @param {boolean} locked */
  lockBackend(locked) {
    this.backend.disabled = locked;
  }

  /** The worker count typed, if it is a usable one. */
  chosenWorkers() {
    const n = Number(this.workers.value);
    return this.workers.value.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= this.maxWorkers ? n : null;
  }

  /** The form's values, or null after marking each mistake at its field (the first takes the focus). @returns {Settings | null} */
  read() {
    const workers = this.chosenWorkers();
    showFieldError(this.workers, this.workersError, workers ? null : `Choose a whole number of workers from 1 to ${this.maxWorkers}.`);

    const kind = /** @type {'none' | 'sleep' | 'spin'} */ (this.#radio('work') || 'none');
    const ms = Number(this.workMs.value);
    const goodMs = kind === 'none' || (this.workMs.value.trim() !== '' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_WORK_MS);
    showFieldError(this.workMs, this.workError, goodMs ? null : `The duration is a number of milliseconds from 0 to ${MAX_WORK_MS}.`);

    const chunkText = this.chunksize.value.trim();
    const chunksize = chunkText === '' ? undefined : Number(chunkText);
    const goodChunk = !this.chunksize.validity.badInput && (chunksize === undefined || (Number.isInteger(chunksize) && chunksize >= 1));
    showFieldError(this.chunksize, this.chunksizeError, goodChunk ? null : 'The chunksize is a whole number of 1 or more, or blank for Python\'s default.');

    if (!workers || !goodMs || !goodChunk) {
      /** @type {HTMLElement | null} */ (this.form.querySelector('[aria-invalid="true"]'))?.focus();
      return null;
    }
    return {
      text: this.numbers.value,
      workers,
      mode: /** @type {Mode} */ (this.#radio('kernel') || 'square'),
      work: kind === 'none' ? { kind } : { kind, ms },
      chunksize,
    };
  }

  /**
   * Asks `pool` to parse the numbers: shows how many there are, or the mistake at the field
   * (selecting the token when `select`). Resolves with the preview, or null for a mistake;
   * rejects when the pool could not answer (it restarted, or closed).
   * @param {Pool} pool @param {{ select?: boolean }} [options]
   * @returns {Promise<Preview | null>}
   */
  async check(pool, { select = false } = {}) {
    const seq = ++this.checkSeq;
    const text = this.numbers.value;
    try {
      const parsed = /** @type {Preview} */ (await pool.parse(text));
      if (seq !== this.checkSeq) return parsed;
      this.preview = parsed;
      showFieldError(this.numbers, this.numbersError, null);
      const { length, first, last } = parsed;
      this.numbersCount.textContent = length <= 5
        ? `${plural(length, 'number')}: ${first.join(', ')}.`
        : `${plural(length, 'number')}: ${first.slice(0, 3).join(', ')}, … ${last[last.length - 1]}.`;
      this.sync();
      return parsed;
    } catch (error) {
      if (codeOf(error) !== 'input') throw error;
      if (seq === this.checkSeq) {
        this.numbersCount.textContent = '';
        showInputError(this.numbers, this.numbersError, /** @type {import('../webpool.js').InputError} */ (error), text, { select });
      }
      return null;
    }
  }

  /** Checks the numbers a moment after the last keystroke, if the session lets a pool do it. */
  checkSoon(delay = 350) {
    clearTimeout(this.checkTimer);
    this.checkTimer = window.setTimeout(() => {
      const pool = this.host.parser();
      // A check the pool could not answer is simply made again at the next keystroke or run.
      if (pool) this.check(pool).catch(() => {});
    }, delay);
  }

  /** Keeps the hints in step with the values. */
  sync() {
    const mode = /** @type {Mode} */ (this.#radio('kernel') || 'square');
    this.kernelName.textContent = KERNEL_TEXT[mode];
    this.workMs.disabled = this.#radio('work') === 'none';
    const workers = this.chosenWorkers();
    if (this.preview && workers) {
      const chunk = defaultChunksize(this.preview.length, workers);
      const tasks = Math.ceil(this.preview.length / chunk);
      this.chunksizeHelp.textContent = `Blank: Python's default, about four tasks per worker — here ${plural(chunk, 'number')} `
        + `per task, ${plural(tasks, 'task')} on ${plural(workers, 'worker')}.`;
    }
  }

  /**
   * Says which backend Automatic picks here, and disables Threads (saying why) where the
   * page cannot have them.
   */
  #setupBackend() {
    const automatic = /** @type {HTMLOptionElement} */ (this.backend.querySelector('option[value=auto]'));
    automatic.textContent = `Automatic: ${chooseBackend('auto').backend} here`;
    const why = whyNoThreads();
    if (why === 'file') {
      // Opened from disk (the offline file): never isolated, so threads are not offered at all.
      this.backend.querySelector('option[value=threads]')?.remove();
      this.backendHelp.textContent = 'Opened from a file, this page offers no threads: threads share one memory, which '
        + 'browsers allow only on pages served with the COOP/COEP headers. Its workers are processes: each has memory '
        + 'of its own and gets its tasks and results as copied messages, as Python\'s processes do.';
    } else if (why) {
      const threads = /** @type {HTMLOptionElement} */ (this.backend.querySelector('option[value=threads]'));
      threads.disabled = true;
      threads.textContent = `Threads (shared memory): not ${why === 'no-shared-memory' ? 'in this browser' : 'on this page'}`;
      const processes = 'its workers are processes: each has memory of its own and gets its tasks and results as '
        + 'copied messages, as Python\'s processes do.';
      if (why === 'no-shared-memory') {
        // WebKitGTK: isolated, yet without SharedArrayBuffer; no header would change that.
        this.backendHelp.textContent = `Threads share one memory through SharedArrayBuffer, which this browser does not offer, so ${processes}`;
      } else {
        const code = document.createElement('code');
        code.textContent = './build.sh serve';
        this.backendHelp.replaceChildren(
          'Threads need a cross-origin isolated page (served with the COOP/COEP headers, as ', code,
          ` does); this one is not, so ${processes}`,
        );
      }
      // A browser restoring the form after a reload may bring back a choice this page cannot have.
      if (this.backend.value === 'threads') this.backend.value = 'auto';
    }
    this.backend.addEventListener('change', () => this.host.backendChanged());
  }

  /** @param {string} name */
  #radio(name) {
    return /** @type {HTMLInputElement | null} */ (this.form.querySelector(`input[name="${name}"]:checked`))?.value ?? '';
  }

  /** @param {string} name @param {string} value */
  #choose(name, value) {
    const input = /** @type {HTMLInputElement | null} */ (this.form.querySelector(`input[name="${name}"][value="${value}"]`));
    if (input) input.checked = true;
  }
}
