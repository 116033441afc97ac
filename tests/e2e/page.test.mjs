// The page, used as a person uses it: type, choose, press Run, read what it shows.
// Every wait is for a condition on the page (never a fixed sleep). Served with COOP/COEP
// (`serve()`) the page runs on threads; by a plain static server (`servePlain()`) on
// processes. The status line has data-state (starting, ready, restarting, failed) and
// data-backend (threads, processes, none); the form has data-state, the page's session
// (starting, unavailable, idle, running, lesson), and data-session, which counts sessions.
//
// The timeline is read from its SVG: <svg data-lanes data-tasks data-running data-rounds
// data-state>, and one <rect class="bar"> per task with data-worker (from 0),
// data-task, data-run, data-start / data-finish (ms) and data-status.
//
// Nothing here assumes this machine: what depends on the device (its cores) is read from
// `navigator.hardwareConcurrency` in the page, and responsiveness is measured inside the
// page against an idle baseline measured the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { engine, isolatedBackend, lacks, launch, liveRegions, openPage, quantile, serve, servePlain, watchMainThread } from './browser.mjs';

const docs = fileURLToPath(new URL('../../docs/', import.meta.url));

/** @type {{ url: string, stop: () => void }} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/**
 * Opens the page in a fresh context and waits until it can run. `route` sets up request
 * routes before the page loads.
 * @param {import('node:test').TestContext} t
 * @param {{ width?: number, height?: number, url?: string, ready?: boolean,
 *   route?: (page: import('playwright-core').Page) => Promise<void> }} [options]
 */
async function open(t, { width = 1280, height = 900, url = server.url, ready = true, route } = {}) {
  const opened = await openPage(browser, t, url, { width, height, route, acceptDownloads: true });
  if (ready) {
    await opened.page.locator('#run-button:enabled').waitFor().catch(async (error) => {
      // Say where the page got to: the status line and the session.
      const where = await opened.page.evaluate(() => `${document.getElementById('run-form').dataset.state}: ${document.getElementById('status').textContent}`);
      throw new Error(`${error.message}\nthe page: ${where}`);
    });
  }
  return opened;
}

/**
 * Fills the form; only the given fields change.
 * @param {import('playwright-core').Page} page
 * @param {{ numbers?: string, workers?: number | string, kernel?: 'square' | 'cube' | 'collatz' | 'both',
 *   work?: 'none' | 'sleep' | 'spin', ms?: number, chunksize?: number | '' }} form
 */
async function fill(page, form) {
  if (form.numbers !== undefined) await page.fill('#numbers', form.numbers);
  if (form.workers !== undefined) await page.fill('#workers', String(form.workers));
  if (form.kernel) await page.check(`input[name=kernel][value=${form.kernel}]`);
  if (form.work) await page.check(`input[name=work][value=${form.work}]`);
  if (form.ms !== undefined) await page.fill('#work-ms', String(form.ms));
  if (form.chunksize !== undefined) await page.fill('#chunksize', String(form.chunksize));
}

/** Which run session the form is on. @param {import('playwright-core').Page} page */
const session = (page) => page.$eval('#run-form', (f) => Number(f.dataset.session));

/** Presses `button` (Run by default); returns once its session has begun. @param {import('playwright-core').Page} page */
async function startRun(page, button = '#run-button', press = () => page.click(button)) {
  const before = await session(page);
  await press();
  await page.waitForFunction((n) => Number(document.getElementById('run-form').dataset.session) > n, before);
}

/** Waits until the session is over and returns the run state. @param {import('playwright-core').Page} page */
async function finished(page, timeout = 30_000) {
  await page.waitForFunction(() => document.getElementById('run-form').dataset.state !== 'running', null, { timeout });
  return page.$eval('#run-state', (el) => ({ state: el.dataset.state, text: el.textContent }));
}

/** Runs the form as it is and waits for the end. @param {import('playwright-core').Page} page */
async function run(page, button = '#run-button') {
  await startRun(page, button);
  return finished(page);
}

const resultsText = (/** @type {import('playwright-core').Page} */ page) => page.textContent('#results-output');

/** The device's cores, as the page sees them. @param {import('playwright-core').Page} page */
const coresOf = (page) => page.evaluate(() => navigator.hardwareConcurrency || 1);

/** `1 core`, `8 cores`, as the page words it. @param {number} n @param {string} one */
const plural = (n, one) => `${new Intl.NumberFormat('en').format(n)} ${n === 1 ? one : `${one}s`}`;

/** The timeline as data. @param {import('playwright-core').Page} page */
function readTimeline(page, selector = '#timeline svg') {
  return page.$eval(selector, (svg) => ({
    lanes: svg.dataset.lanes,
    rounds: svg.dataset.rounds,
    state: svg.dataset.state,
    summary: svg.closest('figure')?.querySelector('figcaption')?.textContent ?? '',
    label: svg.getAttribute('aria-labelledby'),
    bars: [...svg.querySelectorAll('rect.bar')].map((r) => /** @type {SVGElement} */ (r)).map((r) => ({
      worker: Number(r.dataset.worker), task: Number(r.dataset.task), run: Number(r.dataset.run),
      start: Number(r.dataset.start), finish: r.dataset.finish ? Number(r.dataset.finish) : null, status: r.dataset.status,
    })),
  }));
}

/** The Timings panel's comparison of the backends, as data. @param {import('playwright-core').Page} page */
const readCompare = (page) => page.$eval('#compare', (box) => ({
  state: box.dataset.state,
  identical: box.dataset.identical,
  text: box.querySelector('.compare-text')?.textContent ?? '',
  note: box.querySelector('.compare-note')?.textContent ?? '',
  caption: box.querySelector('caption')?.textContent ?? '',
  rows: [...box.querySelectorAll('tbody tr')].map((r) => /** @type {HTMLTableRowElement} */ (r)).map((tr) => {
    const field = (/** @type {string} */ name) => /** @type {HTMLElement} */ (tr.querySelector(`td[data-field=${name}]`));
    return {
      backend: tr.dataset.backend,
      wall: Number(field('wall').dataset.ms),
      tasks: Number(field('tasks').dataset.count),
      perTask: Number(field('per-task').dataset.ms),
      identical: field('identical').textContent,
    };
  }),
}));

