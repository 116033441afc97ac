// Opt-in threads for pages on hosts that cannot send the COOP/COEP headers: registers
// isolate-sw.js, a service worker that adds them, and reloads the page once so that the
// service worker answers it.
//
//   <script type="module">
//     import { isolate } from './isolate.js';
//     isolate();
//   </script>
//
// The caveats, both from how service workers work:
// - One reload: a service worker only answers the loads that begin after it is active, so the
//   first visit loads the page twice (later visits once: the service worker stays registered).
//   A sessionStorage mark allows one such reload per tab, so a browser that does not isolate
//   the page anyway (or a hard reload, which bypasses service workers) never loops.
// - Scope: a service worker controls only the pages at or below its own folder. Keep
//   isolate-sw.js beside, or above, the pages that use it.
// Service workers exist only in secure contexts (https, or http on localhost).

const RELOADED = 'webpool-isolate-reloaded';
const WORKER = new URL('isolate-sw.js', import.meta.url);

/**
 * @typedef {'isolated' | 'reloading' | 'unavailable' | 'failed'} IsolateOutcome
 * `isolated`: the page already is (nothing done); `reloading`: the service worker is active
 * and the page reloads now; `unavailable`: no service workers (or no sessionStorage to guard
 * the reload) here; `failed`: the page was reloaded once and is still not isolated.
 */

/**
 * Makes this page cross-origin isolated through the service worker, reloading it once if it
 * is not yet. Does nothing where the page already is, or where service workers are unavailable.
 * @param {{ serviceWorker?: string | URL }} [options] where isolate-sw.js is (default: beside
 *   this module); the pages it covers are those at or below its folder.
 * @returns {Promise<IsolateOutcome>}
 */
export async function isolate({ serviceWorker = WORKER } = {}) {
  if (globalThis.crossOriginIsolated) {
    // Isolated: a later opt-out and opt-in in this tab may reload once again.
    forget();
    return 'isolated';
  }
  if (!('serviceWorker' in navigator) || !globalThis.isSecureContext) return 'unavailable';
  let reloadedBefore;
  try {
    reloadedBefore = sessionStorage.getItem(RELOADED) !== null;
  } catch {
    // Without a mark there is no guard against reloading forever: do not reload at all.
    return 'unavailable';
  }
  if (reloadedBefore) return 'failed';
  const registration = await navigator.serviceWorker.register(serviceWorker);
  if (!location.href.startsWith(registration.scope)) {
    await registration.unregister();
    throw new Error(`isolate-sw.js at ${new URL(serviceWorker, location.href).href} cannot control this page: `
      + `a service worker covers only the pages at or below ${registration.scope}`);
  }
  await activated(registration);
  sessionStorage.setItem(RELOADED, '1');
  location.reload();
  return 'reloading';
}

/**
 * Stops isolating: unregisters this service worker (no other) and, if it controls this page,
 * reloads it so that it loads without the headers. Resolves with whether one was registered.
 * @param {{ serviceWorker?: string | URL }} [options]
 * @returns {Promise<boolean>}
 */
export async function unisolate({ serviceWorker = WORKER } = {}) {
  forget();
  if (!('serviceWorker' in navigator)) return false;
  const url = new URL(serviceWorker, location.href).href;
  const ours = (await navigator.serviceWorker.getRegistrations())
    .filter((r) => [r.active, r.waiting, r.installing].some((w) => w?.scriptURL === url));
  await Promise.all(ours.map((r) => r.unregister()));
  if (navigator.serviceWorker.controller?.scriptURL === url) location.reload();
  return ours.length > 0;
}

/**
 * Where this page stands: whether it is cross-origin isolated, and whether the service
 * worker answers it.
 * @param {{ serviceWorker?: string | URL }} [options]
 * @returns {{ isolated: boolean, controlled: boolean }}
 */
export function isolation({ serviceWorker = WORKER } = {}) {
  const url = new URL(serviceWorker, location.href).href;
  return {
    isolated: globalThis.crossOriginIsolated === true,
    controlled: globalThis.navigator?.serviceWorker?.controller?.scriptURL === url,
  };
}

function forget() {
  try {
    sessionStorage.removeItem(RELOADED);
  } catch {
    // No storage, nothing to forget.
  }
}

/** Resolves once `registration` has an active worker (rejects if it fails to install). */
function activated(/** @type {ServiceWorkerRegistration} */ registration) {
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (!worker || worker.state === 'activated') return Promise.resolve();
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve(undefined);
      else if (worker.state === 'redundant') reject(new Error('the isolating service worker failed to install'));
    });
  });
}
