// The soak run (`./build.sh soak`, not part of the tests): many maps, lessons and resizes
// on one pool per backend, in headless Chromium, printing what the engine and the page hold
// after each phase. Nothing leaks when the figures stay flat once warm. (Results a caller
// forgets are freed by a FinalizationRegistry; the end-to-end tests check that.)
import { launch, serve } from '../tests/e2e/browser.mjs';

const MAPS = Number(process.env.SOAK_MAPS ?? 1000);
const LESSONS = Number(process.env.SOAK_LESSONS ?? 100);
const RESIZES = Number(process.env.SOAK_RESIZES ?? 100);

const server = await serve();
const browser = await launch();
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await page.goto(new URL('bench.html', server.url).href);
  /** The page's JS heap once the garbage collector has run, and what the engine holds. */
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return page.evaluate(async () => {
      const engine = await /** @type {any} */ (self).soakPool._stats();
      const heap = /** @type {any} */ (performance).memory?.usedJSHeapSize ?? NaN;
      return { ...engine, heapBytes: heap };
    });
  };
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  for (const backend of ['threads', 'processes']) {
    await page.evaluate(async (backend) => {
      const { createPool } = await import('./webpool.js');
      const pool = await createPool({ workers: 2, backend });
      /** @type {any} */ (self).soakPool = pool;
      // A warm-up, so that the first figures include what any run needs once: the engine
      // at its largest (threads grow it once), a map, a lesson.
      await pool.resize(4);
      (await pool.map('square', '1..100000')).release();
      await pool.runLesson('q5', { timeScale: 0.001 });
    }, backend);
    const start = await measure();
    const began = Date.now();
    /** Runs `rounds` rounds of `what` (a function in the page), then measures. */
    const phase = async (name, what, rounds) => {
      await page.evaluate(async ([source, rounds]) => {
        const pool = /** @type {any} */ (self).soakPool;
        // eslint-disable-next-line no-new-func
        const round = new Function('pool', 'i', `return (${source})(pool, i);`);
        for (let i = 0; i < rounds; i++) await round(pool, i);
      }, [what.toString(), rounds]);
      return { name, ...(await measure()) };
    };
    const phases = [
      await phase(`${MAPS / 2} maps`, async (pool, i) => (await pool.map(i % 2 ? 'square' : 'cube', '1..100000')).release(), MAPS / 2),
      await phase(`${MAPS / 2} more maps`, async (pool, i) => (await pool.map(i % 2 ? 'square' : 'cube', '1..100000')).release(), MAPS / 2),
      await phase(`${LESSONS} lessons`, (pool, i) => pool.runLesson(['q1', 'q3', 'q4', 'q5', 'q6'][i % 5], { timeScale: 0.001 }), LESSONS),
      await phase(`${RESIZES} resizes`, async (pool, i) => {
        await pool.resize(1 + (i % 4));
        (await pool.map('square', '1..1000')).release();
      }, RESIZES),
    ];
    console.log(`${backend}: in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    console.log(`  ${'after'.padEnd(18)} ${'engine wasm'.padStart(12)} ${'results held'.padStart(13)} ${'page JS heap'.padStart(13)}`);
    for (const p of [{ name: 'warm-up', ...start }, ...phases]) {
      console.log(`  ${p.name.padEnd(18)} ${mib(p.wasmBytes).padStart(12)} ${String(p.runs).padStart(13)} ${mib(p.heapBytes).padStart(13)}`);
    }
    await page.evaluate(() => /** @type {any} */ (self).soakPool.close());
  }
} finally {
  await browser.close();
  server.stop();
}
