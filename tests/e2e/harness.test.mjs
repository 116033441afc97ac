// The harness itself, on the engine that WEBPOOL_ENGINE names: what a page throws reaches the
// tests (every test's page fails it on an uncaught error, through openPage), on Firefox and
// WebKit too, where it comes through WebDriver (tests/e2e/engines/). A page of its own, from a
// folder made here: one that throws while it loads, one that throws and rejects later.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, serve } from './browser.mjs';

/** @type {{ url: string, stop: () => void }} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {string} */
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'webpool-harness-'));
  writeFileSync(join(dir, 'load.html'), '<!doctype html><title>load</title><script>throw new Error("thrown while loading")</script>');
  writeFileSync(join(dir, 'later.html'), `<!doctype html><title>later</title><script>
    window.later = () => {
      setTimeout(() => { throw new Error('thrown later'); });
      Promise.reject(new Error('rejected later'));
    };
  </script>`);
  [server, browser] = await Promise.all([serve({ dir }), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Opens `file` with a `pageerror` listener, runs `act` on it, and returns the errors seen.
 * @param {string} file @param {(page: import('playwright-core').Page) => Promise<unknown>} [act]
 */
async function errorsOf(file, act) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    /** @type {string[]} */
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(new URL(file, server.url).href);
    await act?.(page);
    // Playwright has delivered its events by now; the engines driven through WebDriver are asked.
    await /** @type {any} */ (page).flushErrors?.();
    return errors;
  } finally {
    await context.close();
  }
}

test('an error thrown while the page loads reaches the tests', async () => {
  const errors = await errorsOf('load.html');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0], /thrown while loading/);
});

test('errors thrown later and unhandled rejections reach the tests', async () => {
  const errors = await errorsOf('later.html', async (page) => {
    await page.evaluate(() => /** @type {any} */ (window).later());
    // Both have happened once a timer queued after them has run.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve)));
  });
  assert.equal(errors.length, 2, JSON.stringify(errors));
  assert.ok(errors.some((e) => /thrown later/.test(e)), JSON.stringify(errors));
  assert.ok(errors.some((e) => /rejected later/.test(e)), JSON.stringify(errors));
});

test('a quiet page reports nothing', async () => {
  assert.deepEqual(await errorsOf('later.html'), []);
});
