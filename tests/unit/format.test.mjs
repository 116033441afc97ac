// The words and numbers the page, the element and the log show: www/ui/format.js.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clockTime, count, defaultChunksize, duration, plural, pythonList, ratio, tickLabel } from '../../www/ui/format.js';

describe('count', () => {
  test('groups thousands with commas', () => {
    assert.equal(count(0), '0');
    assert.equal(count(999), '999');
    assert.equal(count(1000), '1,000');
    assert.equal(count(1234567), '1,234,567');
    assert.equal(count(-1234), '-1,234');
  });
});

describe('plural', () => {
  test('one of a thing, else the plural with an s', () => {
    assert.equal(plural(1, 'task'), '1 task');
    assert.equal(plural(0, 'task'), '0 tasks');
    assert.equal(plural(3, 'task'), '3 tasks');
  });
  test('counts are grouped', () => {
    assert.equal(plural(1000000, 'number'), '1,000,000 numbers');
  });
  test('an irregular plural', () => {
    assert.equal(plural(1, 'process', 'processes'), '1 process');
    assert.equal(plural(2, 'process', 'processes'), '2 processes');
  });
});

describe('duration', () => {
  test('below a millisecond, to a tenth', () => {
    assert.equal(duration(0.4), '0.4 ms');
    assert.equal(duration(0.94), '0.9 ms');
  });
  test('whole milliseconds below a second', () => {
    assert.equal(duration(1), '1 ms');
    assert.equal(duration(12.4), '12 ms');
    assert.equal(duration(950), '950 ms');
    assert.equal(duration(999.4), '999 ms');
  });
  test('seconds to two decimals below ten, one below a minute', () => {
    assert.equal(duration(1250), '1.25 s');
    assert.equal(duration(2003), '2.00 s');
    assert.equal(duration(12340), '12.3 s');
    assert.equal(duration(59940), '59.9 s');
  });
  test('minutes and seconds from a minute', () => {
    assert.equal(duration(60000), '1 min 0 s');
    assert.equal(duration(125000), '2 min 5 s');
    assert.equal(duration(3725000), '62 min 5 s');
  });
  test('the unit is chosen after rounding: no "1000 ms", "10.00 s", "60.0 s" or "1 min 60 s"', () => {
    assert.equal(duration(0.97), '1 ms');
    assert.equal(duration(999.7), '1.00 s');
    assert.equal(duration(9999), '10.0 s');
    assert.equal(duration(59970), '1 min 0 s');
    assert.equal(duration(119600), '2 min 0 s');
  });
  test('no number, a dash', () => {
    assert.equal(duration(NaN), '–');
    assert.equal(duration(Infinity), '–');
  });
});

describe('clockTime', () => {
  test('fixed width, 8 characters, for the log', () => {
    assert.equal(clockTime(0), '    0 ms');
    assert.equal(clockTime(12.4), '   12 ms');
    assert.equal(clockTime(999), '  999 ms');
    assert.equal(clockTime(2003), ' 2.003 s');
    assert.equal(clockTime(12345), '12.345 s');
  });
  test('999.7 ms is a second, not "1000 ms"', () => {
    assert.equal(clockTime(999.7), ' 1.000 s');
  });
});

describe('tickLabel', () => {
  test('zero is bare', () => {
    assert.equal(tickLabel(0, 100), '0');
  });
  test('milliseconds without floating-point noise', () => {
    assert.equal(tickLabel(200, 200), '200 ms');
    assert.equal(tickLabel(0.1 + 0.2, 0.1), '0.3 ms');
  });
  test('seconds with as many decimals as the step needs', () => {
    assert.equal(tickLabel(2000, 1000), '2 s');
    assert.equal(tickLabel(1500, 500), '1.5 s');
    assert.equal(tickLabel(1250, 250), '1.25 s');
    assert.equal(tickLabel(1005, 5), '1.005 s');
  });
});

describe('ratio', () => {
  test('two decimals below ten, one from ten, with a times sign', () => {
    assert.equal(ratio(1), '1.00×');
    assert.equal(ratio(1.98), '1.98×');
    assert.equal(ratio(12.34), '12.3×');
  });
  test('9.997 is "10.0×", not "10.00×"', () => {
    assert.equal(ratio(9.997), '10.0×');
  });
});

describe('pythonList', () => {
  test("prints as Python's print(list) does", () => {
    assert.equal(pythonList(['1', '4', '9']), '[1, 4, 9]');
    assert.equal(pythonList(['2.5']), '[2.5]');
    assert.equal(pythonList([]), '[]');
  });
});

describe('defaultChunksize', () => {
  test("as Python's Pool.map: divmod(len, 4 * workers), plus one for a remainder", () => {
    assert.equal(defaultChunksize(100, 2), 13);
    assert.equal(defaultChunksize(96, 2), 12);
    assert.equal(defaultChunksize(1000000, 4), 62500);
    assert.equal(defaultChunksize(5, 2), 1);
  });
  test('never below one', () => {
    assert.equal(defaultChunksize(0, 4), 1);
    assert.equal(defaultChunksize(1, 16), 1);
    assert.equal(defaultChunksize(10, 0), 3);
  });
});
