// The Timings panel's "Compare backends": a sentence saying what runs or what was found
// (a status region, so it is announced), the table of both backends and a note. The table
// sits outside the status region: announcing a whole table each time a row arrives would
// drown the sentence that matters.

import { scrollBox } from './compare.js';
import { duration, ratio } from './format.js';

/** @typedef {import('./compare.js').Row} Row */

export class ComparePanel {
  /**
   * @param {HTMLElement} box  #compare, holding .compare-text (role=status), .compare-table-box
   *   and .compare-note
   */
  constructor(box) {
    this.box = box;
    this.text = /** @type {HTMLElement} */ (box.querySelector('.compare-text'));
    this.table = /** @type {HTMLElement} */ (box.querySelector('.compare-table-box'));
    this.note = /** @type {HTMLElement} */ (box.querySelector('.compare-note'));
  }

  /**
   * The comparison's state, a sentence and (when given) its table and a note.
   * @param {'idle' | 'running' | 'done' | 'stopped'} state @param {string} text
   * @param {HTMLTableElement} [table] @param {string} [note]
   */
  show(state, text, table, note) {
    this.box.dataset.state = state;
    if (this.text.textContent !== text) this.text.textContent = text;
    this.table.replaceChildren(...(table ? [scrollBox(table)] : []));
    this.note.textContent = note ?? '';
  }

  /** Whether both backends gave the same results (null: not known, or not yet). @param {boolean | null} same */
  identical(same) {
    if (same === null) delete this.box.dataset.identical;
    else this.box.dataset.identical = String(same);
  }
}

/**
 * A sentence on a finished comparison: which backend took longer, by how much.
 * @param {Row} row
 */
export function compareSummary({ threads, processes, identical }) {
  const same = identical === true ? 'The results are identical.' : identical === false ? 'The results differ!' : '';
  if (threads?.status !== 'done' || processes?.status !== 'done') {
    const ran = [threads, processes].find((m) => m?.status === 'done');
    return ran ? `Measured on ${ran.backend}: ${duration(ran.wallMs)}.` : 'Neither backend finished.';
  }
  const r = processes.wallMs / Math.max(threads.wallMs, 1e-6);
  const how = r >= 1 ? `processes took ${ratio(r)} as long as threads` : `threads took ${ratio(1 / r)} as long as processes`;
  return `Measured here: ${how}. ${same}`.trim();
}
