// What ./build.sh distributes (tools/dist.mjs), used as a tutorial author and a learner use it:
// - dist/webpool/, copied under a sub-path of a site, and served from a second origin (a CDN)
//   to a page of another, each with and without cross-origin isolation: the API runs a map
//   and the element runs one;
// - dist/webpool-offline.html opened from disk (file://): the page runs a map on processes
//   and offers no threads, saying why;
// - www/index.html opened from disk: it says why it cannot run there and where the file is.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { engine, isolatedBackend, launch, openPage, serve } from './browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const folder = join(root, 'dist/webpool');
const offline = join(root, 'dist/webpool-offline.html');
/** Where a site puts the folder: deep under its root, to see that no path is assumed. */
const SUB = 'course/chapter-1/vendor/';

/** @type {{ url: string, stop: () => void }[]} */
const servers = [];
/** @type {Record<'isolated' | 'plain' | 'cdn', { url: string, stop: () => void }>} */
let site;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {string} */
let siteDir;

// A tutorial's page: it loads the element and the API from `?from=` (default: the copied
// folder beside it), and keeps the API module where the test can reach it.
const PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>A chapter that uses webpool</title>
<script type="module">
  const from = new URL(new URLSearchParams(location.search).get('from') ?? './vendor/webpool/', location.href);
  window.api = import(new URL('webpool.js', from).href);
  import(new URL('webpool-demo.js', from).href);
