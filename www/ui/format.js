// Small formatting helpers shared by the page's views: durations, counts, Python lists.

const grouped = new Intl.NumberFormat('en');

/** `1234567` → `1,234,567`. @param {number} n */
export function count(n) {
  return grouped.format(n);
}

/** `1 task`, `3 tasks`. @param {number} n @param {string} one @param {string} [many] */
export function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/**
 * A duration for people: `0.4 ms`, `12 ms`, `950 ms`, `1.25 s`, `12.3 s`, `2 min 5 s`. The
 * unit is chosen after rounding, so 999.7 ms is `1.00 s` (not `1000 ms`), 59.97 s is
 * `1 min 0 s` (not `60.0 s`) and 119.6 s is `2 min 0 s` (not `1 min 60 s`).
 * @param {number} ms
 */
export function duration(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) < 0.95) return `${ms.toFixed(1)} ms`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 9.995) return `${s.toFixed(2)} s`;
  if (s < 59.95) return `${s.toFixed(1)} s`;
  const total = Math.round(s);
  const minutes = Math.floor(total / 60);
  return `${minutes} min ${total - minutes * 60} s`;
}

/**
 * A time on a run's clock for the log, fixed width: `   12 ms`, ` 2.003 s`.
 * @param {number} ms
 */
export function clockTime(ms) {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`.padStart(8, ' ');
  return `${(ms / 1000).toFixed(3)} s`.padStart(8, ' ');
}

/** A tick label on a time axis whose ticks are `step` ms apart. @param {number} ms @param {number} step */
export function tickLabel(ms, step) {
  if (ms === 0) return '0';
  if (ms < 1000) return `${+ms.toPrecision(6)} ms`;
  const decimals = step % 1000 === 0 ? 0 : step % 100 === 0 ? 1 : step % 10 === 0 ? 2 : 3;
  return `${(ms / 1000).toFixed(decimals)} s`;
}

/** A speedup ratio: `1.98×`, `12.3×` (9.997 is `10.0×`, not `10.00×`). @param {number} ratio */
export function ratio(ratio) {
  return `${ratio.toFixed(ratio >= 9.995 ? 1 : 2)}×`;
}

/** Python's `print(list)` of values already printed as Python prints them. @param {string[]} values */
export function pythonList(values) {
  return `[${values.join(', ')}]`;
}

/** The default chunksize of Python's `Pool.map`: about four tasks per worker. */
export function defaultChunksize(/** @type {number} */ items, /** @type {number} */ workers) {
  return Math.max(1, Math.ceil(items / (4 * Math.max(1, workers))));
}
