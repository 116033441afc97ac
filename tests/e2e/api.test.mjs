// The JavaScript API as a tutorial author's script uses it, in the engine that WEBPOOL_ENGINE names
// (tests/e2e/browser.mjs; WebKitGTK runs the processes backend only), on both
// backends: every test runs once on threads and once on processes (both can run on the
// isolated page), and a last group runs on a plain static server that sends no headers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lacks, launch, serve, servePlain } from './browser.mjs';

let server;
let browser;
let page;

before(async () => {
  server = await serve();
  browser = await launch();
  page = await browser.newPage();
  // bench.html loads no pool of its own, so each test starts from a quiet page.
  await page.goto(new URL('bench.html', server.url).href);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** The backend the tests below ask for (each group sets it). */
let backend = 'threads';

/**
 * Runs `body(api)` in `on` (default: the isolated page), with the API module imported as
 * another site would; its `createPool` starts pools on the group's backend.
 */
function inPage(body, arg, on = page) {
  return on.evaluate(async ([source, arg, backend]) => {
    const imported = /** @type {typeof import('../../www/webpool.js')} */ (await import(`${location.origin}/webpool.js`));
    const api = { ...imported, createPool: (options) => imported.createPool({ backend, ...options }) };
    // eslint-disable-next-line no-new-func
    return new Function('api', 'arg', `return (${source})(api, arg);`)(api, arg);
  }, [body.toString(), arg, backend]);
}

/**
 * The Collatz steps of `n`, computed here with BigInt: an independent check of the engine's
 * `collatz` (src/kernel/collatz.rs).
 * @param {bigint} n
 */
function collatzSteps(n) {
  let steps = 0;
  for (; n !== 1n; steps++) n = n % 2n === 0n ? n / 2n : 3n * n + 1n;
  return steps;
}

/** Integers of every size the engine takes: small, around 2^64 and 2^128, 1000 digits. */
const COLLATZ_NUMBERS = [
  ...Array.from({ length: 30 }, (_, i) => String(i + 1)),
  '837799', '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551617',
  '6148914691236517203', '6148914691236517205', '1980976057694848447',
  String(2n ** 127n - 1n), String(2n ** 128n + 1n), String(2n ** 100n - 1n),
  `1${'0'.repeat(998)}1`, '9'.repeat(1000), String(3n ** 600n),
];

for (const name of ['threads', 'processes']) {
  describe(`on ${name}`, { skip: name === 'threads' && lacks('threads') }, () => {
    before(() => { backend = name; });

    test('map returns ordered results as Python prints them, with a report', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const squares = await pool.map('square', '1, 2, 3, 4, 5');
        const cubes = await pool.map('cube', new Float64Array([1, 2, 3, 0.1, -2.5]));
        // 2**40 is an exact integer in a double, so it is a Python int, and its square is exact.
        const big = await pool.map('square', [2 ** 40, 1e300]).catch((e) => e.result);
        pool.close();
        return { squares: squares.values, cubes: cubes.values, big: big.values, report: squares.report, backend: pool.backend };
      });
      assert.equal(out.backend, name);
      assert.deepEqual(out.squares, ['1', '4', '9', '16', '25']);
      assert.deepEqual(out.cubes, ['1', '8', '27', '0.0010000000000000002', '-15.625']);
      // 1e300 squared overflows, as in Python: its place stays empty and the run says why.
      assert.deepEqual(out.big, ['1208925819614629174706176', null]);
      assert.equal(out.report.status, 'done');
      assert.equal(out.report.items, 5);
      assert.equal(out.report.busyMs.length, 2);
    });

    test('task events arrive while the run goes on, on one clock for all workers', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const seen = [];
        let endsBeforeDone = 0;
        let settled = false;
        const stop = pool.onTask((e) => seen.push(e));
        const run = pool.map('square', '1..6', { work: { kind: 'sleep', ms: 150 }, chunksize: 1 });
        // Count the task ends that reach the page before the run's promise settles.
        const watcher = (async () => {
          while (!settled) {
            endsBeforeDone = seen.filter((e) => e.type === 'end').length;
            await new Promise((r) => setTimeout(r, 10));
          }
        })();
        const result = await run.finally(() => { settled = true; });
        await watcher;
        stop();
        pool.close();
        return { seen, endsBeforeDone, wallMs: result.report.wallMs };
      });
      const ends = out.seen.filter((e) => e.type === 'end');
      assert.equal(ends.length, 6);
      assert.ok(out.endsBeforeDone >= 2, `events were live: ${out.endsBeforeDone} ends seen before the end`);
      assert.deepEqual(new Set(ends.map((e) => e.worker)), new Set([0, 1]));
      // Two workers, six tasks: three rounds, each pair overlapping in time.
      const byStart = [...ends].sort((a, b) => a.start - b.start);
      for (let i = 0; i < 6; i += 2) {
        const [a, b] = byStart.slice(i, i + 2);
        assert.ok(a.start < b.finish && b.start < a.finish, `round ${i / 2} overlaps`);
      }
    });

    test('typed arrays in (moved when asked) and out: toTypedArray', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const big = 3_037_000_499n; // the largest integer whose square fits in 64 bits
        const ints = new BigInt64Array([1n, -2n, big, -(2n ** 63n)]);
        const fromBig = await pool.map('square', ints.subarray(0, 3));
        const squares = await fromBig.toTypedArray();
        // Moved, not copied: the caller's array is detached.
        const moved = new Int32Array(100_000).map((_, i) => i);
        const many = await pool.map('square', moved, { transfer: true });
        const detached = moved.length;
        const manyTyped = await many.toTypedArray();
        const floats = await (await pool.map('square', new Float64Array([0.5, 1.5]))).toTypedArray();
        const refusal = async (promise) => promise.then(() => 'resolved', (e) => `${e.code}: ${e.message}`);
        const past64 = await refusal((await pool.map('square', ints.subarray(3))).toTypedArray());
        const mixed = await refusal((await pool.map('square', '2 0.5')).toTypedArray());
        const failed = await pool.map('square', [2, 1e300]).catch((e) => e.result);
        const partial = await refusal(failed.toTypedArray());
        many.release();
        const released = await refusal(many.toTypedArray());
        pool.close();
        return {
          squares: [...squares].map(String), kind: squares.constructor.name, detached, manyLength: manyTyped.length,
          manyLast: String(manyTyped[99_999]), floats: [...floats], floatKind: floats.constructor.name, past64, mixed, partial, released,
          values: fromBig.values,
        };
      });
      assert.deepEqual(out.squares, ['1', '4', String(3_037_000_499n ** 2n)]);
      assert.deepEqual(out.values, out.squares, 'the same as the strings');
      assert.equal(out.kind, 'BigInt64Array');
      assert.equal(out.detached, 0, 'the Int32Array was moved to the engine');
      assert.equal(out.manyLength, 100_000);
      assert.equal(out.manyLast, String(99_999 ** 2));
      assert.deepEqual(out.floats, [0.25, 2.25]);
      assert.equal(out.floatKind, 'Float64Array');
      assert.match(out.past64, /^input: the results do not all fit one typed array/);
      assert.match(out.mixed, /^input: the results do not all fit one typed array/);
      assert.match(out.partial, /^input: only 1 of 2 results were computed/);
      assert.match(out.released, /^released: /);
    });

    test('onTasks hears every event in batches, the same as onTask one by one', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const one = [];
        const batched = [];
        let batches = 0;
        await pool.map('square', '1..3000', {
          chunksize: 1,
          onTask: (e) => one.push(`${e.type} ${e.task} ${e.worker} ${e.inputs ?? ''}`),
          onTasks: (batch) => {
            batches += 1;
            for (let i = 0; i < batch.length; i++) {
              batched.push(`${batch.isStart(i) ? 'start' : 'end'} ${batch.task(i)} ${batch.worker(i)} ${batch.isStart(i) ? batch.inputs(i) : ''}`);
            }
          },
        });
        pool.close();
        return { one, batched, batches };
      });
      assert.equal(out.one.length, 6000);
      assert.deepEqual(out.batched, out.one);
      assert.ok(out.batches >= 1 && out.batches < 6000, `${out.batches} batches`);
      assert.ok(out.one.includes('start 2999 0 3000') || out.one.includes('start 2999 1 3000'));
    });

    test('imapUnordered yields results as tasks finish', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const order = [];
        // Task 0 holds three slow items and task 1 one, so item 3 comes first.
        for await (const { index, value } of pool.imapUnordered('square', '1 2 3 4', { chunksize: 3, work: { kind: 'sleep', ms: 60 } })) {
          order.push([index, value]);
        }
        pool.close();
        return order;
      });
      assert.deepEqual(out, [[3, '16'], [0, '1'], [1, '4'], [2, '9']]);
    });

    test('cancel stops a run, keeps what was done, and the pool runs again', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        let ends = 0;
        const started = performance.now();
        const run = pool.map('square', '1..40', {
          work: { kind: 'sleep', ms: 100 }, chunksize: 1,
          onTask: (e) => { if (e.type === 'end' && ++ends === 4) pool.cancel(); },
        });
        const error = await run.then(() => null, (e) => e);
        const elapsed = performance.now() - started;
        const again = await pool.map('cube', '1 2 3');
        pool.close();
        return { name: error?.name, done: error?.result.length, kept: error?.result.head, elapsed, again: again.values };
      });
      assert.equal(out.name, 'CancelledError');
      assert.ok(out.done >= 4 && out.done < 40, `kept ${out.done}`);
      assert.deepEqual(out.kept.slice(0, 4), ['1', '4', '9', '16']);
      assert.deepEqual(out.again, ['1', '8', '27']);
    });

    test('a cancel reaches a run of a million tiny tasks, and what ended before it is kept', { timeout: 120000 }, async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        let shown = 0;
        const running = pool.map('square', '1..1000000', {
          chunksize: 1,
          // Cancelled once the run is well under way: its events are arriving.
          onTask: (e) => { if (e.type === 'end' && ++shown === 1000) pool.cancel(); },
        }).then(() => null, (e) => e);
        const error = await running;
        const report = error?.result.report;
        const kept = report && await error.result.slice(0, Math.min(report.items, 2000));
        pool.close();
        return { code: error?.code, status: report?.status, done: report?.done, skipped: report?.skippedEvents, shown, kept };
      });
      // The cancel comes with the first thousand of two million events: long before the end.
      assert.equal(out.code, 'cancelled');
      assert.equal(out.status, 'cancelled');
      assert.ok(out.done >= 1000 && out.done < 1000000, `kept ${out.done}`);
      // Every result kept is right, and sits at its place.
      out.kept.forEach((v, i) => { if (v !== null) assert.equal(v, String((i + 1) ** 2)); });
      assert.ok(out.skipped >= 0);
    });

    test('bad input and failing tasks are reported with what and where', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const input = await pool.map('square', '1, 2, 3x').catch((e) => ({ name: e.name, message: e.message, token: e.token, item: e.item, start: e.start, end: e.end }));
        const empty = await pool.parse(' , ').catch((e) => e.message);
        const overflow = await pool.map('square', '2.5 1e200').catch((e) => ({ name: e.name, message: e.message, kept: e.result.values }));
        const preview = await pool.parse('1..1000000');
        pool.close();
        return { input, empty, overflow, preview };
      });
      assert.deepEqual(out.input, { name: 'InputError', message: '"3x" (item 3) is not a number', token: '3x', item: 3, start: 6, end: 8 });
      assert.match(out.empty, /empty|no numbers/i);
      assert.equal(out.overflow.name, 'TaskError');
      assert.match(out.overflow.message, /1e\+200/);
      assert.match(out.overflow.message, /OverflowError/);
      assert.deepEqual(out.preview.first, ['1', '2', '3', '4', '5']);
      assert.equal(out.preview.length, 1000000);
    });

    test('collatz computes exactly on integers of every size, as BigInt does, and fails like Python outside its domain', async () => {
      const numbers = COLLATZ_NUMBERS.join(' ');
      const out = await inPage(async ({ createPool }, numbers) => {
        const pool = await createPool({ workers: 2 });
        const text = await pool.map('collatz', numbers, { chunksize: 3 });
        const typed = await pool.map('collatz', new Int32Array([1, 27, 97, 837799, 2147483647]));
        const zero = await pool.map('collatz', '27 97 0 5').catch((e) => ({ code: e.code, message: e.message, kept: e.result.values }));
        const float = await pool.map('collatz', new Float64Array([27, 2.5])).catch((e) => ({ code: e.code, message: e.message }));
        pool.close();
        return { text: text.values, typed: typed.values, zero, float };
      }, numbers);
      assert.deepEqual(out.text, COLLATZ_NUMBERS.map((n) => String(collatzSteps(BigInt(n)))));
      assert.deepEqual(out.typed, ['0', '111', '118', '524', '450']);
      assert.equal(out.zero.code, 'task');
      // Python's default chunksize for 4 numbers on 2 workers is 1: item 3 is task 2.
      assert.equal(out.zero.message, 'task 2 failed on item 3 (input 0): ValueError: collatz_steps() is defined for positive integers only');
      assert.deepEqual(out.zero.kept.slice(0, 2), ['111', '118']);
      assert.equal(out.float.code, 'task');
      assert.match(out.float.message, /\(input 2\.5\): TypeError: 'float' object cannot be interpreted as an integer$/);
    });

    test('a cancel reaches collatz tasks while they compute', async () => {
      // 4 tasks of 600 numbers of 1000 digits: each task computes for a few hundred ms (about
      // 0.3-0.5 ms a number), so a cancel 40 ms after the first start finds them under way.
      const numbers = Array.from({ length: 2400 }, (_, k) => `1${'0'.repeat(995)}${String(k + 1).padStart(4, '0')}`).join(' ');
      const out = await inPage(async ({ createPool }, numbers) => {
        const pool = await createPool({ workers: 2 });
        let cancelledAt = 0;
        const settled = pool.map('collatz', numbers, {
          chunksize: 600,
          onTask: (e) => {
            if (e.type === 'start' && !cancelledAt) {
              cancelledAt = -1;
              setTimeout(() => { cancelledAt = performance.now(); pool.cancel(); }, 40);
            }
          },
        }).then(() => null, (e) => e);
        const error = await settled;
        const afterCancel = performance.now() - cancelledAt;
        pool.close();
        return { code: error?.code, done: error?.result.report.done, afterCancel };
      }, numbers);
      assert.equal(out.code, 'cancelled');
      // The tasks under way stopped part-way, between two numbers, rather than at their end.
      assert.ok(out.done > 0 && out.done % 600 !== 0, `${out.done} numbers computed`);
      assert.ok(out.afterCancel < 1000, `the run ended ${Math.round(out.afterCancel)} ms after the cancel`);
    });

    test('a task that panics fails its run with the message, and the pool goes on', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const errors = [];
        const onError = (e) => errors.push(e.message);
        self.addEventListener('error', onError);
        const failed = await pool.map('panic', '1..8', { chunksize: 2 }).then(
          () => null,
          (e) => ({ name: e.name, message: e.message, status: e.result.report.status, error: e.result.report.error }),
        );
        // The same pool, without a reload: twice, so a replaced engine is used too.
        const again = await pool.map('square', '1..8', { chunksize: 2 });
        const lesson = await pool.runLesson('q5', { timeScale: 0.01 });
        pool.close();
        self.removeEventListener('error', onError);
        return { failed, again: again.values, lesson: lesson.lines.at(-1), errors };
      });
      assert.equal(out.failed?.name, 'TaskError');
      assert.equal(out.failed.status, 'failed');
      assert.match(out.failed.message, /^task \d+ panicked: a bug in the task computing \d+$/);
      assert.equal(out.failed.error.item, out.failed.error.task * 2);
      assert.deepEqual(out.again, ['1', '4', '9', '16', '25', '36', '49', '64']);
      assert.equal(out.lesson, 'Squares: [1, 4, 9, 16, 25]');
      assert.deepEqual(out.errors, []);
    });

    test("a lesson's task bars start when its Computing lines are printed", async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const printed = [];
        const starts = [];
        await pool.runLesson('q1', {
          timeScale: 0.05,
          onPrint: (text, at) => printed.push({ text, at }),
          onTask: (e) => { if (e.kind === 'taskStart') starts.push(e); },
        });
        pool.close();
        return { printed, starts };
      });
      // Q1 maps squares (run 0), then cubes (run 1), over 1..5 in tasks of one number.
      const computing = out.printed.filter((p) => p.text.startsWith('Computing'));
      assert.equal(computing.length, 10);
      assert.equal(out.starts.length, 10);
      for (const start of out.starts) {
        const text = `Computing ${start.run === 0 ? 'square' : 'cube'} of ${start.item + 1}`;
        const line = computing.find((p) => p.text === text);
        assert.ok(line, `${text} was printed`);
        // The same moment: a task prints as it starts. (Placed from a run's earlier start, the
        // bars of the processes backend were off by its workers' start-up time.)
        assert.equal(line.at, start.at, `${text}: printed at ${line.at} ms, bar at ${start.at} ms`);
      }
    });

    test('resize takes effect on the next run without reloading', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 1 });
        const workersOf = async () => {
          const workers = new Set();
          await pool.map('square', '1..8', { work: { kind: 'sleep', ms: 30 }, chunksize: 1, onTask: (e) => workers.add(e.worker) });
          return workers.size;
        };
        const one = await workersOf();
        await pool.resize(4);
        const four = await workersOf();
        await pool.resize(2);
        const two = await workersOf();
        pool.close();
        return { one, four, two, threads: pool.threads };
      });
      assert.deepEqual([out.one, out.four, out.two], [1, 4, 2]);
    });

    test('a large run keeps its results in the engine and hands them out on request', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const result = await pool.map('square', '1..200000');
        const slice = await result.slice(99_999, 100_001);
        const text = await result.text();
        result.release();
        const released = await result.slice(0, 1).catch((e) => e.message);
        pool.close();
        return { values: result.values, head: result.head, tail: result.tail, slice, lines: text.split('\n').length - 1, released };
      });
      assert.equal(out.values, null);
      assert.deepEqual(out.head, ['1', '4', '9', '16', '25']);
      assert.equal(out.tail.at(-1), '40000000000');
      assert.deepEqual(out.slice, ['10000000000', '10000200001']);
      assert.equal(out.lines, 200000);
      assert.match(out.released, /released/);
    });

    test('overlapping calls all settle: resizes, a lesson during a resize, a map during a close', { timeout: 120000 }, async () => {
      const out = await inPage(async ({ createPool }) => {
        const settle = (promise) => promise.then((value) => ({ ok: true, value }), (e) => ({ ok: false, code: e.code, message: e.message }));
        const pool = await createPool({ workers: 2 });
        const resizes = await Promise.all([settle(pool.resize(4)), settle(pool.resize(8))]);
        const afterResizes = { state: pool.state, threads: pool.threads, workers: pool.workers };
        const lessonAndResize = await Promise.all([settle(pool.runLesson('q4', { timeScale: 0.01 })), settle(pool.resize(16))]);
        const mapAfter = await settle(pool.map('square', '1..3'));
        const running = settle(pool.map('square', '1..4', { work: { kind: 'sleep', ms: 10000 }, chunksize: 1 }));
        pool.close();
        pool.close();
        const later = await Promise.all([
          settle(pool.map('square', '1')), settle(pool.parse('1')), settle(pool.runLesson('q1')),
          settle(pool.resize(2)), settle(pool.imapUnordered('square', '1').next()),
        ]);
        return { resizes, afterResizes, lessonAndResize, mapAfter: mapAfter.ok && mapAfter.value.values, running: await running, later, state: pool.state };
      });
      assert.deepEqual(out.resizes.map((r) => r.ok), [true, true]);
      assert.equal(out.afterResizes.state, 'ready');
      assert.equal(out.afterResizes.workers, 8);
      if (name === 'threads') assert.ok(out.afterResizes.threads >= 8, `${out.afterResizes.threads} threads`);
      // The lesson either ran to its end or was stopped by the new engine, and says which.
      const [lesson, resize] = out.lessonAndResize;
      assert.ok(resize.ok, resize.message);
      assert.ok(lesson.ok ? lesson.value.outcome === 'ok' : lesson.code === 'restarted', JSON.stringify(lesson));
      assert.deepEqual(out.mapAfter, ['1', '4', '9']);
      assert.equal(out.running.code, 'closed');
      assert.deepEqual(out.later.map((r) => r.code), ['closed', 'closed', 'closed', 'closed', 'closed']);
      assert.equal(out.state, 'closed');
    });

    test('calls in any order and overlap settle, and every rejection has a code', { timeout: 240000 }, async () => {
      const out = await inPage(async ({ createPool }) => {
        const codes = new Set(['input', 'cancelled', 'task', 'crashed', 'released', 'restarted', 'closed', 'unsupported']);
        // A small seeded generator, so that a failing sequence can be replayed.
        let seed = 12345;
        const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed >>> 16) % n; };
        const calls = [
          (p) => p.map('square', '1..200', { chunksize: 1 }),
          (p) => p.map('cube', '1..6', { work: { kind: 'sleep', ms: 30 }, chunksize: 1 }),
          (p) => p.map('square', '1 2 oops'),
          (p) => p.map('square', '1..4 1e200', { chunksize: 1 }),
          async (p) => { for await (const { index } of p.imapUnordered('square', '1..50')) if (index > 10) break; },
          (p) => p.runLesson('q5', { timeScale: 0.005 }),
          (p) => p.resize(1 + random(6)),
          async (p) => p.cancel(),
          (p) => p.parse('1..10'),
          (p) => p.map('square', '1..20').then((r) => { r.release(); return r.slice(0, 2); }),
        ];
        const seen = { ok: 0, codes: {}, uncoded: [] };
        for (let round = 0; round < 12; round++) {
          const pool = await createPool({ workers: 1 + random(3) });
          const pending = [];
          const steps = 3 + random(6);
          for (let i = 0; i < steps; i++) pending.push(Promise.resolve().then(() => calls[random(calls.length)](pool)));
          if (random(2)) pending.push(Promise.resolve().then(() => pool.close()));
          for (const outcome of await Promise.allSettled(pending)) {
            if (outcome.status === 'fulfilled') seen.ok++;
            else if (codes.has(outcome.reason?.code)) seen.codes[outcome.reason.code] = (seen.codes[outcome.reason.code] ?? 0) + 1;
            else seen.uncoded.push(String(outcome.reason));
          }
          // Whatever happened, a pool that is not closed still works.
          if (pool.state !== 'closed') {
            const again = await pool.map('square', '3');
            if (again.values[0] !== '9') seen.uncoded.push(`after round ${round}: ${again.values}`);
          }
          pool.close();
        }
        return seen;
      });
      assert.deepEqual(out.uncoded, []);
      assert.ok(out.ok > 0);
      // The sequences do reach the interesting overlaps.
      // (Only threads restart their engine to grow.)
      const expected = ['input', 'task', 'closed', 'cancelled', ...(name === 'threads' ? ['restarted'] : [])];
      for (const code of expected) assert.ok(out.codes[code] > 0, `${code}: ${JSON.stringify(out.codes)}`);
    });

    test('lessons side by side, a lesson cancelled while it waits, and bad options all settle', { timeout: 120000 }, async () => {
      const out = await inPage(async ({ createPool }) => {
        const settle = (promise) => promise.then((value) => ({ ok: true, status: value?.status, lines: value?.lines }), (e) => ({ ok: false, code: e.code }));
        const pool = await createPool({ workers: 2 });
        // Two lessons whose drivers would each hold a thread while waiting for a process.
        const pair = await Promise.all([settle(pool.runLesson('q3', { timeScale: 0.01 })), settle(pool.runLesson('q3', { timeScale: 0.01 }))]);
        // Cancelled while its process starts, or while it waits for its engine.
        const early = pool.runLesson('q3', { timeScale: 1 });
        const earlier = pool.runLesson('q2', { timeScale: 1 });
        await new Promise((resolve) => setTimeout(resolve, 0));
        pool.cancel();
        const cancelled = await Promise.all([settle(early), settle(earlier)]);
        const bad = await Promise.all([
          settle(pool.runLesson('q1', { timeScale: 1e20 })),
          settle(pool.map('squre', '1')),
          settle(pool.map('square', '1', { work: { kind: 'sleep', ms: -1 } })),
          settle(pool.map('square', '1', { work: /** @type {any} */ ({ kind: 'sleep', ms: () => 1 }) })),
        ]);
        const after = await pool.map('square', '1..3');
        pool.close();
        return { pair, cancelled, bad, after: after.values };
      });
      for (const lesson of out.pair) {
        assert.ok(lesson.ok && lesson.status === 'done', JSON.stringify(lesson));
        assert.equal(lesson.lines.at(-1), 'Process has finished execution');
      }
      // A cancel that comes while a lesson waits, or while its process starts, ends it.
      for (const lesson of out.cancelled) assert.ok(lesson.ok && lesson.status === 'cancelled', JSON.stringify(lesson));
      assert.deepEqual(out.bad.map((r) => r.code), ['input', 'input', 'input', 'input']);
      assert.deepEqual(out.after, ['1', '4', '9']);
    });

    test('an engine that dies fails what waited on it as crashed, and the next call replaces it', { timeout: 60000, skip: lacks('workers') }, async () => {
      const engines = () => page.workers().filter((w) => w.url().endsWith('/engine.js'));
      const before = new Set(engines());
      await inPage(async ({ createPool }) => { self.testPool = await createPool({ workers: 2 }); });
      const mine = engines().filter((w) => !before.has(w));
      assert.equal(mine.length, 1);
      const [engine] = mine;
      const running = page.evaluate(() => self.testPool.map('square', '1..4', { work: { kind: 'sleep', ms: 10000 }, chunksize: 1 })
        .then(() => 'resolved', (e) => e.code));
      // The run has started once its first task has: then the engine dies.
      await page.waitForFunction(() => self.testPool.state === 'ready');
      await engine.evaluate(() => self.close());
      assert.equal(await running, 'crashed');
      const again = await page.evaluate(async () => {
        const result = await self.testPool.map('cube', '1..3');
        self.testPool.close();
        return result.values;
      });
      assert.deepEqual(again, ['1', '8', '27']);
    });

    test('results are released: by the caller, by imapUnordered, and when a caller forgets them', { timeout: 60000, skip: lacks('gc') }, async () => {
      const cdp = await page.context().newCDPSession(page);
      const held = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        self.testPool = pool;
        const big = '1..20000';
        const start = await pool._stats();
        const kept = await pool.map('square', big);
        const keptStats = await pool._stats();
        kept.release();
        kept.release();
        const released = await kept.slice(0, 2).then(() => null, (e) => e.code);
        for await (const _ of pool.imapUnordered('square', '1..100')) { /* all of it */ }
        for await (const { index } of pool.imapUnordered('square', '1..100')) if (index > 3) break;
        // Forgotten: never released by the caller.
        for (let i = 0; i < 5; i++) await pool.map('square', big);
        return { start: start.runs, kept: keptStats.runs, released, forgotten: (await pool._stats()).runs };
      });
      assert.equal(held.kept, held.start + 1);
      assert.equal(held.released, 'released');
      assert.equal(held.forgotten, held.start + 5, 'five forgotten results, and nothing else, are held');
      // Once the garbage collector has them, the engine frees them too.
      let runs = held.forgotten;
      for (let i = 0; i < 50 && runs > held.start; i++) {
        await cdp.send('HeapProfiler.collectGarbage');
        runs = await page.evaluate(() => self.testPool._stats().then((s) => s.runs));
      }
      await page.evaluate(() => self.testPool.close());
      assert.equal(runs, held.start);
    });

    test('lessons run from the API and print the notebook lines', async () => {
      const out = await inPage(async ({ createPool }) => {
        const pool = await createPool({ workers: 2 });
        const q3 = await pool.runLesson('q3', { timeScale: 0.02 });
        const ids = pool.lessons.map((l) => l.id);
        pool.close();
        return { q3, ids };
      });
      assert.deepEqual(out.ids, ['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
      assert.equal(out.q3.outcome, 'ok');
      assert.deepEqual(out.q3.lines, ['Number: 1', 'Number: 2', 'Number: 3', 'Number: 4', 'Number: 5', 'Process has finished execution']);
    });
  });
}

