// <webpool-demo> as a tutorial author embeds it: www/embed-example.html, a host page with loud
// CSS of its own, served with COOP/COEP (threads), by a plain static server (processes), and
// through the opt-in service worker (threads after one reload). Every wait is for an event or
// a condition on the page, never a fixed sleep.
//
// The element's shadow root (open) has a status line `.status` with data-state (idle,
// starting, ready, failed) and data-backend; the results in `.results`; how the run ended in
// `.state`; the log in `.log`, one <li> per line with `.log-worker` and `.log-text`, worded as
// on webpool's page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedBackend, lacks, launch, liveRegions, openPage, serve, servePlain } from './browser.mjs';

/** @type {{ url: string, stop: () => void }} */
let isolated;
/** @type {{ url: string, stop: () => void }} */
let plain;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  [isolated, plain, browser] = await Promise.all([serve(), servePlain(), launch()]);
});

after(async () => {
  await browser?.close();
  isolated?.stop();
  plain?.stop();
});

const EXAMPLE = 'embed-example.html';
const SQUARES = ['1', '4', '9', '16', '25'];

/**
 * A fresh browser context (its own service workers and storage) on `url`.
 * @param {import('node:test').TestContext} t
 * @param {string} url
 * @param {{ width?: number, route?: (page: import('playwright-core').Page) => Promise<void>,
 *   reducedMotion?: 'reduce' | 'no-preference' }} [options]
 */
async function open(t, url, { width = 1024, route, reducedMotion } = {}) {
  return (await openPage(browser, t, url, { width, route, reducedMotion })).page;
}

/**
 * Waits until the element says which backend a Run will use (before any pool starts: the
 * demos of a page start their shared pool at the first Run) and returns its status line.
 * @param {import('playwright-core').Page} page
 */
async function started(page) {
  return statusOf(page.locator('webpool-demo .status:not([data-backend=none]), webpool-demo .status[data-state=failed]'));
}

/** A demo's status line, once it is there. @param {import('playwright-core').Locator} status */
async function statusOf(status) {
  await status.waitFor({ timeout: 20_000 });
  return status.evaluate((el) => ({ state: el.dataset.state, backend: el.dataset.backend, text: el.textContent ?? '' }));
}

/**
 * Starts a run with `press` (by default a click on Run) and waits for its `webpool-done`.
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<void>} [press]
 */
async function run(page, press = () => page.locator('webpool-demo button.run').click()) {
  // The listener is in place before the run starts; its promise is collected afterwards.
  const waiting = await page.evaluateHandle(() => ({
    done: new Promise((resolve) => {
      document.querySelector('webpool-demo')?.addEventListener('webpool-done', (e) => resolve(/** @type {CustomEvent} */ (e).detail), { once: true });
    }),
  }));
  await press();
  const detail = await waiting.evaluate((w) => w.done);
  const demo = page.locator('webpool-demo');
  return {
    detail,
    shown: await demo.locator('.results').textContent(),
    state: await demo.locator('.state').textContent(),
    log: await demo.locator('.log li').evaluateAll((lis) => lis.map((li) => ({
      worker: li.querySelector('.log-worker')?.textContent ?? '', text: li.querySelector('.log-text')?.textContent ?? '',
    }))),
    property: await demo.evaluate((el) => /** @type {any} */ (el).result),
  };
}

/**
 * The tutorial's run, checked: 1..5 squared in order on two workers, each number named once
 * in the log as the worker that computed it.
 * @param {Awaited<ReturnType<typeof run>>} out @param {'threads' | 'processes'} backend
 */
function assertSquares(out, backend) {
  assert.deepEqual(out.detail.values, SQUARES);
  assert.equal(out.detail.report.status, 'done');
  assert.equal(out.detail.backend, backend);
  assert.deepEqual(out.property, out.detail, 'the element keeps its last result');
  assert.equal(out.shown, '[1, 4, 9, 16, 25]');
  // The page's words: `worker 1` beside `Computing square of 3`.
  const computes = out.log.filter((line) => line.text.startsWith('Computing'));
  const said = out.log.map((l) => `${l.worker} ${l.text}`).join('\n');
  assert.deepEqual(computes.map((l) => l.text).sort(), [1, 2, 3, 4, 5].map((n) => `Computing square of ${n}`), said);
  assert.deepEqual(new Set(computes.map((l) => l.worker)), new Set(['worker 1', 'worker 2']), 'both workers took tasks');
  assert.match(out.log.at(-1)?.text ?? '', /^Done: 5 results in .* on 2 workers\.$/);
  assert.equal(out.state, out.log.at(-1)?.text, 'the state line says the same');
}

