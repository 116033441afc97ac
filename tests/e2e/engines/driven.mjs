// The part of playwright-core's Page API that the end-to-end tests use, for the engines that
// playwright-core cannot drive here: Firefox and WebKit over classic WebDriver (./webdriver.mjs,
// through ./firefox.mjs and ./webkit.mjs), or Firefox over WebDriver BiDi (./firefox-bidi.mjs).
// One implementation on top of a small driver per protocol, so that the tests read the same
// on all three. As in playwright, everything that reads the page or waits for it runs as a
// script in the page (open shadow roots are searched, a wait polls a condition), and clicks
// and key presses are real input from the browser's driver; an action waits until its element
// is there, visible and enabled, and not covered.
//
// What a driver cannot do is not faked: the page throws, naming the engine, and a test that
// needs it is skipped there (`lacks()` in ../browser.mjs says why).

/**
 * A request held by a route: answered in place, refused, or let through.
 * @typedef {{ request: () => { url: () => string },
 *   fulfill: (response: { status?: number, body?: string, contentType?: string }) => Promise<void>,
 *   abort: () => Promise<void>, continue: () => Promise<void> }} Route
 */

/** @typedef {(route: Route) => unknown} RouteHandler */

/**
 * A dedicated Web Worker of the page, where the driver can reach it.
 * @typedef {{ url: () => string, evaluate: (fn: Function, arg?: unknown) => Promise<any> }} WorkerHandle
 */

/**
 * What an engine's driver gives a page: the few things that cannot be done from inside it.
 * @typedef {object} Driver
 * @property {string} engine  its name, for messages
 * @property {(expression: string) => Promise<unknown>} evaluate  evaluates `expression` in the
 *   page's main world; a promise is awaited; resolves with its value (a string, here)
 * @property {(url: string) => Promise<void>} goto  navigates and waits for the load event
 * @property {(width: number, height: number) => Promise<void>} setViewport
 * @property {(x: number, y: number) => Promise<void>} click  a left click at viewport coordinates
 * @property {(x: number, y: number) => Promise<void>} move  the mouse, to viewport coordinates
 * @property {(keys: string[]) => Promise<void>} press  presses `keys` down in order (playwright's
 *   names: 'Control', 'Enter', 'Space', 'a'), then releases them in reverse
 * @property {(options: { fullPage?: boolean, clip?: { x: number, y: number, width: number, height: number } }) => Promise<Uint8Array>} screenshot
 * @property {(listener: (error: Error) => void) => void} onPageError  uncaught errors and
 *   unhandled rejections of the page
 * @property {() => Promise<void>} flushErrors  delivers the page errors that happened so far
 * @property {((listener: (dialog: { message: () => string, dismiss: () => Promise<void> }) => void) => void) | null} onDialog
 * @property {((pattern: RegExp, handler: RouteHandler) => Promise<void>) | null} route
 * @property {((pattern: RegExp) => Promise<void>) | null} unroute
 * @property {(() => WorkerHandle[]) | null} workers
 * @property {() => Promise<void>} close
 */

/** Playwright's default timeout for waits and actions. */
const TIMEOUT = 30_000;
/** The longest wait for one look at a page that may be reloading (see waitForEvent). */
const POLL_MS = 2_000;
/** How long one script waits in the page before it answers "not yet" (so no call blocks). */
const ROUND_MS = 1_000;

/**
 * Helpers that every script gets in the page, as `__h`. Written as a function so that its
 * source is what runs there.
 */
