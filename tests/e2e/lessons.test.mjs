// The notebook's six lessons on the page: each card's code, its Run button, its output as
// the notebook prints it, its timeline; linking to #q1..#q6; one lesson at a time; Q2's
// "Threads or processes?". Every test runs twice: served with COOP/COEP (the threads
// backend) and by a plain static server (the processes backend). What depends on the device
// (its cores) is read from `navigator.hardwareConcurrency` in the page; a speedup is expected
// only up to the machine's own cores too (node's `availableParallelism()`).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { readFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { lacks, launch, liveRegions, openPage, serve, servePlain } from './browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const FAST = '0.02';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const SERVERS = /** @type {const} */ ([
  { name: 'served with COOP/COEP: threads', backend: 'threads', start: () => serve() },
  { name: 'served by a plain static server: processes', backend: 'processes', start: () => servePlain() },
]);

for (const { name, backend, start } of SERVERS) describe(name, { skip: backend === 'threads' && lacks('threads') }, () => {
  /** @type {{ url: string, stop: () => void }} */
  let server;
  /** One page for the lessons' outputs, run one after another. @type {import('playwright-core').Page} */
  let page;
  /** @type {Error[]} */
  const errors = [];

  before(async () => {
    server = await start();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(server.url);
    await page.locator('button[data-lesson=q6]').waitFor();
  });

  after(async () => {
    await page?.close();
    server?.stop();
  });

  /**
   * Opens the page in a context of its own.
   * @param {import('node:test').TestContext} t @param {string} [hash]
   */
  async function open(t, hash = '') {
    const { page: p } = await openPage(browser, t, server.url + hash);
    await p.locator('button[data-lesson=q6]').waitFor();
    return p;
  }

  test(`the page's pool runs on ${backend}`, async () => {
    await page.waitForFunction(() => document.getElementById('status').dataset.state === 'ready');
    assert.equal(await page.$eval('#status', (el) => el.dataset.backend), backend);
  });

  /**
   * Runs a lesson at `speed` and waits for its end; returns its output lines.
   * @param {import('playwright-core').Page} p @param {string} id @param {string} speed
   */
  async function runLesson(p, id, speed = FAST) {
    await p.selectOption('#lesson-speed', speed);
    await p.locator(`button[data-lesson=${id}]:enabled`).waitFor();
    await p.click(`button[data-lesson=${id}]`);
    await p.waitForFunction((lesson) => ['done', 'cancelled', 'failed'].includes(document.getElementById(lesson).dataset.state), id, { timeout: 30_000 });
    const state = await p.$eval(`#${id}`, (el) => ({ state: el.dataset.state, text: el.querySelector('.lesson-state').textContent }));
    assert.equal(state.state, 'done', `${id}: ${state.text}`);
    return p.$eval(`pre.output[data-lesson=${id}]`, (el) => el.textContent.split('\n'));
  }

  /** A lesson card's timeline, as data. @param {import('playwright-core').Page} p @param {string} id */
  const lessonTimeline = (p, id) => p.$eval(`#${id} svg`, (svg) => ({
    lanes: svg.dataset.lanes,
    rounds: svg.dataset.rounds,
    bars: [...svg.querySelectorAll('rect.bar')].map((r) => /** @type {SVGElement} */ (r))
      .map((r) => ({ run: Number(r.dataset.run), worker: Number(r.dataset.worker), status: r.dataset.status })),
  }));

  const sorted = (/** @type {string[]} */ xs) => [...xs].sort();
  const numbered = (/** @type {string} */ text, /** @type {number} */ n) => Array.from({ length: n }, (_, i) => text.replace('#', String(i + 1)));

  test('each card shows the lesson\'s real Rust source and the notebook\'s code', async () => {
    const ids = await page.$$eval('article.lesson', (cards) => cards.map((c) => c.id));
    assert.deepEqual(ids, ['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    for (const id of ids) {
      const rust = await readFile(`${root}src/lessons/${id}.rs`, 'utf8');
      assert.equal(await page.textContent(`code[data-source=${id}]`), rust, `${id}.rs verbatim`);
      if (id === 'q2') continue;
      const python = await readFile(`${root}src/lessons/${id}.py`, 'utf8');
      assert.equal(await page.textContent(`code[data-notebook=${id}]`), python, `${id}.py verbatim`);
    }
    // Q2's notebook answer is a table, built as a table.
    const table = await page.$eval('#q2 .markdown table', (el) => {
      const t = /** @type {HTMLTableElement} */ (el);
      return {
        head: [...t.tHead.rows[0].cells].map((c) => c.textContent),
        rows: [...t.tBodies[0].rows].map((r) => r.cells[0].textContent),
      };
    });
    assert.deepEqual(table.head, ['Aspect', 'Multiprocessing', 'Multithreading']);
    assert.deepEqual(table.rows, ['Basic Concept', 'Memory Space', 'Performance', 'GIL', 'Resource Overhead', 'Fault Tolerance', 'Use Cases']);
  });

  test('Q1: a Pool of 2 computes squares, then cubes, printing as it goes', async () => {
    const lines = await runLesson(page, 'q1');
    assert.equal(lines.length, 12, lines.join('\n'));
    assert.deepEqual(sorted(lines.slice(0, 5)), numbered('Computing square of #', 5));
    assert.deepEqual(sorted(lines.slice(5, 10)), numbered('Computing cube of #', 5));
    assert.deepEqual(lines.slice(10), ['Squares: [1, 4, 9, 16, 25]', 'Cubes: [1, 8, 27, 64, 125]']);
    const timeline = await lessonTimeline(page, 'q1');
    assert.equal(timeline.bars.length, 10);
    assert.equal(timeline.lanes, '2');
    assert.equal(timeline.rounds, '3');
    assert.deepEqual([...new Set(timeline.bars.map((b) => b.run))].sort(), [0, 1], 'the square run, then the cube run');
    assert.ok(timeline.bars.every((b) => b.status === 'done'));
  });

  test('Q2: measured speedups for waiting and for computing work', async () => {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency || 1);
    const measuredRows = () => page.$$eval('#q2 .measured-table tbody tr', (trs) => trs.map((tr) => {
      const speedup = (/** @type {string} */ kind) => Number(/** @type {HTMLElement} */ (tr.querySelector(`[data-kind=${kind}]`)).dataset.speedup);
      return { workers: Number(tr.dataset.workers), sleep: speedup('sleep'), collatz: speedup('collatz') };
    }));
    // Computing work reaches the core count on the page as through the API alone (the same
    // lesson, same backend, nothing drawn): the page does not draw while Q2 times its runs.
    // Slack for a loaded machine: the best of up to 3 runs each, 70% of what the API reached
    // (at most the cores); a page whose drawing halved the speedup fails. The cores are the
    // machine's as well as the browser's: WebKit reports 4 on a machine of 2.
    const reach = Math.min(cores, availableParallelism(), 8);
    /** @type {string[]} */
    let lines = [];
    /** @type {{ workers: number, sleep: number, collatz: number }[]} */
    let rows = [];
    let best = 0;
    let api = 0;
    const computingAt = (/** @type {string[]} */ printed) => Math.max(0, ...printed.slice(printed.findIndex((l) => /\(collatz\):$/.test(l)))
      .map((l) => /^\s*(\d+) worker\(s\): [\d.]+ s, speedup ([\d.]+)x$/.exec(l)).filter((m) => m && Number(m[1]) >= reach).map((m) => Number(m?.[2])));
    for (let attempt = 0; attempt < 3 && (api === 0 || best < 0.7 * Math.min(reach, api)); attempt++) {
      // A little slower than the others, so that the timings mean something.
      lines = await runLesson(page, 'q2', '0.1');
      rows = await measuredRows();
      best = Math.max(best, ...rows.filter((r) => r.workers >= reach).map((r) => r.collatz));
      api = Math.max(api, computingAt(await page.evaluate(async ({ reach, backend }) => {
        const url = '/webpool.js';
        /** @type {typeof import('../../www/webpool.js')} */
        const api = await import(url);
        const pool = await api.createPool({ workers: reach, backend: /** @type {any} */ (backend) });
        /** @type {string[]} */
        const printed = [];
        try {
          await pool.runLesson('q2', { timeScale: 0.1, onPrint: (text) => printed.push(text) });
        } finally {
          pool.close();
        }
        return printed;
      }, { reach, backend })));
    }
    assert.ok(api > 0, 'the API measured Q2');
    assert.ok(best >= 0.7 * Math.min(reach, api),
      `computing work: ${best}× on the page, ${api}× through the API, at ${reach}+ workers on ${cores} cores (${JSON.stringify(rows)})`);
    assert.match(await page.textContent('#q2 .lesson-honest') ?? '', /drawn when the last measured row has ended, not while they run/);
    assert.equal(lines[0], `8 tasks of 25 ms each, on a machine with ${cores} cores.`);
    assert.equal(lines[lines.length - 1], 'Waiting work scales past the cores; computing work stops at the core count.');
    assert.deepEqual(rows.map((r) => r.workers), [1, 2, 4, 8]);
    assert.ok(rows.every((r) => r.sleep > 0 && r.collatz > 0), JSON.stringify(rows));
    assert.match(lines.find((l) => l.startsWith('Each computing task')) ?? '',
      /^Each computing task finds the Collatz steps of \d+ numbers of 1000 digits: 2\d ms of one core here\.$/);
    const seen = `${JSON.stringify(rows)} on ${cores} cores`;
    // Waiting work scales with the workers on any device (about 8× against about 2×).
    assert.ok(rows[3].sleep > rows[1].sleep, `8 sleeping workers against 2: ${seen}`);
    // The lesson's point: computing work stops at the cores, so wherever a run has at least
    // four times as many workers as the device has cores, waiting work is clearly faster (at
    // twice, 4× against 2× here, a slow 1-worker row on a loaded machine has blurred it). A
    // device with more than 2 cores has no such run here (its computing also scales further).
    for (const row of rows.filter((r) => r.workers >= 4 * cores)) {
      assert.ok(row.sleep > row.collatz, `${row.workers} workers: sleep ${row.sleep}× against collatz ${row.collatz}× (${seen})`);
    }
    const timeline = await lessonTimeline(page, 'q2');
    // 8 runs (sleep, then collatz, on 1, 2, 4, 8 workers); Python's default chunksize makes
    // the 8 sleeping numbers 4 tasks on 1 worker and 8 tasks on more; the computing runs
    // are cut into 8 tasks of equal size on every worker count.
    const perRun = timeline.bars.reduce((/** @type {number[]} */ n, b) => { n[b.run] = (n[b.run] ?? 0) + 1; return n; }, []);
    assert.deepEqual(perRun, [4, 8, 8, 8, 8, 8, 8, 8]);
    assert.equal(timeline.lanes, '8');
  });

  test('Q3: one Process prints Number: 1 to 5, then is joined', async () => {
    const lines = await runLesson(page, 'q3');
    assert.deepEqual(lines, [...numbered('Number: #', 5), 'Process has finished execution']);
    assert.match(await page.textContent('#q3 figcaption.timeline-summary'), /Processes, not a Pool/);
  });

  test('Q4: a Pool of 4 maps square and cube', async () => {
    assert.deepEqual(await runLesson(page, 'q4'), ['Squares: [1, 4, 9, 16, 25]', 'Cubes: [1, 8, 27, 64, 125]']);
    const timeline = await lessonTimeline(page, 'q4');
    assert.equal(timeline.bars.length, 10);
  });

  test('Q5: a Pool of 4 maps square', async () => {
    assert.deepEqual(await runLesson(page, 'q5'), ['Squares: [1, 4, 9, 16, 25]']);
  });

  test('Q6: four Processes print a number each, then all are joined', async () => {
    const lines = await runLesson(page, 'q6');
    assert.equal(lines.length, 5, lines.join('\n'));
    assert.deepEqual(sorted(lines.slice(0, 4)), numbered('Process printing number: #', 4));
    assert.equal(lines[4], 'All processes have finished execution');
  });

  test('after the lessons (which restarted the engine), a map still runs', async () => {
    await page.click('#run-button');
    await page.waitForFunction(() => document.getElementById('run-state').dataset.state === 'done');
    assert.equal(await page.textContent('#results-output'), '[1, 4, 9, 16, 25]');
    assert.deepEqual(errors.map(String), []);
  });

  test('the lessons said which backend they ran on', async () => {
    assert.match(await page.textContent('#q5 .lesson-state'), new RegExp(`^Finished in .* on ${backend} at 0\\.02×`));
  });

  test('Q2 "Threads or processes?": both workloads on both backends, side by side', async (t) => {
    // A page of its own: the comparison starts pools of 2 workers, and the lessons' page
    // should stay as the lessons left it.
    const p = await open(t, '#q2');
    const button = p.locator('button[data-compare=q2]');
    await button.waitFor();
    assert.equal(await button.isEnabled(), true, await p.textContent('#q2-compare-help'));
    await button.click();
    await p.waitForFunction(() => document.getElementById('q2-compare').dataset.state !== 'running'
      && document.getElementById('q2-compare').dataset.state !== 'idle', null, { timeout: 120_000 });
    const state = await p.$eval('#q2-compare', (el) => ({ state: el.dataset.state, text: el.querySelector('.compare-state').textContent }));
    assert.equal(state.state, 'done', state.text);
    const rows = await p.$$eval('#q2-compare tbody tr', (trs) => trs.map((tr) => {
      const cell = (/** @type {string} */ field, /** @type {string} */ b) => tr.querySelector(`td[data-field=${field}][data-backend=${b}]`);
      const ms = (/** @type {Element | null} */ td) => (td?.getAttribute('data-ms') ? Number(td.getAttribute('data-ms')) : null);
      return {
        workload: tr.dataset.workload,
        threads: ms(cell('wall', 'threads')), processes: ms(cell('wall', 'processes')),
        threadsTask: ms(cell('per-task', 'threads')), processesTask: ms(cell('per-task', 'processes')),
        threadsText: cell('wall', 'threads')?.textContent ?? '',
        ratio: tr.querySelector('td[data-field=ratio]')?.getAttribute('data-ratio') ?? null,
      };
    }));
    assert.deepEqual(rows.map((r) => r.workload), ['tiny', 'large']);
    for (const r of rows) {
      assert.ok(r.processes > 0 && r.processesTask > 0, JSON.stringify(r));
      if (backend === 'threads') {
        assert.ok(r.threads > 0 && r.threadsTask > 0, JSON.stringify(r));
        assert.ok(Number(r.ratio) > 0, JSON.stringify(r));
        // The ratio is the two wall times' (as measured, before rounding for the page).
        assert.ok(Math.abs(Number(r.ratio) - r.processes / r.threads) < 0.01 * Number(r.ratio), JSON.stringify(r));
      } else {
        // No threads here: the column says why, and there is no ratio.
        assert.equal(r.threads, null);
        assert.match(r.threadsText, /not cross-origin isolated/);
        assert.equal(r.ratio, null);
      }
    }
    // 10,000 tasks of one number each against 8 tasks of 125,000: per task, far apart.
    assert.ok(rows[1].processesTask > rows[0].processesTask, JSON.stringify(rows));
    if (backend === 'threads') {
      assert.match(state.text, /^Here processes took \d+\.\d+× as long as threads for many tiny tasks, and \d+\.\d+× as long for a few large ones\. Both backends gave identical results\.$/);
    } else {
      assert.match(state.text, /^Threads cannot run on this page/);
    }
    // What it found is announced in one sentence; the table, filled row by row, is not.
    const live = await liveRegions(p);
    assert.deepEqual(live.filter((r) => r.tables > 0 || r.lists > 0).map((r) => r.name), []);
    assert.equal(live.find((r) => r.name === 'p.compare-state')?.text, state.text);
    // The page's own pool is as it was: its backend, its worker count, and a map still runs.
    assert.equal(await p.$eval('#status', (el) => el.dataset.backend), backend);
    assert.match(await p.textContent('#status'), /2 workers per run/);
    await p.click('#run-button');
    await p.waitForFunction(() => document.getElementById('run-state').dataset.state === 'done');
    assert.equal(await p.textContent('#results-output'), '[1, 4, 9, 16, 25]');
  });

  test('screenshot of the lessons (docs/lessons.png)', { skip: backend !== 'threads' && 'taken once, on threads' }, async () => {
    await page.selectOption('#lesson-speed', '0.1');
    await runLesson(page, 'q1', '0.1');
    await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
    const box = await page.$eval('#lessons', (section) => {
      const top = section.getBoundingClientRect().top + window.scrollY;
      const q1 = /** @type {HTMLElement} */ (document.getElementById('q1')).getBoundingClientRect().bottom + window.scrollY;
      return { top, bottom: q1 };
    });
    // Written to docs/ only by `./build.sh screenshots`: running the tests changes no file.
    const path = process.env.WEBPOOL_SCREENSHOTS ? `${root}docs/lessons.png` : undefined;
    if (path) await mkdir(`${root}docs`, { recursive: true });
    const png = await page.screenshot({ path, fullPage: true, clip: { x: 0, y: box.top - 16, width: 1280, height: box.bottom - box.top + 36 } });
    assert.ok(png.length > 10000, 'a picture of the cards');
  });

  test('#q3 in the address shows that card, and so does following a link to #q5', {
    // WebKit has no scroll anchoring: there the page keeps the card at the top itself (the
    // bound keeps a failure short).
    timeout: 20_000,
  }, async (t) => {
    const p = await open(t, '#q3');
    const inView = (/** @type {string} */ id) => p.waitForFunction((lesson) => {
      const card = document.getElementById(lesson);
      const top = card.getBoundingClientRect().top;
      return card.classList.contains('targeted') && top > -2 && top < 40 && document.activeElement === card;
    }, id);
    await inView('q3');
    await p.click('#lesson-nav a[href="#q5"]');
    await inView('q5');
    assert.equal(await p.evaluate(() => location.hash), '#q5');
  });

  test('one lesson at a time: Stop ends it, the others and the map wait meanwhile', async (t) => {
    const p = await open(t);
    await p.selectOption('#lesson-speed', '1');
    await p.click('button[data-lesson=q3]');
    await p.waitForFunction(() => document.querySelector('pre.output[data-lesson=q3]').textContent.startsWith('Number: 1'));
    const during = await p.evaluate(() => ({
      button: document.querySelector('button[data-lesson=q3]').textContent,
      others: [...document.querySelectorAll('button[data-lesson]')].map((b) => /** @type {HTMLButtonElement} */ (b))
        .filter((b) => b.dataset.lesson !== 'q3').map((b) => b.disabled),
      run: /** @type {HTMLButtonElement} */ (document.getElementById('run-button')).disabled,
      lessons: document.querySelector('#lessons-state').textContent,
      runState: document.querySelector('#run-state').textContent,
    }));
    assert.equal(during.button, 'Stop Q3');
    assert.deepEqual(during.others, [true, true, true, true, true]);
    // Q2's comparison waits too, and says why.
    assert.equal(await p.isDisabled('button[data-compare=q2]'), true);
    assert.match(await p.textContent('#q2-compare-help'), /^Waits: Q3 is running/);
    assert.equal(during.run, true);
    assert.match(during.lessons, /Q3 is running: the other lessons wait/);
    assert.match(during.runState, /A lesson is running/);

    await p.click('button[data-lesson=q3]');
    await p.waitForFunction(() => document.getElementById('q3').dataset.state === 'cancelled');
    const output = await p.textContent('pre.output[data-lesson=q3]');
    assert.ok(!output.includes('Process has finished execution'), output);
    assert.match(await p.textContent('#q3 .lesson-state'), /Stopped/);
    assert.equal(await p.textContent('button[data-lesson=q3]'), 'Run Q3');

    // And while a map runs, the lessons wait.
    await p.fill('#numbers', '1..6');
    await p.check('input[name=work][value=sleep]');
    await p.fill('#work-ms', '300');
    await p.locator('#run-button:enabled').waitFor();
    await p.click('#run-button');
    await p.waitForFunction(() => document.getElementById('run-state').dataset.state === 'running');
    assert.equal(await p.isDisabled('button[data-lesson=q1]'), true);
    assert.match(await p.textContent('#lessons-state'), /A map is running above/);
    assert.equal(await p.isDisabled('button[data-compare=q2]'), true);
    assert.match(await p.textContent('#q2-compare-help'), /^Waits: A map is running above/);
    await p.waitForFunction(() => document.getElementById('run-state').dataset.state === 'done');
    await p.locator('button[data-lesson=q1]:enabled').waitFor();
    assert.equal(await p.textContent('#results-output'), '[1, 4, 9, 16, 25, 36]');
  });
});
