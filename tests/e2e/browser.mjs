// Shared by the end-to-end tests and the browser benchmark: the browser, and the project's own
// dev server. The engine is WEBPOOL_ENGINE's: `chromium` (the default: Debian's Chromium driven
// by playwright-core, never a downloaded browser; the benchmarks use it), `firefox` (Debian's
// firefox-esr through geckodriver) or `webkit` (Debian's WebKitGTK MiniBrowser through
// WebKitWebDriver, under `xvfb-run -a`), both by selenium-webdriver's WebDriver client. The last
// two give the tests the part of playwright's Page API that they use (tests/e2e/engines/).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The engine the end-to-end tests drive. */
export const engine = /** @type {'chromium' | 'firefox' | 'webkit'} */ (process.env.WEBPOOL_ENGINE || 'chromium');
if (!['chromium', 'firefox', 'webkit'].includes(engine)) {
  throw new Error(`WEBPOOL_ENGINE=${engine}: the engines are chromium, firefox and webkit`);
}

/**
 * What an engine cannot do here, and why: a test that needs it is skipped there, with the
 * reason as its skip message. (Chromium, driven by playwright-core, has everything.)
 */
const MISSING = {
  chromium: {},
  firefox: {
    ...(process.env.WEBPOOL_FIREFOX === 'bidi' ? {} : {
      workers: 'it reaches into the page\'s Web Workers (page.workers()), which classic WebDriver (geckodriver) cannot; WebDriver BiDi can, but under it the threads engine hangs now and then (tests/e2e/engines/firefox.mjs)',
    }),
    gc: 'it forces garbage collection through the Chrome DevTools Protocol (HeapProfiler.collectGarbage), which WebDriver has no command for',
    downloads: 'it reads the download through playwright-core\'s download event; WebDriver has no downloads',
    narrow: 'it needs a viewport 375 px wide (a phone), and headless Firefox\'s window is at least 500 px wide',
  },
  webkit: {
    threads: 'WebKitGTK offers no SharedArrayBuffer, even on a cross-origin isolated page, so the threads backend cannot run there (Safari on macOS has it; not tested here)',
    workers: 'it reaches into the page\'s Web Workers (page.workers()), which classic WebDriver, all that WebKitWebDriver speaks, cannot',
    gc: 'it forces garbage collection through the Chrome DevTools Protocol (HeapProfiler.collectGarbage), which WebDriver has no command for',
    downloads: 'it reads the download through playwright-core\'s download event; WebDriver has no downloads',
    clipboard: 'it reads back what the page copied (navigator.clipboard.readText()), which WebKit refuses to a script without a person\'s gesture (NotAllowedError) and, with one, asks the person to confirm the paste',
    narrow: 'it needs a viewport 375 px wide (a phone), and the MiniBrowser\'s window is at least 447 px wide',
  },
};

/** @typedef {'threads' | 'workers' | 'gc' | 'downloads' | 'clipboard' | 'narrow'} Feature */

/**
 * The skip reason of a test that needs `features` on this engine, or false where it can run.
 * @param {...Feature} features
 * @returns {string | false}
 */
export function lacks(...features) {
  /** @type {Partial<Record<Feature, string>>} */
  const missing = MISSING[engine];
  const reasons = features.map((feature) => missing[feature]).filter(Boolean);
  return reasons.length ? `not on ${engine}: ${reasons.join('; and ')}` : false;
}

/** The backend a cross-origin isolated page runs on in this engine. */
export const isolatedBackend = lacks('threads') ? 'processes' : 'threads';

/**
 * The engine's browser, headless. Chromium without the background traffic that this network
 * refuses; the others as tests/e2e/engines/ drive them, typed as playwright's (they have the
 * part of its API that the tests use).
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launch() {
  if (engine === 'firefox') return /** @type {any} */ (await (await import('./engines/firefox.mjs')).launch());
  if (engine === 'webkit') return /** @type {any} */ (await (await import('./engines/webkit.mjs')).launch());
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Starts `webpool-serve` on a free port over www/ and resolves with its URL and a stop().
 * `isolated: false` serves without COOP/COEP, as a plain static host does; `cors: true`
 * lets pages of other origins load the files, as a CDN does; `dir` serves another folder.
 * @param {{ isolated?: boolean, cors?: boolean, dir?: string }} [options]
 */
export async function serve({ isolated = true, cors = false, dir = `${root}www` } = {}) {
  const binary = process.env.WEBPOOL_SERVE ?? `${root}target/release/webpool-serve`;
  const args = ['--dir', dir, '--port', '0', ...(isolated ? [] : ['--no-isolation']), ...(cors ? ['--cors'] : [])];
  const server = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(server, 'exit').then(([code]) => { throw new Error(`webpool-serve exited with ${code}`); }),
  ]);
  const url = line.match(/at (http:\/\/\S+)/)?.[1];
  if (!url) throw new Error(`unexpected first line from webpool-serve: ${line}`);
  return { url, stop: () => server.kill() };
}

