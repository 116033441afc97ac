// A run's view: its state line, progress, results, live log, timeline and timings. The
// session (app.js) calls the pool; this module only shows what the calls tell it. A run of
// "square, then cube" is two pool runs, drawn on one timeline and shown as one.

import { RunClock } from './clock.js';
import { count, plural } from './format.js';
import { short } from './labels.js';
import { TaskLog } from './log.js';
import { ResultsView } from './results.js';
import { describeWork, resultsOf, runOutcome, running } from './sentences.js';
import { Timeline } from './timeline.js';
import { TimingsView } from './timings.js';

/** @typedef {import('../webpool.js').TaskBatch} TaskBatch */
/** @typedef {import('../webpool.js').Work} Work */
/** @typedef {import('./results.js').Part} Part */
/** @typedef {import('./sentences.js').RunStatus} RunStatus */

/**
 * What is about to run.
 * @typedef {object} Plan
 * @property {('square' | 'cube' | 'collatz')[]} kernels  one pool run each, in this order
 * @property {number} items     numbers per pool run
 * @property {number} tasks     tasks per pool run
 * @property {number} workers
 * @property {Work} work
 * @property {string} [purpose] e.g. `measuring on 1 worker`
 * @property {boolean} [measured] its wall time is measured: the log and the timeline are
 *   drawn when it ends, not while it runs, so that drawing takes no time from the workers
 */

/**
 * The elements of the view, from the page.
 * @typedef {object} RunElements
 * @property {HTMLElement} state  the run's state line (a status region)
 * @property {HTMLProgressElement} progress
 * @property {HTMLElement} progressText
 * @property {HTMLElement} results
 * @property {HTMLElement} log
 * @property {HTMLElement} logOmitted
 * @property {HTMLElement} timeline
 * @property {{ wall: HTMLElement, busy: HTMLElement, speedup: HTMLElement, scaling: HTMLElement, why: HTMLElement }} timings
 */

/** The least time between two drawings of the progress bar (ms). */
const PROGRESS_MS = 100;

export class RunView {
  /** @param {RunElements} els @param {number} cores */
  constructor(els, cores) {
    this.els = els;
    this.log = new TaskLog(els.log, els.logOmitted);
    this.timeline = new Timeline(els.timeline, { empty: 'Nothing has run yet: the timeline fills when you press Run.' });
    this.results = new ResultsView(els.results);
    this.timings = new TimingsView(els.timings, cores);
    this.progressFrame = 0;
    this.progressDrawn = 0;
    this.progressNow = { done: 0, total: 0 };
    this.results.clear('The results appear here, in input order, as Python prints them.');
  }

  /** The state line: `state` for scripts and styles, `text` for people. @param {string} state @param {string} text */
  say(state, text) {
    this.els.state.dataset.state = state;
    this.els.state.textContent = text;
  }

  /** What the state line says now (`idle`, `running`, `done`, …). */
  get saying() {
    return this.els.state.dataset.state ?? '';
  }

  /**
   * Clears the view for `plan` and returns the run as shown, to feed its events and its end.
   * @param {Plan} plan
   */
  begin(plan) {
    this.results.clear('Running…');
    this.log.clear();
    this.timings.clear();
    this.timeline.reset(plan.workers);
    this.timeline.hold(Boolean(plan.measured));
    this.log.hold(Boolean(plan.measured));
    this.progress(0, plan.tasks * plan.kernels.length);
    this.say('running', running({ what: what(plan.kernels), items: plan.items, workers: plan.workers, work: describeWork(plan.work), purpose: plan.purpose }));
    return new ShownRun(this, plan);
  }

  /**
   * The run stopped before it had results to show: cancelled while the pool was getting
   * ready, or the pool could not run it (its engine went away, say).
   * @param {string} message @param {{ cancelled?: boolean }} [how]
   */
  fail(message, { cancelled = false } = {}) {
    this.#release();
    this.timeline.finish(cancelled ? 'cancelled' : 'failed');
    this.results.clear();
    const text = cancelled ? 'Cancelled before it began: nothing was computed.' : `The run stopped: ${message}.`;
    this.say(cancelled ? 'cancelled' : 'failed', text);
    this.log.add({ at: null, worker: null, kind: cancelled ? 'end' : 'error', text });
    this.log.flush();
  }

  /** Draws again as things happen (after a measured run). */
  #release() {
    this.timeline.hold(false);
    this.log.hold(false);
  }

  /** Lets the log and timeline draw again. */
  release() {
    this.#release();
  }

  /**
   * Tasks done of total, drawn with a frame at most ten times a second: many may end within
   * one, and a bar that moves faster tells nobody more.
   * @param {number} done @param {number} total
   */
  progress(done, total) {
    this.progressNow = { done, total };
    if (this.progressFrame) return;
    const wait = Math.max(0, this.progressDrawn + PROGRESS_MS - performance.now());
    this.progressFrame = setTimeout(() => requestAnimationFrame(() => {
      this.progressFrame = 0;
      this.drawProgress();
    }), wait);
  }

  /** Draws the progress bar as it stands, now (a run's end is shown at once). */
  drawProgress() {
    this.progressDrawn = performance.now();
    const { progress, progressText } = this.els;
    const now = this.progressNow;
    progress.max = Math.max(now.total, 1);
    progress.value = now.done;
    progress.dataset.done = String(now.done);
    progress.dataset.total = String(now.total);
    progressText.textContent = `${count(now.done)} of ${plural(now.total, 'task')} done`;
  }
}

