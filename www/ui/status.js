// The status line: can this page run threads, and on what. Written for a later
// "processes" backend too (workers that share nothing, for pages without isolation).

import { plural } from './format.js';

/**
 * @typedef {object} Status
 * @property {'starting' | 'ready' | 'restarting' | 'unavailable' | 'failed'} state
 * @property {boolean} isolated      `crossOriginIsolated`
 * @property {boolean} threads       `threadsAvailable()`
 * @property {'threads' | 'processes' | null} backend
 * @property {number} [workers]      workers of the next run
 * @property {number} [threadCount]  Web Workers the engine runs
 * @property {number} cores
 * @property {string} [error]
 */

const BACKENDS = {
  threads: 'threads backend: Rust on shared WebAssembly memory, one Web Worker per thread',
  processes: 'processes backend: workers that share nothing and copy their messages, like Python\'s processes',
};

/**
 * Fills `box` with a sentence or two about `status`.
 * @param {HTMLElement} box
 * @param {Status} status
 */
export function showStatus(box, status) {
  box.dataset.state = status.state;
  box.dataset.backend = status.backend ?? 'none';
  box.dataset.isolated = String(status.isolated);
  box.dataset.threads = String(status.threads);
  const device = `This device has ${plural(status.cores, 'core')}.`;
  /** @type {(string | Node)[]} */
  let parts;
  switch (status.state) {
    case 'starting':
      parts = [`Starting a pool of ${plural(status.workers ?? 1, 'worker')}… ${device}`];
      break;
    case 'restarting':
      parts = [`Starting ${plural(status.threadCount ?? 1, 'Web Worker')} for the pool… ${device}`];
      break;
    case 'ready':
      parts = [
        strong('Ready.'),
        ` ${status.isolated ? 'This page is cross-origin isolated, so threads are available' : 'Threads are not available here'}: `
          + `${plural(status.workers ?? 1, 'worker')} per run on ${plural(status.threadCount ?? 1, 'Web Worker')} `
          + `(${BACKENDS[status.backend ?? 'threads']}). ${device}`,
      ];
      break;
    case 'unavailable':
      parts = [
        strong('Threads are not available on this page.'),
        ` It is ${status.isolated ? '' : 'not '}cross-origin isolated${status.isolated ? ' but has no SharedArrayBuffer' : ''}: `
          + 'browsers only share memory between Web Workers (which WebAssembly threads need) on pages served with the '
          + 'headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp. '
          + 'Serve this folder with them — ',
        code('./build.sh serve'),
        ` does — and reload. ${device}`,
      ];
      break;
    default:
      parts = [strong('The pool could not start.'), ` ${status.error ?? ''} ${device}`];
  }
  box.replaceChildren(...parts);
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
