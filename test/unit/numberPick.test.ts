// The number pick (Duration and the like): the range is said, an exact number is taken as typed, never fuzzily.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numberItems } from '../../src/commands/numberPick';
import { earlierFirst } from '../../src/commands/util';

const range = { min: 4, max: 15, unit: 's', default: 5 };
const labels = (typed: string) => numberItems(typed, range).map((i) => i.label);

describe('number pick', () => {
  it('offers every allowed number, the default first', () => {
    assert.equal(labels('').length, 12);
    assert.equal(labels('')[0], '5 s');
    assert.equal(numberItems('', range)[0].description, 'default');
  });
  it('takes exactly the number typed, with or without its unit', () => {
    assert.deepEqual(labels('10'), ['10 s']);
    assert.deepEqual(labels('7 s'), ['7 s']);
    assert.equal(numberItems('10', range)[0].value, 10);
  });
  it('says why a number outside the range (or not a number) cannot be taken, instead of matching "10 s" for "0"', () => {
    for (const typed of ['0', '99', '4.5', 'ten']) {
      const items = numberItems(typed, range);
      assert.equal(items.length, 1, typed);
      assert.equal(items[0].value, undefined, typed);
      assert.match(items[0].label, /from 4 to 15 s/, typed);
    }
  });
  it('a default outside the range is not offered', () => {
    assert.ok(!labels('').includes('20 s'));
    assert.equal(numberItems('', { ...range, default: 20 })[0].label, '4 s');
  });
});

describe('earlier choice first', () => {
  it("puts a retry's earlier choice first, marked, and leaves the rest in order", () => {
    const rows = [{ label: 'pro' }, { label: 'fast', description: '480p, 720p' }, { label: 'mini' }];
    assert.deepEqual(earlierFirst(rows, 'fast'), [
      { label: 'fast', description: '480p, 720p · as before' },
      { label: 'pro' },
      { label: 'mini' },
    ]);
    assert.deepEqual(earlierFirst(rows, undefined), rows);
    assert.deepEqual(earlierFirst(rows, 'gone'), rows);
  });
});
