// Timings of a run: wall time, each worker's busy time, and a measured speedup against
// one worker, with the reason sleep scales past the core count and spin does not.

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
   * @param {{ wall: HTMLElement, busy: HTMLElement, speedup: HTMLElement, why: HTMLElement }} els
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