function pageHelpers() {
  const PENDING = { pending: true };
  /**
   * Where `selector` has `c` outside brackets and quotes: calls `at(i)` for each, in order,
   * until it returns something.
   * @param {string} s @param {RegExp} c @param {(i: number) => unknown} at
   */
  const scan = (s, c, at) => {
    let depth = 0;
    let quote = '';
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (depth === 0 && c.test(ch)) {
        const out = at(i);
        if (out) return out;
      }
    }
    return null;
  };
  /** A selector list's selectors. @param {string} selector */
  const list = (selector) => {
    /** @type {string[]} */
    const parts = [];
    let from = 0;
    scan(selector, /,/, (i) => { parts.push(selector.slice(from, i).trim()); from = i + 1; });
    parts.push(selector.slice(from).trim());
    return parts;
  };
  /**
   * `head tail` split at its first descendant combinator, so that a selector can cross into a
   * shadow root as playwright's do; null if there is none.
   * @param {string} selector
   */
  const splitDescendant = (selector) => {
    const s = selector.trim();
    return /** @type {[string, string] | null} */ (scan(s, /\s/, (i) => {
      let j = i;
      while (j < s.length && /\s/.test(s[j])) j++;
      const head = s.slice(0, i).trimEnd();
      const tail = s.slice(j);
      return /[>+~]$/.test(head) || /^[>+~]/.test(tail) ? null : [head, tail];
    }));
  };
  /** @param {ParentNode} node @param {ParentNode[]} out */
  const shadowRoots = (node, out) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.shadowRoot) { out.push(el.shadowRoot); shadowRoots(el.shadowRoot, out); }
    }
    return out;
  };
  /** `scope` and every open shadow root inside it (its own included). @param {Document | Element} scope */
  const rootsOf = (scope) => {
    /** @type {ParentNode[]} */
    const out = [scope];
    if ('shadowRoot' in scope && scope.shadowRoot) { out.push(scope.shadowRoot); shadowRoots(scope.shadowRoot, out); }
    return shadowRoots(scope, out);
  };
  /** @param {Document | Element} scope @param {string} selector @returns {Element[]} */
  const deepAll = (scope, selector) => {
    const found = new Set();
    for (const root of rootsOf(scope)) for (const el of root.querySelectorAll(selector)) found.add(el);
    for (const one of list(selector)) {
      const split = splitDescendant(one);
      if (split) for (const head of deepAll(scope, split[0])) for (const el of deepAll(head, split[1])) found.add(el);
    }
    return [...found];
  };
  /** @param {{ selector: string, nth?: number }[]} chain */
  const resolve = (chain) => {
    /** @type {(Document | Element)[]} */
    let scopes = [document];
    for (const { selector, nth } of chain) {
      /** @type {Element[]} */
      const found = [];
      for (const scope of scopes) for (const el of deepAll(scope, selector)) if (!found.includes(el)) found.push(el);
      scopes = nth === undefined ? found : found.slice(nth, nth + 1);
    }
    return /** @type {Element[]} */ (scopes);
  };
  /** @param {{ selector: string, nth?: number }[]} chain */
  const describe = (chain) => chain.map(({ selector, nth }) => (nth === undefined ? selector : `${selector} >> nth=${nth}`)).join(' >> ');
  /** Visible as playwright means it: a box that is not empty, and not `visibility: hidden`. @param {Element} el */
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  /** The innermost element at a point, through open shadow roots. @param {number} x @param {number} y */
  const elementAt = (x, y) => {
    /** @type {Element | null} */
    let hit = document.elementFromPoint(x, y);
    while (hit?.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    return hit;
  };
  /** Whether `inner` is `outer` or inside it, through shadow roots. @param {Element} outer @param {Node | null} inner */
  const holds = (outer, inner) => {
    for (let node = inner; node; node = node.parentNode ?? /** @type {ShadowRoot} */ (node).host ?? null) if (node === outer) return true;
    return false;
  };
  /**
   * The one element `chain` names, once it meets `needs`; null if it did not before `until`.
   * More than one is an error, as in playwright's strict mode.
   * @param {{ selector: string, nth?: number }[]} chain
   * @param {{ visible?: boolean, enabled?: boolean, strict?: boolean }} needs
   * @param {number} until  a `performance.now()` deadline
   * @returns {Promise<Element | null>}
   */
  const element = async (chain, needs, until) => {
    for (;;) {
      const found = resolve(chain);
      if (found.length > 1 && needs.strict !== false) {
        throw new Error(`strict mode violation: ${describe(chain)} resolved to ${found.length} elements`);
      }
      const [el] = found;
      if (el && (!needs.visible || visible(el)) && (!needs.enabled || !el.matches(':disabled'))) return el;
      if (performance.now() >= until) return null;
      await new Promise((resolve) => setTimeout(resolve, 16));
    }
  };
  /**
   * Scrolls `el` into view if it is not, and returns its centre once nothing covers it there
   * (null: something does, for now).
   * @param {Element} el
   */
  const target = (el) => {
    let box = el.getBoundingClientRect();
    if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) {
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      box = el.getBoundingClientRect();
    }
    const x = Math.floor(box.left + box.width / 2);
    const y = Math.floor(box.top + box.height / 2);
    return holds(el, elementAt(x, y)) ? { x, y } : null;
  };
  return { PENDING, resolve, describe, visible, element, target, holds };
}

