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
} finally {
  await browser.close();
  server.stop();
}
