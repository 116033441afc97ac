// Runs www/bench.html in headless Chromium (Debian's), served by webpool-serve, and
// prints its figures as JSON. `./build.sh bench` runs it after the native benchmarks.
// Then the browser's part of the benchmark report (www/bench-report.js: scaling, size and
// start, beside plain JavaScript and npm's workerpool, served here from node_modules); with
// a path as its argument, both go there as JSON for benches/report.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, serve } from '../tests/e2e/browser.mjs';

const out = process.argv[2];
const workerpoolBuild = fileURLToPath(new URL('../node_modules/workerpool/dist/workerpool.min.js', import.meta.url));

const server = await serve();
const browser = await launch();
try {
  const page = await browser.newPage();
  // workerpool's browser build, at a path of the page's own origin (it is not in www/).
  await page.route('**/vendor/workerpool.min.js', (route) => route.fulfill({ path: workerpoolBuild, contentType: 'text/javascript' }));
  await page.goto(new URL('bench.html', server.url).href);
  const figures = await page.evaluate(async () => (await import('./bench.js')).runBenchmark());
  console.log(JSON.stringify(figures, null, 2));
  if (out) {
    console.error('browser: the report\'s workloads (scaling, size, start) on both backends, plain JavaScript, workerpool');
    const report = await page.evaluate(async () => (await import('./bench-report.js')).runReport({ workerpool: 'vendor/workerpool.min.js' }));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ source: 'benches/browser.mjs', chromium: browser.version(), benchmark: figures, report }, null, 1));
    console.error(`browser: figures in ${out}`);
  }
  // The big-integer workloads again as a table: the run's wall time, median (best) in ms.
  /** @param {{ median: number, best: number }} ms */
  const cell = ({ median, best }) => `${median.toFixed(0)} (${best.toFixed(0)})`;
  /** @param {number} v */
  const times = (v) => `${v.toFixed(2)}x`;
  const { rows, summary } = figures.bigIntegers;
  console.log('\nmap(cube), the run\'s wall time in ms, median (best) of 7, on 1, 2 and 4 workers:');
  for (const backend of ['threads', 'processes']) {
    for (const { workload } of summary) {
      const cells = rows.filter((r) => r.backend === backend && r.workload === workload).map((r) => `${r.workers}: ${cell(r.wallMs)}`);
      console.log(`  ${backend.padEnd(9)} ${workload.padEnd(20)} ${cells.join('   ')}`);
    }
  }
  for (const { workload, threadsSpeedup, processesSpeedup, processesOverThreads } of summary) {
    console.log(`  ${workload}: 2 workers over 1: threads ${times(threadsSpeedup[2])}, processes ${times(processesSpeedup[2])}; ` +
      `processes / threads on 1, 2, 4 workers: ${[1, 2, 4].map((w) => times(processesOverThreads[w])).join(', ')}`);
  }
} finally {
  await browser.close();
  server.stop();
}