test('a worker process that dies mid-run fails the run as crashed, keeps what was done, and is replaced', { timeout: 60000, skip: lacks('workers') }, async () => {
  // Threads cannot be stopped from outside: their Web Workers are busy in WebAssembly.
  backend = 'processes';
  const processes = () => page.workers().filter((w) => w.url().endsWith('/process.js'));
  const before = new Set(processes());
  await inPage(async ({ createPool }) => { self.testPool = await createPool({ workers: 2 }); });
  const mine = processes().filter((w) => !before.has(w));
  assert.equal(mine.length, 2);
  const running = page.evaluate(() => {
    self.testDone = 0;
    return self.testPool.map('square', '1..6', {
      work: { kind: 'sleep', ms: 300 },
      chunksize: 1,
      onTask: (e) => { if (e.type === 'end') self.testDone++; },
    }).then(() => null, (e) => ({ code: e.code, message: e.message, status: e.result?.report.status, values: e.result?.values }));
  });
  // Once two tasks are done (the first round), worker 0 dies in its second.
  await page.waitForFunction(() => self.testDone >= 2);
  await mine[0].evaluate(() => self.close());
  const failed = await running;
  assert.equal(failed?.code, 'crashed');
  assert.equal(failed.status, 'crashed');
  assert.match(failed.message, /was lost: worker process \d+ stopped/);
  const kept = failed.values.filter((v) => v !== null);
  assert.ok(kept.length >= 2, `kept ${JSON.stringify(failed.values)}`);
  failed.values.forEach((v, i) => { if (v !== null) assert.equal(v, String((i + 1) ** 2)); });
  const again = await page.evaluate(async () => {
    const result = await self.testPool.map('square', '1..6', { chunksize: 1 });
    self.testPool.close();
    return result.values;
  });
  assert.deepEqual(again, ['1', '4', '9', '16', '25', '36']);
});

