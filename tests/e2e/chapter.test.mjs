// www/chapter.html, a tutorial chapter as authors write them: five <webpool-demo>s and one
// lesson element on one page. They share one pool: no Web Worker before the first Run,
// never more than the most workers a demo asked for (plus the engine) after, one run at a
// time; the element's properties, events and theming work as its doc comment says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedBackend, lacks, launch, openPage, serve } from './browser.mjs';

/** @type {{ url: string, stop: () => void }} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  [server, browser] = await Promise.all([serve(), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/**
 * The chapter, with a count of its live Web Workers (nested ones included). `atMost(n)`
 * settles once no more than n are alive: a terminated engine's Web Workers are reported
 * closed a little after the new engine's first ones start, so counts are read settled.
 * @param {import('node:test').TestContext} t
 */
async function openChapter(t) {
  const { page } = await openPage(browser, t, new URL('chapter.html', server.url).href);
  /** @type {(() => boolean)[]} */
  let watchers = [];
  const workers = {
    alive: 0,
    started: 0,
    /** @param {number} n */
    atMost: (n) => new Promise((resolve, reject) => {
      const check = () => {
        if (workers.alive > n) return false;
        resolve(undefined);
        return true;
      };
      if (check()) return;
      watchers.push(check);
      setTimeout(() => reject(new Error(`${workers.alive} Web Workers still alive, more than ${n}`)), 10_000).unref();
    }),
  };
  // Counted where the driver sees the page's Web Workers (Chromium's; see lacks('workers')).
  if (!lacks('workers')) page.on('worker', (worker) => {
    workers.alive += 1;
    workers.started += 1;
    worker.on('close', () => {
      workers.alive -= 1;
      watchers = watchers.filter((check) => !check());
    });
  });
  // Every map demo says which backend a Run will use: the page has done all it does at load.
  await page.waitForFunction(() => [...document.querySelectorAll('webpool-demo:not([lesson])')]
    .every((el) => (el.shadowRoot?.querySelector('.status')?.getAttribute('data-backend') ?? 'none') !== 'none'));
  return { page, workers };
}

/**
 * Runs demo `#id` by its Run button and resolves with its `webpool-done` detail.
 * @param {import('playwright-core').Page} page @param {string} id
 */
async function runDemo(page, id) {
  const done = await page.evaluateHandle((demoId) => ({
    detail: new Promise((resolve) => {
      document.getElementById(demoId)?.addEventListener('webpool-done', (e) => resolve(/** @type {CustomEvent} */ (e).detail), { once: true });
    }),
  }), id);
  await page.locator(`#${id} button.run`).click();
  return done.evaluate((d) => d.detail);
}

test('the chapter starts no Web Worker before the first Run, and never more than the most asked for after', { skip: lacks('workers') }, async (t) => {
  const { page, workers } = await openChapter(t);
  assert.equal(await page.locator('webpool-demo').count(), 6);
  assert.equal(page.workers().length, 0, 'no Web Worker at load');
  assert.equal(workers.started, 0);

  // Two workers asked for: the engine and its two.
  const first = await runDemo(page, 'first');
  assert.deepEqual(first.values, ['1', '4', '9', '16', '25']);
  await workers.atMost(2 + 1);
  // Four, then three and two: the engine grows to four and stays there.
  const sleeping = await runDemo(page, 'sleeping');
  assert.equal(sleeping.report.workers, 4);
  await workers.atMost(4 + 1);
  const started = workers.started;
  const cubes = await runDemo(page, 'cubes');
  assert.deepEqual(cubes.values, ['1', '8', '27', '64', '125', '216', '343', '512', '729']);
  assert.equal(cubes.report.workers, 3);
  await runDemo(page, 'chunks');
  await workers.atMost(4 + 1);
  assert.equal(workers.started, started, 'fewer workers start nothing new');
  assert.ok(page.workers().length <= 4 + 1, `${page.workers().length} alive now`);
});

