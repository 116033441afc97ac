// The browser half of `./build.sh bench`: the same JS API the page uses, timed.
import { createPool } from './webpool.js';

/** @typedef {import('./webpool.js').Pool} Pool */
/** @typedef {import('./webpool.js').Backend} Backend */

const RUNS = 9;
const N = 1_000_000;

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** @param {number[]} xs */
const best = (xs) => Math.min(...xs);

/**
 * Times `map(square)` over 1..N with `workers` workers, end to end and inside wasm.
 * @param {Pool} pool @param {number} workers
 */
async function mapSquare(pool, workers) {
  await pool.resize(workers);
  const input = new Int32Array(N);
  for (let i = 0; i < N; i++) input[i] = i + 1;
  const endToEnd = [];
  const inWasm = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const started = performance.now();
    const result = await pool.map('square', input);
    const elapsed = performance.now() - started;
    if (result.tail[4] !== String(N * N)) throw new Error(`wrong last result ${result.tail[4]}`);
    result.release();
    if (run === 0) continue; // the first run warms the workers and the optimizing compiler
    endToEnd.push(elapsed);
    inWasm.push(result.report.wallMs);
  }
  return { workers, endToEndMs: { best: best(endToEnd), median: median(endToEnd) }, mapMs: { best: best(inWasm), median: median(inWasm) } };
}

/**
 * Times starting a new engine with `workers` workers (the compiled module is reused).
 * @param {number} workers @param {Backend} backend
 */
async function restart(workers, backend) {
  const times = [];
  for (let run = 0; run < 5; run++) {
    const pool = await createPool({ workers, backend });
    times.push(pool.startMs);
    pool.close();
  }
  return { workers, backend, startMs: { best: best(times), median: median(times) } };
}

/**
 * The cost of a task on each backend, 2 workers: `items` numbers squared in tasks of
 * `chunksize` (0: Python's default), timed end to end; the first run warms up.
 * @param {Record<Backend, Pool>} pools @param {string} label @param {number} items
 * @param {number} chunksize @param {number} runs
 */
async function perTask(pools, label, items, chunksize, runs) {
  const input = new Int32Array(items);
  for (let i = 0; i < items; i++) input[i] = i + 1;
  /** @type {Record<string, any>} */
  const row = { label, items, chunksize: chunksize || 'default' };
  for (const [backend, pool] of Object.entries(pools)) {
    const times = [];
    let tasks = 0;
    for (let run = 0; run < runs + 1; run++) {
      tasks = 0;
      const started = performance.now();
      const result = await pool.map('square', input, { chunksize: chunksize || undefined, onTask: (e) => { if (e.type === 'end') tasks++; } });
      const elapsed = performance.now() - started;
      if (result.tail[4] !== String(items * items)) throw new Error(`wrong last result ${result.tail[4]}`);
      result.release();
      if (run > 0) times.push(elapsed);
    }
    row.tasks = tasks;
    row[backend] = { bestMs: best(times), medianMs: median(times), perTaskUs: (1000 * median(times)) / tasks };
  }
  row.processesOverThreads = row.processes.medianMs / row.threads.medianMs;
  return row;
}

/** Threads against processes: many tiny tasks, the same with the default chunksize, a few large tasks. */
async function backends() {
  const pools = {
    threads: await createPool({ workers: 2, backend: 'threads' }),
    processes: await createPool({ workers: 2, backend: 'processes' }),
  };
  const rows = [
    await perTask(pools, '100000 tiny tasks (chunksize 1)', 100_000, 1, 3),
    await perTask(pools, '100000 numbers, default chunksize', 100_000, 0, 9),
    await perTask(pools, 'a few large tasks: 1000000 numbers in 4 tasks', N, 250_000, 9),
  ];
  for (const pool of Object.values(pools)) pool.close();
  return rows;
}

/**
 * Cubes whose results leave 64 bits. Each result was once a heap allocation, and in the
 * threaded build every allocation takes one lock, so a second worker made such a run five
 * times slower; they are now kept unboxed. `last` is the last result, to check each run.
 */
const BIG = [
  { workload: 'cubes past 64 bits', text: '3000000..6000000', last: String(6000000n ** 3n) },
  { workload: 'cubes past 128 bits', text: '10000000000000..10000003000000', last: String(10000003000000n ** 3n) },
];
const BIG_RUNS = 7;
const BIG_WORKERS = [1, 2, 4];

