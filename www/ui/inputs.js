// The numbers a person typed, as the log names them: `Computing square of 3`.
//
// Task events name items by index (`first..end`); the engine keeps the numbers themselves.
// This module reads the text again, the way the core's parser does (separators, integers,
// decimals, ranges `a..b`), lazily: a range of a million is one segment, not a million
// strings. It is only trusted when it agrees with the engine's own parse (`pool.parse`:
// count, first and last numbers); otherwise the log names items by position.

import { pythonFloat } from './format.js';

/** Runs of anything but the core's separators: ASCII space, \t..\r, commas, brackets, Unicode spaces. */
const TOKEN = /[^\t-\r ,[\]\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][+-]?[0-9]+)?$/;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * One token of the text: a single number or a range.
 * @typedef {object} Segment
 * @property {number} index  input index of its first number
 * @property {number} count  how many numbers it holds
 * @property {number} from   where the token starts in the text (UTF-16)
 * @property {number} to     where it ends
 * @property {string} [value] the number as Python prints it (single numbers)
 * @property {bigint} [start] the first number of a range
 */

export class InputLabels {
  /** @param {Segment[]} segments @param {number} length @param {boolean} trusted */
  constructor(segments, length, trusted) {
    this.segments = segments;
    this.length = length;
    /** Whether these labels agree with the engine's parse; if not, items are named by position. */
    this.trusted = trusted;
  }

  /**
   * Reads `text`, and checks the reading against the engine's `preview`
   * (`{ length, first, last }` from `pool.parse`).
   * @param {string} text
   * @param {{ length: number, first: string[], last: string[] }} preview
   */
  static read(text, preview) {
    const segments = segment(text);
    const length = segments ? segments.reduce((n, s) => n + s.count, 0) : 0;
    const labels = new InputLabels(segments ?? [], preview.length, false);
    if (segments && length === preview.length) {
      const first = preview.first.map((_, i) => labels.#value(i));
      const last = preview.last.map((_, i) => labels.#value(length - preview.last.length + i));
      labels.trusted = first.join() === preview.first.join() && last.join() === preview.last.join();
    }
    return labels;
  }

  /** The segment holding input index `i`. @param {number} i */
  segmentOf(i) {
    const s = this.segments;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid].index <= i) lo = mid;
      else hi = mid - 1;
    }
    return s[lo];
  }

  /** @param {number} i */
  #value(i) {
    const seg = this.segmentOf(i);
    if (!seg) return '?';
    return seg.start === undefined ? /** @type {string} */ (seg.value) : String(seg.start + BigInt(i - seg.index));
  }

  /** Input number `i` as Python prints it, or `item 4` when untrusted. @param {number} i */
  label(i) {
    return this.trusted ? this.#value(i) : `item ${i + 1}`;
  }

  /**
   * Items `first..end` for a log line: `3`; `1, 2, 3`; `1..125000` (when they are one
   * typed range); `4, 8, 15, … 42` otherwise.
   * @param {number} first @param {number} end
   */
  describe(first, end) {
    const n = end - first;
    if (!this.trusted) return n === 1 ? `item ${first + 1}` : `items ${first + 1}–${end}`;
    if (n <= 4) {
      const parts = [];
      for (let i = first; i < end; i++) parts.push(this.#value(i));
      return parts.join(', ');
    }
    const a = this.segmentOf(first);
    if (a.start !== undefined && a === this.segmentOf(end - 1)) return `${this.#value(first)}..${this.#value(end - 1)}`;
    return `${this.#value(first)}, ${this.#value(first + 1)}, ${this.#value(first + 2)}, … ${this.#value(end - 1)}`;
  }

  /** A short label for a timeline bar: `3`, `1–3`, `1..125000`. @param {number} first @param {number} end */
  short(first, end) {
    if (!this.trusted) return end - first === 1 ? `#${first + 1}` : `#${first + 1}–${end}`;
    if (end - first === 1) return this.#value(first);
    const a = this.segmentOf(first);
    const sep = a.start !== undefined && a === this.segmentOf(end - 1) ? '..' : '–';
    return `${this.#value(first)}${sep}${this.#value(end - 1)}`;
  }

  /** Where input index `i` was typed: `{ from, to }` in the text, if known. @param {number} i */
  span(i) {
    const seg = this.trusted ? this.segmentOf(i) : undefined;
    return seg ? { from: seg.from, to: seg.to } : undefined;
  }
}

/** @param {string} text @returns {Segment[] | null} null if a token is not understood */
function segment(text) {
  /** @type {Segment[]} */
  const segments = [];
  let index = 0;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const from = match.index ?? 0;
    const to = from + token.length;
    if (INTEGER.test(token)) {
      segments.push({ index, count: 1, from, to, value: BigInt(token).toString() });
      index += 1;
      continue;
    }
    const dots = token.indexOf('..');
    if (dots >= 0) {
      const a = token.slice(0, dots);
      const b = token.slice(dots + 2);
      if (!INTEGER.test(a) || !INTEGER.test(b)) return null;
      const start = BigInt(a);
      const end = BigInt(b);
      if (start < I64_MIN || end > I64_MAX || end < start || end - start >= 2n ** 32n) return null;
      const count = Number(end - start + 1n);
      segments.push({ index, count, from, to, start });
      index += count;
      continue;
    }
    if (DECIMAL.test(token)) {
      const x = Number(token);
      if (!Number.isFinite(x)) return null;
      segments.push({ index, count: 1, from, to, value: pythonFloat(x) });
      index += 1;
      continue;
    }
    return null;
  }
  return segments;
}
