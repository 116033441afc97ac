// The notebook's six questions, one card each (linkable as #q1 .. #q6): the notebook's code,
// the Rust that runs here (its real source, from the wasm), a Run button, the printed lines
// as they come and a small timeline of the lesson's pool tasks.
//
// One lesson runs at a time. While one runs its button becomes Stop, the other lessons'
// buttons are disabled (and say why), and the map above waits: on threads a lesson may
// restart the engine with more threads, which would end a map run. The lessons run on the
// page's pool, whichever backend it has; Q2's card also compares the two backends.

import { RunClock } from './clock.js';
import { compareBackends, perTask as perTaskText, scrollBox, workloadTable } from './compare.js';
import { codeOf, messageOf } from './errors.js';
import { duration, plural, ratio } from './format.js';
import { highlight } from './highlight.js';
import { renderMarkdown } from './markdown.js';
import { Timeline } from './timeline.js';

/**
 * @typedef {object} Lesson
 * @property {string} id
 * @property {string} title
 * @property {number} maxWorkers
 * @property {string} source    the lesson's Rust, exactly as compiled
 * @property {string} notebook  the notebook's cell: Python, or Markdown for q2
 */

/**
 * @typedef {object} Card
 * @property {Lesson} lesson
 * @property {HTMLElement} article
 * @property {HTMLButtonElement} button
 * @property {HTMLElement} state
 * @property {HTMLElement} output
 * @property {HTMLElement | null} measured
 * @property {Timeline} timeline
 * @property {Compare | null} compare  Q2's "Threads or processes?"
 */

/**
 * @typedef {object} Compare
 * @property {HTMLElement} section  `data-state`: idle, running, done, cancelled or failed
 * @property {HTMLButtonElement} button
 * @property {HTMLElement} help    why the button waits, or what it does
 * @property {HTMLElement} state   role=status: what runs, then what it showed
 * @property {HTMLElement} result  the table
 */

/** Q2's comparison: as many messages as numbers, against a few large copies. */
const Q2_WORKLOADS = /** @type {import('./compare.js').Workload[]} */ ([
  { id: 'tiny', name: 'many tiny tasks', kernel: 'square', numbers: '1..10000', chunksize: 1 },
  { id: 'large', name: 'a few large tasks', kernel: 'square', numbers: '1..1000000' },
]);
const Q2_WORKERS = 2;
/** The id `active` has while Q2's comparison runs (no lesson has it). */
const COMPARING = 'q2-compare';

/** What each lesson runs on, for its card. */
const RUNS_ON = {
  q1: 'a Pool of 2 workers, each task sleeping 2 s',
  q2: '8 tasks that sleep, then 8 that compute (Collatz steps of 1000-digit numbers), on 1, 2, 4 and 8 workers',
  q3: 'one Process',
  q4: 'a Pool of 4 workers',
  q5: 'a Pool of 4 workers',
  q6: '4 Processes',
};

/** The lessons' paces: a factor on every sleep, and how the Speed menu names it. */
const SPEEDS = [
  ['1', '1× — the notebook\'s real time'],
  ['0.5', '0.5×'],
  ['0.1', '0.1× — for the impatient'],
  ['0.02', '0.02× — in a blink'],
];

