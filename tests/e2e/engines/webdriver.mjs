// Classic W3C WebDriver for the end-to-end tests, through selenium-webdriver's client: WebKit
// (Debian's WebKitGTK MiniBrowser, Safari's engine, through WebKitWebDriver; ./webkit.mjs) and
// Firefox (Debian's firefox-esr through geckodriver; ./firefox.mjs). The tests see
// playwright's Page API (./driven.mjs); this module gives it a WebDriver session as a driver.
//
// Three things classic WebDriver does not have, and how:
// - One session per driver, and one command at a time per session: each context is a driver
//   and a browser of its own, and a script that waits long is started, then asked about in
//   short calls, so that other commands are never held behind it.
// - No script before the page's own: the page is loaded through a small proxy here, which adds
//   a first <script> to every HTML document, collecting uncaught errors and unhandled
//   rejections (as playwright's `pageerror`); every call to the page takes them out. (A page
//   opened from a file gets it once it has loaded.)
// - No request interception: the same proxy answers the routes (`page.route`).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir, readlink } from 'node:fs/promises';
import http from 'node:http';
import { Capabilities, Key, Origin, WebDriver } from 'selenium-webdriver';
import { Executor, HttpClient } from 'selenium-webdriver/http/index.js';
import { DrivenPage } from './driven.mjs';

/** @typedef {import('./driven.mjs').Driver} Driver */
/** @typedef {import('./driven.mjs').RouteHandler} RouteHandler */

/**
 * The first script of every document: the page's uncaught errors and unhandled rejections,
 * kept until a call takes them. "ResizeObserver loop" reports are the browser's, not the
 * page's, and playwright does not report them either.
 */
const COLLECTOR = `(() => {
  if (window.__webpoolErrors) return;
  const errors = (window.__webpoolErrors = []);
  addEventListener('error', (e) => {
    if (/^ResizeObserver loop/.test(e.message)) return;
    errors.push(e.error instanceof Error ? (e.error.stack ? e.error.name + ': ' + e.error.message + '\\n' + e.error.stack : String(e.error)) : String(e.message));
  });
  addEventListener('unhandledrejection', (e) => {
    errors.push('Unhandled rejection: ' + (e.reason instanceof Error ? e.reason.name + ': ' + e.reason.message : String(e.reason)));
  });
})();`;

/** Playwright's key names, as WebDriver's. */
const KEYS = /** @type {Record<string, string>} */ ({
  Enter: Key.ENTER, Escape: Key.ESCAPE, Tab: Key.TAB, Home: Key.HOME, End: Key.END, Space: ' ',
  Backspace: Key.BACK_SPACE, Delete: Key.DELETE, Control: Key.CONTROL, Shift: Key.SHIFT, Alt: Key.ALT, Meta: Key.META,
  ArrowUp: Key.ARROW_UP, ArrowDown: Key.ARROW_DOWN, ArrowLeft: Key.ARROW_LEFT, ArrowRight: Key.ARROW_RIGHT,
  PageUp: Key.PAGE_UP, PageDown: Key.PAGE_DOWN,
});

/**
 * How to start one engine's WebDriver: its name, the driver's command (it is given
 * `--port=0`), and the session's capabilities.
 * @typedef {{ engine: string, command: string, capabilities: Record<string, unknown> }} Engine
 */

/**
 * A browser of `engine`: each context starts a driver and a browser of its own.
 * @param {Engine} engine
 */
export async function launchWebDriver(engine) {
  /** @type {Set<{ close: () => Promise<void> }>} */
  const open = new Set();

  /** @param {{ viewport?: { width: number, height: number } }} [options] */
  const newContext = async ({ viewport = { width: 1280, height: 720 } } = {}) => {
    /** @type {DrivenPage[]} */
    const pages = [];
    const context = {
      newPage: async () => {
        const page = await newPage(engine, viewport, context);
        pages.push(page);
        return page;
      },
      close: async () => {
        open.delete(context);
        await Promise.all(pages.splice(0).map((page) => page.close()));
      },
    };
    open.add(context);
    return context;
  };

  return {
    newContext,
    /** A page in a context of its own, closed with the page. @param {{ viewport?: { width: number, height: number } }} [options] */
    newPage: async (options) => (await newContext(options)).newPage(),
    close: async () => {
      await Promise.all([...open].map((context) => context.close()));
      await endSpare(engine);
    },
    version: async () => engine.engine,
  };
}

