// Which backend a page gets, and the reason it is told, for each thing a browser may lack.
// WebKitGTK is cross-origin isolated under COOP/COEP but offers no SharedArrayBuffer: the
// reason must name that, not claim the page lacks the headers.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseBackend, threadsAvailable, whyNoThreads } from '../../www/webpool.js';

const realSharedArrayBuffer = globalThis.SharedArrayBuffer;

/** Pretends to be a page that is (or is not) isolated and has (or lacks) SharedArrayBuffer. */
function browser({ isolated, sab }) {
  Object.defineProperty(globalThis, 'crossOriginIsolated', { value: isolated, configurable: true });
  Object.defineProperty(globalThis, 'SharedArrayBuffer', { value: sab ? realSharedArrayBuffer : undefined, configurable: true, writable: true });
}

afterEach(() => {
  delete (/** @type {any} */ (globalThis)).crossOriginIsolated;
  Object.defineProperty(globalThis, 'SharedArrayBuffer', { value: realSharedArrayBuffer, configurable: true, writable: true });
});

test('an isolated page with SharedArrayBuffer gets threads', () => {
  browser({ isolated: true, sab: true });
  assert.equal(threadsAvailable(), true);
  assert.equal(whyNoThreads(), null);
  const { backend, reason } = chooseBackend('auto');
  assert.equal(backend, 'threads');
  assert.match(reason, /^Threads: this page is cross-origin isolated/);
});

test('a page without the headers gets processes, and is told so', () => {
  browser({ isolated: false, sab: false });
  assert.equal(threadsAvailable(), false);
  assert.equal(whyNoThreads(), 'not-isolated');
  const { backend, reason } = chooseBackend('auto');
  assert.equal(backend, 'processes');
  assert.match(reason, /not cross-origin isolated \(no COOP\/COEP headers\)/);
  assert.throws(() => chooseBackend('threads'), { code: 'unsupported', message: /not cross-origin isolated/ });
});

test('an isolated page without SharedArrayBuffer (WebKitGTK) is told what is really missing', () => {
  browser({ isolated: true, sab: false });
  assert.equal(threadsAvailable(), false);
  assert.equal(whyNoThreads(), 'no-shared-memory');
  const { backend, reason } = chooseBackend('auto');
  assert.equal(backend, 'processes');
  assert.match(reason, /no SharedArrayBuffer, even on this cross-origin isolated page/);
  assert.doesNotMatch(reason, /not cross-origin isolated/);
  assert.throws(() => chooseBackend('threads'), { code: 'unsupported', message: /no SharedArrayBuffer/ });
});

test('processes are given when asked, anywhere; an unknown backend is bad input', () => {
  browser({ isolated: true, sab: true });
  assert.equal(chooseBackend('processes').backend, 'processes');
  assert.throws(() => chooseBackend(/** @type {any} */ ('gpu')), { code: 'input' });
});