export class Lessons {
  /**
   * @param {{ speed: HTMLSelectElement, cards: HTMLElement, nav: HTMLElement | null, state: HTMLElement }} els
   * @param {{ claim: () => boolean | string, release: () => void }} host  the page: who may use
   *   the pool (`claim` says why not, or false for "a map is running above")
   * @param {{ only?: string }} [options]  `only`: one lesson's card, as an embedded demo shows
   *   it (no links between cards then)
   */
  constructor(els, host, { only } = {}) {
    this.els = els;
    this.host = host;
    this.only = only;
    if (!els.speed.options.length) els.speed.append(...SPEEDS.map(([value, text]) => new Option(text, value)));
    /** @type {Map<string, Card>} */
    this.cards = new Map();
    /** What runs: a lesson (by its id) or Q2's comparison (COMPARING). @type {{ id: string, controller: AbortController } | null} */
    this.active = null;
    /** @type {string | null} why lessons cannot start now (a map runs) */
    this.blocked = null;
    /** @type {import('../webpool.js').Pool | null} */
    this.pool = null;
    if (!only) window.addEventListener('hashchange', () => this.#goToHash());
  }

  /**
   * Runs the lessons on `pool`: builds the cards from its catalog the first time, and only
   * takes the new pool after a change of backend (the catalog is the same Rust on both).
   * @param {import('../webpool.js').Pool} pool
   */
  show(pool) {
    this.pool = pool;
    if (this.cards.size) {
      this.#refresh();
      return;
    }
    const nav = [];
    for (const lesson of /** @type {Lesson[]} */ (pool.lessons)) {
      if (this.only && lesson.id !== this.only) continue;
      const card = this.#card(lesson);
      this.cards.set(lesson.id, card);
      this.els.cards.append(card.article);
      const a = document.createElement('a');
      a.href = `#${lesson.id}`;
      a.textContent = lesson.id.toUpperCase();
      a.setAttribute('aria-label', `${lesson.id.toUpperCase()}: ${lesson.title}`);
      a.title = lesson.title;
      nav.push(a);
    }
    this.els.nav?.replaceChildren(...nav);
    this.#refresh();
    if (!this.only) this.#goToHash();
  }

  /** Stops what runs (a lesson or Q2's comparison), as its Stop button does. */
  stop() {
    this.active?.controller.abort();
  }

  /** A map runs (reason) or no longer does (null). @param {string | null} reason */
  block(reason) {
    this.blocked = reason;
    this.#refresh();
  }

  #goToHash() {
    const card = this.cards.get(location.hash.slice(1).toLowerCase());
    if (!card) return;
    for (const c of this.cards.values()) c.article.classList.toggle('targeted', c === card);
    keepAtTop(card.article);
    card.article.focus({ preventScroll: true });
  }

  /** @param {Lesson} lesson @returns {Card} */
  #card(lesson) {
    const id = lesson.id;
    const Q = id.toUpperCase();
    const article = element('article', 'lesson');
    article.id = id;
    article.tabIndex = -1;
    article.setAttribute('aria-labelledby', `${id}-title`);

    const header = element('header', 'lesson-header');
    const h3 = element('h3');
    h3.id = `${id}-title`;
    const badge = element('span', 'lesson-id', Q);
    h3.append(badge, ` ${lesson.title}`);
    const meta = element('p', 'lesson-meta', `Runs on ${RUNS_ON[/** @type {keyof typeof RUNS_ON} */ (id)] ?? plural(lesson.maxWorkers, 'worker')}.`);
    header.append(h3, meta);

