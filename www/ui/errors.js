// What the page, the lessons and <webpool-demo> make of the API's errors. They go by the
// error's stable `code` (see `ErrorCode` in webpool.js), never by its message, which is a
// sentence for people and may change. This module imports nothing at run time, so the
// element can load it without loading the API.

/** @typedef {import('../webpool.js').ErrorCode} ErrorCode */
/** @typedef {import('../webpool.js').MapResult} MapResult */

/** The codes of a run that stopped and kept what it computed (a `RunError`). */
const STOPPED = new Set(['cancelled', 'task', 'crashed']);

/**
 * The error's code, if the API gave it one.
 * @param {unknown} error
 * @returns {ErrorCode | undefined}
 */
export function codeOf(error) {
  const code = /** @type {{ code?: unknown } | null} */ (error)?.code;
  return typeof code === 'string' ? /** @type {ErrorCode} */ (code) : undefined;
}

/**
 * What a run computed before it stopped (cancelled, a task failed, a worker crashed), or
 * null when `error` is not such a stop.
 * @param {unknown} error
 * @returns {MapResult | null}
 */
export function stoppedResult(error) {
  const code = codeOf(error);
  if (!code || !STOPPED.has(code)) return null;
  return /** @type {{ result?: MapResult }} */ (error).result ?? null;
}

/**
 * The error's sentence, for people.
 * @param {unknown} error
 */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