/** The log's lines. @param {import('playwright-core').Page} page */
const logLines = (page) => page.$$eval('#log li', (lis) => lis.map((li) => ({
  kind: li.className, worker: li.querySelector('.log-worker')?.textContent ?? '', text: li.querySelector('.log-text')?.textContent ?? '',
})));

/** The status line, as data. @param {import('playwright-core').Page} page */
const readStatus = (page) => page.$eval('#status', (el) => ({
  text: el.textContent, state: el.dataset.state, backend: el.dataset.backend, isolated: el.dataset.isolated,
}));

/** The id (or else the tag) of the element that has the keyboard focus. @param {import('playwright-core').Page} page */
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.localName || null);

test('the default run (2 workers) shows [1, 4, 9, 16, 25]', async (t) => {
  const { page } = await open(t);
  assert.equal(await page.inputValue('#numbers'), '1, 2, 3, 4, 5');
  assert.equal(await page.inputValue('#workers'), '2');
  const status = await readStatus(page);
  assert.equal(status.isolated, 'true');
  assert.equal(status.state, 'ready');
  assert.equal(status.backend, isolatedBackend);
  // The API's reason, as a sentence: on WebKitGTK, isolated but without SharedArrayBuffer, it
  // names what the browser lacks.
  assert.match(status.text, isolatedBackend === 'threads'
    ? /^Ready\. Threads: this page is cross-origin isolated, so the workers can share one memory\. 2 workers per run on \d+ Web Workers?\./
    : /^Ready\. Processes: this browser offers no SharedArrayBuffer, even on this cross-origin isolated page, so each worker has memory of its own/);
  assert.equal(await page.$eval('#backend option[value=auto]', (o) => o.textContent), `Automatic: ${isolatedBackend} here`);
  // No advice to send headers the page already has; where threads are missing (WebKitGTK), the
  // status and the Backend help name SharedArrayBuffer.
  assert.doesNotMatch(await page.textContent('#status'), /build\.sh serve|COOP/);
  assert.doesNotMatch(await page.textContent('#backend-help'), /build\.sh serve|COOP/);
  if (isolatedBackend !== 'threads') {
    assert.match(await page.textContent('#status'), /Threads need SharedArrayBuffer, which this browser does not offer/);
    assert.match(await page.textContent('#backend-help'), /^Threads share one memory through SharedArrayBuffer, which this browser does not offer/);
    assert.equal(await page.textContent('#backend option[value=threads]'), 'Threads (shared memory): not in this browser');
  }
  // What the page says of the device is the device's: read in the page, not assumed here.
  const cores = await coresOf(page);
  assert.match(status.text, new RegExp(`This device has ${plural(cores, 'core')}\\.`));
  const most = Math.min(256, Math.max(8, 4 * cores));
  assert.equal(await page.textContent('#workers-help'), `1 to ${most}. This device has ${plural(cores, 'core')}; the tutorial uses 2.`);
  assert.equal(await page.getAttribute('#workers', 'max'), String(most));
  assert.equal(await page.isDisabled('#backend option[value=threads]'), isolatedBackend !== 'threads');
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  assert.equal(await resultsText(page), '[1, 4, 9, 16, 25]');
  // Announced: how the run ended, in one sentence; the results are read when wanted.
  assert.match(end.text, /^Done: 5 results in .* on 2 workers\.$/);
  assert.deepEqual((await liveRegions(page)).filter((r) => r.text.includes('[1, 4, 9')).map((r) => r.name), []);
  const lines = await logLines(page);
  assert.deepEqual(lines.filter((l) => l.kind === 'log-start').map((l) => l.text).sort(),
    [1, 2, 3, 4, 5].map((n) => `Computing square of ${n}`));
});

test('"square, then cube" prints the tutorial\'s two lines', async (t) => {
  const { page } = await open(t);
  await fill(page, { kernel: 'both' });
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  assert.equal(await resultsText(page), 'Squares: [1, 4, 9, 16, 25]\nCubes: [1, 8, 27, 64, 125]');
  const timeline = await readTimeline(page);
  assert.deepEqual([...new Set(timeline.bars.map((b) => b.run))].sort(), [0, 1], 'both runs are drawn');
  assert.equal(timeline.bars.length, 10);
  const starts = (await logLines(page)).filter((l) => l.kind === 'log-start').map((l) => l.text);
  assert.deepEqual(starts.slice(0, 5).sort(), [1, 2, 3, 4, 5].map((n) => `Computing square of ${n}`));
  assert.deepEqual(starts.slice(5).sort(), [1, 2, 3, 4, 5].map((n) => `Computing cube of ${n}`));
});

test('collatz: real computation, exact past 64 bits, and a Python error outside its domain', async (t) => {
  const { page } = await open(t);
  await fill(page, { kernel: 'collatz', numbers: '27, 97, 837799, 1267650600228229401496703205375' });
  assert.equal(await page.textContent('#kernel-name'), 'collatz_steps');
  assert.match(await page.textContent('#kernel-help') ?? '', /Collatz counts the steps .* real, exact computation/s);
  assert.match(await page.textContent('#kernel-help') ?? '', /only stands in for work/);
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  // 2**100 - 1 climbs to 160 bits on its way down: 1465 steps, as CPython counts them.
  assert.equal(await resultsText(page), '[111, 118, 524, 1465]');
  const starts = (await logLines(page)).filter((l) => l.kind === 'log-start').map((l) => l.text);
  assert.ok(starts.includes('Computing collatz of 27'), JSON.stringify(starts));

  await fill(page, { numbers: '27 97 0 5', chunksize: 4 });
  const failed = await run(page);
  assert.equal(failed.state, 'failed', failed.text);
  assert.match(failed.text, /item 3 \(input 0\): ValueError: collatz_steps\(\) is defined for positive integers only/);
});

