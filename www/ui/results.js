// Results as Python prints them: `[1, 4, 9, 16, 25]`, or the tutorial's `Squares: [...]` and
// `Cubes: [...]` lines. Large runs (no `values` on the MapResult) get a summary from `head`
// and `tail` and buttons to copy or download everything; nothing puts a million strings
// in the page.

import { codeOf, messageOf } from './errors.js';
import { count, plural, pythonList } from './format.js';

/**
 * One kernel's run, finished or stopped.
 * @typedef {object} Part
 * @property {'square' | 'cube' | 'collatz'} kernel
 * @property {string} heading    `Squares` / `Cubes` when the run has both, else ''
 * @property {import('../webpool.js').MapResult} result
 */

const NAMES = { square: 'squares', cube: 'cubes', collatz: 'Collatz steps' };
/** The codes that say a result's values are no longer in the engine. */
const GONE = new Set(['released', 'restarted', 'crashed', 'closed']);

export class ResultsView {
  /** @param {HTMLElement} box */
  constructor(box) {
    this.box = box;
    /** @type {import('../webpool.js').MapResult[]} */
    this.held = [];
  }

  /** Forgets the shown results and frees them in the engine. */
  clear(message = '') {
    for (const result of this.held) result.release();
    this.held = [];
    const p = document.createElement('p');
    p.className = 'results-placeholder';
    p.textContent = message;
    this.box.replaceChildren(...(message ? [p] : []));
  }

  /** @param {Part[]} parts */
  show(parts) {
    this.clear();
    this.held = parts.map((p) => p.result);
    const lines = document.createElement('pre');
    lines.id = 'results-output';
    lines.className = 'results-lines';
    const blocks = [];
    /** @type {string[]} */
    const text = [];
    for (const part of parts) {
      const { result, heading } = part;
      const partial = result.report.status !== 'done';
      const prefix = heading ? `${heading}: ` : '';
      if (result.values) {
        text.push(`${prefix}${pythonList(partial ? withGaps(result.values) : /** @type {string[]} every value of a finished run */ (result.values))}`);
      } else {
        blocks.push(this.#large(part));
      }
    }
    lines.textContent = text.join('\n');
    lines.dataset.lines = String(text.length);
    if (text.length) this.box.append(lines);
    this.box.append(...blocks);
    const gaps = parts.some((p) => p.result.report.status !== 'done' && p.result.values);
    if (gaps) this.box.append(note('… marks numbers that were not computed.'));
  }

  /** The summary and the copy / download buttons of a large run. @param {Part} part */
  #large({ kernel, result, heading }) {
    const box = document.createElement('div');
    box.className = 'results-large';
    box.dataset.kernel = kernel;
    const what = NAMES[kernel];
    const file = `${what.toLowerCase().replaceAll(' ', '-')}.txt`;
    if (heading) {
      const h = document.createElement('h3');
      h.textContent = heading;
      box.append(h);
    }
    const summary = document.createElement('dl');
    summary.className = 'results-summary';
    const partial = result.report.status !== 'done';
    for (const [term, value] of [
      ['Count', `${count(result.length)} ${what}${partial ? ` of ${count(result.report.items)} numbers` : ''}`],
      ['First', result.head.join(', ')],
      ['Last', result.tail.join(', ')],
    ]) {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.field = term.toLowerCase();
      summary.append(dt, dd);
    }
    const buttons = document.createElement('div');
    buttons.className = 'button-row';
    const copy = button(`Copy all ${what}`, 'copy');
    const download = button(`Download ${file}`, 'download');
    const said = document.createElement('p');
    said.className = 'action-status';
    said.setAttribute('role', 'status');
    buttons.append(copy, download);
    box.append(summary, buttons, said);

    /** @param {HTMLButtonElement} which @param {(text: string) => Promise<string>} act */
    const run = async (which, act) => {
      which.disabled = true;
      said.textContent = `Fetching ${plural(result.length, 'line')} from the engine…`;
      try {
        said.textContent = await act(await result.text());
      } catch (error) {
        said.textContent = GONE.has(codeOf(error) ?? '')
          ? 'These results are gone: the engine that held them stopped since (a lesson or a larger pool needed more threads, or it crashed). Run again to get them.'
          : `That did not work: ${messageOf(error)}`;
      } finally {
        which.disabled = false;
      }
    };
    copy.addEventListener('click', () => run(copy, async (text) => {
      await navigator.clipboard.writeText(text);
      return `Copied ${plural(result.length, 'line')} (${megabytes(text.length)}) to the clipboard.`;
    }));
    download.addEventListener('click', () => run(download, async (text) => {
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      // The download has its own copy once it started; the URL can go a little later.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return `Saved ${file}: ${plural(result.length, 'line')}, ${megabytes(text.length)}.`;
    }));
    return box;
  }
}

/**
 * A partial run's values with one `…` for each stretch of items that were not computed.
 * @param {(string | null)[]} values
 */
function withGaps(values) {
  /** @type {string[]} */
  const out = [];
  values.forEach((v, i) => {
    if (v !== null) out.push(v);
    else if (i === 0 || values[i - 1] !== null) out.push('…');
  });
  return out;
}

/** @param {string} text @param {string} action */
function button(text, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.action = action;
  return b;
}

/** @param {string} text */
function note(text) {
  const p = document.createElement('p');
  p.className = 'results-note';
  p.textContent = text;
  return p;
}

/** @param {number} chars */
function megabytes(chars) {
  return chars < 1e6 ? `${Math.max(1, Math.round(chars / 1e3))} kB` : `${(chars / 1e6).toFixed(1)} MB`;
}