test('served with COOP/COEP, the element runs on threads and shows the ordered results', { skip: lacks('threads') }, async (t) => {
  const page = await open(t, new URL(EXAMPLE, isolated.url).href);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const status = await started(page);
  assert.equal(status.state, 'idle', status.text);
  assert.equal(status.backend, 'threads');
  assert.match(status.text, /^Threads: .*isolated.*The pool starts at the first Run on this page\.$/);
  assertSquares(await run(page), 'threads');
  const demo = page.locator('webpool-demo');
  assert.equal((await statusOf(demo.locator('.status'))).state, 'ready');
  assert.deepEqual(await demo.evaluate((el) => [/** @type {any} */ (el).backend, /** @type {any} */ (el).ranOn]), ['auto', 'threads']);
});

test('served by a plain static server, the element runs on processes with the same results', async (t) => {
  const page = await open(t, new URL(EXAMPLE, plain.url).href);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  const status = await started(page);
  assert.equal(status.state, 'idle', status.text);
  assert.equal(status.backend, 'processes');
  assert.match(status.text, /^Processes: .*not cross-origin isolated/);
  assertSquares(await run(page), 'processes');
});

test('the opt-in service worker isolates a plain host after one reload, and the opt-out undoes it', {
  // A worker that cannot start leaves the run without an end (as on WebKitGTK, before
  // assets.js gave each worker a URL of its own): the test has a bound of its own.
  timeout: 30_000,
}, async (t) => {
  const page = await open(t, new URL(EXAMPLE, plain.url).href);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  await started(page);

  const reloaded = page.waitForEvent('load');
  await page.click('#isolate-on');
  await reloaded;
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'isolated after the reload');
  const box = page.locator('#isolation');
  assert.deepEqual(await box.evaluate((el) => ({ ...el.dataset })), { isolated: 'true', controlled: 'true' });
  const status = await started(page);
  // Threads, where the engine has SharedArrayBuffer once isolated (WebKitGTK has not).
  assert.equal(status.backend, isolatedBackend, status.text);
  assertSquares(await run(page), isolatedBackend);

  // Once isolated, asking again does nothing: no second reload.
  const again = await page.evaluate(async (url) => (await import(url)).isolate(), './isolate.js');
  assert.equal(again, 'isolated');

  const unloaded = page.waitForEvent('load');
  await page.click('#isolate-off');
  await unloaded;
  assert.equal(await page.evaluate(() => crossOriginIsolated), false, 'not isolated after opting out');
  assert.deepEqual(await box.evaluate((el) => ({ ...el.dataset })), { isolated: 'false', controlled: 'false' });
  assert.deepEqual(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
});

/** Properties that follow the layout (the page grows when the element renders), not the CSS. */
const LAYOUT = ['width', 'height', 'inline-size', 'block-size', 'perspective-origin', 'transform-origin',
  // A grid's computed tracks are its laid-out sizes (the log's lines are grids).
  'grid-template-columns', 'grid-template-rows'];

/**
 * The host document as CSS and DOM see it: its markup, its style sheets, and every computed
 * style of its own elements (the element itself aside: defining it is meant to change it).
 * @param {import('playwright-core').Page} page
 */