test('typed numbers on 3 workers come back in input order, as Python prints them', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '[10, -3, 2.5, 7, 1e3, 123456789012345678901234567890, 0.1]', workers: 3, work: 'sleep', ms: 60, chunksize: 1 });
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  assert.equal(await resultsText(page),
    '[100, 9, 6.25, 49, 1000000.0, 15241578753238836750495351562536198787501905199875019052100, 0.010000000000000002]');
  const timeline = await readTimeline(page);
  assert.equal(timeline.lanes, '3');
  assert.deepEqual([...new Set(timeline.bars.map((b) => b.worker))].sort(), [0, 1, 2], 'all 3 workers ran tasks');
  const starts = (await logLines(page)).filter((l) => l.kind === 'log-start').map((l) => l.text);
  assert.ok(starts.includes('Computing square of 2.5'), starts.join('\n'));
  assert.ok(starts.includes('Computing square of 1000.0'), 'a float is named as Python prints it');
  assert.ok(starts.includes('Computing square of 123456789012345678901234567890'));
});

test('the log and the timeline fill while the run goes on', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1, 2, 3, 4, 5, 6', workers: 2, work: 'sleep', ms: 400 });
  await startRun(page);
  const during = await (await page.waitForFunction(() => {
    const starts = document.querySelectorAll('#log li.log-start').length;
    const bars = document.querySelectorAll('#timeline rect.bar').length;
    const open = document.querySelectorAll('#timeline rect.bar.running').length;
    const state = document.getElementById('run-state').dataset.state;
    return starts >= 2 && bars >= 2 && open >= 1 ? { starts, bars, open, state } : null;
  })).jsonValue();
  assert.equal(during.state, 'running', 'seen before the run finished');
  assert.ok(during.starts < 6 && during.bars < 6, `only the first round so far: ${JSON.stringify(during)}`);
  // A running task is an open bar drawn up to "now", and "now" moves on.
  const openBar = () => page.waitForFunction(() => {
    const svg = /** @type {SVGSVGElement} */ (document.querySelector('#timeline svg'));
    const bar = /** @type {SVGRectElement | null} */ (svg.querySelector('rect.bar.running'));
    const now = svg.querySelector('line.now');
    if (!bar || !now || /** @type {SVGElement} */ (now).style.display === 'none') return null;
    // On the screen: live bars are drawn in ms under a transform to pixels.
    return { task: bar.dataset.task, right: bar.getBoundingClientRect().right, nowX: now.getBoundingClientRect().left + now.getBoundingClientRect().width / 2, now: Number(svg.dataset.now) };
  }).then((h) => h.jsonValue());
  const first = await openBar();
  assert.ok(Math.abs(first.right + 1 - first.nowX) < 1.5, `the open bar reaches "now": ${JSON.stringify(first)}`);
  await page.waitForFunction((t0) => Number(/** @type {SVGSVGElement} */ (document.querySelector('#timeline svg')).dataset.now) > t0 + 100, first.now);
  const progressDuring = await page.$eval('#progress', (p) => Number(p.dataset.total));
  assert.equal(progressDuring, 6);

  const end = await finished(page);
  assert.equal(end.state, 'done', end.text);
  const timeline = await readTimeline(page);
  assert.equal(timeline.bars.length, 6);
  assert.ok(timeline.bars.every((b) => b.status === 'done' && b.finish !== null));
  assert.equal((await logLines(page)).filter((l) => l.kind === 'log-start').length, 6);
  assert.equal(await page.$eval('#progress', (p) => `${p.dataset.done}/${p.dataset.total}`), '6/6');
});

test('a sleep run\'s timeline grows bar by bar while it runs', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1..8', workers: 2, work: 'sleep', ms: 150, chunksize: 1 });
  // Every animation frame, how many bars the timeline shows while the run goes on.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.barCounts = [];
    const tick = () => {
      if (document.getElementById('run-form')?.dataset.state === 'running') w.barCounts.push(document.querySelectorAll('#timeline rect.bar').length);
      w.barFrame = requestAnimationFrame(tick);
    };
    w.barFrame = requestAnimationFrame(tick);
  });
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  const counts = await page.evaluate(() => { const w = /** @type {any} */ (window); cancelAnimationFrame(w.barFrame); return /** @type {number[]} */ (w.barCounts); });
  const during = [...new Set(counts)].filter((n) => n > 0 && n < 8);
  // 8 tasks in 4 rounds of 2: bars appear round by round, before the run ends.
  assert.ok(during.length >= 3, `bars seen while running: ${[...new Set(counts)].join(', ')}`);
  assert.ok(counts.every((n, i) => i === 0 || n >= counts[i - 1]), 'bars are only ever added while the run goes on');
  assert.equal((await readTimeline(page)).bars.length, 8);
});

test('200,000 tasks: the timeline stays small while live and ends drawn per worker, saying so', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1..200000', workers: 2, work: 'none', chunksize: 1 });
  // The most SVG elements the timeline holds in any animation frame of the run.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.most = 0;
    w.frames = 0;
    const tick = () => {
      if (document.getElementById('run-form')?.dataset.state === 'running') {
        w.frames += 1;
        w.most = Math.max(w.most, document.querySelectorAll('#timeline svg *').length);
      }
      w.mostFrame = requestAnimationFrame(tick);
    };
    w.mostFrame = requestAnimationFrame(tick);
  });
  // On processes (as in WebKit), 200,000 tasks go by message: up to half a minute here.
  await startRun(page);
  const end = await finished(page, 120_000);
  assert.equal(end.state, 'done', end.text);
  const { most, frames } = await page.evaluate(() => { const w = /** @type {any} */ (window); cancelAnimationFrame(w.mostFrame); return { most: w.most, frames: w.frames }; });
  assert.ok(frames > 0, 'frames were drawn during the run');
  assert.ok(most < 3000, `at most ${most} SVG elements in a frame during the run`);
  const drawn = await page.$eval('#timeline svg', (svg) => ({
    tasks: svg.dataset.tasks, merged: svg.dataset.merged, elements: svg.querySelectorAll('*').length,
    spans: [...svg.querySelectorAll('rect.bar.span')].map((r) => Number(/** @type {SVGElement} */ (r).dataset.tasks)),
    summary: svg.closest('figure')?.querySelector('figcaption')?.textContent ?? '',
  }));
  assert.equal(drawn.tasks, '200000');
  assert.equal(drawn.merged, 'true');
  assert.ok(drawn.elements < 3000, `${drawn.elements} SVG elements after the run`);
  assert.equal(drawn.spans.reduce((a, b) => a + b, 0), 200000, 'the spans hold every task');
  assert.match(drawn.summary, /^2 workers ran 200,000 tasks .*\. Neighbouring tasks are drawn as one bar\.$/);
  // The log keeps its last 300 lines and counts the others: 200,000 starts and the end's line.
  const log = await page.evaluate(() => ({
    lines: document.querySelectorAll('#log li').length,
    last: document.querySelector('#log li:last-child .log-text')?.textContent ?? '',
    omitted: document.getElementById('log-omitted')?.textContent ?? '',
  }));
  assert.equal(log.lines, 300);
  assert.match(log.last, /^Done: 200,000 results in /);
  assert.equal(log.omitted, '199,701 earlier lines are not shown (the log keeps the last 300).');
  assert.equal(await page.$eval('#progress', (p) => p.dataset.done), '200000');
});

