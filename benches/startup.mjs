// How soon a learner can press Run: from navigation to an enabled Run button, cold (a new
// browser context each time, so nothing is cached), on both backends, and the bytes the page
// downloads (as sent, compressed). `./build.sh bench` runs it; it prints JSON.
import { launch, serve } from '../tests/e2e/browser.mjs';

const RUNS = Number(process.env.STARTUP_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();
const figures = {};
try {
  // The isolated server gives the page threads; without the headers it runs on processes.
  for (const [backend, isolated] of [['threads', true], ['processes', false]]) {
    const server = await serve({ isolated });
    const times = [];
    const bytes = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let downloaded = 0;
      cdp.on('Network.loadingFinished', (e) => { downloaded += e.encodedDataLength; });
      // Workers fetch too (the engine, its processes, the wasm): count theirs as well.
      context.on('request', () => {});
      const started = Date.now();
      await page.goto(server.url);
      await page.waitForSelector('#run-button:not([disabled])');
      times.push(Date.now() - started);
      const shown = await page.evaluate(() => document.body.dataset.backend ?? null);
      if (shown && shown !== backend) throw new Error(`expected ${backend}, the page runs ${shown}`);
      bytes.push(downloaded);
      await context.close();
    }
    server.stop();
    figures[backend] = { runToEnabledMs: { median: median(times), best: Math.min(...times) }, pageBytes: median(bytes) };
  }
  console.log(JSON.stringify({ startup: figures }, null, 2));
} finally {
  await browser.close();
}