/**
 * What a run shows a person, without what may differ between two runs (which worker, and
 * when): its results, its report's outcome, and its log lines as a set.
 */
async function runsOnBothBackends() {
  return page.evaluate(async () => {
    const { createPool } = /** @type {typeof import('../../www/webpool.js')} */ (await import(`${location.origin}/webpool.js`));
    /** @type {[import('../../www/webpool.js').KernelName, string, import('../../www/webpool.js').MapOptions][]} */
    const runs = [
      ['square', '1, 2, 3, 4, 5', {}],
      ['cube', '1..1000', { chunksize: 7 }],
      ['square', '0.1 -2.5 1e8 123456789012345678901234567890 -7 0', { chunksize: 1 }],
      ['cube', '1..6', { work: { kind: 'sleep', ms: 20 }, chunksize: 2 }],
      ['square', '1..5', { work: { kind: 'spin', ms: 5 } }],
      // The failure is in the last task, so that every task was handed out before it failed
      // (a task after a failure may or may not start, on either backend).
      ['square', '3 4 5 6 1e300', { chunksize: 2 }],
      ['square', '1..30000', {}],
    ];
    const shown = {};
    for (const backend of /** @type {const} */ (['threads', 'processes'])) {
      const pool = await createPool({ workers: 3, backend });
      shown[backend] = [];
      for (const [kernel, numbers, options] of runs) {
        const lines = [];
        const onTask = (e) => lines.push(e.type === 'start'
          ? `task ${e.task} computes ${kernel} of ${e.inputs.join(', ')} (items ${e.first} to ${e.end})`
          : `task ${e.task} ${e.status} after ${e.done} of ${e.end - e.first}`);
        const result = await pool.map(kernel, numbers, { ...options, onTask }).catch((e) => e.result);
        const { status, items, done, workers, error } = result.report;
        shown[backend].push({ values: result.values, head: result.head, tail: result.tail, report: { status, items, done, workers, error }, lines: lines.sort() });
      }
      pool.close();
    }
    return shown;
  });
}