test('5 tasks that sleep on 2 workers take 2 lanes and 3 rounds', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1, 2, 3, 4, 5', workers: 2, work: 'sleep', ms: 300 });
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  const timeline = await readTimeline(page);
  assert.equal(timeline.lanes, '2');
  assert.equal(timeline.rounds, '3');
  assert.match(timeline.summary, /2 workers ran 5 tasks in 3 rounds/);
  const lanes = [0, 1].map((w) => timeline.bars.filter((b) => b.worker === w).sort((a, b) => a.start - b.start));
  assert.deepEqual(lanes.map((l) => l.length).sort(), [2, 3]);
  // Rounds from the bars themselves: tasks starting together (within 150 ms) form a round.
  const starts = timeline.bars.map((b) => b.start).sort((a, b) => a - b);
  const rounds = starts.reduce((/** @type {number[][]} */ acc, s) => (acc.length && s - acc[acc.length - 1][0] < 150 ? acc[acc.length - 1].push(s) : acc.push([s]), acc), []);
  assert.deepEqual(rounds.map((r) => r.length), [2, 2, 1]);
  for (const lane of lanes) {
    for (let i = 1; i < lane.length; i++) assert.ok(lane[i].start >= lane[i - 1].finish - 0.5, 'a worker runs one task at a time');
  }
  const wall = await page.$eval('#wall-time', (el) => Number(el.dataset.ms));
  // Three rounds of sleeping tasks cannot take less than three sleeps (a lower bound only:
  // how much longer a loaded machine takes is for benchmarks, not tests).
  assert.ok(wall >= 3 * 300 - 1, `3 rounds of 300 ms: ${wall} ms`);
  assert.equal(await page.$$eval('#busy li', (lis) => lis.length), 2);
});

test('a new worker count takes effect on the next run, without reloading', async (t) => {
  const { page } = await open(t);
  await page.evaluate(() => { /** @type {any} */ (window).sameDocument = true; });
  await fill(page, { numbers: '1..8', workers: 2, work: 'sleep', ms: 150, chunksize: 1 });
  assert.equal((await run(page)).state, 'done');
  let timeline = await readTimeline(page);
  assert.equal(timeline.lanes, '2');
  assert.equal(timeline.rounds, '4');

  await fill(page, { workers: 4 });
  assert.equal((await run(page)).state, 'done');
  timeline = await readTimeline(page);
  assert.equal(timeline.lanes, '4');
  assert.equal(timeline.rounds, '2');
  assert.deepEqual([...new Set(timeline.bars.map((b) => b.worker))].sort(), [0, 1, 2, 3]);

  // 4 × the cores needs more Web Workers than the pool has: the engine restarts.
  const most = await page.$eval('#workers', (el) => Number(/** @type {HTMLInputElement} */ (el).max));
  await fill(page, { workers: most });
  assert.equal((await run(page)).state, 'done');
  timeline = await readTimeline(page);
  assert.equal(timeline.lanes, String(most));
  assert.equal(timeline.rounds, String(Math.ceil(8 / most)));
  assert.equal(await resultsText(page), '[1, 4, 9, 16, 25, 36, 49, 64]');
  assert.match(await page.textContent('#status'), new RegExp(`${most} workers per run`));
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).sameDocument), true, 'the page was not reloaded');
});

test('a cancelled run says so, keeps its partial results, and the next run works', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1..40', workers: 2, work: 'sleep', ms: 300, chunksize: 1 });
  await startRun(page);
  await page.waitForFunction(() => Number(document.getElementById('progress').dataset.done) >= 4);
  await page.click('#cancel-button');
  const end = await finished(page);
  assert.equal(end.state, 'cancelled', end.text);
  assert.match(end.text, /^Cancelled after \d+ of 40 results; the results computed so far are kept\.$/);
  const partial = await resultsText(page);
  assert.match(partial, /^\[1, 4, 9, 16, .*…\]$/, partial);
  assert.ok(partial.split(', ').length < 40);
  const timeline = await readTimeline(page);
  assert.equal(timeline.state, 'cancelled');
  assert.ok(timeline.bars.length < 40 && timeline.bars.every((b) => b.status !== 'running'));

  await fill(page, { numbers: '1, 2, 3', work: 'none', chunksize: '' });
  const next = await run(page);
  assert.equal(next.state, 'done', next.text);
  assert.equal(await resultsText(page), '[1, 4, 9]');
});

test('with the keyboard: Run hands the focus to Cancel, Escape cancels, and the focus comes back', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1..40', workers: 2, work: 'sleep', ms: 200, chunksize: 1 });
  await page.focus('#run-button');
  await startRun(page, '#run-button', () => page.keyboard.press('Enter'));
  // Run is disabled while it runs: the focus is on Cancel, never dropped to the page.
  assert.equal(await focused(page), 'cancel-button', 'Cancel has the focus while the run goes on');
  await page.waitForFunction(() => Number(document.getElementById('progress').dataset.done) >= 2);
  await page.keyboard.press('Escape');
  const end = await finished(page);
  assert.equal(end.state, 'cancelled', end.text);
  assert.equal(await focused(page), 'run-button', 'back on Run once the run is over');

  // Space presses Run too; a run that ends by itself gives the focus back as well. (Long
  // enough to be seen running through a WebDriver's round trips on a loaded machine.)
  await fill(page, { numbers: '1..4', ms: 400 });
  await page.focus('#run-button');
  await startRun(page, '#run-button', () => page.keyboard.press('Space'));
  assert.equal(await focused(page), 'cancel-button');
  assert.equal((await finished(page)).state, 'done');
  assert.equal(await focused(page), 'run-button');

  // Measure speedup hands the focus to Cancel and takes it back.
  await page.focus('#measure-button');
  await startRun(page, '#measure-button', () => page.keyboard.press('Enter'));
  assert.equal(await focused(page), 'cancel-button');
  await finished(page);
  assert.equal(await focused(page), 'measure-button');

  // Ctrl+Enter in the numbers runs without taking the person out of the field.
  await page.focus('#numbers');
  await startRun(page, '#run-button', () => page.keyboard.press('Control+Enter'));
  assert.equal(await focused(page), 'numbers');
  assert.equal((await finished(page)).state, 'done');
  assert.equal(await focused(page), 'numbers');
});