/**
 * The port a process of ours listens on, read from /proc once it listens (a driver is started
 * on port 0, so that no other program can have taken the port in between).
 * @param {number} pid
 */
async function listeningPort(pid) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const sockets = new Set();
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode) sockets.add(inode);
    }
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // local address, state 0A (listening), inode
        if (fields[3] === '0A' && sockets.has(fields[9])) return parseInt(fields[1].split(':')[1], 16);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the WebDriver driver (pid ${pid}) did not listen within 20 s`);
}

/**
 * A proxy in front of one origin: adds COLLECTOR to HTML documents and answers `routes`.
 * Asks for uncompressed bodies, so that a document can be changed.
 * @param {URL} upstream @param {{ pattern: RegExp, handler: RouteHandler }[]} routes
 */
async function proxy(upstream, routes) {
  const server = http.createServer((request, response) => {
    const url = `http://${request.headers.host}${request.url}`;
    const forward = () => {
      const headers = { ...request.headers, host: upstream.host };
      delete headers['accept-encoding'];
      const outgoing = http.request({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers }, (incoming) => {
        const type = String(incoming.headers['content-type'] ?? '');
        const outHeaders = { ...incoming.headers };
        if (outHeaders.location) outHeaders.location = String(outHeaders.location).replace(upstream.origin, `http://${request.headers.host}`);
        if (!type.startsWith('text/html')) {
          response.writeHead(incoming.statusCode ?? 502, outHeaders);
          incoming.pipe(response);
          return;
        }
        /** @type {Buffer[]} */
        const chunks = [];
        incoming.on('data', (chunk) => chunks.push(chunk));
        incoming.on('end', () => {
          const html = Buffer.concat(chunks).toString('utf8');
          const head = /<head[^>]*>/i.exec(html);
          const at = head ? head.index + head[0].length : 0;
          const body = Buffer.from(`${html.slice(0, at)}<script>${COLLECTOR}</script>${html.slice(at)}`);
          delete outHeaders['content-length'];
          delete outHeaders.etag;
          response.writeHead(incoming.statusCode ?? 502, { ...outHeaders, 'content-length': body.length });
          response.end(body);
        });
      });
      outgoing.on('error', () => response.destroy());
      request.pipe(outgoing);
    };
    const route = routes.find((r) => r.pattern.test(url));
    if (!route) { forward(); return; }
    route.handler({
      request: () => ({ url: () => url }),
      fulfill: async ({ status = 200, body = '', contentType = 'text/plain' }) => {
        const text = contentType.startsWith('text/html') ? `<script>${COLLECTOR}</script>${body}` : body;
        response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
        response.end(text);
      },
      abort: async () => { response.destroy(); },
      continue: async () => { forward(); },
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { origin: `http://127.0.0.1:${address.port}`, close: () => { server.closeAllConnections(); server.close(); } };
}

/**
 * A driver and a browser with a session open: one for each context.
 * @typedef {{ driver: WebDriver, process_: import('node:child_process').ChildProcess, exited: Promise<unknown> }} Session
 */

/**
 * The drivers' process groups still alive: each driver leads a group of its own, with its
 * browser in it, and whatever a test file leaves is ended when it exits.
 * @type {Set<number>}
 */
const groups = new Set();
process.on('exit', () => {
  for (const group of groups) {
    try { process.kill(-group); } catch { /* gone already */ }
  }
});

/** @param {Engine} engine @returns {Promise<Session>} */
async function startSession(engine) {
  const process_ = spawn(engine.command, ['--port=0'], { stdio: 'ignore', detached: true });
  const group = /** @type {number} */ (process_.pid);
  groups.add(group);
  const exited = once(process_, 'exit').then(([code]) => { groups.delete(group); return code; });
  const port = await Promise.race([
    listeningPort(/** @type {number} */ (process_.pid)),
    exited.then((code) => { throw new Error(`${engine.command} exited with ${code}`); }),
  ]);
  const driver = WebDriver.createSession(new Executor(new HttpClient(`http://127.0.0.1:${port}`)), new Capabilities(engine.capabilities));
  await driver.getSession();
  // A page that never finishes loading fails a test in half a minute, not in the default five.
  await driver.manage().setTimeouts({ pageLoad: 30_000, script: 30_000 });
  return { driver, process_, exited };
}

/**
 * The next session of `engine`. A browser takes seconds to start (Firefox about 3.5 here) and
 * every context needs a fresh one, so the next is always started ahead, while a test runs.
 * @type {Map<Engine, Promise<Session>>}
 */
const spares = new Map();

/** @param {Engine} engine */
function session(engine) {
  const next = spares.get(engine) ?? startSession(engine);
  const spare = startSession(engine);
  spare.catch(() => {});
  spares.set(engine, spare);
  return next;
}

/** Ends a driver and whatever is left of its browser. @param {import('node:child_process').ChildProcess} driver */
function end(driver) {
  try { process.kill(-(/** @type {number} */ (driver.pid))); } catch { /* gone already */ }
}

/** Ends the session started ahead for `engine`, if any. @param {Engine} engine */
async function endSpare(engine) {
  const spare = spares.get(engine);
  spares.delete(engine);
  const started = await spare?.catch(() => null);
  if (!started) return;
  await started.driver.quit().catch(() => {});
  end(started.process_);
  await started.exited;
}

/**
 * A browser of its own (one driver, one session) with one page.
 * @param {Engine} engine
 * @param {{ width: number, height: number }} viewport
 * @param {{ newPage: () => Promise<DrivenPage>, close: () => Promise<void> }} context
 */
async function newPage(engine, viewport, context) {
  const { driver, process_, exited } = await session(engine);

  /** Proxies by the origin they stand in front of. @type {Map<string, { origin: string, close: () => void }>} */
  const proxies = new Map();
  /** @type {{ pattern: RegExp, handler: RouteHandler }[]} */
  const routes = [];
  /** @type {((error: Error) => void)[]} */
  const errorListeners = [];
  /** @param {string[]} errors */
  const report = (errors) => {
    for (const text of errors) for (const listener of errorListeners) listener(new Error(text));
  };
  let calls = 0;
  let closed = false;

  /** The window's size for a viewport of `width` × `height` (the window has a title bar). */
  const setViewport = async (/** @type {number} */ width, /** @type {number} */ height) => {
    await driver.manage().window().setRect({ width, height });
    const inner = /** @type {{ w: number, h: number }} */ (await driver.executeScript('return { w: innerWidth, h: innerHeight }'));
    if (inner.w !== width || inner.h !== height) {
      await driver.manage().window().setRect({ width: 2 * width - inner.w, height: 2 * height - inner.h });
    }
  };
  await setViewport(viewport.width, viewport.height);

  /**
   * Waits up to 50 ms in the page for call `id` and answers its outcome, or null if it has
   * not settled yet; a missing call means that its document is gone. (Short, because the
   * session runs one command at a time: other calls wait for this one.)
   * @param {number} id
   */
  const settled = (id) => `
    const calls = window.__webpoolCalls;
    const call = calls && calls.get(${id});
    const errors = (window.__webpoolErrors ?? []).splice(0);
    if (!call) return { gone: true, errors };
    const outcome = await Promise.race([call, new Promise((resolve) => setTimeout(resolve, 50, null))]);
    if (outcome) calls.delete(${id});
    return { outcome, errors: errors.concat((window.__webpoolErrors ?? []).splice(0)) };`;

  /** Starts `expression` in the page and asks about it until it has settled. @param {string} expression */
  const evaluate = async (expression) => {
    const id = ++calls;
    const start = /** @type {{ outcome?: { value?: unknown, error?: string } | null, gone?: boolean, errors: string[] }} */ (
      await driver.executeScript(`return (async () => {
        (window.__webpoolCalls ??= new Map()).set(${id}, Promise.resolve().then(() => ${expression}).then(
          (value) => ({ value }),
          (error) => ({ error: error instanceof Error ? error.name + ': ' + error.message : String(error) })));
        ${settled(id)}
      })()`));
    let answer = start;
    for (;;) {
      // A document that went away under the script may answer nothing at all.
      if (!answer || typeof answer !== 'object') throw new Error('page.evaluate: the page navigated away before the script ended');
      report(answer.errors);
      if (answer.gone) throw new Error('page.evaluate: the page navigated away before the script ended');
      if (answer.outcome) break;
      answer = /** @type {typeof start} */ (await driver.executeScript(`return (async () => { ${settled(id)} })()`));
    }
    const outcome = /** @type {{ value?: unknown, error?: string }} */ (answer.outcome);
    if (outcome.error !== undefined) throw new Error(outcome.error);
    return outcome.value;
  };

  /** @type {Driver} */
  const driverOf = {
    engine: engine.engine,
    evaluate: (expression) => evaluate(expression).catch((error) => {
      // A document that goes away under a script (a reload, a link) fails it, in words that
      // differ between drivers.
      if (/unloaded|navigat|no such (window|frame)|context.*destroyed/i.test(String(error?.message))) {
        throw new Error('page.evaluate: the page navigated away before the script ended');
      }
      throw error;
    }),
    goto: async (url) => {
      const target = new URL(url);
      if (target.protocol !== 'http:') {
        // A file has no server to stand in front of: the collector comes once it has loaded,
        // so an error while it loads is not seen here.
        await driver.get(url);
        await driver.executeScript(COLLECTOR);
        return;
      }
      let front = proxies.get(target.origin);
      if (!front) {
        front = await proxy(target, routes);
        proxies.set(target.origin, front);
      }
      await driver.get(front.origin + target.pathname + target.search + target.hash);
    },
    setViewport,
    click: (x, y) => driver.actions({ async: true }).move({ x, y, origin: Origin.VIEWPORT }).press().release().perform(),
    move: (x, y) => driver.actions({ async: true }).move({ x: Math.floor(x), y: Math.floor(y), origin: Origin.VIEWPORT }).perform(),
    press: async (keys) => {
      const codes = keys.map((key) => KEYS[key] ?? key);
      let actions = driver.actions({ async: true });
      for (const code of codes) actions = actions.keyDown(code);
      for (const code of [...codes].reverse()) actions = actions.keyUp(code);
      await actions.perform();
    },
    // The viewport only: WebDriver's screenshot has neither a clip nor the full page.
    screenshot: async () => Buffer.from(await driver.takeScreenshot(), 'base64'),
    onPageError: (listener) => { errorListeners.push(listener); },
    flushErrors: async () => {
      if (closed) return;
      report(/** @type {string[]} */ (await driver.executeScript('return (window.__webpoolErrors ?? []).splice(0)')));
    },
    // An alert is dismissed and fails the next command (unhandledPromptBehavior "dismiss and
    // notify"), so a test that must see none fails if one opens.
    onDialog: () => {},
    route: async (pattern, handler) => { routes.unshift({ pattern, handler }); },
    unroute: async (pattern) => {
      const i = routes.findIndex((r) => String(r.pattern) === String(pattern));
      if (i >= 0) routes.splice(i, 1);
    },
    workers: null,
    close: async () => {
      if (closed) return;
      closed = true;
      await driver.quit().catch(() => {});
      end(process_);
      await exited;
      for (const front of proxies.values()) front.close();
    },
  };
  return new DrivenPage(driverOf, context);
}