function hostSnapshot(page) {
  return page.evaluate((layout) => {
    /** @type {Record<string, Record<string, string>>} */
    const styles = {};
    document.querySelectorAll('html, head *, body, body *').forEach((el, i) => {
      if (el.localName === 'webpool-demo') return;
      const computed = getComputedStyle(el);
      /** @type {Record<string, string>} */
      const props = {};
      for (const name of computed) if (!layout.includes(name)) props[name] = computed.getPropertyValue(name);
      styles[`${i} ${el.localName}${el.id ? `#${el.id}` : ''}`] = props;
    });
    return {
      html: document.documentElement.outerHTML,
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      styles,
    };
  }, LAYOUT);
}

/**
 * Computed styles of the element's own parts, from its shadow root.
 * @param {import('playwright-core').Page} page
 */
function innerStyles(page) {
  return page.locator('webpool-demo').evaluate((host, layout) => {
    const root = /** @type {ShadowRoot} */ (host.shadowRoot);
    /** @type {Record<string, Record<string, string>>} */
    const styles = {};
    for (const selector of ['.box', '.title', 'label', '#numbers', '#workers', '#kernel', 'button.run', 'button.cancel', '.status', '.results', '.log', '.log li']) {
      const el = root.querySelector(selector);
      if (!el) throw new Error(`no ${selector} in the shadow root`);
      const computed = getComputedStyle(el);
      /** @type {Record<string, string>} */
      const props = {};
      for (const name of computed) if (!layout.includes(name)) props[name] = computed.getPropertyValue(name);
      styles[selector] = props;
    }
    return styles;
  }, LAYOUT);
}

test('the host page\'s styles and the element\'s own stay apart', async (t) => {
  // First the host page without the element's module, as it looks before the author adds it.
  const page = await open(t, new URL(EXAMPLE, isolated.url).href, {
    route: async (p) => { await p.route('**/webpool-demo.js', (route) => route.abort()); },
    // Computed styles are compared: no colour may be caught halfway through a transition.
    reducedMotion: 'reduce',
  });
  assert.equal(await page.evaluate(() => customElements.get('webpool-demo')), undefined);
  const without = await hostSnapshot(page);
  const h1 = Object.entries(without.styles).find(([key]) => key.endsWith(' h1'))?.[1];
  assert.match(h1?.['font-family'] ?? '', /Georgia/, 'the snapshot reads the host\'s own styles');
  // Then the module loads (under another URL: the failed one stays failed) and the element runs.
  await page.unroute('**/webpool-demo.js');
  await page.evaluate((url) => import(url).then(() => true), './webpool-demo.js?late');
  await started(page);
  assertSquares(await run(page), isolatedBackend);
  const withIt = await hostSnapshot(page);
  assert.equal(withIt.html, without.html, 'nothing was added to or changed in the host document');
  assert.equal(withIt.sheets, without.sheets, 'no style sheet was added to the host document');
  assert.equal(withIt.adopted, 0);
  assert.deepEqual(withIt.styles, without.styles, 'every host element computes the same styles');

  // The host's loud rules (red buttons, black code, 26px serif controls) stop at the element.
  // The pointer goes where no control is: switching the host's sheets off moves the element,
  // and a button that the pointer then happens to hover would look different.
  await page.mouse.move(0, 0);
  // Where the engine's driver cannot ask for reduced motion (Firefox's and WebKit's here), the
  // transition that leaving a button started is waited out.
  await page.waitForFunction(() => !document.querySelector('webpool-demo')?.shadowRoot?.querySelector(':hover'));
  await page.locator('webpool-demo').evaluate((el) => Promise.all(el.shadowRoot?.getAnimations().map((a) => a.finished) ?? []));
  const clashing = await innerStyles(page);
  assert.notEqual(clashing['button.run']['background-color'], 'rgb(255, 0, 0)');
  assert.equal(clashing['button.run']['font-size'], '15px');
  assert.doesNotMatch(clashing['button.run']['font-family'], /Georgia/);
  assert.doesNotMatch(clashing['#numbers']['border-top-style'], /dashed/);
  assert.notEqual(clashing['.results']['background-color'], 'rgb(0, 0, 0)');
  assert.notEqual(clashing.label['text-transform'], 'uppercase');
  // Exactly as it looks with the host's style sheets switched off.
  await page.evaluate(() => { for (const sheet of document.styleSheets) sheet.disabled = true; });
  assert.equal(await page.locator('h1').evaluate((h1) => getComputedStyle(h1).fontFamily.includes('Georgia')), false, 'the host sheets are off');
  assert.deepEqual(await innerStyles(page), clashing);
});

test('attributes drive the controls; errors show beside the numbers as text; the keyboard runs and cancels', async (t) => {
  const page = await open(t, new URL(EXAMPLE, isolated.url).href, { width: 375 });
  await started(page);
  const demo = page.locator('webpool-demo');

  // An author (or a script) changes the attributes: the controls follow.
  await demo.evaluate((el) => {
    el.setAttribute('numbers', '2, 3x, <img src=x onerror=alert(1)>');
    el.setAttribute('workers', '3');
    el.setAttribute('kernel', 'cube');
  });
  assert.equal(await demo.locator('#numbers').inputValue(), '2, 3x, <img src=x onerror=alert(1)>');
  assert.equal(await demo.locator('#workers').inputValue(), '3');
  assert.equal(await demo.locator('#kernel').inputValue(), 'cube');
  assert.equal(await demo.locator('.title code').textContent(), 'pool.map(compute_cube, numbers)');

  // Enter in the numbers field runs; the mistake is named beside the field and selected.
  await demo.locator('#numbers').press('Enter');
  const error = demo.locator('#numbers-error');
  await error.locator('p').first().waitFor();
  assert.equal(await error.locator('p').first().textContent(), '"3x" (item 2) is not a number');
  assert.equal(await error.locator('mark').textContent(), '3x');
  assert.equal(await demo.locator('#numbers').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await demo.locator('#numbers').evaluate((el) => [/** @type {HTMLInputElement} */ (el).selectionStart, /** @type {HTMLInputElement} */ (el).selectionEnd]), [3, 5]);
  assert.equal(await demo.locator('.state').getAttribute('data-state'), 'invalid');
  assert.equal(await demo.evaluate((el) => el.shadowRoot?.querySelectorAll('img').length), 0, 'user text is never markup');

  // Fixed and run again from the keyboard: three workers, cubes in order.
  await demo.locator('#numbers').fill('2 3 4');
  assert.equal(await error.textContent(), '', 'typing clears the error');
  assert.equal(await demo.locator('#numbers').getAttribute('aria-invalid'), null);
  const cubes = await run(page, () => demo.locator('#numbers').press('Enter'));
  assert.deepEqual(cubes.detail.values, ['8', '27', '64']);
  assert.equal(cubes.detail.report.workers, 3);
  assert.equal(cubes.shown, '[8, 27, 64]');
  assert.ok(cubes.log.some((line) => /^worker \d$/.test(line.worker) && line.text === 'Computing cube of 3'), JSON.stringify(cubes.log));

  // Tab reaches Run; Space presses it; Escape cancels and keeps what was computed.
  await demo.evaluate((el) => {
    el.setAttribute('numbers', '1..40');
    el.setAttribute('workers', '2');
    el.setAttribute('work-ms', '150');
  });
  await demo.locator('#kernel').focus();
  await page.keyboard.press('Tab');
  assert.equal(await demo.evaluate((el) => el.shadowRoot?.activeElement?.className), 'run');
  const cancelled = await run(page, async () => {
    await page.keyboard.press('Space');
    await demo.locator('.log li').first().waitFor();
    assert.equal(await demo.evaluate((el) => el.shadowRoot?.activeElement?.className), 'cancel', 'focus moves to Cancel');
    await page.keyboard.press('Escape');
  });
  assert.equal(cancelled.detail.report.status, 'cancelled');
  assert.ok(cancelled.detail.report.done < 40, `kept ${cancelled.detail.report.done}`);
  assert.match(await demo.locator('.state').textContent() ?? '', /^Cancelled after \d+ of 40 results; the results computed so far are kept\.$/);
  assert.equal(await demo.evaluate((el) => el.shadowRoot?.activeElement?.className), 'run', 'the focus is back on Run');
  assert.equal(await demo.locator('button.cancel').isDisabled(), true);

  await t.test('readable at 375 px: nothing sticks out sideways', { skip: lacks('narrow') }, async () => {
    assert.equal(await page.evaluate(() => innerWidth), 375);
    const box = await demo.evaluate((el) => {
      const inner = /** @type {HTMLElement} */ (el.shadowRoot?.querySelector('.box'));
      return { right: inner.getBoundingClientRect().right, scroll: inner.scrollWidth, client: inner.clientWidth };
    });
    assert.ok(box.right <= 375, `the element ends at ${box.right}px`);
    assert.ok(box.scroll <= box.client, `no sideways overflow (${box.scroll} > ${box.client})`);
  });
});

test('kernel="collatz" runs real computation, exact past 64 bits; spin is labelled simulated', async (t) => {
  const page = await open(t, new URL(EXAMPLE, isolated.url).href);
  await started(page);
  const demo = page.locator('webpool-demo');
  await demo.evaluate((el) => {
    el.setAttribute('kernel', 'collatz');
    el.setAttribute('numbers', '27 837799 18446744073709551617');
    el.setAttribute('work', 'none');
  });
  assert.equal(await demo.locator('#kernel').inputValue(), 'collatz');
  assert.match(await demo.locator('#kernel option[value=collatz]').textContent() ?? '', /real computation/);
  assert.equal(await demo.locator('.title code').textContent(), 'pool.map(collatz_steps, numbers)');
  const out = await run(page);
  // 2**64 + 1 takes 483 steps, as CPython counts them (src/kernel/collatz.py).
  assert.deepEqual(out.detail.values, ['111', '524', '483']);
  await demo.evaluate((el) => {
    el.setAttribute('work', 'spin');
    el.setAttribute('work-ms', '10');
  });
  assert.match(await demo.locator('.title').textContent() ?? '', /simulated computing/);
});

test('a screen reader hears one sentence per run, not the results, and hears mistakes', async (t) => {
  const page = await open(t, new URL(EXAMPLE, isolated.url).href);
  await started(page);
  const demo = page.locator('webpool-demo');
  const inDemo = async () => (await liveRegions(page)).filter((r) => r.name.startsWith('webpool-demo >>> '));

  // The error regions are there, empty, before there is an error to announce.
  const before = Object.fromEntries((await inDemo()).map((r) => [r.name.replace('webpool-demo >>> ', ''), r]));
  for (const name of ['div#numbers-error.field-error', 'div#workers-error.field-error']) {
    assert.ok(before[name]?.rendered && before[name].text === '' && before[name].live === 'assertive', `${name}: ${JSON.stringify(before[name])}`);
  }

  // 300 results: the list is shown, but no live region holds it; the state line says how it ended.
  await demo.evaluate((el) => {
    el.setAttribute('numbers', '1..300');
    el.setAttribute('work', 'none');
  });
  const out = await run(page);
  assert.equal(out.detail.values.length, 300);
  assert.match(out.shown ?? '', /^\[1, 4, 9, .*, 90000\]$/);
  const live = await inDemo();
  assert.deepEqual(live.filter((r) => r.text.includes('[1, 4, 9') || r.tables > 0 || r.lists > 0).map((r) => r.name), [],
    'no live region holds the results');
  const state = live.find((r) => r.name === 'webpool-demo >>> p.state');
  assert.match(state?.text ?? '', /^Done: 300 results in .* on 2 workers\.$/);
  assert.equal(state?.text.split('\n').length, 1, 'one line');

  // A mistake fills the region that was there; the workers' too.
  await demo.evaluate((el) => el.setAttribute('numbers', '1, 2, x3'));
  await demo.locator('button.run').click();
  await demo.locator('.state[data-state=invalid]').waitFor();
  await demo.evaluate((el) => el.setAttribute('workers', '0'));
  await demo.locator('button.run').click();
  const after = Object.fromEntries((await inDemo()).map((r) => [r.name.replace('webpool-demo >>> ', ''), r.text]));
  assert.match(after['div#numbers-error.field-error'], /^"x3" \(item 3\) is not a number/);
  assert.equal(after['div#workers-error.field-error'], 'Workers: a whole number from 1 to 256.');
  assert.equal(await demo.evaluate((el) => el.shadowRoot?.activeElement?.id), 'workers', 'the focus is at the mistake');
});
