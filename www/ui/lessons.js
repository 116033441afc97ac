// The notebook's six questions, one card each (linkable as #q1 .. #q6): the notebook's code,
// the Rust that runs here (its real source, from the wasm), a Run button, the printed lines
// as they come and a small timeline of the lesson's pool tasks.
//
// One lesson runs at a time. While one runs its button becomes Stop, the other lessons'
// buttons are disabled (and say why), and the map above waits: a lesson may restart the
// engine with more threads, which would end a map run.

import { RunClock } from './clock.js';
import { duration, plural } from './format.js';
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
 */

/** What each lesson runs on, for its card. */
const RUNS_ON = {
  q1: 'a Pool of 2 workers, each task sleeping 2 s',
  q2: '8 tasks that sleep, then 8 that spin, on 1, 2, 4 and 8 workers',
  q3: 'one Process',
  q4: 'a Pool of 4 workers',
  q5: 'a Pool of 4 workers',
  q6: '4 Processes',
};

export class Lessons {
  /**
   * @param {{ speed: HTMLSelectElement, cards: HTMLElement, nav: HTMLElement, state: HTMLElement }} els
   * @param {{ claim: () => boolean, release: () => void }} host  the page: who may use the pool
   */
  constructor(els, host) {
    this.els = els;
    this.host = host;
    /** @type {Map<string, Card>} */
    this.cards = new Map();
    /** @type {{ id: string, controller: AbortController } | null} */
    this.active = null;
    /** @type {string | null} why lessons cannot start now (a map runs) */
    this.blocked = null;
    /** @type {import('../webpool.js').Pool | null} */
    this.pool = null;
    window.addEventListener('hashchange', () => this.#goToHash());
  }

  /** Lessons cannot run here. @param {string} text */
  unavailable(text) {
    this.els.state.textContent = text;
  }

  /** Builds the cards from the pool's catalog. @param {import('../webpool.js').Pool} pool */
  show(pool) {
    this.pool = pool;
    const nav = [];
    for (const lesson of /** @type {Lesson[]} */ (pool.lessons)) {
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
    this.els.nav.replaceChildren(...nav);
    this.#refresh();
    this.#goToHash();
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
    card.article.scrollIntoView({ block: 'start' });
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
    const meta = element('p', 'lesson-meta', `Runs on ${RUNS_ON[/** @type {keyof RUNS_ON} */ (id)] ?? plural(lesson.maxWorkers, 'worker')}.`);
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
    /** @type {Card} */
    const card = { lesson, article, button, state, output, measured, timeline };
    button.addEventListener('click', () => this.#run(card));
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
    }
    const running = this.active ? this.active.id.toUpperCase() : null;
    this.els.state.textContent = running
      ? `${running} is running: the other lessons wait until it ends (or press Stop ${running}).`
      : this.blocked ?? '';
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
    if (!this.host.claim()) {
      card.state.textContent = 'Not now: a map is running above. Run this lesson when it ends.';
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
    const processes = lesson.id === 'q3' || lesson.id === 'q6';
    card.timeline.reset(processes ? 0 : lesson.maxWorkers);
    const threadsNeeded = lesson.maxWorkers + 1;
    card.state.textContent = pool.threads < threadsNeeded
      ? `Starting ${threadsNeeded} Web Workers for this lesson (its ${plural(lesson.maxWorkers, 'worker')} and its main program)…`
      : `Running at ${timeScale}× the notebook's time…`;

    /** @type {string[]} */
    const lines = [];
    // A lesson may make several pool runs (Q1: squares, then cubes), numbered by `run`; task
    // times count from the lesson's start. Each run is placed where its first task started.
    let run = -1;
    /** @type {number[]} where each run starts, in ms since the lesson started */
    const runStarts = [];
    let lastEnd = 0;
    const clock = new RunClock();
    if (!processes) card.timeline.live(() => (run < 0 ? 0 : clock.now()));
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
      card.state.textContent = `Running at ${timeScale}× the notebook's time…`;
      began = performance.now();
      const end = await pool.runLesson(lesson.id, { timeScale, onPrint, onTask, signal: controller.signal });
      outcome = end.status;
      const took = duration(performance.now() - began);
      card.state.textContent = outcome === 'done'
        ? `Finished in ${took} at ${timeScale}× the notebook's time.`
        : outcome === 'cancelled' ? `Stopped after ${took}.` : `The lesson ended with an error: ${end.outcome}`;
    } catch (error) {
      card.state.textContent = `The lesson could not run: ${/** @type {Error} */ (error).message}`;
    } finally {
      card.timeline.finish(/** @type {'done' | 'cancelled' | 'failed'} */ (outcome), lastEnd);
      card.article.dataset.state = outcome;
      this.active = null;
      this.#refresh();
      this.host.release();
    }
  }
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
    const heading = /^Tasks .*\((sleep|spin)\):$/.exec(line);
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
  for (const text of ['Workers', 'Waiting (sleep)', 'Computing (spin)']) {
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
    for (const k of ['sleep', 'spin']) {
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