</script>
<h1>Squares</h1>
<webpool-demo numbers="1 2 3 4 5" workers="2" kernel="square"></webpool-demo>
</html>
`;

before(async () => {
  assert.ok(existsSync(join(folder, 'package.json')) && existsSync(offline),
    'dist/ is not built: run ./build.sh (it runs tools/dist.mjs)');
  siteDir = mkdtempSync(join(tmpdir(), 'webpool-dist-'));
  cpSync(folder, join(siteDir, SUB, 'webpool'), { recursive: true });
  writeFileSync(join(siteDir, 'course/chapter-1/index.html'), PAGE);
  const [isolated, plain, cdn] = await Promise.all([
    serve({ dir: siteDir }),
    serve({ dir: siteDir, isolated: false }),
    // A CDN: other origins may load its files; it isolates nothing itself.
    serve({ dir: join(root, 'dist'), isolated: false, cors: true }),
  ]);
  site = { isolated, plain, cdn };
  servers.push(isolated, plain, cdn);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const server of servers) server.stop();
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

test('the folder is npm-shaped: package.json from Cargo.toml, exports with types, every file listed', () => {
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  assert.equal(pkg.name, 'webpool');
  assert.equal(pkg.version, cargo.match(/^version = "([^"]+)"/m)?.[1]);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './webpool.d.ts');
  assert.deepEqual(pkg.exports['.'], { types: './webpool.d.ts', default: './webpool.js' });
  assert.equal(pkg.exports['./webpool-demo.js'].default, './webpool-demo.js');
  for (const target of Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))) {
    assert.ok(existsSync(join(folder, target)), `exports names ${target}, which is missing`);
  }
  for (const file of pkg.files) assert.ok(existsSync(join(folder, file)), `files names ${file}, which is missing`);
  for (const file of ['engine.js', 'process.js', 'processes.js', 'isolate-sw.js', 'pkg/webpool_bg.wasm', 'pkg/webpool_processes_bg.wasm']) {
    assert.ok(existsSync(join(folder, file)), `${file} is missing`);
  }
  // The types stand on their own: a site's TypeScript reads them without webpool's sources.
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['--ignoreConfig', '--noEmit', '--strict', '--target', 'es2024', '--module', 'esnext',
    '--moduleResolution', 'bundler', '--lib', 'es2024,esnext.disposable,dom,dom.iterable', '--types', '',
    join(folder, 'webpool.d.ts'), join(folder, 'webpool-demo.d.ts'), join(folder, 'isolate.d.ts')], { stdio: 'inherit' });
});

/**
 * Opens the chapter on `server` (loading webpool from `from`, if given), then runs a map
 * through the API and one through the element.
 * @param {import('node:test').TestContext} t
 * @param {{ url: string }} server @param {string} [from]
 */
async function chapter(t, server, from) {
  const url = new URL('course/chapter-1/index.html', server.url);
  if (from) url.searchParams.set('from', from);
  const { page } = await openPage(browser, t, url.href);
  const api = await page.evaluate(async () => {
    const { createPool } = await /** @type {any} */ (window).api;
    const pool = await createPool({ workers: 2 });
    const result = await pool.map('square', '1..6');
    pool.close();
    return { isolated: crossOriginIsolated, backend: pool.backend, reason: pool.backendReason, values: result.values };
  });
  assert.deepEqual(api.values, ['1', '4', '9', '16', '25', '36'], api.reason);
  const done = page.evaluate(() => new Promise((resolve) => {
    document.querySelector('webpool-demo')?.addEventListener('webpool-done', (e) => resolve(/** @type {CustomEvent} */ (e).detail), { once: true });
  }));
  await page.locator('webpool-demo button.run:not([disabled])').click({ timeout: 60_000 });
  const detail = /** @type {any} */ (await done);
  assert.deepEqual(detail.values, ['1', '4', '9', '16', '25']);
  assert.equal(detail.backend, api.backend, 'the element and the API agree on the backend');
  return api;
}

test('copied under a sub-path of an isolated site, it runs on threads (where the browser has them)', async (t) => {
  const api = await chapter(t, site.isolated);
  assert.equal(api.isolated, true);
  assert.equal(api.backend, isolatedBackend, api.reason);
});

test('copied under a sub-path of a plain site, it runs on processes', async (t) => {
  const api = await chapter(t, site.plain);
  assert.equal(api.isolated, false);
  assert.equal(api.backend, 'processes', api.reason);
});

test('served from another origin (a CDN) to an isolated page, it runs on threads (where the browser has them)', async (t) => {
  const api = await chapter(t, site.isolated, new URL('webpool/', site.cdn.url).href);
  assert.equal(api.isolated, true);
  assert.equal(api.backend, isolatedBackend, api.reason);
});

test('served from another origin (a CDN) to a plain page, it runs on processes', async (t) => {
  const api = await chapter(t, site.plain, new URL('webpool/', site.cdn.url).href);
  assert.equal(api.isolated, false);
  assert.equal(api.backend, 'processes', api.reason);
});

// WebKitGTK runs the page and its engine Worker from disk, but refuses the engine's own
// Workers there (SecurityError, for blob: and file: scripts alike), and the processes
// backend's engine starts its worker processes so.
const offlineSkip = engine === 'webkit'
  && 'not on webkit: WebKitGTK refuses a Worker started by a Worker on a page opened from disk (SecurityError)';

test('the offline file runs a map from disk on processes, and says why it offers no threads', { skip: offlineSkip }, async (t) => {
  const { page } = await openPage(browser, t, pathToFileURL(offline).href);
  const run = page.locator('#run-button:not([disabled])');
  await run.waitFor({ timeout: 60_000 });
  const status = page.locator('#status');
  assert.equal(await status.getAttribute('data-backend'), 'processes');
  assert.match(await status.textContent() ?? '', /opened from a file/);
  assert.deepEqual(await page.locator('#backend option').evaluateAll((os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value)),
    ['auto', 'processes'], 'threads are not offered');
  assert.match(await page.locator('#backend-help').textContent() ?? '', /^Opened from a file, this page offers no threads/);
  await page.fill('#numbers', '1..10');
  await run.click();
  await page.waitForFunction(() => {
    const form = /** @type {HTMLElement} */ (document.getElementById('run-form'));
    return form.dataset.session === '1' && form.dataset.state === 'idle';
  });
  assert.equal(await page.locator('#results').textContent(), '[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]');
  // Nothing was fetched: everything is in the file.
  assert.deepEqual(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)), []);
});

test('www/index.html opened from disk says why it cannot run there and points to the offline file', async (t) => {
  const { page } = await openPage(browser, t, pathToFileURL(join(root, 'www/index.html')).href);
  const status = page.locator('#status[data-state=from-disk], #status[data-state=ready]');
  await status.waitFor({ timeout: 60_000 });
  if (await status.getAttribute('data-state') === 'ready') {
    // Firefox runs module scripts and workers from files beside the page: the page itself
    // runs from disk there, on processes, and has nothing to explain.
    assert.notEqual(engine, 'chromium', 'Chromium refuses module scripts from file:// addresses');
    assert.match(await status.textContent() ?? '', /opened from a file/);
    return;
  }
  assert.match(await status.textContent() ?? '', /cannot run from a file/);
  const link = status.locator('a');
  assert.equal(await link.getAttribute('href'), '../dist/webpool-offline.html');
  assert.equal(new URL(await link.evaluate((a) => /** @type {HTMLAnchorElement} */ (a).href)).pathname, pathToFileURL(offline).pathname);
  assert.equal(await page.locator('#run-button').isDisabled(), true);
});