test('a task that fails (1e200 squared overflows) shows why and keeps the results before it', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1, 2, 1e200, 4', chunksize: 1, workers: 1 });
  const end = await run(page);
  assert.equal(end.state, 'failed');
  assert.match(end.text, /OverflowError/);
  assert.match(end.text, /input 1e\+200/);
  assert.match(await resultsText(page), /^\[1, 4, …/);
});

test('bad input is named next to the field, which is marked invalid, and announced', async (t) => {
  const { page } = await open(t);
  // The error's live region is in the page (and in the accessibility tree) before it has
  // anything to say: a region that appears with its text is often not announced.
  const before = (await liveRegions(page)).find((r) => r.name === 'div#numbers-error.field-error');
  assert.deepEqual(before, { name: 'div#numbers-error.field-error', live: 'polite', text: '', tables: 0, lists: 0, rendered: true });
  await page.evaluate(() => { /** @type {any} */ (window).errorBox = document.getElementById('numbers-error'); });

  await fill(page, { numbers: '1, 2, 3x' });
  const end = await run(page);
  assert.equal(end.state, 'invalid');
  assert.equal(end.text, 'Fix the numbers first: the mistake is shown at the field.');
  const error = page.locator('#numbers-error');
  assert.ok(await error.isVisible());
  assert.match(await error.textContent(), /"3x" \(item 3\) is not a number/);
  assert.equal(await page.textContent('#numbers-error mark'), '3x');
  assert.equal(await page.evaluate(() => document.getElementById('numbers-error') === /** @type {any} */ (window).errorBox), true,
    'the message went into the region that was there, not a new one');
  const field = await page.$eval('#numbers', (el) => {
    const area = /** @type {HTMLTextAreaElement} */ (el);
    return {
      invalid: area.getAttribute('aria-invalid'), describedBy: area.getAttribute('aria-describedby'),
      selected: area.value.slice(area.selectionStart, area.selectionEnd), focused: document.activeElement === area,
    };
  });
  assert.equal(field.invalid, 'true');
  assert.ok(field.describedBy.split(' ').includes('numbers-error'));
  assert.equal(field.selected, '3x');
  assert.ok(field.focused, 'the focus is at the mistake');
  // Fixing it clears the error as you type; the region stays, empty.
  await page.fill('#numbers', '1, 2, 3');
  await page.waitForFunction(() => document.getElementById('numbers-error').textContent === '');
  assert.equal(await page.getAttribute('#numbers', 'aria-invalid'), null);
  const after = (await liveRegions(page)).find((r) => r.name === 'div#numbers-error.field-error');
  assert.equal(after?.rendered, true);
});

test('each field\'s mistake is shown at that field, announced, and takes the focus', async (t) => {
  const { page } = await open(t);
  const regions = Object.fromEntries((await liveRegions(page)).map((r) => [r.name, r]));
  for (const id of ['workers-error', 'work-error', 'chunksize-error']) {
    const region = regions[`div#${id}.field-error`];
    assert.ok(region && region.rendered && region.text === '' && region.live === 'assertive', `${id}: ${JSON.stringify(region)}`);
  }
  await fill(page, { workers: 0, work: 'sleep', ms: -5, chunksize: 1.5 });
  const before = await session(page);
  await page.click('#run-button');
  // Nothing ran: the form said what is wrong instead.
  assert.equal(await session(page), before);
  const shown = await page.evaluate(() => ['workers', 'work-ms', 'chunksize'].map((id) => {
    const field = document.getElementById(id);
    const box = document.getElementById(field.getAttribute('aria-describedby').split(' ').find((d) => d.endsWith('-error')));
    return { id, invalid: field.getAttribute('aria-invalid'), text: box.textContent };
  }));
  assert.deepEqual(shown.map((f) => f.invalid), ['true', 'true', 'true']);
  assert.match(shown[0].text, /^Choose a whole number of workers from 1 to \d+\.$/);
  assert.match(shown[1].text, /^The duration is a number of milliseconds from 0 to 600000\.$/);
  assert.match(shown[2].text, /^The chunksize is a whole number of 1 or more/);
  assert.equal(await focused(page), 'workers', 'the first mistake has the focus');
  await fill(page, { workers: 2, ms: 50, chunksize: '' });
  assert.equal((await run(page)).state, 'done');
  assert.deepEqual(await page.evaluate(() => ['workers-error', 'work-error', 'chunksize-error'].map((id) => document.getElementById(id).textContent)), ['', '', '']);
});

test('HTML typed into the field is shown as text, never run', async (t) => {
  const { page } = await open(t);
  /** @type {string[]} */
  const dialogs = [];
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  const evil = '<img src=x onerror=alert(1)>';
  await fill(page, { numbers: evil });
  assert.equal((await run(page)).state, 'invalid');
  assert.match(await page.textContent('#numbers-error'), /"<img" \(item 1\) is not a number/);
  assert.equal(await page.textContent('#numbers-error mark'), '<img');
  assert.equal(await page.inputValue('#numbers'), evil);
  // Give an injected image every chance to load and fail: wait for a full frame round-trip.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'no <img> in the page');
  assert.equal(await page.$$eval('#numbers-error *', (els) => els.filter((e) => !['P', 'MARK'].includes(e.tagName)).length), 0);
  assert.deepEqual(dialogs, []);
});

