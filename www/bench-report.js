// The browser's part of the benchmark report (`./build.sh bench`, benches/report.mjs draws
// it): the workloads of benches/native.rs and benches/cpython_pool.py, through the same JS
// API the page uses, beside plain JavaScript and the npm package `workerpool`.
//
// - scaling: `pool.map('collatz', ...)` over the 128 numbers 10**999 + 1 .. 10**999 + 128
//   and `pool.map('square', '1..16', { work: sleep 50 ms })` on 1, 2, 4 and 8 workers of each
//   backend, the worker counts taking turns run after run (one pool each, kept warm);
// - size: `await pool.map('square', int32Array)` of 1..n on 2 workers, n = 10^3 .. 10^7
//   (the array copied to the engine, as by default), and at 10^6 handed over too
//   (`{ transfer: true }`, a fresh copy each run, made before the clock starts);
//   the same in plain JavaScript on this thread (Number, and BigInt: what exact results
//   past 2^53 would need), and with workerpool's 2 Web Workers, chunked as Python chunks;
// - start: a new pool of 1, 2, 4, 8 workers and its first result (the compiled module reused).
//
// Every figure is a list of raw times in milliseconds, as a caller of `await` sees them
// (`performance.now()`); the run's own wall time (`report.wallMs`) is kept beside them, and
// for scaling the time its workers spent in tasks, summed (`report.busyMs`): the same at 1 and
// 2 workers when the workers cost each other nothing and the cores are the run's alone.
import { createPool } from './webpool.js';

/** @typedef {import('./webpool.js').Pool} Pool */
/** @typedef {import('./webpool.js').Backend} Backend */
/** @typedef {{ workers: number, ms: number[], wallMs: number[], busyMs: number[] }} Point */
/** @typedef {{ items: number, ms: number[], wallMs?: number[] }} SizePoint */

const WORKERS = [1, 2, 4, 8];
const COLLATZ_ITEMS = 128;
const COLLATZ_RUNS = 15;
const SLEEP_ITEMS = 16;
const SLEEP_MS = 50;
const SLEEP_RUNS = 3;
const SIZES = [1e3, 1e4, 1e5, 1e6, 1e7];
const START_RUNS = 5;
/** Runs of each size: fewer of the largest. @param {number} items */
const sizeRuns = (items) => (items <= 1e5 ? 15 : items <= 1e6 ? 7 : 5);

/** The CPU-bound workload's numbers, as text: 10**999 + 1 .. 10**999 + 128. */
function collatzText() {
  const big = 10n ** 999n;
  return Array.from({ length: COLLATZ_ITEMS }, (_, k) => String(big + BigInt(k + 1))).join(' ');
}

/** 1..n as an Int32Array. @param {number} n */
function ints(n) {
  const input = new Int32Array(n);
  for (let i = 0; i < n; i++) input[i] = i + 1;
  return input;
}

/**
 * Times `run` on each pool, the pools taking turns, `runs` rounds after one that warms up.
 * @param {Pool[]} pools
 * @param {(pool: Pool) => Promise<{ ms: number, wallMs: number, busyMs: number }>} run
 * @param {number} runs
 * @returns {Promise<Point[]>}
 */
async function turns(pools, run, runs) {
  /** @type {Point[]} */
  const points = pools.map((pool) => ({ workers: pool.workers, ms: [], wallMs: [], busyMs: [] }));
  for (let round = 0; round <= runs; round++) {
    for (const [i, pool] of pools.entries()) {
      const { ms, wallMs, busyMs } = await run(pool);
      if (round === 0) continue;
      points[i].ms.push(ms);
      points[i].wallMs.push(wallMs);
      points[i].busyMs.push(busyMs);
    }
  }
  return points;
}

/**
 * One `await pool.map(...)`, checked complete; its time and the run's own.
 * @param {Pool} pool @param {'square' | 'collatz'} kernel
 * @param {string | Int32Array} numbers @param {number} items
 * @param {import('./webpool.js').MapOptions} [options] @param {string} [last] the last result
 */
