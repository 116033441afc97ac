// Timings of a run: wall time, each worker's busy time, and a measured speedup against
// one worker (drawn against the workers, with the ideal and the core count), with the reason
// sleep scales past the core count and computing does not.

import { duration, plural, ratio } from './format.js';

/**
 * @typedef {object} RunTimes
 * @property {number} wallMs    first task's start to last task's end, over every kernel run
 * @property {number[]} busyMs  per worker
 * @property {number} workers
 * @property {number} items
 * @property {string} what      `squares`, `cubes`, or `squares, then cubes`
 * @property {string} work      e.g. `sleep 300 ms per number`
 */

export class TimingsView {
  /**
   * @param {{ wall: HTMLElement, busy: HTMLElement, speedup: HTMLElement, scaling: HTMLElement, why: HTMLElement }} els
   * @param {number} cores
   */
  constructor(els, cores) {
    this.els = els;
    this.cores = cores;
    this.explain();
  }

  clear() {
    this.els.wall.textContent = '–';
    this.els.busy.replaceChildren();
  }

  /** @param {RunTimes} t */
  show(t) {
    this.els.wall.textContent = `${duration(t.wallMs)}: ${t.what} of ${plural(t.items, 'number')} on ${plural(t.workers, 'worker')}, ${t.work}`;
    this.els.wall.dataset.ms = t.wallMs.toFixed(1);
    const rows = t.busyMs.map((ms, i) => {
      const row = document.createElement('li');
      row.className = 'busy-row';
      row.dataset.worker = String(i);
      row.dataset.ms = ms.toFixed(1);
      const name = document.createElement('span');
      name.className = 'busy-name';
      name.textContent = `worker ${i + 1}`;
      const track = document.createElement('span');
      track.className = 'busy-track';
      track.setAttribute('aria-hidden', 'true');
      const fill = document.createElement('span');
      fill.className = 'busy-fill';
      const share = t.wallMs > 0 ? Math.min(1, ms / t.wallMs) : 0;
      fill.style.width = `${(share * 100).toFixed(1)}%`;
      fill.style.setProperty('--lane', `var(--lane-${i % 8})`);
      track.append(fill);
      const value = document.createElement('span');
      value.className = 'busy-value';
      value.textContent = `${duration(ms)} busy (${Math.round(share * 100)}% of the wall time)`;
      row.append(name, track, value);
      return row;
    });
    this.els.busy.replaceChildren(...rows);
  }