test('both backends give the same results and the same log lines for the same runs', { skip: lacks('threads') }, async () => {
  const shown = await runsOnBothBackends();
  assert.equal(shown.threads.length, 7);
  shown.threads.forEach((threads, i) => {
    assert.deepEqual(shown.processes[i], threads, `run ${i}`);
  });
  // The runs did what they say, so the comparison compared something.
  assert.deepEqual(shown.threads[0].values, ['1', '4', '9', '16', '25']);
  assert.equal(shown.threads[1].lines.length, 2 * Math.ceil(1000 / 7));
  assert.equal(shown.threads[5].report.status, 'failed');
  assert.equal(shown.threads[5].report.error.input, '1e+300');
  assert.deepEqual(shown.threads[5].values, ['9', '16', '25', '36', null]);
});

describe('on a plain static server (no COOP/COEP headers)', () => {
  let plain;
  let plainPage;
  before(async () => {
    plain = await servePlain();
    plainPage = await browser.newPage();
    await plainPage.goto(new URL('bench.html', plain.url).href);
  });
  after(() => plain?.stop());

  test('auto picks processes and says why; threads are refused with the reason', async () => {
    backend = 'auto';
    const out = await inPage(async ({ createPool }) => {
      const pool = await createPool({ workers: 2 });
      const squares = await pool.map('square', '1..5', { work: { kind: 'sleep', ms: 10 } });
      const q6 = await pool.runLesson('q6');
      pool.close();
      const threads = await createPool({ workers: 2, backend: 'threads' }).then(() => 'started', (e) => e.message);
      return { isolated: crossOriginIsolated, backend: pool.backend, reason: pool.backendReason, values: squares.values, q6: q6.lines, threads };
    }, undefined, plainPage);
    assert.equal(out.isolated, false);
    assert.equal(out.backend, 'processes');
    assert.match(out.reason, /not cross-origin isolated/);
    assert.deepEqual(out.values, ['1', '4', '9', '16', '25']);
    assert.equal(out.q6.at(-1), 'All processes have finished execution');
    assert.deepEqual(out.q6.slice(0, 4).sort(), [1, 2, 3, 4].map((n) => `Process printing number: ${n}`));
    assert.match(out.threads, /cross-origin isolated/);
  });
});