/**
 * @typedef {object} BigRow
 * @property {Backend} backend
 * @property {string} workload
 * @property {number} workers
 * @property {{ best: number, median: number }} wallMs      the run's own wall time
 * @property {{ best: number, median: number }} endToEndMs  `await pool.map` (the engine parses the range)
 */

/**
 * Times `map('cube', text)` for each workload of {@link BIG} on 1, 2 and 4 workers of each
 * backend. The worker counts take turns run after run, so that a load that comes and goes
 * (this machine is shared) weighs on each alike; the first round warms up. Returns the rows
 * and, per workload, from the medians of the runs' wall times: how many times faster 2 and 4
 * workers are than 1, and how many times slower processes are than threads.
 */
async function bigIntegers() {
  /** @type {BigRow[]} */
  const rows = [];
  for (const backend of /** @type {const} */ (['threads', 'processes'])) {
    const pool = await createPool({ workers: Math.max(...BIG_WORKERS), backend });
    for (const { workload, text, last } of BIG) {
      /** @type {Map<number, { wall: number[], endToEnd: number[] }>} */
      const times = new Map(BIG_WORKERS.map((w) => [w, { wall: [], endToEnd: [] }]));
      for (let run = 0; run < BIG_RUNS + 1; run++) {
        for (const workers of BIG_WORKERS) {
          await pool.resize(workers);
          const started = performance.now();
          const result = await pool.map('cube', text);
          const elapsed = performance.now() - started;
          if (result.tail[4] !== last) throw new Error(`wrong last result ${result.tail[4]}`);
          result.release();
          if (run === 0) continue;
          const t = /** @type {{ wall: number[], endToEnd: number[] }} */ (times.get(workers));
          t.wall.push(result.report.wallMs);
          t.endToEnd.push(elapsed);
        }
      }
      for (const [workers, { wall, endToEnd }] of times) {
        rows.push({ backend, workload, workers, wallMs: { best: best(wall), median: median(wall) }, endToEndMs: { best: best(endToEnd), median: median(endToEnd) } });
      }
    }
    pool.close();
  }
  /** @param {Backend} backend @param {string} workload @param {number} workers */
  const wall = (backend, workload, workers) =>
    rows.filter((r) => r.backend === backend && r.workload === workload && r.workers === workers)[0].wallMs.median;
  /** @param {Backend} backend @param {string} workload */
  const speedup = (backend, workload) => ({ 2: wall(backend, workload, 1) / wall(backend, workload, 2), 4: wall(backend, workload, 1) / wall(backend, workload, 4) });
  /** @param {string} workload @param {number} workers */
  const processesOverThreads = (workload, workers) => wall('processes', workload, workers) / wall('threads', workload, workers);
  const summary = BIG.map(({ workload }) => ({
    workload,
    threadsSpeedup: speedup('threads', workload),
    processesSpeedup: speedup('processes', workload),
    processesOverThreads: { 1: processesOverThreads(workload, 1), 2: processesOverThreads(workload, 2), 4: processesOverThreads(workload, 4) },
  }));
  return { rows, summary };
}

export async function runBenchmark() {
  const pool = await createPool({ workers: 2, backend: 'threads' });
  const map = [await mapSquare(pool, 1), await mapSquare(pool, 2)];
  pool.close();
  const starts = [];
  for (const backend of /** @type {const} */ (['threads', 'processes'])) {
    for (const workers of [1, 2, 4, 8]) starts.push(await restart(workers, backend));
  }
  return { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, items: N, map, backends: await backends(), bigIntegers: await bigIntegers(), starts };
}

const out = /** @type {HTMLElement} */ (document.getElementById('out'));
const button = /** @type {HTMLButtonElement} */ (document.getElementById('run'));
button.addEventListener('click', async () => {
  button.disabled = true;
  out.textContent = 'running…';
  try {
    out.textContent = JSON.stringify(await runBenchmark(), null, 2);
  } catch (error) {
    out.textContent = `failed: ${/** @type {Error} */ (error).message}`;
  } finally {
    button.disabled = false;
  }
});