async function timedMap(pool, kernel, numbers, items, options = {}, last) {
  const started = performance.now();
  const result = await pool.map(kernel, numbers, options);
  const ms = performance.now() - started;
  if (result.report.status !== 'done' || result.report.done !== items) {
    throw new Error(`${kernel} on ${pool.backend}: ${result.report.done} of ${items} results (${result.report.status})`);
  }
  if (last !== undefined && result.tail[result.tail.length - 1] !== last) {
    throw new Error(`${kernel} on ${pool.backend}: last result ${result.tail[result.tail.length - 1]}, not ${last}`);
  }
  result.release();
  return { ms, wallMs: result.report.wallMs, busyMs: result.report.busyMs.reduce((a, b) => a + b, 0) };
}

/**
 * Scaling and size on one backend.
 * @param {Backend} backend
 */
async function backendFigures(backend) {
  /** @type {Pool[]} */
  const pools = [];
  try {
    for (const workers of WORKERS) pools.push(await createPool({ workers, backend }));
    const text = collatzText();
    const collatz = await turns(pools, (pool) => timedMap(pool, 'collatz', text, COLLATZ_ITEMS), COLLATZ_RUNS);
    const sleepOptions = { work: { kind: /** @type {const} */ ('sleep'), ms: SLEEP_MS } };
    const sleep = await turns(pools, (pool) => timedMap(pool, 'square', `1..${SLEEP_ITEMS}`, SLEEP_ITEMS, sleepOptions), SLEEP_RUNS);
    const two = /** @type {Pool} */ (pools.find((pool) => pool.workers === 2));
    /** @type {SizePoint[]} */
    const square = [];
    for (const items of SIZES) {
      const input = ints(items);
      const last = String(items * items);
      await timedMap(two, 'square', input, items, {}, last); // warm up
      /** @type {SizePoint} */
      const point = { items, ms: [], wallMs: [] };
      for (let run = 0; run < sizeRuns(items); run++) {
        const { ms, wallMs } = await timedMap(two, 'square', input, items, {}, last);
        point.ms.push(ms);
        point.wallMs?.push(wallMs);
      }
      square.push(point);
    }
    // The API's fast path: the caller hands its array over instead of having it copied.
    const million = ints(1e6);
    /** @type {number[]} */
    const handedOver = [];
    for (let run = 0; run <= sizeRuns(1e6); run++) {
      const input = million.slice();
      const { ms } = await timedMap(two, 'square', input, 1e6, { transfer: true }, String(1e12));
      if (run > 0) handedOver.push(ms);
    }
    return {
      scaling: {
        collatz: { items: COLLATZ_ITEMS, runs: COLLATZ_RUNS, points: collatz },
        sleep: { items: SLEEP_ITEMS, sleepMs: SLEEP_MS, runs: SLEEP_RUNS, points: sleep },
      },
      size: { square, handedOverMillion: handedOver },
    };
  } finally {
    for (const pool of pools) pool.close();
  }
}

/**
 * A new pool of 1, 2, 4 and 8 workers and its first result, `map('square', [1])`; the
 * engine's own start (`pool.startMs`) beside it.
 * @param {Backend} backend
 */
async function starts(backend) {
  const points = [];
  for (const workers of WORKERS) {
    /** @type {{ workers: number, ms: number[], engineMs: number[] }} */
    const point = { workers, ms: [], engineMs: [] };
    for (let run = 0; run < START_RUNS; run++) {
      const started = performance.now();
      const pool = await createPool({ workers, backend });
      await timedMap(pool, 'square', new Int32Array([1]), 1);
      point.ms.push(performance.now() - started);
      point.engineMs.push(pool.startMs);
      pool.close();
    }
    points.push(point);
  }
  return points;
}

/**
 * Times `f` over 1..n for each size, on this thread: each run repeats `f` until 5 ms have
 * passed (a thousand items take microseconds, below the clock's resolution), and counts
 * the time per call.
 * @param {(input: Int32Array) => ArrayLike<number | bigint>} f
 * @param {(out: ArrayLike<number | bigint>, items: number) => boolean} check
 */