  /**
   * Speedup against workers, as measured so far: a point per worker count, the ideal
   * (n workers, n times faster) and this device's cores, where computing work stops gaining.
   * @param {{ workers: number, ms: number }[]} points  the first on 1 worker
   * @param {number} upTo  the most workers the measurement will reach
   */
  scaling(points, upTo) {
    const figure = this.els.scaling;
    figure.hidden = points.length === 0;
    if (!points.length) return;
    const one = points[0].ms;
    const measured = points.map((p) => ({ workers: p.workers, speedup: one / Math.max(p.ms, 1e-6) }));
    const W = 360;
    const H = 220;
    const m = { left: 40, right: 14, top: 12, bottom: 36 };
    const xMax = Math.max(upTo, 2);
    const yMax = Math.max(xMax, ...measured.map((p) => p.speedup)) * 1.05;
    // Past 8 workers the counts double: a log scale keeps 1, 2, 3 and 4 apart.
    const at = upTo > 8 ? Math.log2 : (/** @type {number} */ w) => w - 1;
    const x = (/** @type {number} */ w) => m.left + (at(w) / at(xMax)) * (W - m.left - m.right);
    const y = (/** @type {number} */ v) => H - m.bottom - (v / yMax) * (H - m.top - m.bottom);
    const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'scaling-svg' });
    const ticks = [...new Set([1, ...measured.map((p) => p.workers), upTo])];
    for (const w of ticks) {
      svg.append(svgEl('line', { class: 'grid', x1: x(w), x2: x(w), y1: y(0), y2: y(yMax) }));
      svg.append(svgText(String(w), { class: 'tick', x: x(w), y: H - m.bottom + 14, 'text-anchor': 'middle' }));
    }
    const step = Math.max(1, Math.ceil(yMax / 5));
    for (let v = 0; v <= yMax; v += step) svg.append(svgText(`${v}×`, { class: 'tick', x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end' }));
    svg.append(svgText('workers', { class: 'axis-label', x: (m.left + W - m.right) / 2, y: H - 4, 'text-anchor': 'middle' }));
    svg.append(svgEl('polyline', { class: 'ideal', points: ticks.map((w) => `${x(w)},${y(w)}`).join(' ') }));
    const coresShown = this.cores >= 1 && this.cores <= xMax;
    if (coresShown) {
      svg.append(svgEl('line', { class: 'cores', x1: x(this.cores), x2: x(this.cores), y1: y(0), y2: y(yMax) }));
      svg.append(svgText(`${plural(this.cores, 'core')} here`, { class: 'cores-label', x: x(this.cores) + 4, y: m.top + 10 }));
    }
    svg.append(svgEl('polyline', { class: 'measured', points: measured.map((p) => `${x(p.workers)},${y(p.speedup)}`).join(' ') }));
    for (const p of measured) {
      const dot = svgEl('circle', { class: 'point', cx: x(p.workers), cy: y(p.speedup), r: 4, 'data-workers': p.workers, 'data-speedup': p.speedup.toFixed(3) });
      svg.append(dot);
    }
    const said = measured.slice(1).map((p) => `${plural(p.workers, 'worker')} ${ratio(p.speedup)}`).join(', ');
    const caption = document.createElement('figcaption');
    caption.textContent = `Speedup against 1 worker${said ? `: ${said}` : ''}. The dashed line is the ideal (n workers, n× faster); `
      + (coresShown ? 'the upright line marks ' : 'past the right edge are ')
      + `this device's ${plural(this.cores, 'core')}, past which computing work cannot gain, while waiting work can.`;
    caption.id = 'scaling-caption';
    svg.setAttribute('aria-labelledby', caption.id);
    figure.replaceChildren(svg, caption);
  }

  /** Says a speedup measurement is under way. @param {string} text */
  measuring(text) {
    this.els.speedup.dataset.state = 'measuring';
    this.els.speedup.textContent = text;
  }

  /**
   * A measured speedup: the same input on 1 worker, then on `workers`.
   * @param {{ oneMs: number, manyMs: number, workers: number, work: string }} m
   */
  speedup({ oneMs, manyMs, workers, work }) {
    const r = oneMs / Math.max(manyMs, 1e-6);
    this.els.speedup.dataset.state = 'done';
    this.els.speedup.dataset.ratio = r.toFixed(3);
    this.els.speedup.replaceChildren();
    const strong = document.createElement('strong');
    strong.textContent = `${ratio(r)} faster`;
    this.els.speedup.append(
      'Measured here: 1 worker took ', duration(oneMs), `, ${plural(workers, 'worker')} took `, duration(manyMs),
      ' — ', strong, ` with ${work}.`,
    );
  }

  /** The speedup measurement stopped early. @param {string} text */
  speedupFailed(text) {
    this.els.speedup.dataset.state = 'stopped';
    this.els.speedup.textContent = text;
  }

  /** The plain-words reason, with this device's core count. */
  explain() {
    const n = this.cores;
    const cores = plural(n, 'core');
    this.els.why.textContent = `Why sleep scales and spin does not: a sleeping task waits without using a core (as `
      + `time.sleep or a network call does), so even ${4 * n} workers can all sleep at once and the speedup keeps `
      + `growing with the workers. A spinning task computes, so it needs a core of its own: this device has ${cores}, `
      + `so past ${plural(n, 'worker')} the spinning tasks take turns and the speedup stops near ${n}×.`;
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** @param {string} name @param {Record<string, string | number>} attrs */
function svgEl(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** @param {string} text @param {Record<string, string | number>} attrs */
function svgText(text, attrs) {
  const node = svgEl('text', attrs);
  node.textContent = text;
  return node;
}
