// How GenDeck words a job's end and its cost (views/format.ts): one sentence, the reason once, refunds named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endMessage, formatCost } from '../../src/views/format';

describe('job end messages', () => {
  const who = 'Seek API: “resize”';
  it('a cancel says so once, not "canceled: canceled"', () => {
    assert.equal(endMessage({ status: 'canceled' }, who), 'Seek API: “resize” was canceled.');
    assert.equal(
      endMessage({ status: 'canceled', error: { code: 'canceled', message: 'canceled' } }, who),
      'Seek API: “resize” was canceled.',
    );
  });
  it("a failure carries the provider's reason, a timeout reads as one, refunds are named", () => {
    assert.equal(
      endMessage({ status: 'failed', error: { code: 'x', message: 'The prompt was rejected.' } }, who),
      'Seek API: “resize” failed: The prompt was rejected.',
    );
    assert.equal(endMessage({ status: 'timeout' }, who), 'Seek API: “resize” timed out.');
    assert.equal(
      endMessage(
        { status: 'failed', error: { code: 'x', message: 'boom' }, cost: { amount: 0, unit: 'credits', refunded: 25 } },
        who,
      ),
      'Seek API: “resize” failed: boom. 25 credits refunded.',
    );
  });
  it('costs: an estimate is marked, refunds follow', () => {
    assert.equal(formatCost({ cost: { amount: 20, unit: 'credits', estimated: true } } as never), '~20 credits');
    assert.equal(formatCost({ cost: { amount: 0.0123, unit: 'USDC' } } as never), '0.0123 USDC');
  });
});