    const pair = element('div', 'code-pair');
    const left = element('figure', 'code-figure');
    if (id === 'q2') {
      left.append(element('figcaption', '', 'The notebook\'s answer (a table, no code)'));
      const md = element('div', 'markdown');
      md.append(renderMarkdown(lesson.notebook, 4));
      left.append(md);
    } else {
      left.append(element('figcaption', '', 'Python — the notebook'));
      const pre = element('pre', 'code');
      pre.tabIndex = 0;
      const code = element('code', 'lang-python');
      code.dataset.notebook = id;
      highlight(code, lesson.notebook, 'python');
      pre.append(code);
      left.append(pre);
    }
    const right = element('figure', 'code-figure');
    const caption = element('figcaption');
    caption.append('Rust — ', element('code', '', `src/lessons/${id}.rs`), ', the source compiled into this page');
    const pre = element('pre', 'code');
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `Rust source of ${Q}`);
    const code = element('code', 'lang-rust');
    code.dataset.source = id;
    highlight(code, lesson.source, 'rust');
    pre.append(code);
    right.append(caption, pre);
    pair.append(left, right);

    const row = element('div', 'lesson-run');
    const button = /** @type {HTMLButtonElement} */ (element('button', 'primary', `Run ${Q}`));
    button.type = 'button';
    button.dataset.lesson = id;
    const state = element('p', 'lesson-state', '');
    state.setAttribute('role', 'status');
    row.append(button, state);

    const out = element('figure', 'lesson-output');
    const outCaption = element('figcaption', '', 'Output');
    outCaption.id = `${id}-output-title`;
    const output = element('pre', 'output');
    output.dataset.lesson = id;
    output.tabIndex = 0;
    output.setAttribute('aria-labelledby', outCaption.id);
    output.textContent = `Press Run ${Q}: the lines appear here as the program prints them.`;
    output.classList.add('placeholder');
    out.append(outCaption, output);

    let measured = null;
    if (id === 'q2') {
      measured = element('div', 'measured');
      measured.hidden = true;
      out.append(measured);
    }

    const timeBox = element('div', 'lesson-timeline');
    const timeTitle = element('p', 'lesson-timeline-title', 'Pool tasks, as they ran');
    const timeFigure = element('figure');
    timeBox.append(timeTitle, timeFigure);
    if (id === 'q2') {
      timeBox.append(element('p', 'help lesson-honest', 'Q2 times its runs, so this timeline is drawn when the last measured row has ended, '
        + 'not while they run: drawing takes no core from the workers being timed.'));
    }
    const timeline = new Timeline(timeFigure, {
      compact: true,
      empty: id === 'q3' || id === 'q6'
        ? 'This lesson starts Processes, not a Pool: there are no pool tasks to draw.'
        : 'The lesson\'s pool tasks appear here when it runs.',
    });
    timeline.reset(id === 'q3' || id === 'q6' ? 0 : lesson.maxWorkers);

    const body = element('div', 'lesson-body');
    body.append(out, timeBox);
    article.append(header, pair, row, body);
    /** @type {Compare | null} */
    let compare = null;
    if (id === 'q2') {
      const built = compareBlock();
      article.append(built.section);
      compare = built.compare;
    }
    /** @type {Card} */
    const card = { lesson, article, button, state, output, measured, timeline, compare };
    button.addEventListener('click', () => this.#run(card));
    compare?.button.addEventListener('click', () => this.#compare(/** @type {Compare} */ (compare)));
    return card;
  }

  /** Enables, disables and names the Run buttons for the present state. */
  #refresh() {
    for (const card of this.cards.values()) {
      const Q = card.lesson.id.toUpperCase();
      const mine = this.active?.id === card.lesson.id;
      card.button.textContent = mine ? `Stop ${Q}` : `Run ${Q}`;
      card.button.classList.toggle('stop', mine);
      card.button.disabled = !mine && (this.active !== null || this.blocked !== null);
      card.article.dataset.state = mine ? 'running' : card.article.dataset.state === 'running' ? 'idle' : card.article.dataset.state ?? 'idle';
      if (card.compare) this.#refreshCompare(card.compare);
    }
    const comparing = this.active?.id === COMPARING;
    const running = this.active ? this.active.id.toUpperCase() : null;
    this.els.state.textContent = comparing
      ? 'Q2 compares threads and processes: the lessons wait until it ends (or press Stop comparing).'
      : running
        ? `${running} is running: the other lessons wait until it ends (or press Stop ${running}).`
        : this.blocked ?? '';
  }

  /** Q2's comparison button: Stop while it runs, disabled (saying why) while anything else does. @param {Compare} c */
  #refreshCompare(c) {
    const mine = this.active?.id === COMPARING;
    c.button.textContent = mine ? 'Stop comparing' : 'Compare threads and processes';
    c.button.classList.toggle('stop', mine);
    const reason = mine ? null
      : this.active ? `Waits: ${this.active.id.toUpperCase()} is running (one thing at a time on the pool).`
        : this.blocked ? `Waits: ${this.blocked}` : null;
    c.button.disabled = reason !== null;
    c.help.dataset.waiting = String(reason !== null);
    c.help.textContent = reason ?? `Runs both workloads with ${Q2_WORKERS} workers on threads, then on processes, one after the other.`;
  }

  /**
   * Q2's comparison of the backends (or Stop, while it runs): claims the pool like a
   * lesson, so the map and the lessons wait, and releases it at the end.
   * @param {Compare} c
   */
  async #compare(c) {
    const pool = this.pool;
    if (!pool) return;
    if (this.active) {
      if (this.active.id === COMPARING) {
        this.active.controller.abort();
        c.state.textContent = 'Stopping…';
      }
      return;
    }
    const claimed = this.host.claim();
    if (claimed !== true) {
      c.state.textContent = claimed || 'Not now: a map is running above. Compare when it ends.';
      return;
    }
    const controller = new AbortController();
    this.active = { id: COMPARING, controller };
    this.#refresh();
    c.section.dataset.state = 'running';
    /** @param {import('./compare.js').Row[]} rows */
    const show = (rows) => {
      c.result.replaceChildren(scrollBox(workloadTable(rows)));
    };
    try {
      const comparison = await compareBackends({
        pool, workers: Q2_WORKERS, workloads: Q2_WORKLOADS, signal: controller.signal,
        onProgress: (partial, next) => {
          c.state.textContent = next;
          show(partial.rows);
        },
      });
      show(comparison.rows);
      c.section.dataset.state = comparison.status;
      c.state.textContent = comparison.status === 'done' ? compareFindings(comparison)
        : comparison.status === 'cancelled' ? 'Stopped: the rows that ran are kept below.'
          : `The comparison stopped: ${comparison.error}`;
    } catch (error) {
      c.section.dataset.state = 'failed';
      c.state.textContent = `The comparison could not run: ${messageOf(error)}`;
    } finally {
      this.active = null;
      this.#refresh();
      this.host.release();
    }
  }

  /** Runs a card's lesson, or stops it if it is the one running. @param {Card} card */
  async #run(card) {
    const { lesson } = card;
    const pool = this.pool;
    if (!pool) return;
    if (this.active) {
      if (this.active.id === lesson.id) {
        this.active.controller.abort();
        card.state.textContent = 'Stopping…';
      }
      return;
    }
    const claimed = this.host.claim();
    if (claimed !== true) {
      card.state.textContent = claimed || 'Not now: a map is running above. Run this lesson when it ends.';
      return;
    }
    const controller = new AbortController();
    this.active = { id: lesson.id, controller };
    this.#refresh();
    const timeScale = Number(this.els.speed.value) || 1;
    card.output.textContent = '';
    card.output.classList.remove('placeholder');
    card.output.dataset.lines = '0';
    card.article.dataset.state = 'running';
    if (card.measured) {
      card.measured.hidden = true;
      card.measured.replaceChildren();
    }
    // Q3 and Q6 start Python-style Processes rather than a Pool: there are no pool tasks
    // to draw (whatever the backend; `startsProcesses` is not about the processes backend).
    const startsProcesses = lesson.id === 'q3' || lesson.id === 'q6';
    card.timeline.reset(startsProcesses ? 0 : lesson.maxWorkers);
    // On threads the lesson's driver takes a thread of its own beside its workers, so the
    // engine may have to grow; on processes every worker process starts as it is needed.
    const threadsNeeded = pool.backend === 'threads' ? lesson.maxWorkers + 1 : 0;
    const running = `Running on ${pool.backend} at ${timeScale}× the notebook's time…`;
    card.state.textContent = pool.threads < threadsNeeded
      ? `Starting ${threadsNeeded} Web Workers for this lesson (its ${plural(lesson.maxWorkers, 'worker')} and its main program)…`
      : running;

    /** @type {string[]} */
    const lines = [];
    // A lesson may make several pool runs (Q1: squares, then cubes), numbered by `run`; task
    // times count from the lesson's start. Each run is placed where its first task started.
    let run = -1;
    /** @type {number[]} where each run starts, in ms since the lesson started */
    const runStarts = [];
    let lastEnd = 0;
    const clock = new RunClock();
    if (!startsProcesses) card.timeline.live(() => (run < 0 ? 0 : clock.now()));
    // Q2 measures speedups, one row right after another: its timeline is drawn when they have
    // all ended (drawing between rows would overlap the start of the next one).
    const measures = lesson.id === 'q2';
    card.timeline.hold(measures);
    let began = performance.now();

    /** @param {any} event */
    const onTask = (event) => {
      if (event.run > run) {
        run = event.run;
        runStarts[run] = event.kind === 'taskStart' ? event.at : event.start;
        card.timeline.setRun(run, runStarts[run]);
      }
      const from = runStarts[event.run];
      if (event.kind === 'taskStart') {
        clock.observe(event.at);
        card.timeline.update({ run: event.run, task: event.task, worker: event.worker, start: event.at - from, finish: null, status: 'running', label: '' });
      } else if (event.kind === 'taskEnd') {
        clock.observe(event.end);
        lastEnd = Math.max(lastEnd, event.end);
        card.timeline.update({ run: event.run, task: event.task, worker: event.worker, start: event.start - from, finish: event.end - from, status: 'done', label: '' });
      }
    };
    /** @param {string} text */
    const onPrint = (text) => {
      lines.push(text);
      card.output.append(`${lines.length > 1 ? '\n' : ''}${text}`);
      card.output.dataset.lines = String(lines.length);
      if (card.measured) showMeasured(card.measured, lines);
    };

    let outcome = 'failed';
    try {
      // The lesson's driver takes a thread beside its workers. Growing the engine here
      // rather than inside runLesson lets Stop work while the new Web Workers start
      // (runLesson only listens to its signal once they have), and keeps the map's
      // worker count as it was.
      if (pool.threads < threadsNeeded) {
        const workers = pool.workers;
        await pool.resize(threadsNeeded);
        await pool.resize(workers);
      }
      if (controller.signal.aborted) {
        outcome = 'cancelled';
        card.state.textContent = 'Stopped before it began.';
        return;
      }
      card.state.textContent = running;
      began = performance.now();
      const end = await pool.runLesson(lesson.id, { timeScale, onPrint, onTask, signal: controller.signal });
      outcome = end.status;
      const took = duration(performance.now() - began);
      card.state.textContent = outcome === 'done'
        ? `Finished in ${took} on ${pool.backend} at ${timeScale}× the notebook's time.`
        : outcome === 'cancelled' ? `Stopped after ${took}.` : `The lesson ended with an error: ${end.outcome}`;
    } catch (error) {
      // Stopped while its pool was still getting ready, or the pool could not run it.
      if (codeOf(error) === 'cancelled') {
        outcome = 'cancelled';
        card.state.textContent = 'Stopped before it began.';
      } else {
        card.state.textContent = `The lesson could not run: ${messageOf(error)}`;
      }
    } finally {
      card.timeline.hold(false);
      card.timeline.finish(outcome === 'done' || outcome === 'cancelled' ? outcome : 'failed', lastEnd);
      card.article.dataset.state = outcome;
      this.active = null;
      this.#refresh();
      this.host.release();
    }
  }
}