/** Values that JSON cannot carry, marked on the way out of the page and restored here. */
const SPECIAL = '__webpoolSpecial';

/** The page's side of that: JSON with undefined, NaN and the infinities kept. */
const ENCODE = `(value) => JSON.stringify(value, function (key, v) {
  const raw = this[key];
  if (raw === undefined) return { ${SPECIAL}: 'undefined' };
  if (typeof raw === 'number' && !Number.isFinite(raw)) return { ${SPECIAL}: String(raw) };
  if (typeof raw === 'bigint') return { ${SPECIAL}: 'bigint', value: String(raw) };
  return v;
})`;

/** @param {any} value @returns {any} */
function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    if (SPECIAL in value) {
      const kind = value[SPECIAL];
      if (kind === 'undefined') return undefined;
      if (kind === 'bigint') return BigInt(value.value);
      return Number(kind);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

/** @param {unknown} value */
const literal = (value) => (value === undefined ? 'undefined' : JSON.stringify(value));

/** `Control+Enter` as keys to hold. @param {string} combo */
const keysOf = (combo) => (combo === '+' ? ['+'] : combo.split('+'));

/**
 * A page of an engine that playwright-core does not drive, with the Page API's methods that
 * the tests use (same names, same arguments, same results).
 */
export class DrivenPage {
  /** @type {Driver} */
  #driver;
  /** @type {{ newPage: () => Promise<DrivenPage>, close: () => Promise<void> } | null} */
  #context;
  /** An action waits for this first (set while a `waitForEvent` gets ready). @type {Promise<unknown>} */
  #ready = Promise.resolve();
  /** Set once the page is closed: what still waits on it stops. */
  #closed = false;

  /** @param {Driver} driver @param {{ newPage: () => Promise<DrivenPage>, close: () => Promise<void> } | null} context */
  constructor(driver, context) {
    this.#driver = driver;
    this.#context = context;
    this.keyboard = {
      /** @param {string} key */
      press: async (key) => {
        await this.#ready;
        await this.seen('keyup', () => this.#driver.press(keysOf(key)));
      },
    };
    this.mouse = {
      /** @param {number} x @param {number} y */
      move: async (x, y) => { await this.#ready; await this.#driver.move(x, y); },
    };
  }

  /**
   * Gives input with `act`, and returns once the page has had its `type` event: a driver may
   * answer before the page has handled what it sent (Firefox's over BiDi did), and what a test
   * reads next must come after it.
   * @param {'keyup'} type @param {() => Promise<void>} act
   */
  async seen(type, act) {
    const id = `${type} ${Math.random()}`;
    await this.run(`(__h, type, id) => {
      (window.__webpoolInput ??= {})[id] = new Promise((resolve) => addEventListener(type, () => resolve(true), { once: true, capture: true }));
    }`, [type, id]);
    await act();
    const seen = await this.run(`async (__h, id) => {
      const seen = window.__webpoolInput?.[id];
      // Another document (the input navigated) has nothing to wait for.
      if (!seen) return true;
      delete window.__webpoolInput[id];
      return Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 5000, false))]);
    }`, [id]).catch(() => true);
    if (!seen) throw new Error(`the ${type} that ${this.#driver.engine}'s driver sent did not reach the page within 5 s`);
  }

  /** The engine's name. */
  get engine() { return this.#driver.engine; }

  /** @param {string} what */
  #unsupported(what) {
    return new Error(`${what} is not available on ${this.#driver.engine} (tests/e2e/engines/): skip the test there, with lacks() from tests/e2e/browser.mjs`);
  }

  /**
   * Runs `body(__h, ...args)` in the page, with the helpers as `__h`, and returns its value.
   * @param {string} body  a function's source
   * @param {unknown[]} args
   */
  async run(body, args = []) {
    // The helpers and the arguments have names that a test's function will not shadow.
    const expression = `(async () => {
      const __h = (${pageHelpers})();
      const __encode = ${ENCODE};
      return __encode(await (${body})(__h, ${args.map(literal).join(', ')}));
    })()`;
    const out = await this.#driver.evaluate(expression);
    return revive(JSON.parse(/** @type {string} */ (out)));
  }

  /**
   * Runs `body` (which returns `__h.PENDING` while what it waits for is not there) until it
   * answers or `timeout` ms have passed. `body` gets `(__h, until, ...args)`.
   * @param {string} body @param {unknown[]} args @param {number} timeout @param {string} what
   */
  async #until(body, args, timeout, what) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const round = Math.max(0, Math.min(ROUND_MS, deadline - Date.now()));
      const out = await this.run(`async (__h, __round, ...__args) => {
        const __value = await (${body})(__h, performance.now() + __round, ...__args);
        return __value === __h.PENDING ? { pending: true } : { value: __value };
      }`, [round, ...args]);
      if (!out.pending) return out.value;
      if (Date.now() >= deadline) throw new Error(`${what}: Timeout ${timeout}ms exceeded.`);
    }
  }

  /** @param {string} url */
  async goto(url) {
    await this.#driver.goto(url);
    return null;
  }

  /** @param {Function} fn @param {unknown} [arg] */
  evaluate(fn, arg) {
    return this.run(`(__h, __arg) => (${fn})(__arg)`, [arg]);
  }

  /**
   * Like playwright's: the value stays in the page, and `evaluate` on the handle gets it.
   * @param {Function} fn @param {unknown} [arg]
   */
  async evaluateHandle(fn, arg) {
    const id = await this.run(`async (__h, __arg) => {
      const __handles = (window.__webpoolHandles ??= []);
      __handles.push(await (${fn})(__arg));
      return __handles.length - 1;
    }`, [arg]);
    return {
      /** @param {Function} inner @param {unknown} [innerArg] */
      evaluate: (inner, innerArg) => this.run(`(__h, __id, __arg) => (${inner})(window.__webpoolHandles[__id], __arg)`, [id, innerArg]),
      jsonValue: () => this.run('(__h, __id) => window.__webpoolHandles[__id]', [id]),
    };
  }

  /**
   * Polls `fn(arg)` in the page until it returns something truthy; resolves with a handle to it.
   * @param {Function} fn @param {unknown} [arg] @param {{ timeout?: number }} [options]
   */
  async waitForFunction(fn, arg, { timeout = TIMEOUT } = {}) {
    await this.#ready;
    const value = await this.#until(`async (__h, __until, __arg) => {
      for (;;) {
        const __value = await (${fn})(__arg);
        if (__value) return __value;
        if (performance.now() >= __until) return __h.PENDING;
        await new Promise((resolve) => setTimeout(resolve, 16));
      }
    }`, [arg], timeout, 'page.waitForFunction');
    return { jsonValue: async () => value };
  }

  /** @param {string} selector */
  locator(selector) {
    return new Locator(this, [{ selector }]);
  }

  /** @param {string} selector @param {Function} fn @param {unknown} [arg] */
  $eval(selector, fn, arg) {
    return this.run(`(__h, __chain, __arg) => {
      const [__el] = __h.resolve(__chain);
      if (!__el) throw new Error('page.$eval: no element for ' + __h.describe(__chain));
      return (${fn})(__el, __arg);
    }`, [[{ selector }], arg]);
  }

  /** @param {string} selector @param {Function} fn @param {unknown} [arg] */
  $$eval(selector, fn, arg) {
    return this.run(`(__h, __chain, __arg) => (${fn})(__h.resolve(__chain), __arg)`, [[{ selector }], arg]);
  }

  /** @param {string} selector */
  textContent(selector) { return this.locator(selector).textContent(); }
  /** @param {string} selector */
  inputValue(selector) { return this.locator(selector).inputValue(); }
  /** @param {string} selector @param {string} name */
  getAttribute(selector, name) { return this.locator(selector).getAttribute(name); }
  /** @param {string} selector */
  isDisabled(selector) { return this.locator(selector).isDisabled(); }
  /** @param {string} selector */
  isVisible(selector) { return this.locator(selector).isVisible(); }
  /** @param {string} selector */
  click(selector) { return this.locator(selector).click(); }
  /** @param {string} selector @param {string} value */
  fill(selector, value) { return this.locator(selector).fill(value); }
  /** @param {string} selector */
  check(selector) { return this.locator(selector).check(); }
  /** @param {string} selector @param {string} value */
  selectOption(selector, value) { return this.locator(selector).selectOption(value); }
  /** @param {string} selector */
  focus(selector) { return this.locator(selector).focus(); }

  /**
   * Waits for the page's next `load`. Like playwright's, the promise is taken before the
   * action that causes it; the action waits until the old document is marked.
   * @param {string} event
   */
  waitForEvent(event) {
    if (event !== 'load') return Promise.reject(this.#unsupported(`page.waitForEvent('${event}')`));
    const mark = `load ${Math.random()}`;
    const marked = this.run('(__h, mark) => { window.__webpoolDocument = mark; }', [mark]);
    this.#ready = marked;
    return marked.then(async () => {
      const deadline = Date.now() + TIMEOUT;
      for (;;) {
        // While the old document unloads, a script may fail: the new one is asked next time.
        // WebKitWebDriver may never answer one that reaches it as the page reloads itself:
        // each poll has a bound, and an unanswered one counts as "not yet".
        const poll = this.run('(__h, mark) => window.__webpoolDocument !== mark && document.readyState === "complete"', [mark])
          .catch(() => false);
        const loaded = await Promise.race([poll, new Promise((resolve) => { setTimeout(resolve, POLL_MS, false); })]);
        if (loaded || this.#closed) return null;
        if (Date.now() >= deadline) throw new Error(`page.waitForEvent('load'): Timeout ${TIMEOUT}ms exceeded.`);
        await new Promise((resolve) => setTimeout(resolve, 16));
      }
    });
  }

  /**
   * `pageerror` (uncaught errors and unhandled rejections) and `dialog`.
   * @param {string} event @param {(value: any) => void} listener
   */
  on(event, listener) {
    if (event === 'pageerror') this.#driver.onPageError(listener);
    else if (event === 'dialog' && this.#driver.onDialog) this.#driver.onDialog(listener);
    else throw this.#unsupported(`page.on('${event}')`);
    return this;
  }

  /** Delivers the page errors that happened so far to the `pageerror` listeners. */
  flushErrors() { return this.#driver.flushErrors(); }

  /**
   * Playwright's glob: `**` any characters, `*` any but `/`.
   * @param {string} glob
   */
  static #pattern(glob) {
    const source = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
    return new RegExp(`^${source}$`);
  }

  /** @param {string} glob @param {RouteHandler} handler */
  async route(glob, handler) {
    if (!this.#driver.route) throw this.#unsupported('page.route');
    await this.#driver.route(DrivenPage.#pattern(glob), handler);
  }

  /** @param {string} glob */
  async unroute(glob) {
    if (!this.#driver.unroute) throw this.#unsupported('page.unroute');
    await this.#driver.unroute(DrivenPage.#pattern(glob));
  }

  workers() {
    if (!this.#driver.workers) throw this.#unsupported('page.workers');
    return this.#driver.workers();
  }

  /** @param {{ fullPage?: boolean, clip?: { x: number, y: number, width: number, height: number }, path?: string }} [options] */
  async screenshot({ fullPage, clip, path } = {}) {
    if (path) throw this.#unsupported('page.screenshot({ path })');
    return Buffer.from(await this.#driver.screenshot({ fullPage, clip }));
  }

  /** @param {{ width: number, height: number }} size */
  setViewportSize({ width, height }) { return this.#driver.setViewport(width, height); }

  context() {
    const context = this.#context;
    if (!context) throw this.#unsupported('page.context');
    return {
      ...context,
      newCDPSession: () => { throw this.#unsupported('the Chrome DevTools Protocol'); },
      grantPermissions: () => { throw this.#unsupported('context.grantPermissions'); },
    };
  }

  close() {
    this.#closed = true;
    return this.#driver.close();
  }

  /** Whatever an action waits for first. */
  get ready() { return this.#ready; }

  /** The driver's click, key and pointer input. */
  get input() { return this.#driver; }
}

/** Playwright's Locator, the part the tests use: a chain of selectors, resolved when used. */
export class Locator {
  /** @type {DrivenPage} */
  #page;
  /** @type {{ selector: string, nth?: number }[]} */
  #chain;

  /** @param {DrivenPage} page @param {{ selector: string, nth?: number }[]} chain */
  constructor(page, chain) {
    this.#page = page;
    this.#chain = chain;
  }

  /** @param {string} selector */
  locator(selector) { return new Locator(this.#page, [...this.#chain, { selector }]); }

  first() {
    const last = this.#chain[this.#chain.length - 1];
    return new Locator(this.#page, [...this.#chain.slice(0, -1), { ...last, nth: 0 }]);
  }

  /**
   * Waits for the element to meet `needs`, then runs `body(el, ...args)` on it in the page.
   * @param {string} what @param {{ visible?: boolean, enabled?: boolean, strict?: boolean }} needs
   * @param {string} body @param {unknown[]} [args] @param {number} [timeout]
   */
  async #on(what, needs, body, args = [], timeout = TIMEOUT) {
    await this.#page.ready;
    const deadline = Date.now() + timeout;
    for (;;) {
      const round = Math.max(0, Math.min(ROUND_MS, deadline - Date.now()));
      const out = await this.#page.run(`async (__h, __chain, __needs, __round, ...__args) => {
        const __el = await __h.element(__chain, __needs, performance.now() + __round);
        if (!__el) return { pending: true };
        return { value: await (${body})(__el, ...__args) };
      }`, [this.#chain, needs, round, ...args]);
      if (!out.pending) return out.value;
      if (Date.now() >= deadline) throw new Error(`locator.${what}: Timeout ${timeout}ms exceeded waiting for ${this.#describe()}`);
    }
  }

  #describe() {
    return this.#chain.map(({ selector, nth }) => (nth === undefined ? selector : `${selector} >> nth=${nth}`)).join(' >> ');
  }

  /**
   * Clicks the element, as playwright does: once it is visible, enabled and not covered, at
   * its centre; and if what the pointer reached is not the element after all (the page moved
   * in between), the events are stopped before the page sees them and the click is tried
   * again.
   * @param {string} what
   */
  async #click(what) {
    await this.#page.ready;
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      // The body sees the helpers as __h: its source is inside the script that has them.
      const point = await this.#on(what, { visible: true, enabled: true }, `(el) => {
        const point = __h.target(el);
        if (!point) return 'covered';
        const click = { missed: false };
        click.done = new Promise((resolve) => {
          click.stop = () => { for (const type of types) removeEventListener(type, check, true); resolve(); };
        });
        const types = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'];
        const check = (event) => {
          if (!__h.holds(el, event.composedPath()[0])) {
            click.missed = true;
            event.preventDefault();
            event.stopImmediatePropagation();
          }
          if (event.type === 'click') click.stop();
        };
        for (const type of types) addEventListener(type, check, true);
        window.__webpoolClick = click;
        return point;
      }`, [], Math.max(0, deadline - Date.now()));
      if (point !== 'covered') {
        await this.#page.input.click(point.x, point.y);
        const asked = this.#page.run(`async () => {
          const click = window.__webpoolClick;
          // Another document (the click navigated) has nothing to wait for.
          if (!click) return true;
          delete window.__webpoolClick;
          const came = await Promise.race([click.done.then(() => true), new Promise((resolve) => setTimeout(resolve, 5000, false))]);
          click.stop();
          if (!came) throw new Error('the click that the driver sent did not reach the page within 5 s');
          return !click.missed;
        }`).catch((error) => (/navigated/.test(String(error)) ? true : Promise.reject(error)));
        // The script answers within 5 s on a live page. WebKitWebDriver never answers one that
        // reaches it as the page reloads itself (a click that reloads): that page has gone.
        const hit = await Promise.race([asked, new Promise((resolve) => { setTimeout(resolve, 5000 + POLL_MS, true); })]);
        if (hit) return;
      }
      if (Date.now() >= deadline) throw new Error(`locator.${what}: Timeout ${TIMEOUT}ms exceeded: ${this.#describe()} is covered by another element`);
      await new Promise((resolve) => setTimeout(resolve, 16));
    }
  }

  /** @param {{ state?: 'visible' | 'attached', timeout?: number }} [options] */
  async waitFor({ state = 'visible', timeout = TIMEOUT } = {}) {
    await this.#on('waitFor', { visible: state === 'visible', strict: true }, '() => null', [], timeout);
  }

  /** @param {Function} fn @param {unknown} [arg] */
  evaluate(fn, arg) { return this.#on('evaluate', {}, `(__target, __arg) => (${fn})(__target, __arg)`, [arg]); }

  /** @param {Function} fn @param {unknown} [arg] */
  evaluateAll(fn, arg) {
    return this.#page.run(`(__h, __chain, __arg) => (${fn})(__h.resolve(__chain), __arg)`, [this.#chain, arg]);
  }

  /** How many elements it names now (no waiting). */
  count() {
    return this.#page.run('(__h, __chain) => __h.resolve(__chain).length', [this.#chain]);
  }

  textContent() { return this.#on('textContent', {}, '(el) => el.textContent'); }

  inputValue() {
    return this.#on('inputValue', {}, `(el) => {
      if (!('value' in el) || !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) throw new Error('Not an <input>, <textarea> or <select> element');
      return el.value;
    }`);
  }

  /** @param {string} name */
  getAttribute(name) { return this.#on('getAttribute', {}, '(el, name) => el.getAttribute(name)', [name]); }

  isDisabled() { return this.#on('isDisabled', {}, '(el) => el.matches(":disabled")'); }

  async isEnabled() { return !(await this.isDisabled()); }

  /** Does not wait, as playwright's does not. */
  isVisible() {
    return this.#page.run(`(__h, __chain) => {
      const [__el] = __h.resolve(__chain);
      return Boolean(__el && __h.visible(__el));
    }`, [this.#chain]);
  }

  focus() { return this.#on('focus', {}, '(el) => { el.focus(); }'); }

  /** Scrolls the element into view unless it is in view already. */
  async scrollIntoViewIfNeeded() {
    await this.#on('scrollIntoViewIfNeeded', { visible: true }, '(el) => { __h.target(el); }');
  }

  click() { return this.#click('click'); }

  /** Clicks a checkbox or radio button that is not checked yet, and checks that it is now. */
  async check() {
    if (await this.#on('check', {}, '(el) => el.checked')) return;
    await this.#click('check');
    if (!(await this.#on('check', {}, '(el) => el.checked'))) throw new Error(`locator.check: ${this.#describe()} did not become checked`);
  }

  /** Focuses the element and presses `key` (e.g. 'Enter', 'Control+Enter'). @param {string} key */
  async press(key) {
    await this.focus();
    await this.#page.keyboard.press(key);
  }

  /**
   * As playwright's: focus, select all, insert the text as typing would (input events), or
   * delete it all for ''. Where the browser's editing command does not reach the field, the
   * value is set and an input event sent.
   * @param {string} value
   */
  fill(value) {
    return this.#on('fill', { visible: true, enabled: true }, `(el, value) => {
      if (!['INPUT', 'TEXTAREA'].includes(el.tagName) && !el.isContentEditable) throw new Error('Element is not an <input>, <textarea> or [contenteditable] element');
      el.focus();
      if ('select' in el) el.select();
      const edited = value === '' ? document.execCommand('delete') : document.execCommand('insertText', false, value);
      if (!edited || el.value !== value) {
        el.value = value;
        el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: value }));
      }
    }`, [value]);
  }

  /**
   * As playwright's: selects the option whose value (or else label) is `value`, and sends
   * input and change.
   * @param {string} value
   */
  selectOption(value) {
    return this.#on('selectOption', { enabled: true }, `(el, value) => {
      if (el.tagName !== 'SELECT') throw new Error('Element is not a <select> element');
      const option = [...el.options].find((o) => o.value === value) ?? [...el.options].find((o) => o.label === value);
      if (!option) throw new Error('no option ' + JSON.stringify(value));
      option.selected = true;
      el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return [option.value];
    }`, [value]);
  }
}
