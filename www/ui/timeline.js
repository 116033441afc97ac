// The timeline: one lane per worker, one bar per task, on a time axis, drawn in SVG.
// While a run goes on, running tasks are open bars that grow up to "now".
//
// Tests and assistive technology read it without pixels: the <svg> has
// data-lanes / data-tasks / data-running / data-rounds / data-state and an accessible
// name (the caption's summary sentence); every bar is a <rect class="bar"> with
// data-run, data-task, data-worker (from 0, as the API counts), data-first, data-end
// (input indexes), data-start, data-finish (ms on the timeline's clock) and data-status.
// Above MAX_BARS tasks the bars are spans of neighbouring tasks per worker,
// <rect class="bar span"> with data-worker and data-tasks; the <svg> has
// data-merged="true" and the caption says so.
//
// A live run is drawn in place, at most once every LIVE_MS: its bars sit in a group whose
// transform maps ms to pixels (a new time domain is one attribute), new bars are appended,
// ended ones changed, running ones widened, and the axis has about a dozen ticks; spans stay
// fewer than MAX_SPANS per worker. A bar's title is added when it ends; labels when the run
// ends, with one full drawing (as on a resize). Past MAX_BARS tasks no object is kept per
// task either: each lane keeps its tasks' times in a typed array, so that a run of a million
// tasks costs the page a few numbers each (see {@link Timeline#addBatch}).

import { count, duration, plural, tickLabel } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Above this many tasks, neighbouring bars of a lane are drawn as one span. */
const MAX_BARS = 600;
/** While live, the most spans a lane holds before neighbouring ones are joined. */
const MAX_SPANS = 200;
/** While live, the least time between two drawings (ms): 20 a second at most. */
const LIVE_MS = 50;
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

/**
 * Neighbouring tasks of one lane, drawn as one bar while live (ms on the timeline's clock).
 * @typedef {{ lane: number, from: number, to: number, tasks: number, el: SVGElement | null }} Span
 */

/**
 * The drawing's sizes at the figure's width.
 * @typedef {{ width: number, narrow: boolean, laneH: number, gap: number, labelled: boolean, top: number,
 *   gutter: number, plot: number, lanes: number, height: number }} Geometry
 */

