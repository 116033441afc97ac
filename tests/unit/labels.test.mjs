// How the log and the timeline name a task's items (www/ui/labels.js). The engine sends a
// task's inputs as Python prints them: all of them for up to 4 items, else the first three
// and the last.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describe as items, short } from '../../www/ui/labels.js';

describe('describe: the items of a log line', () => {
  test('up to four items, all of them', () => {
    assert.equal(items(['3'], 1), '3');
    assert.equal(items(['1', '2', '3'], 3), '1, 2, 3');
    assert.equal(items(['4', '8', '15', '16'], 4), '4, 8, 15, 16');
  });
  test('four consecutive integers are still listed', () => {
    assert.equal(items(['1', '2', '3', '4'], 4), '1, 2, 3, 4');
  });
  test('more than four consecutive integers, as a range', () => {
    assert.equal(items(['1', '2', '3', '125000'], 125000), '1..125000');
    assert.equal(items(['-2', '-1', '0', '7'], 10), '-2..7');
  });
  test('integers beyond 2^53 are compared exactly', () => {
    assert.equal(items(['9007199254740993', '9007199254740994', '9007199254740995', '9007199254741000'], 8),
      '9007199254740993..9007199254741000');
    assert.equal(items(['9007199254740993', '9007199254740994', '9007199254740995', '9007199254741001'], 8),
      '9007199254740993, 9007199254740994, 9007199254740995, … 9007199254741001');
  });
  test('otherwise the first three, an ellipsis and the last', () => {
    assert.equal(items(['4', '8', '15', '42'], 6), '4, 8, 15, … 42');
    // The first three are consecutive but the last does not end the run.
    assert.equal(items(['1', '2', '3', '9'], 5), '1, 2, 3, … 9');
  });
  test('floats are never a range', () => {
    assert.equal(items(['1.0', '2.0', '3.0', '9.0'], 9), '1.0, 2.0, 3.0, … 9.0');
  });
});

describe('short: a timeline bar', () => {
  test('one item, itself', () => {
    assert.equal(short(['3'], 1), '3');
    assert.equal(short(['-2.5'], 1), '-2.5');
  });
  test('consecutive integers with two dots', () => {
    assert.equal(short(['1', '2'], 2), '1..2');
    assert.equal(short(['1', '2', '3'], 3), '1..3');
    assert.equal(short(['1', '2', '3', '125000'], 125000), '1..125000');
  });
  test('anything else with a dash, first to last', () => {
    assert.equal(short(['2.5', '7'], 2), '2.5–7');
    assert.equal(short(['1', '3'], 2), '1–3');
    assert.equal(short(['4', '8', '15', '42'], 6), '4–42');
  });
  test('no inputs, no label', () => {
    assert.equal(short([], 1), '');
  });
});