/**
 * Q2's "Threads or processes?": what it compares, a button, what it found, and the table.
 * @returns {{ section: HTMLElement, compare: Compare }}
 */
function compareBlock() {
  const section = element('section', 'backend-compare');
  section.id = 'q2-compare';
  section.dataset.state = 'idle';
  section.setAttribute('aria-labelledby', 'q2-compare-title');
  const title = element('h4', '', 'Threads or processes?');
  title.id = 'q2-compare-title';
  const what = element('p', 'compare-what', 'Processes copy each task\'s numbers and its results as messages, as Python '
    + 'pickles them through pipes; threads share one memory and copy nothing. So many tiny tasks pay for every message, '
    + 'and a few large tasks pay for copying their data. Nothing is drawn while a backend is timed: its row appears when it ends.');
  const list = element('ul', 'compare-workloads');
  list.append(
    element('li', '', 'many tiny tasks: the squares of 1..10000 with chunksize 1, so 10,000 tasks, a message each way for each on processes;'),
    element('li', '', 'a few large tasks: the squares of 1..1000000 with the default chunksize, so 8 tasks of 125,000 numbers each.'),
  );
  const row = element('div', 'lesson-run');
  const button = /** @type {HTMLButtonElement} */ (element('button', '', 'Compare threads and processes'));
  button.type = 'button';
  button.dataset.compare = 'q2';
  const help = element('p', 'help compare-help', '');
  help.id = 'q2-compare-help';
  button.setAttribute('aria-describedby', help.id);
  row.append(button, help);
  const state = element('p', 'compare-state', '');
  state.setAttribute('role', 'status');
  const result = element('div', 'compare-result');
  section.append(title, what, list, row, state, result);
  return { section, compare: { section, button, help, state, result } };
}