/**
 * The live drawing's parts and geometry, kept between frames.
 * @typedef {object} Live
 * @property {SVGElement} scaled  bars, in ms, under a transform to pixels
 * @property {SVGElement} axis    the ticks and grid lines
 * @property {SVGElement} edges   where each run starts
 * @property {SVGElement} now
 * @property {number} width
 * @property {number} lanes
 * @property {number} domain       ms across the plot
 * @property {number} gutter
 * @property {number} plot         px across the plot
 * @property {number} top
 * @property {number} laneH
 * @property {number} gap
 * @property {boolean} merged      whether it draws spans
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
    this.tasks = 0;
    this.open = 0;
    /** @type {number[]} */
    this.laneTasks = [];
    /** @type {number[]} */
    this.roundsPerRun = [];
    this.now = 0;
    this.endMs = 0;
    this.rounds = 0;
    this.last = 0;
    this.joinMs = 0;
    this.frame = 0;
    this.pending = 0;
    /** While held, a live run is not drawn (its events are kept): see {@link hold}. */
    this.held = false;
    /** @type {(() => number) | undefined} "now" on the timeline's clock, while live */
    this.nowFn = undefined;
    /** @type {FrameRequestCallback | undefined} the live drawing's frame callback */
    this.tick = undefined;
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
    /** @type {Map<number, Bar>} keyed by run and task, until there are too many to draw one by one */
    this.bars = new Map();
    /** Tasks seen, and those started and not yet ended. */
    this.tasks = 0;
    this.open = 0;
    /** @type {number[][]} tasks of each run on each lane */
    this.perRunLane = [];
    /** @type {number[]} the most tasks one worker ran in each run: its rounds */
    this.roundsPerRun = [];
    this.rounds = 0;
    /** @type {Bar[][]} bars of each lane, in the order they started (until merged) */
    this.byLane = [];
    /** @type {number[]} tasks of each lane */
    this.laneTasks = [];
    /**
     * Once merged, each lane's ended tasks as (run, start, finish) triples, and its open
     * task's run and start: what a final drawing needs, with no object per task.
     * @type {LaneTimes[]}
     */
    this.laneTimes = [];
    /** @type {{ offset: number, label: string }[]} */
    this.runs = [];
    this.state = 'idle';
    this.endMs = 0;
    this.now = 0;
    /** The latest start or end of a task, on the timeline's clock. */
    this.last = 0;
    /** @type {Live | null} */
    this.drawing = null;
    /** @type {Bar[]} bars not drawn yet */
    this.fresh = [];
    /** @type {Set<Bar>} drawn bars that ended since the last drawing */
    this.ended = new Set();
    /** @type {Set<Bar>} */
    this.running = new Set();
    /** @type {Map<Bar, SVGElement>} */
    this.rects = new Map();
    /** @type {Span[][]} each lane's spans, once merged */
    this.spans = [];
    /** @type {number[]} tasks running on each lane */
    this.openPerLane = [];
    /** @type {Set<Span>} spans changed since the last drawing */
    this.changedSpans = new Set();
    /** Spans of a lane less than this apart (ms) are joined. */
    this.joinMs = 0;
    this.render();
  }

  /** Places run `run` at `offset` ms on the timeline, named `label` (optional). */
  setRun(/** @type {number} */ run, /** @type {number} */ offset, label = '') {
    const known = this.runs[run];
    this.runs[run] = { offset, label };
    if (known?.offset === offset && known.label === label) return;
    // A new run edge: drawn with the next frame (bars drawn already keep their place).
    if (this.drawing && !known) this.drawing.domain = -1;
    this.#dirty();
  }

  /** Whether there are more tasks than can be drawn one by one. */
  get merged() {
    return this.tasks > MAX_BARS;
  }

  /**
   * Every event of a batch from the API, for run `run`: one bar each while there are few
   * tasks, then a few numbers each. `label(i)` says what event i's task computes; it is
   * only asked for tasks drawn one by one.
   * @param {number} run @param {import('../webpool.js').TaskBatch} batch
   * @param {(i: number) => string | (() => string)} label
   */
  addBatch(run, batch, label) {
    const offset = this.#offset(run);
    for (let i = 0; i < batch.length; i++) {
      const started = batch.isStart(i);
      if (!this.merged) {
        this.update({
          run, task: batch.task(i), worker: batch.worker(i), start: batch.start(i), finish: started ? null : batch.finish(i),
          status: barStatus(batch.status(i)), label: started ? label(i) : '', first: batch.first(i), end: batch.end(i),
        });
      } else if (started) {
        this.#started(run, batch.worker(i), batch.start(i), offset);
      } else {
        this.#ended(run, batch.worker(i), batch.start(i), batch.finish(i), offset);
      }
    }
    if (this.state === 'idle') this.state = 'running';
    this.#dirty();
  }

  /** A new task on `worker`: counted, for lanes and rounds. @param {number} run @param {number} worker */
  #count(run, worker) {
    this.tasks += 1;
    if (worker >= this.lanes) this.lanes = worker + 1;
    this.laneTasks[worker] = (this.laneTasks[worker] ?? 0) + 1;
    const lanes = (this.perRunLane[run] ??= []);
    const n = (lanes[worker] = (lanes[worker] ?? 0) + 1);
    if (n > (this.roundsPerRun[run] ?? 0)) this.roundsPerRun[run] = n;
    if (n > this.rounds) this.rounds = n;
  }

  /** Merged: a task started. @param {number} run @param {number} worker @param {number} start @param {number} offset */
  #started(run, worker, start, offset) {
    this.#count(run, worker);
    this.open += 1;
    this.openPerLane[worker] = (this.openPerLane[worker] ?? 0) + 1;
    const times = this.#times(worker);
    times.openRun = run;
    times.openStart = start;
    if (offset + start > this.last) this.last = offset + start;
    this.#joinAt(worker, offset + start, offset + start, true);
  }

  /**
   * Merged: a task ended.
   * @param {number} run @param {number} worker @param {number} start @param {number} finish @param {number} offset
   */
  #ended(run, worker, start, finish, offset) {
    if (this.openPerLane[worker] > 0) {
      this.open -= 1;
      this.openPerLane[worker] -= 1;
    }
    this.#times(worker).push(run, start, finish);
    if (offset + finish > this.last) this.last = offset + finish;
    this.#joinAt(worker, offset + start, offset + finish, false);
  }

  /** @param {number} lane */
  #times(lane) {
    return (this.laneTimes[lane] ??= new LaneTimes());
  }

  /** A task started or ended. @param {Bar} bar */
  update(bar) {
    if (this.merged) {
      const offset = this.#offset(bar.run);
      if (bar.finish === null) this.#started(bar.run, bar.worker, bar.start, offset);
      else this.#ended(bar.run, bar.worker, bar.start, bar.finish, offset);
      this.#dirty();
      return;
    }
    const key = bar.run * 2 ** 32 + bar.task;
    const known = this.bars.get(key);
    const offset = this.#offset(bar.run);
    /** @type {Bar} */
    let stored;
    if (known) {
      const ends = known.finish === null && bar.finish !== null;
      const { label } = known;
      Object.assign(known, bar);
      // An end names no inputs: the bar keeps what its start said.
      if (!bar.label) known.label = label;
      stored = known;
      if (ends) {
        this.open -= 1;
        this.running.delete(known);
        this.openPerLane[known.worker] -= 1;
        if (this.rects.has(known)) this.ended.add(known);
      }
    } else {
      stored = { ...bar };
      this.bars.set(key, stored);
      if (bar.finish === null) {
        this.open += 1;
        this.running.add(stored);
        this.openPerLane[bar.worker] = (this.openPerLane[bar.worker] ?? 0) + 1;
      }
      (this.byLane[bar.worker] ??= []).push(stored);
      this.#count(bar.run, bar.worker);
    }
    this.last = Math.max(this.last, offset + (stored.finish ?? stored.start));
    if (this.merged) this.#merge();
    else if (!known) this.fresh.push(stored);
    if (this.state === 'idle') this.state = 'running';
    this.#dirty();
  }

  /**
   * Bars become spans from now on, once: the bars so far are joined, and kept as lane times
   * instead of objects.
   */
  #merge() {
    this.fresh = [];
    this.ended.clear();
    this.rects.clear();
    this.running.clear();
    this.spans = [];
    this.joinMs = this.drawing ? Math.max(this.drawing.domain, 10) / this.drawing.plot : 0.01;
    this.byLane.forEach((bars, lane) => {
      const times = this.#times(lane);
      for (const bar of bars ?? []) {
        const offset = this.#offset(bar.run);
        if (bar.finish === null) {
          times.openRun = bar.run;
          times.openStart = bar.start;
        } else {
          times.push(bar.run, bar.start, bar.finish);
        }
        this.#joinAt(lane, offset + bar.start, offset + (bar.finish ?? bar.start), true);
      }
    });
    this.bars.clear();
    this.byLane = [];
    if (this.drawing) this.drawing.lanes = -1; // drawn anew with the next frame
  }

  /**
   * Adds a task to its lane's spans, from `from` to `to` on the timeline's clock: a new
   * one, or one that ended.
   * @param {number} lane @param {number} from @param {number} to @param {boolean} isNew
   */
  #joinAt(lane, from, to, isNew) {
    const spans = (this.spans[lane] ??= []);
    const last = spans[spans.length - 1];
    // A worker's tasks follow one another: a bar that ends is in its lane's last span.
    if (last && (!isNew || from - last.to < this.joinMs)) {
      last.to = Math.max(last.to, to);
      if (isNew) last.tasks += 1;
      this.changedSpans.add(last);
      return;
    }
    /** @type {Span} */
    const span = { lane, from, to, tasks: 1, el: null };
    spans.push(span);
    this.changedSpans.add(span);
    if (spans.length > MAX_SPANS) this.#coarsen();
  }

  /** Too many spans: joins neighbours twice as far apart, on every lane, and draws them anew. */
  #coarsen() {
    this.joinMs *= 2;
    this.spans = this.spans.map((spans) => {
      /** @type {Span[]} */
      const joined = [];
      for (const span of spans ?? []) {
        const last = joined[joined.length - 1];
        if (last && span.from - last.to < this.joinMs) {
          last.to = Math.max(last.to, span.to);
          last.tasks += span.tasks;
        } else {
          joined.push({ ...span, el: null });
        }
      }
      return joined;
    });
    this.changedSpans.clear();
    if (this.drawing) this.drawing.lanes = -1;
  }

  /**
   * Draws the run live until {@link finish}, at most every LIVE_MS, with open bars up to
   * `now()` (ms on the timeline's clock).
   * @param {() => number} now
   */
  live(now) {
    this.stopLive();
    this.state = 'running';
    this.nowFn = now;
    let drawn = -Infinity;
    const tick = (/** @type {number} */ time) => {
      // Held, it asks for no frame at all: a page that asks for none makes none.
      if (this.held) {
        this.frame = 0;
        return;
      }
      if (time - drawn >= LIVE_MS) {
        drawn = time;
        this.#draw();
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.tick = tick;
    this.frame = requestAnimationFrame(tick);
  }

  /**
   * Holds the live drawing (`true`), keeping every event, or lets it go on (`false`). A page
   * measuring a run's speed holds it so that drawing takes nothing from the workers timed.
   * @param {boolean} held
   */
  hold(held) {
    this.held = held;
    if (held || this.state !== 'running') return;
    if (this.tick && !this.frame) this.frame = requestAnimationFrame(this.tick);
    else this.#dirty();
  }

  /** Draws what has happened so far once, even while held (between measured runs, say). */
  drawNow() {
    if (this.state === 'running') this.#draw();
    else this.render();
  }

  stopLive() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.tick = undefined;
  }

  /**
   * The run is over: open bars stop growing (a cancelled run may leave none open).
   * @param {'done' | 'cancelled' | 'failed'} state
   * @param {number} [endMs] where the axis ends (default: the last task's end)
   */
  finish(state, endMs) {
    this.stopLive();
    this.state = state;
    for (const bar of this.running) {
      bar.finish = Math.max(bar.start, this.now - this.#offset(bar.run));
      bar.status = state === 'done' ? 'done' : 'cancelled';
      this.open -= 1;
    }
    this.running.clear();
    // Merged, each lane's open task ends now too.
    this.openPerLane.forEach((open, lane) => {
      const times = this.laneTimes[lane];
      if (open > 0 && times) times.push(times.openRun, times.openStart, Math.max(times.openStart, this.now - this.#offset(times.openRun)));
    });
    if (this.merged) this.open = 0;
    this.openPerLane = [];
    this.endMs = endMs ?? 0;
    this.render();
  }

  #dirty() {
    if (this.frame || this.pending || this.held) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.drawNow();
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

  /** The sizes of the drawing at the figure's width. */
  #geometry() {
    const width = Math.max(260, this.figure.clientWidth || 640);
    const narrow = width < 480;
    const laneH = this.compact ? 20 : 28;
    const gap = this.compact ? 4 : 6;
    const labelled = this.runs.filter((r) => r?.label).length > 1;
    const top = 24 + (labelled ? 18 : 0);
    const gutter = narrow || this.compact ? 34 : 74;
    const right = 14;
    const lanes = Math.max(this.lanes, 1);
    const height = top + lanes * (laneH + gap) + 2;
    return { width, narrow, laneH, gap, labelled, top, gutter, plot: width - gutter - right, lanes, height };
  }

  /** The lanes' backgrounds and names. @param {Geometry} g @param {DocumentFragment} parts */
  #lanes(g, parts) {
    for (let lane = 0; lane < g.lanes; lane++) {
      const y = g.top + lane * (g.laneH + g.gap);
      parts.append(el('rect', { class: 'lane-bg', x: g.gutter, y, width: g.plot, height: g.laneH, rx: 3 }));
      const label = el('text', { class: 'lane-label', x: g.gutter - 6, y: y + g.laneH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' });
      label.textContent = g.narrow || this.compact ? `w${lane + 1}` : `worker ${lane + 1}`;
      parts.append(label);
    }
  }

  /**
   * The time axis over `domain` ms, and where each run starts.
   * @param {Geometry} g @param {number} domain @param {number} span
   * @param {Node & ParentNode} axisParts @param {Node & ParentNode} edgeParts
   */
  #axis(g, domain, span, axisParts, edgeParts) {
    const x = (/** @type {number} */ ms) => g.gutter + (ms / domain) * g.plot;
    const step = tickStep(domain, Math.max(2, Math.floor(g.plot / (g.narrow ? 60 : 90))));
    const axisY = g.top - 6;
    axisParts.append(el('line', { class: 'axis', x1: g.gutter, x2: g.gutter + g.plot, y1: axisY, y2: axisY }));
    for (let t = 0; t <= domain + step * 1e-9; t += step) {
      const tx = x(t);
      axisParts.append(el('line', { class: 'grid', x1: tx, x2: tx, y1: axisY, y2: g.height - 2 }));
      const label = el('text', { class: 'tick', x: tx, y: axisY - 5, 'text-anchor': t === 0 ? 'start' : tx > g.width - 30 ? 'end' : 'middle' });
      label.textContent = tickLabel(t, step);
      axisParts.append(label);
    }
    // Where each run starts when a timeline holds several (square, then cube), named if known.
    if (this.runs.filter(Boolean).length > 1) {
      this.runs.forEach((run, i) => {
        if (!run) return;
        const next = this.runs[i + 1];
        const end = next ? next.offset : span;
        const rx = x(run.offset);
        edgeParts.append(el('line', { class: 'run-edge', x1: rx, x2: rx, y1: g.labelled ? 2 : axisY, y2: g.height - 2 }));
        if (g.labelled && x(end) - rx > 50) {
          const label = el('text', { class: 'run-label', x: rx + 4, y: 12 });
          label.textContent = run.label;
          edgeParts.append(label);
        }
      });
    }
  }

  /**
   * One live frame: only what changed since the last. Its work is bounded by the bars
   * drawn one by one (at most MAX_BARS in a run) or the spans (MAX_SPANS a lane), never by
   * the number of tasks.
   */
  #draw() {
    this.now = Math.max(this.now, this.nowFn?.() ?? 0);
    const g = this.#geometry();
    const merged = this.merged;
    let d = this.drawing;
    if (!d || d.width !== g.width || d.lanes !== g.lanes || d.merged !== merged) d = this.#build(g, merged);
    const span = Math.max(this.last, this.now);
    const domain = niceCeil(Math.max(span * 1.08, 10));
    if (domain !== d.domain) {
      d.domain = domain;
      d.scaled.setAttribute('transform', `translate(${g.gutter} 0) scale(${g.plot / domain} 1)`);
      d.axis.replaceChildren();
      d.edges.replaceChildren();
      this.#axis(g, domain, span, d.axis, d.edges);
    }
    const pxMs = domain / g.plot;
    const laneY = (/** @type {number} */ lane) => g.top + lane * (g.laneH + g.gap) + 2;
    if (merged) {
      for (const s of this.changedSpans) this.#drawSpan(d, s, laneY, pxMs);
      this.changedSpans.clear();
      // Spans with a running task reach now.
      this.spans.forEach((spans, lane) => {
        const lastSpan = spans?.[spans.length - 1];
        if (lastSpan?.el && this.openPerLane[lane] > 0) {
          lastSpan.el.setAttribute('width', String(Math.max(pxMs, this.now - lastSpan.from)));
        }
      });
    } else {
      for (const bar of this.fresh) {
        const lane = bar.worker;
        const r = el('rect', { class: '', x: this.#offset(bar.run) + bar.start, y: laneY(lane), width: 0, height: g.laneH - 4 });
        r.style.setProperty('--lane', `var(--lane-${lane % 8})`);
        Object.assign(r.dataset, {
          run: String(bar.run), task: String(bar.task), worker: String(bar.worker), start: bar.start.toFixed(1),
          ...(bar.first === undefined ? {} : { first: String(bar.first), end: String(bar.end) }),
        });
        this.rects.set(bar, r);
        d.scaled.append(r);
        this.#shape(bar, r, pxMs);
      }
      this.fresh = [];
      for (const bar of this.ended) {
        const r = this.rects.get(bar);
        if (r) {
          this.#shape(bar, r, pxMs);
          r.append(this.#title(bar));
        }
      }
      this.ended.clear();
      for (const bar of this.running) {
        const r = this.rects.get(bar);
        if (r) r.setAttribute('width', String(Math.max(pxMs * 1.5, this.now - this.#offset(bar.run) - bar.start - pxMs)));
      }
    }
    const nx = g.gutter + (this.now / domain) * g.plot;
    d.now.setAttribute('x1', String(nx));
    d.now.setAttribute('x2', String(nx));
    d.now.style.display = this.now > 0 ? '' : 'none';
    this.#describe(merged, span);
  }

  /** A bar's class, status, end and width. @param {Bar} bar @param {SVGElement} r @param {number} pxMs */
  #shape(bar, r, pxMs) {
    r.setAttribute('class', `bar ${bar.status} run-${bar.run % 2}`);
    r.dataset.status = bar.status;
    r.dataset.finish = bar.finish === null ? '' : bar.finish.toFixed(1);
    const to = bar.finish === null ? Math.max(bar.start, this.now - this.#offset(bar.run)) : bar.finish;
    r.setAttribute('width', String(Math.max(pxMs * 1.5, to - bar.start - pxMs)));
  }

  /** @param {Live} d @param {Span} s @param {(lane: number) => number} laneY @param {number} pxMs */
  #drawSpan(d, s, laneY, pxMs) {
    if (!s.el) {
      const lane = s.lane;
      s.el = el('rect', { class: 'bar span', x: s.from, y: laneY(lane), height: (this.drawing?.laneH ?? 24) - 4 });
      s.el.dataset.worker = String(lane);
      s.el.style.setProperty('--lane', `var(--lane-${lane % 8})`);
      d.scaled.append(s.el);
    }
    s.el.setAttribute('width', String(Math.max(pxMs, s.to - s.from)));
    s.el.dataset.tasks = String(s.tasks);
  }

  /** A bar's tooltip. @param {Bar} bar */
  #title(bar) {
    if (typeof bar.label === 'function') bar.label = bar.label();
    const tip = el('title', {});
    tip.textContent = `worker ${bar.worker + 1}: ${bar.label} (task ${bar.task}), `
      + (bar.finish === null ? `running since ${duration(bar.start)}` : `${duration(bar.start)} to ${duration(bar.finish)}, ${bar.status}`);
    return tip;
  }

  /**
   * The live drawing from scratch: lanes, axis, and every bar or span so far (bounded).
   * @param {Geometry} g @param {boolean} merged @returns {Live}
   */
  #build(g, merged) {
    this.width = this.figure.clientWidth;
    const svg = this.svg;
    svg.setAttribute('viewBox', `0 0 ${g.width} ${g.height}`);
    svg.setAttribute('width', String(g.width));
    svg.setAttribute('height', String(g.height));
    const parts = document.createDocumentFragment();
    this.#lanes(g, parts);
    const axis = el('g', {});
    const edges = el('g', {});
    const scaled = el('g', { class: 'scaled' });
    const now = el('line', { class: 'now', y1: g.top - 6, y2: g.height - 2 });
    parts.append(axis, edges, scaled, now);
    svg.replaceChildren(parts);
    this.drawing = { scaled, axis, edges, now, width: g.width, lanes: g.lanes, domain: -1, gutter: g.gutter, plot: g.plot, top: g.top, laneH: g.laneH, gap: g.gap, merged };
    this.rects.clear();
    this.ended.clear();
    this.changedSpans.clear();
    if (merged) {
      for (const spans of this.spans) for (const s of spans ?? []) { s.el = null; this.changedSpans.add(s); }
      this.fresh = [];
    } else {
      this.fresh = this.byLane.flatMap((bars) => bars ?? []);
    }
    return this.drawing;
  }

  /** The <svg>'s data and the caption. @param {boolean} merged @param {number} span */
  #describe(merged, span) {
    const running = this.open;
    const rounds = this.rounds;
    const data = this.svg.dataset;
    const values = {
      lanes: String(this.lanes), tasks: String(this.tasks), running: String(running),
      rounds: String(rounds), state: this.state, merged: String(merged), now: this.now.toFixed(0),
    };
    for (const [k, v] of Object.entries(values)) if (data[k] !== v) data[k] = v;
    const summary = this.#summary(running, rounds, span, merged);
    if (this.caption.textContent !== summary) this.caption.textContent = summary;
  }

  /**
   * Draws everything again at the figure's width: live, the bounded live drawing; after a
   * run, once, every bar with its label (or the spans, for very many tasks).
   */
  render() {
    if (this.state === 'running') {
      this.drawing = null;
      this.#draw();
      return;
    }
    this.drawing = null;
    const g = this.#geometry();
    const { width, laneH, gap, top, gutter, height } = g;
    this.width = this.figure.clientWidth;

    // A worker's tasks follow one another, so each lane's last bar ends it.
    let last = this.merged ? this.last : 0;
    for (const bars of this.byLane) if (bars?.length) last = Math.max(last, this.#end(bars[bars.length - 1]));
    const done = this.state !== 'idle';
    const span = done ? Math.max(this.endMs, last) : Math.max(last, this.now);
    const domain = done ? Math.max(span, 1) : niceCeil(Math.max(span * 1.08, 10));
    const plot = g.plot;
    const x = (/** @type {number} */ ms) => gutter + (ms / domain) * plot;

    const svg = this.svg;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    const parts = document.createDocumentFragment();

    this.#lanes(g, parts);
    this.#axis(g, domain, span, parts, parts);

    // The bars, or for very many tasks one span per stretch of neighbouring bars.
    const merged = this.merged;
    const laneY = (/** @type {number} */ lane) => top + lane * (laneH + gap) + 2;
    const h = laneH - 4;
    if (merged) {
      this.laneTimes.forEach((times, lane) => {
        const y = laneY(lane);
        for (const spanBar of times.spans((run) => this.#offset(run), this.openPerLane[lane] > 0 ? this.now : null, domain / plot)) {
          const r = el('rect', { class: 'bar span', x: x(spanBar.from), y, width: Math.max(1, x(spanBar.to) - x(spanBar.from)), height: h, rx: 2 });
          r.dataset.worker = String(lane);
          r.dataset.tasks = String(spanBar.tasks);
          r.style.setProperty('--lane', `var(--lane-${lane % 8})`);
          parts.append(r);
        }
      });
    }
    this.byLane.forEach((bars, lane) => {
      const y = laneY(lane);
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
        const tip = this.#title(bar);
        r.append(tip);
        const text = /** @type {string} */ (bar.label);
        parts.append(r);
        if (text && bw > text.length * 6.6 + 8) {
          const t = el('text', { class: 'bar-label', x: bx + 5, y: y + h / 2, 'dominant-baseline': 'central' });
          t.textContent = text;
          parts.append(t);
        }
      }
    });

    svg.replaceChildren(parts);
    this.#describe(merged, span);
  }

  /** The sentence that says what the picture shows. */
  #summary(/** @type {number} */ running, /** @type {number} */ rounds, /** @type {number} */ span, /** @type {boolean} */ merged) {
    const n = this.tasks;
    if (n === 0) return this.state === 'running' ? 'Waiting for the first task to start…' : this.emptyText;
    const workers = plural(this.lanes, 'worker');
    if (this.state === 'running') {
      return `Running: ${count(n - running)} of the ${plural(n, 'task')} started so far have finished; ${count(running)} running now on ${workers}.`;
    }
    const perLane = Array.from({ length: this.lanes }, (_, i) => `worker ${i + 1} ran ${plural(this.laneTasks[i] ?? 0, 'task')}`);
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

/** @param {string} name @param {Record<string, string | number>} attrs @returns {SVGElement} */
function el(name, attrs) {
  const node = /** @type {SVGElement} */ (document.createElementNS(SVG, name));
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
 * One lane's ended tasks, once there are too many to keep an object each: (run, start,
 * finish) triples in a typed array that doubles as it fills, and its open task.
 */
class LaneTimes {
  constructor() {
    this.times = new Float64Array(3 * 64);
    this.n = 0;
    this.openRun = 0;
    this.openStart = 0;
  }

  /** @param {number} run @param {number} start @param {number} finish */
  push(run, start, finish) {
    if (this.n + 3 > this.times.length) {
      const grown = new Float64Array(this.times.length * 2);
      grown.set(this.times);
      this.times = grown;
    }
    this.times[this.n] = run;
    this.times[this.n + 1] = start;
    this.times[this.n + 2] = finish;
    this.n += 3;
  }

  /**
   * The lane's tasks joined where they touch at this scale (less than a pixel apart), on
   * the timeline's clock; `now`, if the lane has a task still open, where it reaches.
   * @param {(run: number) => number} offset @param {number | null} now @param {number} msPerPixel
   */
  spans(offset, now, msPerPixel) {
    /** @type {{ from: number, to: number, tasks: number }[]} */
    const spans = [];
    const add = (/** @type {number} */ a, /** @type {number} */ b) => {
      const last = spans[spans.length - 1];
      if (last && a - last.to < msPerPixel) {
        last.to = Math.max(last.to, b);
        last.tasks += 1;
      } else {
        spans.push({ from: a, to: b, tasks: 1 });
      }
    };
    for (let i = 0; i < this.n; i += 3) {
      const o = offset(this.times[i]);
      add(o + this.times[i + 1], o + this.times[i + 2]);
    }
    if (now !== null) add(offset(this.openRun) + this.openStart, Math.max(offset(this.openRun) + this.openStart, now));
    return spans;
  }
}

/**
 * A task's status as a bar shows it: a task on a worker that crashed failed.
 * @param {string} status @returns {Bar['status']}
 */
export function barStatus(status) {
  return status === 'running' || status === 'done' || status === 'cancelled' ? status : 'failed';
}