/**
 * Serves www/ with Python's `http.server`: a plain static host that sends no COOP/COEP
 * headers, as most places where tutorials live. Resolves with its URL and a stop().
 */
export async function servePlain() {
  const server = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', `${root}www`, '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(server, 'exit').then(([code]) => { throw new Error(`python3 -m http.server exited with ${code}`); }),
  ]);
  const port = line.match(/port (\d+)/)?.[1];
  if (!port) throw new Error(`unexpected first line from http.server: ${line}`);
  return { url: `http://127.0.0.1:${port}/`, stop: () => server.kill() };
}

/**
 * Opens `url` in a browser context of its own, closed after test `t`, which also fails if the
 * page threw. `route` may intercept requests before the page loads; other options go to the
 * context (e.g. `acceptDownloads`).
 * @param {import('playwright-core').Browser} browser
 * @param {import('node:test').TestContext} t
 * @param {string} url
 * @param {{ width?: number, height?: number, route?: (page: import('playwright-core').Page) => Promise<void> }
 *   & import('playwright-core').BrowserContextOptions} [options]
 */
export async function openPage(browser, t, url, { width = 1280, height = 900, route, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...options });
  const page = await context.newPage();
  /** @type {Error[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  t.after(async () => {
    // Engines driven through WebDriver hand over the errors when asked (tests/e2e/engines/).
    await /** @type {any} */ (page).flushErrors?.().catch(() => {});
    await context.close();
    assert.deepEqual(errors.map(String), [], 'no uncaught errors in the page');
  });
  await route?.(page);
  await page.goto(url);
  return { page, context };
}

/**
 * Every live region of the page, its open shadow roots included: what a screen reader
 * announces when it changes. A live region is an element with `aria-live` polite or
 * assertive, or a role that implies one (status, alert, log, marquee, timer) and no
 * `aria-live="off"`, or an <output> (implicitly a status).
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ name: string, live: string, text: string, tables: number, lists: number,
 *   rendered: boolean }[]>}  `rendered`: in the layout (not `hidden`, not display: none), so in
 *   the accessibility tree
 */
export function liveRegions(page) {
  return page.evaluate(() => {
    const implied = { status: 'polite', log: 'polite', alert: 'assertive', marquee: 'off', timer: 'off' };
    /** @type {{ name: string, live: string, text: string, tables: number, lists: number, rendered: boolean }[]} */
    const found = [];
    /** @param {Document | ShadowRoot} root @param {string} where */
    const visit = (root, where) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot, `${where}${el.localName} >>> `);
        const role = /** @type {keyof typeof implied | null} */ (el.getAttribute('role'));
        const live = el.getAttribute('aria-live') ?? (role && implied[role]) ?? (el.localName === 'output' ? 'polite' : null);
        if (!live || live === 'off') continue;
        found.push({
          name: `${where}${el.localName}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`,
          live,
          text: el.textContent ?? '',
          tables: el.querySelectorAll('table').length,
          lists: el.querySelectorAll('ol, ul').length,
          rendered: el.checkVisibility(),
        });
      }
    };
    visit(document, '');
    return found;
  });
}

/**
 * Watches the page's main thread from inside the page (no round trips through the
 * debugging protocol): the gaps between animation frames, and the long tasks (over 50 ms)
 * the browser reports. `stop()` ends the watch and returns what it saw.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ stop: () => Promise<{ gaps: number[], longTasks: number[], ms: number }> }>}
 */
export async function watchMainThread(page) {
  const id = await page.evaluate(() => {
    /** @type {any} */
    const w = window;
    const watches = (w.__mainThreadWatches ??= []);
    const watch = { gaps: /** @type {number[]} */ ([]), longTasks: /** @type {number[]} */ ([]), last: 0, frame: 0, since: performance.now(), observer: /** @type {PerformanceObserver | null} */ (null) };
    watch.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.startTime >= watch.since) watch.longTasks.push(entry.duration);
    });
    watch.observer.observe({ type: 'longtask' });
    const tick = (/** @type {number} */ time) => {
      if (watch.last) watch.gaps.push(time - watch.last);
      watch.last = time;
      watch.frame = requestAnimationFrame(tick);
    };
    watch.frame = requestAnimationFrame(tick);
    watches.push(watch);
    return watches.length - 1;
  });
  return {
    stop: () => page.evaluate((i) => {
      /** @type {any} */
      const w = window;
      const watch = w.__mainThreadWatches[i];
      cancelAnimationFrame(watch.frame);
      // Long tasks are reported a little after they end: take what is queued too.
      for (const entry of watch.observer.takeRecords()) if (entry.startTime >= watch.since) watch.longTasks.push(entry.duration);
      watch.observer.disconnect();
      return { gaps: watch.gaps, longTasks: watch.longTasks, ms: performance.now() - watch.since };
    }, id),
  };
}

/**
 * The `q`-quantile of `xs` (0.5: the median), or 0 for none.
 * @param {number[]} xs @param {number} q
 */
export function quantile(xs, q) {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
