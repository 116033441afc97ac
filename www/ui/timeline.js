// The timeline: one lane per worker, one bar per task, on a time axis, drawn in SVG.
// While a run goes on, running tasks are open bars that grow up to "now".
//
// Tests and assistive technology read it without pixels: the <svg> has
// data-lanes / data-tasks / data-running / data-rounds / data-state and an accessible
// name (the caption's summary sentence); every bar is a <rect class="bar"> with
// data-run, data-task, data-worker (from 0, as the API counts), data-first, data-end
// (input indexes), data-start, data-finish (ms on the timeline's clock) and data-status.

import { count, duration, plural, tickLabel } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Above this many tasks, neighbouring bars of a lane are drawn as one span. */
const MAX_BARS = 600;
const NICE = [1, 1.5, 2, 3, 4, 5, 6, 8];
let ids = 0;

/**
 * @typedef {object} Bar
 * @property {number} run      which run of this timeline (0 for the first)
 * @property {number} task
 * @property {number} worker   from 0
 * @property {number} start    ms since its run started
 * @property {number | null} finish  null while it runs
 * @property {'running' | 'done' | 'cancelled' | 'failed'} status
 * @property {string | (() => string)} label  what it computes (or how to say it, when drawn)
 * @property {number} [first]  its first input index
 * @property {number} [end]    the index after its last
 */

export class Timeline {
  /**
   * @param {HTMLElement} figure  an empty <figure>
   * @param {{ compact?: boolean, empty?: string }} [options]
   */
  constructor(figure, { compact = false, empty = 'Nothing has run yet.' } = {}) {
    this.figure = figure;
    this.compact = compact;
    this.emptyText = empty;
    const id = `timeline-${++ids}`;
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-labelledby', `${id}-caption`);
    this.svg.classList.add('timeline-svg');
    this.caption = document.createElement('figcaption');
    this.caption.id = `${id}-caption`;
    this.caption.className = 'timeline-summary';
    figure.classList.add('timeline');
    figure.replaceChildren(this.svg, this.caption);
    this.width = 0;
    // Set by reset(); declared here so that their types are known everywhere.
    this.lanes = 0;
    this.open = 0;
    this.now = 0;
    this.endMs = 0;
    this.frame = 0;
    this.pending = 0;
    /** @type {'idle' | 'running' | 'done' | 'cancelled' | 'failed'} */
    this.state = 'idle';
    new ResizeObserver(() => {
      if (this.figure.clientWidth !== this.width) this.render();
    }).observe(figure);
    this.reset(0);
  }

  /**
   * Starts again with `lanes` empty lanes.
   * @param {number} lanes
   */
  reset(lanes) {
    this.stopLive();
    this.lanes = lanes;
    /** @type {Map<number, Bar>} keyed by run and task */
    this.bars = new Map();
    /** Tasks started and not yet ended. */
    this.open = 0;
    /** @type {Map<number, number>} tasks per (run, worker) */
    this.perLaneRun = new Map();
    /** @type {number[]} the most tasks one worker ran in each run: its rounds */
    this.roundsPerRun = [];
    /** @type {Bar[][]} bars of each lane, in the order they started */
    this.byLane = [];
    /** @type {{ offset: number, label: string }[]} */
    this.runs = [];
    this.state = 'idle';
    this.endMs = 0;
    this.now = 0;
    this.render();
  }

  /** Places run `run` at `offset` ms on the timeline, named `label` (optional). */
  setRun(/** @type {number} */ run, /** @type {number} */ offset, label = '') {
    this.runs[run] = { offset, label };
    this.#dirty();
  }

  /** A task started or ended. @param {Bar} bar */
  update(bar) {
    const key = bar.run * 2 ** 32 + bar.task;
    const known = this.bars.get(key);
    if (known) {
      if (known.finish === null && bar.finish !== null) this.open -= 1;
      Object.assign(known, bar);
    } else {
      const stored = { ...bar };
      this.bars.set(key, stored);
      if (bar.finish === null) this.open += 1;
      (this.byLane[bar.worker] ??= []).push(stored);
      if (bar.worker >= this.lanes) this.lanes = bar.worker + 1;
      const laneRun = bar.run * 65536 + bar.worker;
      const n = (this.perLaneRun.get(laneRun) ?? 0) + 1;
      this.perLaneRun.set(laneRun, n);
      this.roundsPerRun[bar.run] = Math.max(this.roundsPerRun[bar.run] ?? 0, n);
    }
    if (this.state === 'idle') this.state = 'running';
    this.#dirty();
  }