test('the page stays responsive while workers spin', async (t) => {
  const { page } = await open(t);
  // Measured inside the page, as frames and long tasks, first idle and then while two workers
  // spin, each over the same stretch of the page's own clock. A main thread that computed
  // the tasks itself (or waited for them) would miss frames for whole tasks; the bound is
  // half a task, so it holds on a fast machine and a slow one alike.
  const SPIN_MS = 1000;
  const WINDOW_MS = 1500;
  /** Watches the main thread for WINDOW_MS of the page's clock. */
  const watchWindow = async () => {
    const watch = await watchMainThread(page);
    const from = await page.evaluate(() => performance.now());
    await page.waitForFunction((end) => performance.now() >= end, from + WINDOW_MS, { timeout: 30_000 });
    return watch.stop();
  };
  await page.evaluate(() => {
    /** @type {any} */ (window).clickDelays = [];
    document.getElementById('log-title').addEventListener('click', (e) => /** @type {any} */ (window).clickDelays.push(performance.now() - e.timeStamp));
  });
  const idle = await watchWindow();

  // 8 s of spinning on 2 workers: the clicks (slow through WebDriver) and the window fit in it.
  await fill(page, { numbers: '1..16', workers: 2, work: 'spin', ms: SPIN_MS, chunksize: 1 });
  await startRun(page);
  await page.locator('#timeline rect.bar.running').first().waitFor();
  const watch = await watchMainThread(page);
  const from = await page.evaluate(() => performance.now());
  // Clicks while the workers spin: each is handled soon after it happens.
  for (let i = 0; i < 4; i++) await page.click('#log-title');
  await page.waitForFunction((end) => performance.now() >= end, from + WINDOW_MS, { timeout: 30_000 });
  const busy = await watch.stop();
  const stillRunning = await page.$eval('#run-state', (el) => el.dataset.state);
  const clicks = await page.evaluate(() => /** @type {number[]} */ (/** @type {any} */ (window).clickDelays));

  const seen = `idle: ${idle.gaps.length} frames, median gap ${quantile(idle.gaps, 0.5).toFixed(1)} ms, longest ${Math.max(0, ...idle.gaps).toFixed(0)} ms, `
    + `long tasks [${idle.longTasks.map(Math.round)}]; spinning: ${busy.gaps.length} frames, median gap ${quantile(busy.gaps, 0.5).toFixed(1)} ms, `
    + `longest ${Math.max(0, ...busy.gaps).toFixed(0)} ms, long tasks [${busy.longTasks.map(Math.round)}]; clicks: [${clicks.map(Math.round)}] ms`;
  assert.equal(stillRunning, 'running', `measured while the workers were spinning (${seen})`);
  assert.equal(clicks.length, 4);
  // Frames keep coming about as often as when idle...
  await t.test('frames keep coming about as often as when idle', {
    skip: engine === 'webkit' && 'WebKitGTK draws its frames here without a GPU, under Xvfb, on the same 2 cores that the two spinning workers take: it drew half its idle frame rate while clicks were still handled in a few ms, which measures the machine, not the page',
  }, () => {
    assert.ok(busy.gaps.length >= idle.gaps.length / 2, `frames: ${seen}`);
    assert.ok(quantile(busy.gaps, 0.5) <= 2 * quantile(idle.gaps, 0.5) + 10, `frame rate: ${seen}`);
  });
  // ...and nothing holds the main thread for anything like a task (long tasks: where the
  // engine reports them, Chromium; the frame gaps and the clicks everywhere).
  for (const ms of [...busy.gaps, ...busy.longTasks, ...clicks]) {
    assert.ok(ms < SPIN_MS / 2, `the main thread was held ${Math.round(ms)} ms (${seen})`);
  }
  const end = await finished(page);
  assert.equal(end.state, 'done');
});

test('a million numbers: a summary, and every result to download or copy', async (t) => {
  const { page, context } = await open(t);
  // Firefox's driver lets the page read the clipboard through a preference (engines/firefox.mjs).
  if (engine === 'chromium') await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await fill(page, { numbers: '1..1000000' });
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  const summary = await page.$$eval('.results-summary dd', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.field, d.textContent])));
  assert.equal(summary.count, '1,000,000 squares');
  assert.equal(summary.first, '1, 4, 9, 16, 25');
  assert.equal(summary.last, '999992000016, 999994000009, 999996000004, 999998000001, 1000000000000');
  assert.ok(await page.evaluate(() => document.querySelectorAll('*').length) < 3000, 'the page stays small');
  assert.ok((await page.textContent('#results')).length < 2000);
  // A screen reader hears how the run ended, not the results.
  const live = await liveRegions(page);
  assert.deepEqual(live.filter((r) => r.tables > 0 || r.lists > 0 || r.text.includes('1000000000000')).map((r) => r.name), []);
  assert.match(live.find((r) => r.name === 'p#run-state.run-state')?.text ?? '', /^Done: 1,000,000 results in .* on 2 workers\.$/);

  // Every square, a line each: what the download and the copy hold.
  let length = 0;
  for (let n = 1; n <= 1_000_000; n++) length += String(n * n).length + 1;

  await t.test('the download holds every result', { skip: lacks('downloads') }, async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=download]')]);
    assert.equal(download.suggestedFilename(), 'squares.txt');
    const text = await readFile(/** @type {string} */ (await download.path()), 'utf8');
    const lines = text.split('\n');
    assert.equal(lines.length, 1_000_001, 'a million lines and the final newline');
    assert.equal(lines[0], '1');
    assert.equal(lines[999_999], '1000000000000');
    assert.equal(text.length, length);
  });

  await t.test('the copy holds every result', { skip: lacks('clipboard') }, async () => {
    await page.click('button[data-action=copy]');
    await page.waitForFunction(() => /Copied/.test(document.querySelector('.action-status').textContent));
    const copied = await page.evaluate(async () => {
      const all = await navigator.clipboard.readText();
      return { length: all.length, last: all.slice(all.lastIndexOf('\n', all.length - 2) + 1) };
    });
    assert.equal(copied.length, length);
    assert.equal(copied.last, '1000000000000\n');
  });
});

test('a run on a phone-sized screen needs no sideways scrolling', { skip: lacks('narrow') }, async (t) => {
  const { page } = await open(t, { width: 375, height: 800 });
  assert.equal(await page.evaluate(() => innerWidth), 375);
  await fill(page, { kernel: 'both', work: 'sleep', ms: 100 });
  assert.equal((await run(page)).state, 'done');
  // The comparison's table scrolls in its own box, not the page.
  await fill(page, { work: 'none' });
  await run(page, '#compare-button');
  assert.equal((await readCompare(page)).state, 'done');
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: innerWidth }));
  assert.ok(widths.doc <= widths.view && widths.body <= widths.view, JSON.stringify(widths));
});

