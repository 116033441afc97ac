// A run's clock on the page (www/ui/clock.js), with `performance.now()` under the test's control.
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { RunClock } from '../../www/ui/clock.js';

let now = 0;
beforeEach(() => {
  now = 1000;
  mock.method(performance, 'now', () => now);
});
afterEach(() => mock.restoreAll());

describe('RunClock', () => {
  test('before any event, the run started when the clock was made', () => {
    const clock = new RunClock();
    now += 250;
    assert.equal(clock.now(), 250);
  });

  test('the first event sets the start, even a later one', () => {
    const clock = new RunClock();
    now += 100;
    // Stamped 40 ms into the run, it arrives 100 ms after the clock was made: the run
    // started 60 ms after that.
    clock.observe(40);
    assert.equal(clock.now(), 40);
    now += 10;
    assert.equal(clock.now(), 50);
  });

  test('the earliest start any event implies wins', () => {
    const clock = new RunClock();
    now += 100;
    clock.observe(40); // started at 1060
    now += 50;
    clock.observe(120); // started at 1030: this event came with less delay
    assert.equal(clock.now(), 120);
    now += 50;
    clock.observe(100); // would be 1100: arrived late, ignored
    assert.equal(clock.now(), 170);
  });

  test('epoch is the start on the clock report.startedAt uses', () => {
    const clock = new RunClock();
    now += 100;
    clock.observe(40);
    assert.equal(clock.epoch, performance.timeOrigin + 1060);
  });
});
