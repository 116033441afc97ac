// A stand-in for the few DOM methods the page's pure helpers build with (createElement,
// createDocumentFragment, append, textContent, a table's rows), so that node can run them
// without a browser. Every way of parsing a string as HTML throws: a helper that tried
// would fail its test rather than pass it. `html()` prints what was built, escaping text
// as a browser's serializer does, so a test can compare the markup a reader would get.

const ESCAPES = /** @type {Record<string, string>} */ ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' });
const escape = (/** @type {string} */ text) => text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
const escapeAttribute = (/** @type {string} */ text) => text.replace(/[&"]/g, (c) => ESCAPES[c] ?? c);

const parsesHtml = () => {
  throw new Error('the helper parsed a string as HTML');
};

class FakeText {
  /** @param {string} data */
  constructor(data) {
    this.data = data;
    /** @type {FakeParent | null} */
    this.parentNode = null;
  }

  get textContent() {
    return this.data;
  }
}

class FakeParent {
  constructor() {
    /** @type {(FakeElement | FakeText)[]} */
    this.childNodes = [];
    /** @type {FakeParent | null} */
    this.parentNode = null;
  }

  /** @returns {string} */
  get textContent() {
    return this.childNodes.map((child) => child.textContent).join('');
  }

  /** @param {string} text */
  set textContent(text) {
    this.replaceChildren(...(text ? [String(text)] : []));
  }

  /** As the DOM's: strings become text nodes, a fragment gives up its children. @param {...(FakeNode | string)} nodes */
  append(...nodes) {
    for (const node of nodes) {
      if (typeof node === 'string') {
        this.#adopt(new FakeText(node));
      } else if (node instanceof FakeFragment) {
        for (const child of node.childNodes) this.#adopt(child);
        node.childNodes = [];
      } else {
        node.parentNode?.childNodes.splice(node.parentNode.childNodes.indexOf(node), 1);
        this.#adopt(node);
      }
    }
  }

  /** @param {...(FakeNode | string)} nodes */
  replaceChildren(...nodes) {
    for (const child of this.childNodes) child.parentNode = null;
    this.childNodes = [];
    this.append(...nodes);
  }

  /** @param {FakeElement | FakeText} node */
  #adopt(node) {
    node.parentNode = this;
    this.childNodes.push(node);
  }

  /** @param {string} _html */
  set innerHTML(_html) {
    parsesHtml();
  }

  get innerHTML() {
    return this.childNodes.map(serialize).join('');
  }

  insertAdjacentHTML() {
    parsesHtml();
  }
}

class FakeFragment extends FakeParent {}

class FakeElement extends FakeParent {
  /** @param {string} tagName */
  constructor(tagName) {
    super();
    this.tagName = tagName.toUpperCase();
    this.className = '';
    /** A table cell's `scope`: `''` unless set. */
    this.scope = '';
    /** `-1` unless set, as for most elements. */
    this.tabIndex = -1;
  }

  /** @param {string} _html */
  set outerHTML(_html) {
    parsesHtml();
  }

  /** A table's `<thead>`, made on first call, as `HTMLTableElement.createTHead()`. */
  createTHead() {
    let head = this.childNodes.find((c) => c instanceof FakeElement && c.tagName === 'THEAD');
    if (!head) {
      head = new FakeElement('thead');
      this.childNodes.unshift(head);
      head.parentNode = this;
    }
    return /** @type {FakeElement} */ (head);
  }

  /** A new `<tbody>` at the end, as `HTMLTableElement.createTBody()`. */
  createTBody() {
    const body = new FakeElement('tbody');
    this.append(body);
    return body;
  }

  /** A new `<tr>` at the end of a `<thead>` or `<tbody>`. */
  insertRow() {
    const row = new FakeElement('tr');
    this.append(row);
    return row;
  }
}

/** @typedef {FakeElement | FakeText | FakeFragment} FakeNode */

/** @param {FakeNode} node @returns {string} */
function serialize(node) {
  if (node instanceof FakeText) return escape(node.data);
  const children = node.childNodes.map(serialize).join('');
  if (node instanceof FakeFragment) return children;
  const tag = node.tagName.toLowerCase();
  let attributes = '';
  if (node.className) attributes += ` class="${escapeAttribute(node.className)}"`;
  if (node.scope) attributes += ` scope="${escapeAttribute(node.scope)}"`;
  if (node.tabIndex >= 0) attributes += ` tabindex="${node.tabIndex}"`;
  return `<${tag}${attributes}>${children}</${tag}>`;
}

/**
 * Puts a fresh `document` on `globalThis` and returns it with the tag name of every element
 * made through it, in order.
 */
export function installDocument() {
  /** @type {string[]} */
  const created = [];
  const document = {
    created,
    createElement: (/** @type {string} */ tagName) => {
      created.push(tagName.toLowerCase());
      return new FakeElement(tagName);
    },
    createDocumentFragment: () => new FakeFragment(),
    createRange: () => ({ createContextualFragment: parsesHtml }),
    write: parsesHtml,
    writeln: parsesHtml,
  };
  Object.defineProperty(globalThis, 'document', { value: document, configurable: true, writable: true });
  return document;
}

/** A new `<code>` element, typed as the helpers expect. */
export function codeElement() {
  return /** @type {HTMLElement} */ (/** @type {unknown} */ (new FakeElement('code')));
}

/**
 * The markup of what a helper built, text escaped.
 * @param {HTMLElement | DocumentFragment} node  one of ours, typed as the helpers type it
 */
export function html(node) {
  return serialize(/** @type {FakeNode} */ (/** @type {unknown} */ (node)));
}

/**
 * The text of what a helper built, as `textContent` gives it.
 * @param {HTMLElement | DocumentFragment} node
 */
export function text(node) {
  return /** @type {FakeNode} */ (/** @type {unknown} */ (node)).textContent;
}

/**
 * The markup of what a helper put inside `element`, text escaped.
 * @param {HTMLElement} element  one of ours
 */
export function innerHtml(element) {
  return /** @type {FakeElement} */ (/** @type {unknown} */ (element)).childNodes.map(serialize).join('');
}
