// The status line: which backend runs the pool and why (the API's own sentence), how many
// workers it has, and, where threads cannot run, what would allow them.

import { plural } from './format.js';
import { whyNoThreads } from '../webpool.js';

/**
 * @typedef {object} Status
 * @property {'starting' | 'ready' | 'restarting' | 'failed'} state
 * @property {'threads' | 'processes' | null} backend  the pool's (or the one starting)
 * @property {string} [reason]       why that backend: `pool.backendReason`, or `chooseBackend`'s
 * @property {boolean} threads       whether threads can run on this page (`threadsAvailable()`)
 * @property {number} [workers]      workers of the next run
 * @property {number} [threadCount]  threads: Web Workers the engine runs; processes: processes started ahead
 * @property {number} cores
 * @property {string} [error]
 */

/**
 * Fills `box` with a sentence or two about `status`; `data-state`, `data-backend`
 * (`threads`, `processes` or `none`), `data-threads` and `data-isolated` say the same for
 * scripts and styles.
 * @param {HTMLElement} box
 * @param {Status} status
 */
export function showStatus(box, status) {
  box.dataset.state = status.state;
  box.dataset.backend = status.backend ?? 'none';
  box.dataset.threads = String(status.threads);
  box.dataset.isolated = String(globalThis.crossOriginIsolated === true);
  const device = ` This device has ${plural(status.cores, 'core')}.`;
  const on = status.backend ? ` on ${status.backend}` : '';
  /** @type {(string | Node)[]} */
  let parts;
  switch (status.state) {
    case 'starting':
      parts = [`Starting a pool of ${plural(status.workers ?? 1, 'worker')}${on}…${device}`];
      break;
    case 'restarting':
      // Only threads restart: their engine grows to more Web Workers than it started with.
      parts = [`Starting ${plural(status.threadCount ?? 1, 'Web Worker')} for the pool${on}…${device}`];
      break;
    case 'ready': {
      const workers = plural(status.workers ?? 1, 'worker');
      const started = status.threadCount ?? 1;
      parts = [
        strong('Ready.'),
        ` ${sentence(status.reason ?? status.backend ?? '')} `
          + (status.backend === 'processes'
            ? `${workers} per run; ${plural(started, 'worker process', 'worker processes')} started ahead, more as runs need them.`
            : `${workers} per run on ${plural(started, 'Web Worker')}.`)
          + device,
      ];
      break;
    }
    default:
      parts = [strong('The pool could not start.'), ` ${sentence(status.error ?? '')}${device}`];
  }
  if (!status.threads && status.state !== 'restarting') parts.push(...threadsHint());
  box.replaceChildren(...parts);
}

/** Where threads cannot run: the one step that allows them. */
function threadsHint() {
  const why = whyNoThreads();
  // Isolated already (WebKitGTK): the headers are there, the browser has no shared memory to give.
  if (why === 'no-shared-memory') return [' Threads need SharedArrayBuffer, which this browser does not offer; Chromium and Firefox do.'];
  // Opened from disk (the offline file), there is no build.sh beside the page: say what it takes.
  if (why === 'file') return [' For threads, open webpool\'s page from a server that sends the COOP/COEP headers (', code('./build.sh serve'), ' in its repository).'];
  return [' For threads, serve the page with ', code('./build.sh serve'), ', which sends the headers that allow them (COOP/COEP).'];
}

/** The API's reason (`processes: this page is …`) or an error as a sentence: capitalised, with a full stop. @param {string} text */
function sentence(text) {
  if (!text) return '';
  const s = text[0].toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** @param {string} text */
function strong(text) {
  const s = document.createElement('strong');
  s.textContent = text;
  return s;
}

/** @param {string} text */
function code(text) {
  const c = document.createElement('code');
  c.textContent = text;
  return c;
}
