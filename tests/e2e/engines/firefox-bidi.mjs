// Firefox over WebDriver BiDi, by puppeteer-core (no geckodriver, no downloaded browser):
// WEBPOOL_FIREFOX=bidi. The tests see playwright's Page API (./driven.mjs); this module gives
// it puppeteer's page as a driver. It reaches into Web Workers (page.workers()), which classic
// WebDriver cannot; but the threads engine and its lessons hang now and then under a BiDi
// session (./firefox.mjs says why), so the suite uses geckodriver.
import puppeteer from 'puppeteer-core';
import { DrivenPage } from './driven.mjs';

/** @typedef {import('./driven.mjs').Driver} Driver */

/**
 * Starts headless Firefox ESR. A context is a BiDi user context: storage, caches and service
 * workers of its own.
 */
export async function launch() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    // A test may wait on one evaluation for minutes (a randomised sequence of calls).
    protocolTimeout: 600_000,
    extraPrefsFirefox: {
      // Lets navigator.clipboard.readText() read without the paste prompt a person would
      // answer (Firefox's own tests set it): the tests read what the page copied.
      'dom.events.testing.asyncClipboard': true,
    },
  });

  /** @param {{ viewport?: { width: number, height: number } }} [options] */
  const newContext = async ({ viewport = { width: 1280, height: 720 } } = {}) => {
    const context = await browser.createBrowserContext();
    const handle = {
      newPage: async () => newPage(context, handle, viewport),
      close: () => context.close(),
    };
    return handle;
  };

  return {
    newContext,
    /** A page in a context of its own, closed with the page. @param {{ viewport?: { width: number, height: number } }} [options] */
    newPage: async (options) => {
      const context = await newContext(options);
      const page = await context.newPage();
      const close = page.close.bind(page);
      page.close = async () => { await close(); await context.close(); };
      return page;
    },
    close: () => browser.close(),
    version: () => browser.version(),
  };
}

/**
 * @param {import('puppeteer-core').BrowserContext} context
 * @param {{ newPage: () => Promise<DrivenPage>, close: () => Promise<void> }} handle
 * @param {{ width: number, height: number }} viewport
 */
async function newPage(context, handle, viewport) {
  const page = await context.newPage();
  await page.setViewport(viewport);
  /** @type {((error: Error) => void)[]} */
  const errorListeners = [];
  page.on('pageerror', (error) => { for (const listener of errorListeners) listener(/** @type {Error} */ (error)); });
  /** @type {{ pattern: RegExp, handler: import('./driven.mjs').RouteHandler }[]} */
  const routes = [];
  let intercepting = false;

  /** @type {Driver} */
  const driver = {
    engine: 'firefox',
    evaluate: (expression) => page.evaluate(expression),
    goto: async (url) => { await page.goto(url, { waitUntil: 'load' }); },
    setViewport: (width, height) => page.setViewport({ width, height }),
    click: (x, y) => page.mouse.click(x, y),
    move: (x, y) => page.mouse.move(x, y),
    press: async (keys) => {
      // Playwright's 'Space' is the ' ' key of puppeteer's layout for WebDriver BiDi.
      const names = keys.map((key) => /** @type {import('puppeteer-core').KeyInput} */ (key === 'Space' ? ' ' : key));
      for (const key of names) await page.keyboard.down(key);
      for (const key of names.reverse()) await page.keyboard.up(key);
    },
    // A clip is of the whole page, as with playwright's fullPage.
    screenshot: ({ fullPage, clip }) => page.screenshot(clip ? { clip, captureBeyondViewport: true } : { fullPage }),
    onPageError: (listener) => { errorListeners.push(listener); },
    // Events that arrived before an answer to a command were delivered before it.
    flushErrors: async () => { await page.evaluate('0'); },
    onDialog: (listener) => {
      page.on('dialog', (dialog) => listener({ message: () => dialog.message(), dismiss: () => dialog.dismiss() }));
    },
    route: async (pattern, handler) => {
      routes.unshift({ pattern, handler });
      if (intercepting) return;
      intercepting = true;
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const route = routes.find((r) => r.pattern.test(request.url()));
        if (!route) { request.continue(); return; }
        route.handler({
          request: () => ({ url: () => request.url() }),
          fulfill: ({ status = 200, body = '', contentType }) => request.respond({ status, body, contentType }),
          abort: () => request.abort(),
          continue: () => request.continue(),
        });
      });
    },
    unroute: async (pattern) => {
      const i = routes.findIndex((r) => String(r.pattern) === String(pattern));
      if (i >= 0) routes.splice(i, 1);
    },
    workers: () => page.workers().map((worker) => ({
      url: () => worker.url(),
      evaluate: (/** @type {Function} */ fn, /** @type {unknown} */ arg) => worker.evaluate(/** @type {any} */ (fn), arg),
    })),
    close: () => page.close(),
  };
  return new DrivenPage(driver, handle);
}
