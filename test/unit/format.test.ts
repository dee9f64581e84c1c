// How GenDeck words a job's end and its cost (views/format.ts): one sentence, the reason once, refunds named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCost, newJob } from '../../src/core/jobs/job';
import { endMessage, jobDetails } from '../../src/views/format';

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

describe('job details', () => {
  const base = {
    provider: 'seedancee2' as const,
    id: 'vid_1',
    title: 'A red fox trotting…',
    kind: 'video',
    status: 'running' as const,
    request: {
      model: 'mini',
      input: {
        prompt: 'A red fox trotting through fresh snow at dawn',
        duration: 4,
        resolution: '480p',
        aspect_ratio: '16:9',
      },
    },
  };
  it('shows the full prompt, the parameters, local times and the sandbox', () => {
    const lines = jobDetails({ ...newJob(base), sandbox: true }, { label: 'Seedancee2', cancel: 'never' });
    assert.equal(lines[0], 'Seedancee2 · video · vid_1 · sandbox');
    assert.equal(lines[1], 'A red fox trotting through fresh snow at dawn');
    assert.ok(
      lines.includes('Parameters: model mini, duration 4, resolution 480p, aspect ratio 16:9'),
      lines.join('|'),
    );
    assert.ok(lines.some((l) => /^Started /.test(l)));
  });
  it('says when a running job cannot be cancelled, and why', () => {
    const job = newJob(base);
    assert.ok(
      jobDetails(job, { label: 'Seedancee2', cancel: 'never' }).includes(
        'Seedancee2 cannot cancel a job once it is sent.',
      ),
    );
    assert.ok(
      jobDetails(job, { label: 'Seek API', cancel: 'not now' }).includes(
        'It can no longer be cancelled: it is already running.',
      ),
    );
    const done = newJob({ ...base, status: 'succeeded' });
    assert.ok(!jobDetails(done, { label: 'Seedancee2', cancel: 'never' }).some((l) => /cancel/.test(l)));
  });
});
