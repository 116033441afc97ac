// How the log and the timeline name a task's items, from the inputs the engine sends with
// each start event: all of them for up to 4 items, otherwise the first three and the last,
// each as Python prints it.

const INTEGER = /^-?\d+$/;

/**
 * Whether `n` items with these inputs are the consecutive integers from the first to the last.
 * @param {string[]} inputs @param {number} n
 */
function consecutive(inputs, n) {
  if (n < 2 || !inputs.every((s) => INTEGER.test(s))) return false;
  const first = BigInt(inputs[0]);
  const shown = n <= 4 ? inputs : inputs.slice(0, 3);
  return shown.every((s, i) => BigInt(s) === first + BigInt(i))
    && BigInt(/** @type {string} */ (inputs.at(-1))) === first + BigInt(n - 1);
}

/**
 * Items for a log line: `3`; `1, 2, 3`; `1..125000` (consecutive integers); `4, 8, 15, … 42`.
 * @param {string[]} inputs @param {number} n how many items the task has
 */
export function describe(inputs, n) {
  if (n <= 4) return inputs.join(', ');
  const [a, b, c, last] = inputs;
  return consecutive(inputs, n) ? `${a}..${last}` : `${a}, ${b}, ${c}, … ${last}`;
}

/**
 * A short label for a timeline bar: `3`, `1..3`, `2.5–7`.
 * @param {string[]} inputs @param {number} n
 */
export function short(inputs, n) {
  if (n === 1) return inputs[0] ?? '';
  return `${inputs[0]}${consecutive(inputs, n) ? '..' : '–'}${inputs.at(-1)}`;
}
