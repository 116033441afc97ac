// The live log: one line per task event, in the tutorial's words, added once per animation
// frame at most. Only the last few hundred lines stay in the page; the rest are counted.

import { clockTime, count } from './format.js';
import { taskStarted, taskStopped } from './sentences.js';

/**
 * @typedef {object} LogLine
 * @property {number | null} at     ms on the run's clock (null: not a task event)
 * @property {number | null} worker the worker, from 0
 * @property {string | (() => string)} text  (a function is only called for lines that are shown)
 * @property {'start' | 'end' | 'note' | 'error'} kind
 */

/** More new lines than this at a flush is a flood: nobody reads them one by one. */
const FLOOD_LINES = 40;
/** In a flood the log is drawn at most this often (ms), only its newest FLOOD_LINES. */
const FLOOD_MS = 250;

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
    /** The newest lines (up to twice maxLines between flushes), drawn or not. @type {LogLine[]} */
    this.recent = [];
    /** Lines added or counted since the last drawing. */
    this.pending = 0;
    /** Of those, the lines added (in `recent`), not counted only. */
    this.unshown = 0;
    /** Lines added in all, drawn, counted or built. */
    this.total = 0;
    /** Whether the list shows only the newest lines of a flood, not all it keeps. */
    this.partial = false;
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
    this.recent = [];
    this.pending = 0;
    this.unshown = 0;
    this.total = 0;
    this.partial = false;
    this.list.replaceChildren();
    this.#showOmitted();
  }

  /** Adds a line; it appears with the next animation frame. @param {LogLine} line */
  add(line) {
    this.total += 1;
    this.pending += 1;
    this.unshown += 1;
    this.recent.push(line);
    // Lines that would scroll out before they are drawn are never built.
    if (this.recent.length > 2 * this.maxLines) this.recent.splice(0, this.recent.length - this.maxLines);
    this.#schedule();
  }

  /**
   * Counts `n` lines that would scroll out before they could be seen, without building
   * them: a batch of thousands of events shows only its last lines.
   * @param {number} n
   */
  skip(n) {
    if (n <= 0) return;
    this.total += n;
    this.pending += n;
    this.#schedule();
  }

  /**
   * The lines of a batch of the API's task events: a start for each task, and an end for
   * each that did not finish (cancelled or failed); only those the log can show are built,
   * the earlier ones counted. `kernel` names what the tasks compute; `offset` (ms) places
   * the batch's times on the log's clock.
   * @param {import('../webpool.js').TaskBatch} batch @param {string} kernel @param {number} [offset]
   */
  addBatch(batch, kernel, offset = 0) {
    const line = (/** @type {number} */ i) => batch.isStart(i) || batch.status(i) !== 'done';
    let lines = 0;
    for (let i = 0; i < batch.length; i++) if (line(i)) lines += 1;
    let from = batch.length;
    let shown = 0;
    while (from > 0 && shown < this.maxLines) if (line(--from)) shown += 1;
    this.skip(lines - shown);
    for (let i = from; i < batch.length; i++) {
      const n = batch.end(i) - batch.first(i);
      const task = batch.task(i);
      if (batch.isStart(i)) {
        this.add({ at: offset + batch.start(i), worker: batch.worker(i), kind: 'start', text: () => taskStarted(kernel, batch.inputs(i), n, task) });
      } else if (line(i)) {
        const status = batch.status(i);
        this.add({ at: offset + batch.finish(i), worker: batch.worker(i), kind: status === 'cancelled' ? 'end' : 'error', text: taskStopped(task, status, batch.done(i), n) });
      }
    }
  }

  #schedule() {
    if (!this.held) this.frame ||= requestAnimationFrame(() => this.flush(false));
  }

  /**
   * Holds the lines (`true`) until {@link flush}, keeping the last `maxLines`, or shows them
   * as they come again (`false`): a measured run is not slowed by drawing its log.
   * @param {boolean} held
   */
  hold(held) {
    this.held = held;
    if (!held && this.pending) this.#schedule();
  }

  /**
   * Draws the lines added since the last drawing. In a stream of lines, about ten times a
   * second; in a flood (many tasks a frame), four times a second and only the newest few:
   * nobody reads faster, and the page stays light. At the end ({@link flush} with no
   * argument) the log shows all it keeps.
   * @param {boolean} [now] at once and whole, whatever the rate
   */
  flush(now = true) {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.pending && !(now && this.partial)) return;
    if (!now && this.held) return;
    const time = performance.now();
    const flood = !now && this.pending > FLOOD_LINES;
    const wait = flood ? FLOOD_MS : this.pending > 20 ? 100 : 0;
    if (!now && time - this.lastFlush < wait) {
      this.frame = requestAnimationFrame(() => this.flush(false));
      return;
    }
    this.lastFlush = time;
    if (this.recent.length > this.maxLines) this.recent.splice(0, this.recent.length - this.maxLines);
    const fresh = Math.min(this.unshown, this.recent.length);
    this.pending = 0;
    this.unshown = 0;
    const fragment = document.createDocumentFragment();
    if (flood || this.partial || fresh >= this.maxLines) {
      const lines = this.recent.slice(flood ? -FLOOD_LINES : 0);
      for (const line of lines) fragment.append(render(line));
      this.list.replaceChildren(fragment);
      this.partial = flood;
    } else {
      for (const line of this.recent.slice(this.recent.length - fresh)) fragment.append(render(line));
      this.list.append(fragment);
      let excess = this.list.childElementCount - this.maxLines;
      while (excess-- > 0) this.list.firstElementChild?.remove();
    }
    this.#showOmitted();
    const box = this.list.parentElement;
    if (this.follow && box) box.scrollTop = box.scrollHeight;
  }

  #showOmitted() {
    const dropped = this.total - this.list.childElementCount;
    this.omitted.hidden = dropped <= 0;
    this.omitted.textContent = dropped > 0
      ? `${count(dropped)} earlier ${dropped === 1 ? 'line is' : 'lines are'} not shown (the log keeps the last ${count(this.maxLines)}).`
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