test('on a plain static server (no COOP/COEP) the page runs on processes', async (t) => {
  const plain = await servePlain();
  t.after(() => plain.stop());
  const { page } = await open(t, { url: plain.url });
  const status = await readStatus(page);
  assert.equal(status.state, 'ready', status.text);
  assert.equal(status.backend, 'processes');
  assert.equal(status.isolated, 'false');
  assert.match(status.text, /^Ready\. Processes: this page is not cross-origin isolated \(no COOP\/COEP headers\),.* each worker has memory of its own/);
  assert.match(status.text, /2 workers per run; 2 worker processes started ahead/);
  assert.match(status.text, /For threads, serve the page with \.\/build\.sh serve, which sends the headers that allow them/);
  // Automatic says what it picks; Threads cannot be chosen, and the help says why.
  const select = await page.$eval('#backend', (el) => ({
    value: /** @type {HTMLSelectElement} */ (el).value,
    auto: el.querySelector('option[value=auto]').textContent,
    threads: /** @type {HTMLOptionElement} */ (el.querySelector('option[value=threads]')).disabled,
    help: document.getElementById('backend-help').textContent,
  }));
  assert.deepEqual({ ...select, help: undefined }, { value: 'auto', auto: 'Automatic: processes here', threads: true, help: undefined });
  assert.match(select.help, /^Threads need a cross-origin isolated page .*\.\/build\.sh serve/);

  // A run: in order, the log and a timeline of 2 lanes.
  await fill(page, { numbers: '1..5', workers: 2, work: 'sleep', ms: 100 });
  const end = await run(page);
  assert.equal(end.state, 'done', end.text);
  assert.equal(await resultsText(page), '[1, 4, 9, 16, 25]');
  const starts = (await logLines(page)).filter((l) => l.kind === 'log-start').map((l) => l.text);
  assert.deepEqual(starts.sort(), [1, 2, 3, 4, 5].map((n) => `Computing square of ${n}`));
  const timeline = await readTimeline(page);
  assert.equal(timeline.lanes, '2');
  assert.equal(timeline.bars.length, 5);
  assert.ok(timeline.bars.every((b) => b.status === 'done' && b.finish !== null));
  assert.deepEqual([...new Set(timeline.bars.map((b) => b.worker))].sort(), [0, 1], 'both processes ran tasks');

  // Cancel stops a sleeping run and keeps what was computed.
  await fill(page, { numbers: '1..40', work: 'sleep', ms: 300, chunksize: 1 });
  await startRun(page);
  // The progress bar of this run (40 tasks), not the one before (shown until the next frame).
  await page.waitForFunction(() => {
    const progress = document.getElementById('progress');
    return progress.dataset.total === '40' && Number(progress.dataset.done) >= 4;
  });
  await page.click('#cancel-button');
  const cancelled = await finished(page);
  assert.equal(cancelled.state, 'cancelled', cancelled.text);
  assert.match(cancelled.text, /Cancelled after \d+ of 40 results/);
  assert.match(await resultsText(page), /^\[1, 4, 9, 16, .*…\]$/);
  assert.equal((await readTimeline(page)).state, 'cancelled');

  // Compare backends: no threads here, said in one sentence; the processes row still comes.
  await fill(page, { numbers: '1..100', work: 'none', chunksize: '' });
  await run(page, '#compare-button');
  const compare = await readCompare(page);
  assert.equal(compare.state, 'done', compare.text);
  assert.deepEqual(compare.rows.map((r) => r.backend), ['processes']);
  assert.ok(compare.rows[0].wall > 0 && compare.rows[0].tasks === 8, JSON.stringify(compare.rows));
  assert.match(compare.note, /^Threads cannot run on this page: it is not cross-origin isolated/);
  assert.equal(compare.note.split('. ').length, 1, 'one sentence');
});

test('the Backend select switches the pool: processes, then threads again', { skip: lacks('threads') }, async (t) => {
  const { page } = await open(t);
  await page.evaluate(() => { /** @type {any} */ (window).sameDocument = true; });
  const ready = (/** @type {string} */ backend) => page.waitForFunction((b) => {
    const status = document.getElementById('status');
    return status.dataset.state === 'ready' && status.dataset.backend === b && !(/** @type {HTMLButtonElement} */ (document.getElementById('run-button')).disabled);
  }, backend);
  await page.selectOption('#backend', 'processes');
  await ready('processes');
  assert.match(await page.textContent('#status'), /^Ready\. Processes, as asked: each worker has memory of its own/);
  await fill(page, { numbers: '1..6', workers: 2, work: 'sleep', ms: 100, chunksize: 1 });
  let end = await run(page);
  assert.equal(end.state, 'done', end.text);
  assert.equal(await resultsText(page), '[1, 4, 9, 16, 25, 36]');
  assert.equal((await readTimeline(page)).lanes, '2');
  // The lessons run on the new pool too.
  await page.selectOption('#lesson-speed', '0.02');
  await page.click('button[data-lesson=q5]');
  await page.waitForFunction(() => ['done', 'cancelled', 'failed'].includes(document.getElementById('q5').dataset.state));
  assert.match(await page.textContent('#q5 .lesson-state'), /^Finished in .* on processes/);
  assert.equal(await page.textContent('pre.output[data-lesson=q5]'), 'Squares: [1, 4, 9, 16, 25]');

  // With the keyboard: back to Automatic, which is threads here.
  await page.focus('#backend');
  await page.keyboard.press('Home');
  await ready('threads');
  assert.equal(await page.inputValue('#backend'), 'auto');
  assert.match(await page.textContent('#status'), /^Ready\. Threads: this page is cross-origin isolated/);
  end = await run(page);
  assert.equal(end.state, 'done', end.text);
  assert.equal(await resultsText(page), '[1, 4, 9, 16, 25, 36]');
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).sameDocument), true, 'the page was not reloaded');

  // While a run goes on, the backend cannot change under it.
  await fill(page, { numbers: '1..4', ms: 300 });
  await startRun(page);
  assert.equal(await page.isDisabled('#backend'), true);
  await finished(page);
  assert.equal(await page.isDisabled('#backend'), false);
});

