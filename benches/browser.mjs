// Runs www/bench.html in headless Chromium (Debian's), served by webpool-serve, and
// prints its figures as JSON. `./build.sh bench` runs it after the native benchmarks.
import { launch, serve } from '../tests/e2e/browser.mjs';

const server = await serve();
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(new URL('bench.html', server.url).href);
  const figures = await page.evaluate(async () => (await import('./bench.js')).runBenchmark());
  console.log(JSON.stringify(figures, null, 2));
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
