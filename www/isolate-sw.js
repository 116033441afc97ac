// A service worker that makes the pages it controls cross-origin isolated, for hosts that
// cannot send headers (most static page hosts). webpool's threads backend needs
// SharedArrayBuffer, which browsers give only to pages served with
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.
// A service worker stands between the page and the network, so it can answer each request
// with the server's own response plus those headers.
//
// Registered by isolate.js. It controls the pages at or below its own folder (its scope):
// put it beside, or above, the pages it should isolate. It takes effect from the next load,
// which is why isolate.js reloads once.

/** This file runs as a service worker: `self` is its global scope. */
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

sw.addEventListener('install', () => {
  // Take over without waiting for every old tab to close: the reload that follows must
  // already be answered by this worker.
  sw.skipWaiting();
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(sw.clients.claim());
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  // Outside the scope (other sites, other folders of this one) the browser fetches as usual:
  // a cross-origin resource must then send CORP or CORS headers itself to load under COEP.
  if (!request.url.startsWith(sw.registration.scope)) return;
  // Chromium rejects refetching this combination (DevTools makes such requests).
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(withIsolation(request));
});

/**
 * The server's response to `request`, with the headers that isolate a page (on documents)
 * and let it embed this response (on everything).
 * @param {Request} request
 * @returns {Promise<Response>}
 */
async function withIsolation(request) {
  const response = await fetch(request);
  // Opaque responses and redirects (a navigation's redirects are followed by the browser,
  // which asks this worker again for the target) cannot be rebuilt; pass them on unchanged.
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  // WebKit revalidates the scripts it holds (a Worker's, started again) through this worker,
  // so the server may answer 304; a Response with that status must have no body, or it throws
  // and the Worker cannot start.
  const body = [204, 205, 304].includes(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
