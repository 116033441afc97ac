// Where webpool's own files come from: its worker scripts (engine.js, process.js) and its
// WebAssembly (pkg/*.wasm). They live beside webpool.js, in whatever folder and on whatever
// origin that is; webpool.js and processes.js reach them only through this module.
//
// - Same origin as the page (a copied folder, any sub-path): `new Worker(url)`, as usual.
// - Another origin (webpool on a CDN, the page on its own site): browsers refuse a Worker
//   whose script is of another origin, so the worker is a same-origin blob: module that
//   imports the script. That import, the script's own imports and the wasm's fetch are CORS
//   requests: the other origin must send `Access-Control-Allow-Origin` (CDNs do), which also
//   satisfies a page's `Cross-Origin-Embedder-Policy: require-corp`. A blob: worker inherits
//   the page's cross-origin isolation, so threads work too (wasm-bindgen-rayon's own workers
//   are blob: workers already, for the same reason). The import is a dynamic `import()`:
//   WebKit refuses a blob: worker's static import of another origin on an isolated page
//   (WebKitGTK 2.50), but not the dynamic one; messages that arrive before the script has
//   set its handlers are held and then handed to them, in order.
//
// The single offline file (tools/dist.mjs) bundles a module of its own in place of this one:
// it starts the workers from scripts inlined as text and reads the wasm from inlined bytes.

/**
 * Starts the module worker whose script is at `url`, wherever that is.
 * @param {URL} url the script (engine.js or process.js)
 * @param {string} name the worker's name (for the browser's developer tools)
 * @returns {Worker}
 */
export function startWorker(url, name) {
  if (url.origin === self.location.origin) return new Worker(controlled() ? ownURL(url) : url, { type: 'module', name });
  const script = URL.createObjectURL(new Blob([crossOriginWorker(url.href)], { type: 'text/javascript' }));
  const worker = new Worker(script, { type: 'module', name });
  // The worker has its script once it speaks (or fails): the blob: URL is no longer needed.
  const revoke = () => URL.revokeObjectURL(script);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}

// Under a service worker (isolate-sw.js, or the site's own), WebKit (WebKitGTK 2.50) fails a
// Worker whose script is still loading for another Worker of the same page: the second load
// joins the first in WebKit's memory cache, never reaches the service worker, and the Worker
// gets a bare `error` event. The processes backend starts its workers from one script at
// once, so each gets a URL of its own (a query that static servers ignore). Elsewhere the
// shared URL stays, and with it the cache.

/** Whether a service worker answers this context's requests. */
function controlled() {
  try {
    return Boolean(self.navigator.serviceWorker?.controller);
  } catch {
    return false;  // service workers refused here: none can answer
  }
}

/** `url` with a query of its own (the page and each engine start workers). @param {URL} url */
function ownURL(url) {
  const own = new URL(url);
  // A service worker controls only secure contexts, which all have randomUUID.
  own.searchParams.set('webpool-worker', crypto.randomUUID());
  return own;
}

/**
 * The script of a same-origin worker that runs the module at `href`: it holds the messages
 * that come before the module has set its handlers, then hands them over; a module that
 * cannot load fails the worker (its `error` event), as a plain module worker would.
 * @param {string} href
 */
function crossOriginWorker(href) {
  return `const early = [];
const hold = (event) => { event.stopImmediatePropagation(); early.push(event); };
addEventListener('message', hold);
import(${JSON.stringify(href)}).then(() => {
  removeEventListener('message', hold);
  for (const { data, ports } of early) dispatchEvent(new MessageEvent('message', { data, ports: [...ports] }));
}, (error) => setTimeout(() => { throw error; }));
`;
}

/**
 * The response with the WebAssembly module at `url` (for `WebAssembly.compileStreaming`).
 * @param {string} url
 * @returns {Promise<Response>}
 */
export function fetchWasm(url) {
  return fetch(url);
}