  /**
   * Redraws every animation frame until {@link finish}, with open bars up to `now()`
   * (ms on the timeline's clock).
   * @param {() => number} now
   */
  live(now) {
    this.stopLive();
    this.state = 'running';
    let drawn = 0;
    const tick = (/** @type {number} */ time) => {
      // Very many tasks: a few frames a second is enough, and keeps the page light.
      if (this.bars.size <= MAX_BARS || time - drawn > 150) {
        drawn = time;
        this.now = Math.max(this.now, now());
        this.render();
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  stopLive() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /**
   * The run is over: open bars stop growing (a cancelled run may leave none open).
   * @param {'done' | 'cancelled' | 'failed'} state
   * @param {number} [endMs] where the axis ends (default: the last task's end)
   */
  finish(state, endMs) {
    this.stopLive();
    this.state = state;
    for (const bar of this.bars.values()) {
      if (bar.finish === null) {
        bar.finish = Math.max(bar.start, this.now - this.#offset(bar.run));
        bar.status = state === 'done' ? 'done' : 'cancelled';
        this.open -= 1;
      }
    }
    this.endMs = endMs ?? 0;
    this.render();
  }

  #dirty() {
    if (this.frame || this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  /** @param {number} run */
  #offset(run) {
    return this.runs[run]?.offset ?? 0;
  }

  /** Where a bar ends on the timeline's clock (open bars: now). @param {Bar} bar */
  #end(bar) {
    const offset = this.#offset(bar.run);
    return bar.finish === null ? Math.max(offset + bar.start, this.now) : offset + bar.finish;
  }

  /** Draws everything again at the figure's width. */
  render() {
    const width = Math.max(260, this.figure.clientWidth || 640);
    this.width = this.figure.clientWidth;
    const narrow = width < 480;
    const laneH = this.compact ? 20 : 28;
    const gap = this.compact ? 4 : 6;
    const labelled = this.runs.filter((r) => r?.label).length > 1;
    const top = 24 + (labelled ? 18 : 0);
    const gutter = narrow || this.compact ? 34 : 74;
    const right = 14;
    const lanes = Math.max(this.lanes, 1);
    const height = top + lanes * (laneH + gap) + 2;

    // A worker's tasks follow one another, so each lane's last bar ends it.
    let last = 0;
    for (const bars of this.byLane) if (bars?.length) last = Math.max(last, this.#end(bars[bars.length - 1]));
    const done = this.state !== 'running' && this.state !== 'idle';
    const span = done ? Math.max(this.endMs, last) : Math.max(last, this.now);
    const domain = done ? Math.max(span, 1) : niceCeil(Math.max(span * 1.08, 10));
    const plot = width - gutter - right;
    const x = (/** @type {number} */ ms) => gutter + (ms / domain) * plot;

    const svg = this.svg;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    const parts = document.createDocumentFragment();

    // Lanes and their labels.
    for (let lane = 0; lane < lanes; lane++) {
      const y = top + lane * (laneH + gap);
      parts.append(el('rect', { class: 'lane-bg', x: gutter, y, width: plot, height: laneH, rx: 3 }));
      const label = el('text', { class: 'lane-label', x: gutter - 6, y: y + laneH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' });
      label.textContent = narrow || this.compact ? `w${lane + 1}` : `worker ${lane + 1}`;
      parts.append(label);
    }

    // The time axis.
    const step = tickStep(domain, Math.max(2, Math.floor(plot / (narrow ? 60 : 90))));
    const axisY = top - 6;
    parts.append(el('line', { class: 'axis', x1: gutter, x2: gutter + plot, y1: axisY, y2: axisY }));
    for (let t = 0; t <= domain + step * 1e-9; t += step) {
      const tx = x(t);
      parts.append(el('line', { class: 'grid', x1: tx, x2: tx, y1: axisY, y2: height - 2 }));
      const label = el('text', { class: 'tick', x: tx, y: axisY - 5, 'text-anchor': t === 0 ? 'start' : tx > width - 30 ? 'end' : 'middle' });
      label.textContent = tickLabel(t, step);
      parts.append(label);
    }

    // Where each run starts when a timeline holds several (square, then cube), named if known.
    if (this.runs.filter(Boolean).length > 1) {
      this.runs.forEach((run, i) => {
        if (!run) return;
        const next = this.runs[i + 1];
        const end = next ? next.offset : span;
        const rx = x(run.offset);
        parts.append(el('line', { class: 'run-edge', x1: rx, x2: rx, y1: labelled ? 2 : axisY, y2: height - 2 }));
        if (labelled && x(end) - rx > 50) {
          const label = el('text', { class: 'run-label', x: rx + 4, y: 12 });
          label.textContent = run.label;
          parts.append(label);
        }
      });
    }

    // The bars, or for very many tasks one span per stretch of neighbouring bars.
    const merged = this.bars.size > MAX_BARS;
    this.byLane.forEach((bars, lane) => {
      const y = top + lane * (laneH + gap) + 2;
      const h = laneH - 4;
      if (merged) {
        for (const spanBar of mergeSpans(bars, (b) => this.#offset(b.run) + b.start, (b) => this.#end(b), domain / plot)) {
          const r = el('rect', { class: 'bar span', x: x(spanBar.from), y, width: Math.max(1, x(spanBar.to) - x(spanBar.from)), height: h, rx: 2 });
          r.dataset.worker = String(lane);
          r.dataset.tasks = String(spanBar.tasks);
          r.style.setProperty('--lane', `var(--lane-${lane % 8})`);
          parts.append(r);
        }
        return;
      }
      for (const bar of bars) {
        const from = this.#offset(bar.run) + bar.start;
        const to = this.#end(bar);
        const bx = x(from);
        const bw = Math.max(2, x(to) - bx - 1);
        const r = el('rect', { class: `bar ${bar.status} run-${bar.run % 2}`, x: bx, y, width: bw, height: h, rx: 3 });
        Object.assign(r.dataset, {
          run: String(bar.run), task: String(bar.task), worker: String(bar.worker), status: bar.status,
          start: bar.start.toFixed(1), finish: bar.finish === null ? '' : bar.finish.toFixed(1),
          ...(bar.first === undefined ? {} : { first: String(bar.first), end: String(bar.end) }),
        });
        r.style.setProperty('--lane', `var(--lane-${lane % 8})`);
        if (typeof bar.label === 'function') bar.label = bar.label();
        const tip = el('title', {});
        tip.textContent = `worker ${lane + 1}: ${bar.label} (task ${bar.task}), `
          + (bar.finish === null ? `running since ${duration(bar.start)}` : `${duration(bar.start)} to ${duration(bar.finish)}, ${bar.status}`);
        r.append(tip);
        parts.append(r);
        if (bar.label && bw > bar.label.length * 6.6 + 8) {
          const t = el('text', { class: 'bar-label', x: bx + 5, y: y + h / 2, 'dominant-baseline': 'central' });
          t.textContent = bar.label;
          parts.append(t);
        }
      }
    });

    if (this.state === 'running' && this.now > 0) {
      const nx = x(this.now);
      parts.append(el('line', { class: 'now', x1: nx, x2: nx, y1: axisY, y2: height - 2 }));
    }

    svg.replaceChildren(parts);
    const running = this.open;
    const rounds = Math.max(0, ...this.roundsPerRun.filter((n) => n !== undefined));
    Object.assign(svg.dataset, {
      lanes: String(this.lanes), tasks: String(this.bars.size), running: String(running),
      rounds: String(rounds), state: this.state, merged: String(merged), now: this.now.toFixed(0),
    });
    const summary = this.#summary(running, rounds, span, merged);
    if (this.caption.textContent !== summary) this.caption.textContent = summary;
  }

  /** The sentence that says what the picture shows. */
  #summary(/** @type {number} */ running, /** @type {number} */ rounds, /** @type {number} */ span, /** @type {boolean} */ merged) {
    const n = this.bars.size;
    if (n === 0) return this.state === 'running' ? 'Waiting for the first task to start…' : this.emptyText;
    const workers = plural(this.lanes, 'worker');
    if (this.state === 'running') {
      return `Running: ${count(n - running)} of the ${plural(n, 'task')} started so far have finished; ${count(running)} running now on ${workers}.`;
    }
    const perLane = Array.from({ length: this.lanes }, (_, i) => `worker ${i + 1} ran ${plural(this.byLane[i]?.length ?? 0, 'task')}`);
    const how = this.state === 'done' ? '' : ` (${this.state})`;
    const lanes = perLane.length <= 8 ? `: ${perLane.join(', ')}` : '';
    const perRun = this.roundsPerRun.filter((n) => n !== undefined);
    const runs = perRun.length;
    const same = perRun.every((r) => r === rounds);
    const inRounds = runs > 1 ? `in ${runs} runs of ${same ? '' : 'up to '}${plural(rounds, 'round')}${same ? ' each' : ''}` : `in ${plural(rounds, 'round')}`;
    return `${workers} ran ${plural(n, 'task')} ${inRounds} over ${duration(span)}${how}${lanes}.`
      + (merged ? ' Neighbouring tasks are drawn as one bar.' : '');
  }
}

/** @param {string} name @param {Record<string, string | number>} attrs */
function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** The next "nice" number (1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k) at or above `ms`. @param {number} ms */
function niceCeil(ms) {
  const p = 10 ** Math.floor(Math.log10(ms));
  for (const n of NICE) if (n * p >= ms) return n * p;
  return 10 * p;
}

/** A tick step (1, 2 or 5 × 10^k ms) giving at most `max` ticks over `domain`. */
function tickStep(/** @type {number} */ domain, /** @type {number} */ max) {
  const rough = domain / max;
  const p = 10 ** Math.floor(Math.log10(rough));
  for (const n of [1, 2, 5, 10]) if (n * p >= rough) return n * p;
  return 10 * p;
}

/**
 * Joins bars of one lane that touch at this scale (less than a pixel apart).
 * @param {Bar[]} bars @param {(b: Bar) => number} from @param {(b: Bar) => number} to
 * @param {number} msPerPixel
 */
function mergeSpans(bars, from, to, msPerPixel) {
  /** @type {{ from: number, to: number, tasks: number }[]} */
  const spans = [];
  for (const bar of bars) {
    const a = from(bar);
    const b = to(bar);
    const lastSpan = spans[spans.length - 1];
    if (lastSpan && a - lastSpan.to < msPerPixel) {
      lastSpan.to = Math.max(lastSpan.to, b);
      lastSpan.tasks += 1;
    } else {
      spans.push({ from: a, to: b, tasks: 1 });
    }
  }
  return spans;
}
