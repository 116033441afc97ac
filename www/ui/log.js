// The live log: one line per task event, in the tutorial's words, added once per animation
// frame. Only the last few hundred lines stay in the page; the rest are counted.

import { clockTime, count } from './format.js';

/**
 * @typedef {object} LogLine
 * @property {number | null} at     ms on the run's clock (null: not a task event)
 * @property {number | null} worker the worker, from 0
 * @property {string | (() => string)} text  (a function is only called for lines that are shown)
 * @property {'start' | 'end' | 'note' | 'error'} kind
 */

export class TaskLog {
  /**
   * @param {HTMLElement} list     an <ol> for the lines
   * @param {HTMLElement} omitted  where to say how many earlier lines are not shown
   * @param {{ maxLines?: number }} [options]
   */
  constructor(list, omitted, { maxLines = 300 } = {}) {
    this.list = list;
    this.omitted = omitted;
    this.maxLines = maxLines;
    /** @type {LogLine[]} */
    this.queue = [];
    this.dropped = 0;
    this.total = 0;
    this.frame = 0;
    this.lastFlush = 0;
    /** While held, lines wait (a bounded tail) for {@link flush}: see {@link hold}. */
    this.held = false;
    /** Whether the view follows new lines (the person has not scrolled up). */
    this.follow = true;
    const box = list.parentElement;
    box?.addEventListener('scroll', () => {
      this.follow = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    }, { passive: true });
  }

  /** Empties the log. */
  clear() {
    this.follow = true;
    this.queue = [];
    this.dropped = 0;
    this.total = 0;
    this.list.replaceChildren();
    this.#showOmitted();
  }

  /** Adds a line; it appears with the next animation frame. @param {LogLine} line */
  add(line) {
    this.total += 1;
    this.queue.push(line);
    // Lines that would scroll out within this frame are never built.
    if (this.queue.length > 2 * this.maxLines) {
      const extra = this.queue.length - this.maxLines;
      this.queue.splice(0, extra);
      this.dropped += extra;
    }
    if (!this.held) this.frame ||= requestAnimationFrame(() => this.flush(false));
  }

  /**
   * Holds the lines (`true`) until {@link flush}, keeping the last `maxLines`, or shows them
   * as they come again (`false`): a measured run is not slowed by drawing its log.
   * @param {boolean} held
   */
  hold(held) {
    this.held = held;
    if (!held && this.queue.length) this.frame ||= requestAnimationFrame(() => this.flush(false));
  }

  /**
   * Writes the waiting lines. In a flood of lines (many tasks a frame) only about ten
   * times a second: nobody reads faster, and the page stays light.
   * @param {boolean} [now] at once, whatever the rate
   */
  flush(now = true) {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.queue.length) return;
    const time = performance.now();
    if (!now && this.held) return;
    if (!now && this.queue.length > 20 && time - this.lastFlush < 100) {
      this.frame = requestAnimationFrame(() => this.flush(false));
      return;
    }
    this.lastFlush = time;
    const box = this.list.parentElement;
    let lines = this.queue;
    this.queue = [];
    if (lines.length > this.maxLines) {
      this.dropped += lines.length - this.maxLines;
      lines = lines.slice(-this.maxLines);
    }
    const fragment = document.createDocumentFragment();
    for (const line of lines) fragment.append(render(line));
    if (lines.length >= this.maxLines) {
      this.dropped += this.list.childElementCount;
      this.list.replaceChildren(fragment);
    } else {
      this.list.append(fragment);
      let excess = this.list.childElementCount - this.maxLines;
      while (excess-- > 0) {
        this.list.firstElementChild?.remove();
        this.dropped += 1;
      }
    }
    this.#showOmitted();
    if (this.follow && box) box.scrollTop = box.scrollHeight;
  }

  #showOmitted() {
    this.omitted.hidden = this.dropped === 0;
    this.omitted.textContent = this.dropped
      ? `${count(this.dropped)} earlier ${this.dropped === 1 ? 'line is' : 'lines are'} not shown (the log keeps the last ${count(this.maxLines)}).`
      : '';
  }
}

/** @param {LogLine} line */
function render(line) {
  const li = document.createElement('li');
  li.className = `log-${line.kind}`;
  const time = document.createElement('span');
  time.className = 'log-time';
  time.textContent = line.at === null ? '' : clockTime(line.at);
  const who = document.createElement('span');
  who.className = 'log-worker';
  if (line.worker !== null) {
    who.textContent = `worker ${line.worker + 1}`;
    who.dataset.worker = String(line.worker);
    who.style.setProperty('--lane', `var(--lane-${line.worker % 8})`);
  }
  const text = document.createElement('span');
  text.className = 'log-text';
  text.textContent = typeof line.text === 'function' ? line.text() : line.text;
  li.append(time, who, text);
  return li;
}