/**
 * What Q2's comparison found, in a sentence: how many times longer processes took for
 * each workload, or (without threads) what a task cost on processes.
 * @param {import('./compare.js').Comparison} comparison
 */
function compareFindings(comparison) {
  const [tiny, large] = comparison.rows;
  if (comparison.threadsMissing) {
    const each = (/** @type {import('./compare.js').Row} */ r) => (r.processes?.status === 'done' ? perTaskText(r.processes.wallMs / r.processes.tasks) : '–');
    return `${comparison.threadsMissing} On processes a task took ${each(tiny)} when tiny and ${each(large)} when large.`;
  }
  const times = (/** @type {import('./compare.js').Row} */ r) => (r.threads?.status === 'done' && r.processes?.status === 'done'
    ? ratio(r.processes.wallMs / Math.max(r.threads.wallMs, 1e-6)) : '–');
  const differ = comparison.rows.some((r) => r.identical === false) ? ' The results differ between the backends!'
    : comparison.rows.every((r) => r.identical === true) ? ' Both backends gave identical results.' : '';
  return `Here processes took ${times(tiny)} as long as threads for many tiny tasks, and ${times(large)} as long for a few large ones.${differ}`;
}

/**
 * Q2's printed rows as a table: workers × (waiting, computing), each a time and a speedup.
 * @param {HTMLElement} box @param {string[]} lines
 */
