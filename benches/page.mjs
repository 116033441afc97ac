// The page's own cost (`./build.sh bench`): in one headless Chromium run, how much of the
// main thread the page takes while it shows a run (Chrome's own task time), its longest frame
// gap, Q2's computing speedup at 2 workers as the page shows it and as the API alone gets it,
// and how long a cancel takes to settle a run of a million tiny tasks on each backend.
// It prints JSON; the aims are in issue 16 and the README.
import { launch, serve } from '../tests/e2e/browser.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const RUNS = Number(process.env.PAGE_RUNS ?? 3);
// Waits that look every 50 ms: playwright's default looks every animation frame, which
// would make the page draw frames it otherwise would not, and count them against it.
const QUIET = { polling: 50, timeout: 120_000 };
/** Q2's paces, as the page's Speed menu offers them. */
const PACES = ['0.1', '0.5'];

const server = await serve();
const browser = await launch();
const figures = { cores: 0 };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(server.url);
  await page.locator('#run-button:enabled').waitFor();
  figures.cores = await page.evaluate(() => navigator.hardwareConcurrency);

  /** Runs `act` (which ends when what it started has ended) and measures the page meanwhile. */
  async function watched(act) {
    const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    await page.evaluate(() => {
      const w = /** @type {any} */ (self);
      w.benchGap = 0;
      let last = performance.now();
      w.benchFrames = true;
      const frame = (/** @type {number} */ now) => {
        w.benchGap = Math.max(w.benchGap, now - last);
        last = now;
        if (w.benchFrames) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const before = await metric();
    const started = Date.now();
    const result = await act();
    const wallS = (Date.now() - started) / 1000;
    const after = await metric();
    const gapMs = await page.evaluate(() => { const w = /** @type {any} */ (self); w.benchFrames = false; return w.benchGap; });
    return {
      ...result,
      busyShare: Number(((after.TaskDuration - before.TaskDuration) / wallS).toFixed(3)),
      busyMs: Math.round((after.TaskDuration - before.TaskDuration) * 1000),
      wallMs: Math.round(wallS * 1000),
      scriptS: Number((after.ScriptDuration - before.ScriptDuration).toFixed(3)),
      layouts: after.LayoutCount - before.LayoutCount,
      styleRecalcs: after.RecalcStyleCount - before.RecalcStyleCount,
      longestFrameGapMs: Math.round(gapMs),
    };
  }

  // Q2 on the page, at 0.1 and 0.5 of the notebook's pace: its computing row (collatz) at 2 workers.
  /** @type {Record<string, any[]>} */
  const q2Page = { '0.1': [], '0.5': [] };
  for (const pace of PACES) for (let i = 0; i < RUNS; i++) {
    q2Page[pace].push(await watched(async () => {
      await page.selectOption('#lesson-speed', pace);
      await page.locator('button[data-lesson=q2]:enabled').waitFor();
      await page.click('button[data-lesson=q2]');
      await page.waitForFunction(() => ['done', 'cancelled', 'failed'].includes(document.getElementById('q2')?.dataset.state ?? ''), null, QUIET);
      const computing = await page.$eval('#q2 .measured-table tbody tr[data-workers="2"] [data-kind=collatz]', (el) => Number(/** @type {HTMLElement} */ (el).dataset.speedup));
      return { computingSpeedupAt2: computing };
    }));
  }

  // 200,000 tasks of one number each, from the form.
  const manyTasks = [];
  for (let i = 0; i < RUNS; i++) {
    manyTasks.push(await watched(async () => {
      await page.fill('#numbers', '1..200000');
      await page.fill('#chunksize', '1');
      const before = await page.$eval('#run-form', (f) => Number(/** @type {HTMLElement} */ (f).dataset.session));
      await page.click('#run-button');
      await page.waitForFunction((n) => Number(document.getElementById('run-form')?.dataset.session) > n, before, QUIET);
      await page.waitForFunction(() => document.getElementById('run-form')?.dataset.state !== 'running', null, QUIET);
      return { state: await page.$eval('#run-state', (el) => /** @type {HTMLElement} */ (el).dataset.state) };
    }));
  }

  // The same lesson through the API alone, nothing drawn, and the cancels.
  const api = await browser.newPage();
  await api.goto(new URL('bench.html', server.url).href);
  const apiFigures = await api.evaluate(async ([runs, paces]) => {
    const { createPool } = await import('./webpool.js');
    const pool = await createPool({ workers: 2, backend: 'threads' });
    /** @type {Record<string, number[]>} */
    const spin = {};
    for (const pace of paces) {
      spin[pace] = [];
      for (let i = 0; i < runs; i++) {
        const { lines } = await pool.runLesson('q2', { timeScale: Number(pace) });
        const computing = lines.slice(lines.findIndex((l) => l.startsWith('Tasks computing')));
        const row = computing.find((l) => l.trim().startsWith('2 worker(s)')) ?? '';
        spin[pace].push(Number(row.match(/speedup ([\d.]+)x/)?.[1]));
      }
    }
    pool.close();
    /** @type {Record<string, number[]>} */
    const cancelMs = {};
    for (const backend of ['threads', 'processes']) {
      const p = await createPool({ workers: 2, backend: /** @type {any} */ (backend) });
      cancelMs[backend] = [];
      for (let i = 0; i < runs; i++) {
        let ends = 0;
        /** @type {number} */
        let cancelled = 0;
        const settled = p.map('square', '1..1000000', {
          chunksize: 1,
          onTask: (e) => { if (e.type === 'end' && ++ends === 5000) { cancelled = performance.now(); p.cancel(); } },
        }).then(() => performance.now(), () => performance.now());
        const at = await settled;
        cancelMs[backend].push(cancelled ? at - cancelled : NaN);
      }
      p.close();
    }
    return { spin, cancelMs };
  }, [RUNS, PACES]);

  figures.q2OnThePage = Object.fromEntries(PACES.map((pace) => [pace, {
    runs: q2Page[pace], computingSpeedupAt2Median: median(q2Page[pace].map((r) => r.computingSpeedupAt2)),
  }]));
  figures.q2ThroughTheApi = Object.fromEntries(PACES.map((pace) => [pace, {
    computingSpeedupAt2: apiFigures.spin[pace], median: median(apiFigures.spin[pace]),
  }]));
  figures.tasks200000OnThePage = manyTasks;
  figures.cancelOneMillionTinyTasksMs = Object.fromEntries(Object.entries(apiFigures.cancelMs)
    .map(([backend, ms]) => [backend, { median: Math.round(median(ms)), all: ms.map(Math.round) }]));
  console.log(JSON.stringify({ page: figures }, null, 2));
} finally {
  await browser.close();
  server.stop();
}
