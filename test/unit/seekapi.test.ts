import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describePricing,
  estimateFromPricing,
  remoteToPatch,
  resultOutputs,
} from '../../src/core/providers/seekapi/provider';
import { createProvider } from '../../src/core/providers/index';
import {
  errorBodySchema,
  fieldErrorsOf,
  jobListSchema,
  jobsOf,
  remoteJobSchema,
  toCredits,
  creditsSchema,
  toWorkerDetail,
  workerDetailSchema,
  workersPageSchema,
} from '../../src/core/providers/seekapi/schemas';
import { newJob } from '../../src/core/jobs/job';

describe('Seek API parsing and mapping', () => {
  it('reads the workers list in any of the tolerated shapes, dropping entries without an id', () => {
    const bare = workersPageSchema.parse([{ id: 'a', name: 'A' }, { name: 'no id' }]);
    assert.ok(Array.isArray(bare) && bare.length === 1);
    const cursor = workersPageSchema.parse({
      data: [{ worker_id: 'b', title: 'B', pricing: 3 }],
      next_cursor: 'xyz',
      x_extra: 1,
    });
    assert.ok(!Array.isArray(cursor) && cursor.next_cursor === 'xyz' && cursor.data?.[0].worker_id === 'b');
    const page = workersPageSchema.parse({ workers: [{ slug: 'c' }], page: 2, per_page: 1, total: 3 });
    assert.ok(!Array.isArray(page) && page.page === 2 && page.workers?.length === 1);
    const odd = workersPageSchema.parse({ workers: [{ id: 7, name: 42, pricing: 'free' }], page: '2' });
    assert.ok(
      !Array.isArray(odd) && odd.workers?.[0].name === undefined && odd.page === undefined,
      'wrong-typed cosmetic fields are dropped, not fatal',
    );
  });

  it('reads worker details with pricing and schema under alternative names', () => {
    const w = toWorkerDetail(
      workerDetailSchema.parse({
        worker_id: 'x',
        name: 'X',
        schema: { type: 'object', properties: {} },
        pricing: { credits_per_unit: 2, unit: 'page', unit_field: 'pages', minimum_credits: 3 },
      }),
    );
    assert.equal(w.id, 'x');
    assert.deepEqual(w.inputSchema, { type: 'object', properties: {} });
    assert.equal(describePricing(w.pricing), '2 credits per page (pages) + minimum 3 credits');
    assert.equal(estimateFromPricing(w.pricing, { pages: 5 }), 10);
    assert.equal(estimateFromPricing(w.pricing, {}), 3, 'the minimum applies');
    assert.equal(estimateFromPricing(w.pricing, { pages: ['a', 'b', 'c'] }), 6, 'an array counts its items');
    assert.equal(describePricing(undefined), 'pricing not published');
    assert.equal(estimateFromPricing(undefined, {}), undefined);
  });

  it('reads per-field errors from a 422 in list or map layouts', () => {
    assert.deepEqual(
      fieldErrorsOf(
        errorBodySchema.parse({
          error: 'validation_error',
          message: 'm',
          status: 422,
          errors: [
            { field: 'a', message: 'is required' },
            { loc: ['body', 'b', 0], msg: 'bad' },
          ],
        }),
      ),
      { a: 'is required', 'b.0': 'bad' },
    );
    assert.deepEqual(fieldErrorsOf(errorBodySchema.parse({ error: 'x', details: { c: ['too long', 'not text'] } })), {
      c: 'too long not text',
    });
    assert.deepEqual(fieldErrorsOf(errorBodySchema.parse({ error: 'x', message: 'no fields' })), {});
  });

  it('reads /me/credits and the jobs list tolerantly', () => {
    const c = toCredits(creditsSchema.parse({ credits: 12, usage_history: [{ period: '2026-03', credits_used: 4 }] }));
    assert.equal(c.balance, 12);
    assert.deepEqual(c.usage, [{ date: '2026-03', credits: 4, jobs: undefined, worker: undefined }]);
    assert.equal(
      jobsOf(jobListSchema.parse({ jobs: [{ job_uuid: 'j1', status: 'queued' }, { status: 'x' }] })).length,
      1,
    );
    assert.equal(jobsOf(jobListSchema.parse([{ job_uuid: 'j1', status: 'queued' }])).length, 1);
  });

  it('maps every status to the job model, with costs and outputs', () => {
    const j = (o: Record<string, unknown>) => remoteJobSchema.parse({ job_uuid: 'job_1', worker: 'w', ...o });
    assert.equal(remoteToPatch(j({ status: 'pending' }), {}).status, 'queued');
    assert.equal(remoteToPatch(j({ status: 'running' }), {}).status, 'running');
    assert.equal(remoteToPatch(j({ status: 'cancelled' }), {}).status, 'canceled');
    const t = remoteToPatch(j({ status: 'timeout', error: 'too slow' }), {});
    assert.equal(t.status, 'timeout');
    assert.deepEqual(t.cost, { amount: 0, unit: 'credits', estimated: false });
    assert.deepEqual(t.error, { code: 'timeout', message: 'too slow' });
    const f = remoteToPatch(j({ status: 'failed', error: { code: 'boom', message: 'It broke' } }), {});
    assert.deepEqual(f.error, { code: 'boom', message: 'It broke' });
    const done = remoteToPatch(
      j({
        status: 'completed',
        cost_credits: 5,
        duration_ms: 4210,
        completed_at: '2026-03-16T10:00:04Z',
        result: {
          a: 'https://cdn.example/x/clip.MP4?sig=1',
          n: [{ img: 'https://cdn.example/p.webp' }],
          page: 'https://linkedin.com/in/x',
        },
      }),
      {},
    );
    assert.equal(done.status, 'succeeded');
    assert.equal(done.progress, 'Completed in 4.2 s · 5 credits');
    assert.deepEqual(done.cost, { amount: 5, unit: 'credits', estimated: false });
    assert.equal(done.finishedAt, '2026-03-16T10:00:04Z');
    assert.deepEqual(
      done.outputs?.map((o) => [o.kind, o.label]),
      [
        ['json', 'Result'],
        ['video', 'a'],
        ['image', 'n[0].img'],
      ],
    );
    assert.deepEqual(resultOutputs('plain text'), [
      { kind: 'json', value: 'plain text', label: 'Result', name: 'result.json' },
    ]);
    assert.deepEqual(resultOutputs(null), []);
  });

  it('types result media from the shared kinds table, { url, content_type } objects included', () => {
    const outs = resultOutputs({
      scan: 'https://cdn.example/s.TIFF',
      film: 'https://cdn.example/f.mkv',
      voice: 'https://cdn.example/v.opus',
      mesh: 'https://cdn.example/m.obj',
      bundle: 'https://cdn.example/b.tar.gz',
      shot: { url: 'https://cdn.example/render?id=1', content_type: 'image/png' },
      video: { url: 'https://cdn.example/v.mp4', cover: 'https://cdn.example/c.jpg' },
      page: 'https://cdn.example/index.html',
      data: 'https://cdn.example/d.json',
      inline: 'data:image/png;base64,AAAA',
      audio_url: 'https://cdn.example/no-extension',
    });
    assert.deepEqual(
      outs.slice(1).map((o) => [o.kind, o.label]),
      [
        ['image', 'scan'],
        ['video', 'film'],
        ['audio', 'voice'],
        ['model', 'mesh'],
        ['archive', 'bundle'],
        ['image', 'shot'],
        ['video', 'video'],
        ['image', 'video.cover'],
      ],
    );
    const many = resultOutputs({ shots: Array.from({ length: 80 }, (_, i) => `https://cdn.example/${i}.png`) });
    assert.equal(many.length, 1 + 50);
  });

  it('offers Cancel only for queued or pending jobs', () => {
    const p = createProvider('seekapi', {
      baseUrl: () => 'https://api.seek-api.com/v1',
      getKey: async () => undefined,
    });
    const job = (status: 'queued' | 'running', remoteStatus?: string) =>
      newJob({ provider: 'seekapi', id: 'job_1', title: 't', kind: 'worker:w', status, remoteStatus });
    assert.equal(p.canCancel(job('queued', 'queued')), true);
    assert.equal(p.canCancel(job('queued', 'pending')), true);
    assert.equal(p.canCancel(job('queued')), true);
    assert.equal(p.canCancel(job('running', 'running')), false);
    assert.equal(p.canCancel({ ...job('queued', 'queued'), provider: 'seedancee2' }), false);
  });
});