test('a pool that cannot start says why, and another backend can be chosen', { skip: lacks('threads') }, async (t) => {
  // The threads build is missing (a 404), as on a site that copied only part of pkg/.
  const { page } = await open(t, {
    ready: false,
    route: async (p) => { await p.route('**/pkg/webpool_bg.wasm', (r) => r.fulfill({ status: 404, body: 'not here' })); },
  });
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'failed');
  const status = await readStatus(page);
  assert.equal(status.backend, 'none');
  assert.match(status.text, /^The pool could not start\./);
  assert.equal(await page.getAttribute('#run-state', 'data-state'), 'unavailable');
  assert.equal(await page.isDisabled('#run-button'), true);
  assert.match(await page.textContent('#lessons-state'), /cannot run without a pool/);
  // Processes need the other build only.
  assert.equal(await page.isDisabled('#backend'), false);
  await page.selectOption('#backend', 'processes');
  await page.locator('#run-button:enabled').waitFor();
  assert.equal(await page.$eval('#status', (el) => `${el.dataset.state} ${el.dataset.backend}`), 'ready processes');
  assert.equal(await page.getAttribute('#run-state', 'data-state'), 'idle');
  assert.equal((await run(page)).state, 'done');
  assert.equal(await resultsText(page), '[1, 4, 9, 16, 25]');
});

test('"Compare backends" runs the form on threads, then on processes, and shows them side by side', { skip: lacks('threads') }, async (t) => {
  const { page } = await open(t);
  // "square, then cube" compares the squares; 2,000 numbers in tasks of 10: 200 tasks.
  await fill(page, { numbers: '1..2000', workers: 2, kernel: 'both', chunksize: 10 });
  const end = await run(page, '#compare-button');
  assert.equal(end.state, 'idle', 'a comparison leaves the results panel alone');
  const compare = await readCompare(page);
  assert.equal(compare.state, 'done', compare.text);
  assert.equal(compare.identical, 'true');
  assert.match(compare.caption, /^Squares of 2,000 numbers on 2 workers, chunksize 10/);
  assert.deepEqual(compare.rows.map((r) => r.backend), ['threads', 'processes']);
  for (const row of compare.rows) {
    assert.ok(row.wall > 0 && row.perTask > 0, JSON.stringify(row));
    assert.equal(row.tasks, 200);
    assert.equal(row.identical, 'yes');
    assert.ok(Math.abs(row.perTask - row.wall / 200) < 0.01, JSON.stringify(row));
  }
  assert.match(compare.text, /^Measured here: (processes|threads) took \d+\.\d+× as long as (threads|processes)\. The results are identical\.$/);
  assert.equal(compare.note, '', 'threads run here: nothing to explain');
  // Only the sentence is announced: the table is outside every live region.
  const live = await liveRegions(page);
  assert.deepEqual(live.filter((r) => r.tables > 0 || r.lists > 0).map((r) => r.name), []);
  assert.equal(live.find((r) => r.name === 'p.compare-text')?.text, compare.text);
  // The page's pool is as it was.
  const status = await readStatus(page);
  assert.equal(status.backend, 'threads');
  assert.equal(status.state, 'ready');
  assert.equal((await run(page)).state, 'done');
});

test('screenshot of a finished run (docs/run.png)', async (t) => {
  const { page } = await open(t, { width: 1280, height: 1000 });
  await fill(page, { kernel: 'both', work: 'sleep', ms: 300 });
  assert.equal((await run(page)).state, 'done');
  await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
  const bottom = await page.$eval('#run', (el) => el.getBoundingClientRect().bottom + window.scrollY);
  // Written to docs/ only by `./build.sh screenshots`: running the tests changes no file.
  const path = process.env.WEBPOOL_SCREENSHOTS ? `${docs}run.png` : undefined;
  if (path) await mkdir(docs, { recursive: true });
  const png = await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom + 24) } });
  assert.ok(png.length > 10000, 'a picture of the run');
});

test('"Measure speedup" runs on 1 worker, then on more up to the chosen count, and draws the speedups', async (t) => {
  const { page } = await open(t);
  await fill(page, { numbers: '1..4', workers: 3, work: 'sleep', ms: 200, chunksize: 1 });
  const end = await run(page, '#measure-button');
  assert.equal(end.state, 'done', end.text);
  const speedup = await page.$eval('#speedup', (el) => ({ text: el.textContent, state: el.dataset.state, ratio: el.dataset.ratio }));
  assert.equal(speedup.state, 'done');
  assert.match(speedup.text, /^Measured here: 1 worker took \d+ ms, 3 workers took \d+ ms — \d\.\d\d× faster with sleep 200 ms per number\.$/);
  const ratio = Number(speedup.ratio);
  // Sleeping tasks on 3 workers take half as long as on 1 (two rounds against four); only
  // the direction is checked here.
  assert.ok(ratio > 1, `4 sleeping tasks, 1 worker against 3: ${ratio}× (${speedup.text})`);
  // The picture: a point for 1, 2 and 3 workers, the last the sentence's ratio.
  const points = await page.$$eval('#scaling circle.point', (cs) => cs.map((c) => ({ workers: Number(c.dataset.workers), speedup: Number(c.dataset.speedup) })));
  assert.deepEqual(points.map((p) => p.workers), [1, 2, 3]);
  assert.equal(points[0].speedup, 1);
  assert.equal(points[2].speedup.toFixed(2), ratio.toFixed(2));
  assert.equal(await page.locator('#scaling .ideal').count(), 1);
  const cores = await coresOf(page);
  assert.equal(await page.locator('#scaling line.cores').count(), cores <= 3 ? 1 : 0, 'the cores are marked when the axis reaches them');
  assert.match(await page.textContent('#scaling figcaption') ?? '', /^Speedup against 1 worker: 2 workers \d+\.\d\d×, 3 workers \d+\.\d\d×\./);
  // The page shows the last run: on 3 workers.
  assert.equal((await readTimeline(page)).lanes, '3');
  // The explanation speaks of this device, whatever it has.
  assert.match(await page.textContent('#why'), new RegExp(`this device has ${plural(cores, 'core')}, so past ${plural(cores, 'worker')} `
    + `the spinning tasks take turns and the speedup stops near ${cores}×`));
});
