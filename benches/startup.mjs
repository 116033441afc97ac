// How soon a learner can press Run: from navigation to an enabled Run button, cold (a new
// browser context each time, so nothing is cached), on both backends, and the bytes the page
// downloads (as sent, compressed). Then the same for a page that only uses the API: from
// navigation to the first result of `createPool()` and `pool.map('square', ...)`, cold.
// `./build.sh bench` runs it; it prints JSON, and writes it to the path given as argument.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { launch, serve } from '../tests/e2e/browser.mjs';

const RUNS = Number(process.env.STARTUP_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = process.argv[2];

/**
 * The bytes the server sends for `url` compressed as a browser asks (brotli or gzip): what
 * the page downloads for it, counted whoever fetched it (the page or one of its workers,
 * whose fetches the page's network log may not show).
 * @param {string} url
 * @returns {Promise<number>}
 */
function compressedBytes(url) {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'br, gzip' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk) => { bytes += chunk.length; });
      response.on('end', () => resolve(bytes));
    }).on('error', reject).end();
  });
}

/** The compressed bytes of every file of `server` among `urls` (blob: and others left out). */
async function filesBytes(server, urls) {
  const files = [...new Set(urls)].filter((url) => url.startsWith(server.url)).sort();
  const sizes = await Promise.all(files.map(compressedBytes));
  return { bytes: sizes.reduce((a, b) => a + b, 0), files: Object.fromEntries(files.map((f, i) => [f.slice(server.url.length), sizes[i]])) };
}

const browser = await launch();
const figures = {};
try {
  // The isolated server gives the page threads; without the headers it runs on processes.
  for (const [backend, isolated] of [['threads', true], ['processes', false]]) {
    const server = await serve({ isolated });
    const times = [];
    const bytes = [];
    /** @type {string[]} */
    const pageUrls = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let downloaded = 0;
      cdp.on('Network.loadingFinished', (e) => { downloaded += e.encodedDataLength; });
      // Workers fetch too (the engine, its processes, the wasm): their requests are the context's.
      context.on('request', (r) => pageUrls.push(r.url()));
      const started = Date.now();
      await page.goto(server.url);
      await page.waitForSelector('#run-button:not([disabled])');
      times.push(Date.now() - started);
      const shown = await page.evaluate(() => document.body.dataset.backend ?? null);
      if (shown && shown !== backend) throw new Error(`expected ${backend}, the page runs ${shown}`);
      bytes.push(downloaded);
      await context.close();
    }
    // The API alone, on a page that loads nothing else first (bench.html: its script waits
    // for a click): navigation to the first result, from the page's own clock.
    const firstResult = [];
    const engineStart = [];
    /** @type {string[]} */
    const apiUrls = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      context.on('request', (r) => apiUrls.push(r.url()));
      await page.goto(new URL('bench.html', server.url).href, { waitUntil: 'commit' });
      const { at, startMs, chosen } = await page.evaluate(async () => {
        const { createPool } = await import('./webpool.js');
        const pool = await createPool({ workers: 2 });
        const result = await pool.map('square', new Int32Array([1, 2, 3]));
        const at = performance.now();
        if (result.values?.join() !== '1,4,9') throw new Error(`wrong first result ${result.values}`);
        pool.close();
        return { at, startMs: pool.startMs, chosen: pool.backend };
      });
      if (chosen !== backend) throw new Error(`expected ${backend}, the API chose ${chosen}`);
      firstResult.push(at);
      engineStart.push(startMs);
      await context.close();
    }
    const pageFiles = await filesBytes(server, pageUrls);
    const apiFiles = await filesBytes(server, apiUrls);
    server.stop();
    figures[backend] = {
      runToEnabledMs: { median: median(times), best: Math.min(...times), all: times },
      pageBytes: median(bytes),
      pageFilesBytes: pageFiles.bytes,
      pageFiles: pageFiles.files,
      apiFirstResultMs: { median: median(firstResult), best: Math.min(...firstResult), all: firstResult },
      apiEngineStartMs: { median: median(engineStart), all: engineStart },
      apiFilesBytes: apiFiles.bytes,
    };
  }
  // Each file's bytes go to the JSON file only.
  console.log(JSON.stringify({ startup: figures }, (key, value) => (key === 'pageFiles' ? undefined : value), 2));
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ startup: figures }, null, 2));
  }
} finally {
  await browser.close();
}
