// The browser half of `./build.sh bench`: the same JS API the page uses, timed.
import { createPool } from './webpool.js';

const RUNS = 9;
const N = 1_000_000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);

/** Times `map(square)` over 1..N with `workers` workers, end to end and inside wasm. */
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

/** Times starting a new engine with `workers` workers (the compiled module is reused). */
async function restart(workers) {
  const times = [];
  for (let run = 0; run < 5; run++) {
    const pool = await createPool({ workers });
    times.push(pool.startMs);
    pool.close();
  }
  return { workers, startMs: { best: best(times), median: median(times) } };
}

export async function runBenchmark() {
  const pool = await createPool({ workers: 2 });
  const map = [await mapSquare(pool, 1), await mapSquare(pool, 2)];
  pool.close();
  const starts = [];
  for (const workers of [1, 2, 4, 8]) starts.push(await restart(workers));
  return { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, items: N, map, starts };
}

const out = document.getElementById('out');
document.getElementById('run').addEventListener('click', async (event) => {
  event.target.disabled = true;
  out.textContent = 'running…';
  try {
    out.textContent = JSON.stringify(await runBenchmark(), null, 2);
  } catch (error) {
    out.textContent = `failed: ${error.message}`;
  } finally {
    event.target.disabled = false;
  }
});