function showMeasured(box, lines) {
  /** @type {Map<number, Record<string, { seconds: string, speedup: string }>>} */
  const rows = new Map();
  /** @type {string | null} */
  let kind = null;
  let title = '';
  for (const line of lines) {
    if (/^\d+ tasks of/.test(line)) title = line;
    const heading = /^Tasks .*\((sleep|collatz)\):$/.exec(line);
    if (heading) kind = heading[1];
    const row = /^\s*(\d+) worker\(s\): ([\d.]+) s, speedup ([\d.]+)x$/.exec(line);
    if (row && kind) {
      const workers = Number(row[1]);
      if (!rows.has(workers)) rows.set(workers, {});
      /** @type {Record<string, { seconds: string, speedup: string }>} */ (rows.get(workers))[kind] = { seconds: row[2], speedup: row[3] };
    }
  }
  if (!rows.size) return;
  const table = document.createElement('table');
  table.className = 'measured-table';
  table.createCaption().textContent = `Measured in this browser${title ? `: ${title}` : ''}`;
  const head = table.createTHead().insertRow();
  for (const text of ['Workers', 'Waiting (sleep)', 'Computing (collatz)']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const [workers, cells] of rows) {
    const tr = body.insertRow();
    tr.dataset.workers = String(workers);
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(workers);
    tr.append(th);
    for (const k of ['sleep', 'collatz']) {
      const td = tr.insertCell();
      td.dataset.kind = k;
      const cell = cells[k];
      if (!cell) continue;
      td.dataset.seconds = cell.seconds;
      td.dataset.speedup = cell.speedup;
      const strong = document.createElement('strong');
      strong.textContent = `${cell.speedup}×`;
      td.append(`${cell.seconds} s, `, strong);
    }
  }
  box.replaceChildren(table);
  box.hidden = false;
}

/**
 * @param {string} tag @param {string} [className] @param {string} [text]
 * @returns {HTMLElement}
 */
function element(tag, className = '', text = '') {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** How long a card reached by its link is kept at the top at most, while the page fills in. */
const HOLD_MS = 10_000;

/** Stops keeping the last card at the top, if one is kept. @type {() => void} */
let letGo = () => {};

/**
 * Scrolls `card` to the top of the window and keeps it there while the page above it is still
 * filling in, until the reader scrolls. Browsers with scroll anchoring (Chromium, Firefox) do
 * this themselves; WebKit has none, so a card reached by its link would slide down as the
 * sections above it grow.
 * @param {HTMLElement} card
 */
function keepAtTop(card) {
  letGo();
  card.scrollIntoView({ block: 'start' });
  if (CSS.supports('overflow-anchor', 'auto')) return;
  let top = card.getBoundingClientRect().top;
  let y = window.scrollY;
  const observer = new ResizeObserver(() => {
    if (Math.abs(card.getBoundingClientRect().top - top) < 1) return;
    card.scrollIntoView({ block: 'start' });
    top = card.getBoundingClientRect().top;
    y = window.scrollY;
  });
  observer.observe(document.body);
  // A scroll to anywhere but where the card was put is the reader's own; so is any click or
  // key. The page fills in within a few seconds of its load: after that, nothing is held.
  const onScroll = () => { if (Math.abs(window.scrollY - y) > 1) letGo(); };
  const events = /** @type {const} */ (['wheel', 'touchstart', 'pointerdown', 'keydown']);
  window.addEventListener('scroll', onScroll, { passive: true });
  for (const e of events) window.addEventListener(e, letGo, { passive: true });
  const timer = setTimeout(() => letGo(), HOLD_MS);
  letGo = () => {
    observer.disconnect();
    clearTimeout(timer);
    window.removeEventListener('scroll', onScroll);
    for (const e of events) window.removeEventListener(e, letGo);
    letGo = () => {};
  };
}