test('two demos run at once: the second waits its turn and says so', async (t) => {
  const { page } = await openChapter(t);
  // 3 s of sleeping (8 tasks of 1.5 s on 4 workers): long enough that the second Run, clicked
  // through a slow driver, comes while it runs.
  await page.evaluate(() => { /** @type {any} */ (document.getElementById('sleeping')).workMs = 1500; });
  const sleeping = runDemo(page, 'sleeping');
  await page.locator('#sleeping .log li').first().waitFor();
  const first = runDemo(page, 'first');
  const waiting = page.locator('#first .state[data-state=waiting]');
  await waiting.waitFor();
  assert.match(await waiting.textContent() ?? '', /^Waiting for its turn: another demo on this page is running\./);
  const [slept, squared] = await Promise.all([sleeping, first]);
  assert.equal(slept.report.status, 'done');
  assert.deepEqual(squared.values, ['1', '4', '9', '16', '25']);
  // The second began after the first had ended.
  assert.ok(squared.report.startedAt >= slept.report.startedAt + slept.report.wallMs,
    `${squared.report.startedAt} against ${slept.report.startedAt} + ${slept.report.wallMs}`);

  // A demo cancelled while it waits runs nothing, and the one behind it still runs.
  const again = runDemo(page, 'sleeping');
  await page.locator('#sleeping .log li').first().waitFor();
  const cancelled = page.evaluate(() => new Promise((resolve) => {
    const el = /** @type {any} */ (document.getElementById('cubes'));
    el.addEventListener('webpool-error', (/** @type {CustomEvent} */ e) => resolve(e.detail), { once: true });
    el.run();
    el.cancel();
  }));
  assert.deepEqual(await cancelled, { code: 'cancelled', message: 'cancelled before it began: nothing was computed' });
  assert.equal((await again).report.status, 'done');
});

test('properties mirror the attributes both ways; run(), cancel() and the events work', async (t) => {
  const { page } = await openChapter(t);
  const demo = page.locator('#chunks');
  const read = () => demo.evaluate((/** @type {any} */ el) => ({
    numbers: el.numbers, workers: el.workers, kernel: el.kernel, work: el.work, workMs: el.workMs,
    chunksize: el.chunksize, backend: el.backend,
    attributes: Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])),
  }));
  assert.deepEqual(await read(), {
    numbers: '1..20', workers: 2, kernel: 'square', work: 'none', workMs: 2000, chunksize: 1, backend: 'auto',
    attributes: { id: 'chunks', numbers: '1..20', workers: '2', kernel: 'square', chunksize: '1' },
  });
  // Properties set the attributes (and the controls)...
  await demo.evaluate((/** @type {any} */ el) => {
    el.numbers = '2 3 4';
    el.workers = 3;
    el.kernel = 'cube';
    el.work = 'sleep';
    el.workMs = 50;
    el.chunksize = 2;
  });
  const set = await read();
  assert.deepEqual(set.attributes, { id: 'chunks', numbers: '2 3 4', workers: '3', kernel: 'cube', chunksize: '2', work: 'sleep', 'work-ms': '50' });
  assert.equal(await demo.locator('#numbers').inputValue(), '2 3 4');
  assert.equal(await demo.locator('#kernel').inputValue(), 'cube');
  // ...attributes set the properties, and what a person types sets both.
  await demo.evaluate((el) => el.removeAttribute('chunksize'));
  await demo.locator('#workers').fill('2');
  await demo.locator('#workers').press('Tab');
  assert.deepEqual({ ...(await read()), attributes: undefined }, {
    numbers: '2 3 4', workers: 2, kernel: 'cube', work: 'sleep', workMs: 50, chunksize: null, backend: 'auto', attributes: undefined,
  });

  // run() fires webpool-start, a webpool-task per batch of task events, then webpool-done.
  const heard = await demo.evaluate(async (/** @type {any} */ el) => {
    /** @type {{ type: string, detail: any }[]} */
    const events = [];
    for (const type of ['webpool-start', 'webpool-task', 'webpool-done', 'webpool-error']) {
      el.addEventListener(type, (/** @type {CustomEvent} */ e) => events.push({
        type,
        // A batch is read in the page: event(i) for each of its events.
        detail: type === 'webpool-task' ? Array.from({ length: e.detail.length }, (_, i) => e.detail.event(i)) : e.detail,
      }));
    }
    const result = await el.run();
    return { events, result };
  });
  const types = heard.events.map((e) => e.type);
  assert.equal(types[0], 'webpool-start');
  assert.equal(types.at(-1), 'webpool-done');
  assert.deepEqual(heard.events[0].detail, { numbers: '2 3 4', workers: 2, kernel: 'cube', work: { kind: 'sleep', ms: 50 }, chunksize: null, backend: isolatedBackend });
  const tasks = heard.events.filter((e) => e.type === 'webpool-task').flatMap((e) => e.detail);
  assert.equal(tasks.filter((e) => e.type === 'end').length, tasks.filter((e) => e.type === 'start').length);
  assert.deepEqual(tasks.filter((e) => e.type === 'start').flatMap((e) => e.inputs).sort(), ['2', '3', '4']);
  assert.deepEqual(heard.result.values, ['8', '27', '64']);
  assert.deepEqual(heard.events.at(-1)?.detail.values, ['8', '27', '64']);

  // Mistakes come as webpool-error with the API's code, beside the field.
  const errors = await demo.evaluate(async (/** @type {any} */ el) => {
    /** @type {any[]} */
    const got = [];
    el.addEventListener('webpool-error', (/** @type {CustomEvent} */ e) => got.push(e.detail));
    el.numbers = '1, x';
    await el.run();
    el.numbers = '1 2';
    el.workers = 0;
    await el.run();
    return got;
  });
  assert.deepEqual(errors.map((e) => e.code), ['input', 'input']);
  assert.match(errors[0].message, /"x" \(item 2\) is not a number/);
  assert.match(errors[1].message, /^Workers: a whole number from 1 to/);
  assert.equal(await demo.locator('#workers').getAttribute('aria-invalid'), 'true');

  // cancel() stops a run and keeps what was computed.
  const cancelled = await demo.evaluate(async (/** @type {any} */ el) => {
    el.workers = 2;
    el.numbers = '1..40';
    el.workMs = 200;
    el.chunksize = 1;
    const running = el.run();
    await new Promise((resolve) => el.addEventListener('webpool-task', resolve, { once: true }));
    el.cancel();
    return (await running).report;
  });
  assert.equal(cancelled.status, 'cancelled');
  assert.ok(cancelled.done < 40, `kept ${cancelled.done}`);
});