/** One run as the view shows it: each pool run's events, then its end. */
class ShownRun {
  /** @param {RunView} view @param {Plan} plan */
  constructor(view, plan) {
    this.view = view;
    this.plan = plan;
    this.finished = 0;
    /** Each pool run's clock as seen from the page, to grow its open bars up to "now". @type {RunClock[]} */
    this.clocks = [];
    this.current = 0;
    this.total = plan.tasks * plan.kernels.length;
    /** Each pool run's results, as they end. @type {Part[]} */
    this.parts = [];
    const { timeline } = view;
    timeline.live(() => (timeline.runs[this.current]?.offset ?? 0) + (this.clocks[this.current]?.now() ?? 0));
  }

  /**
   * The task listener of pool run `index` (its kernel: `plan.kernels[index]`), for the
   * API's `onTasks`: its work per batch is a loop over numbers, plus the log lines and bars
   * that can be seen.
   * @param {number} index
   * @returns {(batch: TaskBatch) => void}
   */
  tasks(index) {
    const { timeline, log } = this.view;
    const kernel = this.plan.kernels[index];
    const label = this.plan.kernels.length > 1 ? kernel : '';
    const clock = new RunClock();
    this.clocks[index] = clock;
    this.current = index;
    // Until its report says exactly when it started, a later run is placed by the page's
    // clock: when its first events arrived, after the first run's start.
    const origin = this.parts[0]?.result.report.startedAt;
    const place = () => timeline.setRun(index, origin === undefined ? 0 : clock.epoch - origin, label);
    place();
    return (batch) => {
      clock.observe(batch.latest);
      if (index > 0) place();
      const offset = timeline.runs[index]?.offset ?? 0;
      timeline.addBatch(index, batch, (i) => () => short(batch.inputs(i), batch.end(i) - batch.first(i)));
      log.addBatch(batch, kernel, offset);
      let ends = 0;
      for (let i = 0; i < batch.length; i++) if (!batch.isStart(i)) ends += 1;
      this.finished += ends;
      this.view.progress(this.finished, this.total);
    };
  }

  /**
   * The next pool run ended with `result` (complete or not).
   * @param {import('../webpool.js').MapResult} result
   */
  add(result) {
    const kernel = this.plan.kernels[this.parts.length];
    const heading = this.plan.kernels.length > 1 ? (kernel === 'square' ? 'Squares' : 'Cubes') : '';
    this.parts.push({ kernel, heading, result });
  }

  /**
   * The run could not go on (the pool failed it without results): frees what the pool runs
   * before computed, since nothing will show it.
   */
  abandon() {
    for (const part of this.parts) part.result.release();
    this.parts = [];
    this.view.release();
    this.view.timeline.finish('failed');
  }

  /**
   * Shows the end: every pool run's results, the timeline in place, the timings, one sentence.
   * Call it after at least one {@link add}.
   * @param {Error | null} stopped what stopped the last pool run (a RunError), or null
   * @returns {{ status: RunStatus, wallMs: number }}
   */
  end(stopped) {
    const { timeline, results, timings, log } = this.view;
    const { plan, parts } = this;
    const label = (/** @type {number} */ i) => (plan.kernels.length > 1 ? plan.kernels[i] : '');
    // Exact places on the shared clock, now that every pool run has told when it started.
    const origin = parts[0].result.report.startedAt;
    parts.forEach((part, i) => timeline.setRun(i, part.result.report.startedAt - origin, label(i)));
    const last = parts[parts.length - 1].result.report;
    const wallMs = last.startedAt + last.wallMs - origin;
    const status = stopped ? /** @type {RunStatus} */ (last.status) : 'done';
    this.view.release();
    this.view.drawProgress();
    timeline.finish(status === 'done' || status === 'cancelled' ? status : 'failed', wallMs);
    results.show(parts);
    /** @type {number[]} */
    const busyMs = Array.from({ length: plan.workers }, () => 0);
    for (const part of parts) part.result.report.busyMs.forEach((ms, i) => { busyMs[i] = (busyMs[i] ?? 0) + ms; });
    timings.show({ wallMs, busyMs, workers: plan.workers, items: plan.items, what: what(plan.kernels), work: describeWork(plan.work) });

    const computed = parts.reduce((n, part) => n + part.result.length, 0);
    const sentence = runOutcome({
      status, computed, wanted: plan.items * plan.kernels.length, ms: wallMs, workers: plan.workers, error: stopped?.message,
    });
    this.view.say(status, sentence);
    log.add({ at: wallMs, worker: null, kind: status === 'done' ? 'note' : status === 'cancelled' ? 'end' : 'error', text: sentence });
    log.flush();
    return { status, wallMs };
  }
}

/** `squares`, `cubes`, `Collatz steps`, or `squares, then cubes`. @param {('square' | 'cube' | 'collatz')[]} kernels */
function what(kernels) {
  return kernels.map(resultsOf).join(', then ');
}
