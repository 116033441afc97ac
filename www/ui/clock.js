// A run's clock as seen from the page. Task events carry times since their run started (on
// the engine's clock); the page learns of them a little later. The earliest
// `arrival - event time` is the best estimate of when the run started on the page's clock,
// which lets running bars grow up to "now" between events.

export class RunClock {
  constructor() {
    /** When the run started, in `performance.now()` terms (an estimate until events come). */
    this.t0 = performance.now();
    this.seen = false;
  }

  /** An event stamped `ms` after the run's start has just arrived. @param {number} ms */
  observe(ms) {
    const t0 = performance.now() - ms;
    if (!this.seen || t0 < this.t0) this.t0 = t0;
    this.seen = true;
  }

  /** Milliseconds since the run started. */
  now() {
    return performance.now() - this.t0;
  }

  /** When the run started on the epoch clock that `report.startedAt` uses. */
  get epoch() {
    return performance.timeOrigin + this.t0;
  }
}