test('an author themes a demo with custom properties and parts', async (t) => {
  const { page } = await openChapter(t);
  const look = (/** @type {string} */ id) => page.locator(`#${id}`).evaluate((el) => {
    const root = /** @type {ShadowRoot} */ (el.shadowRoot);
    const style = (/** @type {string} */ s) => getComputedStyle(/** @type {Element} */ (root.querySelector(s)));
    return { run: style('button.run').backgroundColor, radius: style('.box').borderTopLeftRadius, title: style('.title').fontStyle };
  });
  assert.deepEqual(await look('cubes'), { run: 'rgb(139, 30, 63)', radius: '2px', title: 'italic' });
  assert.deepEqual(await look('first'), { run: 'rgb(44, 92, 173)', radius: '10px', title: 'normal' });
});

test('lesson="q1" shows the notebook\'s Q1 card, started when it scrolls into view, and runs it', async (t) => {
  const { page, workers } = await openChapter(t);
  const lesson = page.locator('#lesson');
  if (!lacks('workers')) assert.equal(workers.started, 0, 'the lesson, out of view, started nothing');
  await lesson.scrollIntoViewIfNeeded();
  const button = lesson.locator('button[data-lesson=q1]');
  await button.waitFor({ timeout: 20_000 });
  assert.match(await lesson.locator('code[data-notebook=q1]').textContent() ?? '', /def compute_square/);
  assert.match(await lesson.locator('code[data-source=q1]').textContent() ?? '', /fn /);
  await lesson.locator('#speed').selectOption('0.02');
  await button.click();
  await lesson.locator('article.lesson[data-state=done]').waitFor({ timeout: 30_000 });
  const output = await lesson.locator('pre.output').textContent() ?? '';
  assert.match(output, /\[1, 4, 9, 16, 25\]/);
  // The card has the page's looks: its style sheet reached the shadow root.
  assert.equal(await lesson.locator('button[data-lesson=q1]').evaluate((b) => getComputedStyle(b).borderTopLeftRadius !== '0px'), true);
});
