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
 * @param {{ width?: number, height?: number, route?: (page: import('playwright-core').Page) => Promise<void> } & object} [options]
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