function plainSizes(f, check) {
  /** @type {SizePoint[]} */
  const points = [];
  for (const items of SIZES) {
    const input = ints(items);
    if (!check(f(input), items)) throw new Error(`plain JavaScript: a wrong result for ${items} items`);
    // Warm up: the optimizing compiler and the garbage collector's pace.
    for (const started = performance.now(); performance.now() - started < 20;) f(input);
    /** @type {number[]} */
    const ms = [];
    for (let run = 0; run < sizeRuns(items); run++) {
      let calls = 0;
      const started = performance.now();
      let elapsed = 0;
      do {
        f(input);
        calls++;
        elapsed = performance.now() - started;
      } while (elapsed < 5);
      ms.push(elapsed / calls);
    }
    points.push({ items, ms });
  }
  return points;
}

/** `x * x` of each, as doubles (exact while results stay below 2^53). @param {Int32Array} input */
function squareNumbers(input) {
  const out = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const x = input[i];
    out[i] = x * x;
  }
  return out;
}

/** `x * x` of each, as BigInts: exact at any size, as results past 2^53 need. @param {Int32Array} input */
function squareBigInts(input) {
  const out = new BigInt64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const x = BigInt(input[i]);
    out[i] = x * x;
  }
  return out;
}

/** What a workerpool worker runs: the squares of a chunk, sent back by transfer. */
const WORKER_SOURCE = `
workerpool.worker({
  square: function (chunk) {
    var out = new Float64Array(chunk.length);
    for (var i = 0; i < chunk.length; i++) { var x = chunk[i]; out[i] = x * x; }
    return new workerpool.Transfer(out, [out.buffer]);
  },
});`;

/**
 * `map(square)` with workerpool's pool of 2 Web Workers: the input cut into chunks as Python
 * cuts it for 2 workers (about 4 a worker), each chunk copied out and transferred, its
 * squares transferred back into one Float64Array.
 * @param {string} url where workerpool's browser build (dist/workerpool.min.js) is served
 */
async function workerpoolSizes(url) {
  const source = await (await fetch(url)).text();
  await import(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  /** @type {any} */
  const workerpool = /** @type {any} */ (globalThis).workerpool;
  const script = URL.createObjectURL(new Blob([source, WORKER_SOURCE], { type: 'text/javascript' }));
  const pool = workerpool.pool(script, { maxWorkers: 2, minWorkers: 2, workerType: 'web' });
  /** @param {Int32Array} input */
  const map = async (input) => {
    const out = new Float64Array(input.length);
    const chunksize = Math.ceil(input.length / (4 * 2));
    const jobs = [];
    for (let start = 0; start < input.length; start += chunksize) {
      const chunk = input.slice(start, start + chunksize);
      jobs.push(pool.exec('square', [chunk], { transfer: [chunk.buffer] })
        .then((/** @type {Float64Array} */ squares) => out.set(squares, start)));
    }
    await Promise.all(jobs);
    return out;
  };
  try {
    /** @type {SizePoint[]} */
    const points = [];
    for (const items of SIZES) {
      const input = ints(items);
      const warm = await map(input);
      if (warm[items - 1] !== items * items) throw new Error(`workerpool: a wrong result for ${items} items`);
      /** @type {number[]} */
      const ms = [];
      for (let run = 0; run < sizeRuns(items); run++) {
        const started = performance.now();
        await map(input);
        ms.push(performance.now() - started);
      }
      points.push({ items, ms });
    }
    return { version: workerpool.version ?? null, square: points };
  } finally {
    await pool.terminate();
  }
}

/**
 * Everything above, in one go.
 * @param {{ workerpool?: string }} [options] where workerpool's browser build is served
 *   (benches/browser.mjs serves it from node_modules); without it that peer is left out
 */
export async function runReport({ workerpool } = {}) {
  const threads = await backendFigures('threads');
  const processes = await backendFigures('processes');
  const js = {
    number: plainSizes(squareNumbers, (out, n) => out[n - 1] === n * n),
    bigint: plainSizes(squareBigInts, (out, n) => out[n - 1] === BigInt(n) * BigInt(n)),
  };
  return {
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    crossOriginIsolated,
    threads: { ...threads, start: await starts('threads') },
    processes: { ...processes, start: await starts('processes') },
    js,
    workerpool: workerpool ? await workerpoolSizes(workerpool) : null,
  };
}
