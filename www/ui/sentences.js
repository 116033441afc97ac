// What a run says, in words: a task's line in the log and the run's outcome. The page and
// <webpool-demo> both speak through these, so a run reads the same wherever it is embedded.
// Pure functions of their arguments: no DOM.

import { count, duration, plural } from './format.js';
import { describe } from './labels.js';

/** @typedef {'done' | 'cancelled' | 'failed' | 'crashed'} RunStatus */

/** Said when the typed numbers hold a mistake; the mistake itself is shown at the field. */
export const FIX_NUMBERS = 'Fix the numbers first: the mistake is shown at the field.';

/**
 * What a kernel's results are called: `squares`, `cubes`, `Collatz steps`.
 * @param {string} kernel `square`, `cube` or `collatz`
 */
export function resultsOf(kernel) {
  return kernel === 'collatz' ? 'Collatz steps' : `${kernel}s`;
}

/**
 * A task starting, as the tutorial's `print(f"Computing square of {number}")`; a task of
 * several items also says which task it is and how many items it has.
 * @param {string} kernel `square`, `cube` or `collatz`
 * @param {string[]} inputs the inputs its start event named
 * @param {number} n how many items the task has
 * @param {number} task
 */
export function taskStarted(kernel, inputs, n, task) {
  return `Computing ${kernel} of ${describe(inputs, n)}${n > 1 ? ` (task ${task}, ${count(n)} items)` : ''}`;
}

/**
 * A task that ended without finishing: `Task 3 cancelled after 2 of 5 items`.
 * @param {number} task @param {string} status @param {number} done @param {number} n
 */
export function taskStopped(task, status, done, n) {
  return `Task ${task} ${status} after ${count(done)} of ${plural(n, 'item')}`;
}

/**
 * How a run ended, in one sentence: the run's state line, the log's last line, and what a
 * screen reader hears (never the results themselves).
 * @param {{ status: RunStatus, computed: number, wanted: number, ms: number, workers: number,
 *   error?: string }} run  `computed` of `wanted` results, in `ms`; `error` says why it stopped
 */
export function runOutcome({ status, computed, wanted, ms, workers, error }) {
  switch (status) {
    case 'done':
      return `Done: ${plural(computed, 'result')} in ${duration(ms)} on ${plural(workers, 'worker')}.`;
    case 'cancelled':
      return `Cancelled after ${count(computed)} of ${plural(wanted, 'result')}; the results computed so far are kept.`;
    case 'crashed':
      return `A worker crashed: ${error ?? 'it stopped'}. The results computed before it are kept; the next run starts a new worker.`;
    default:
      return `A task failed: ${error ?? 'unknown error'}. The results computed before it are kept.`;
  }
}

/**
 * A run in progress: `Running: squares of 5 numbers on 2 workers (sleep 300 ms per number)…`.
 * @param {{ what: string, items: number, workers: number, work: string, purpose?: string }} run
 */
export function running({ what, items, workers, work, purpose = '' }) {
  return `Running: ${what} of ${plural(items, 'number')} on ${plural(workers, 'worker')} (${work})${purpose ? `, ${purpose}` : ''}…`;
}

/**
 * Simulated work in words: `no simulated work`, `sleep 2,000 ms per number`.
 * @param {import('../webpool.js').Work} work
 */
export function describeWork(work) {
  return work.kind === 'none' ? 'no simulated work' : `${work.kind} ${count(work.ms ?? 0)} ms per number`;
}
