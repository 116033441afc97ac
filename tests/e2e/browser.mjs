// Shared by the end-to-end tests and the browser benchmark: Debian's Chromium driven by
// playwright-core (never a downloaded browser), and the project's own dev server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Debian's Chromium, headless, without the background traffic that this network refuses. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Starts `webpool-serve` on a free port over www/ and resolves with its URL and a stop().
 * `isolated: false` serves without COOP/COEP, as a plain static host does.
 * @param {{ isolated?: boolean }} [options]
 */
export async function serve({ isolated = true } = {}) {
  const binary = process.env.WEBPOOL_SERVE ?? `${root}target/release/webpool-serve`;
  const args = ['--dir', `${root}www`, '--port', '0', ...(isolated ? [] : ['--no-isolation'])];
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
  t.after(() => context.close());
  const page = await context.newPage();
  /** @type {Error[]} */
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  t.after(() => assert.deepEqual(errors.map(String), [], 'no uncaught errors in the page'));
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
