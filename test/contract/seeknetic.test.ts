import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ProviderError } from '../../src/core/errors';
import { wireTensor } from '../../src/core/providers/seeknetic/client';
import { AUDIO_BYTES, FRAME_COUNT, FRAME_SIZE, VIDEO_BYTES, frameTimes } from '../../src/core/search/layout';
import { normalize } from '../../src/core/search/topk';
import { startSeeknetic, type SeekneticHarness } from '../support/seeknetic';

/** A channel-first video tensor whose every pixel is `rgb`. */
function solid(rgb: [number, number, number]): Uint8Array {
  const out = new Uint8Array(VIDEO_BYTES);
  const plane = FRAME_SIZE * FRAME_SIZE;
  for (let f = 0; f < FRAME_COUNT; f++)
    for (let c = 0; c < 3; c++) out.fill(rgb[c], (f * 3 + c) * plane, (f * 3 + c + 1) * plane);
  return out;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);
const silence = new Uint8Array(AUDIO_BYTES);

describe('Seeknetic client against the sandbox', () => {
  let h: SeekneticHarness;
  before(async () => {
    h = await startSeeknetic();
  });
  after(() => h.stop());
  afterEach(() => h.sandbox.faults.clear());

  it('uploads tensors, embeds and tags them asynchronously, and encodes text', async () => {
    const p = h.provider;
    const red = await p.embedVideo({ video: solid([230, 20, 20]), audio: silence }, h.wait);
    const darkRed = await p.embedVideo({ video: solid([200, 30, 25]), audio: silence }, h.wait);
    const blue = await p.embedVideo({ video: solid([20, 30, 220]), audio: silence }, h.wait);
    assert.equal(red.vector.length, 64);
    assert.equal(red.modelVersion, 'seeknetic-sandbox-v1');
    // Similar frames, similar vectors; the query "a red clip" points at the red one.
    assert.ok(dot(red.vector, darkRed.vector) > 0.95);
    assert.ok(dot(red.vector, blue.vector) < 0.3);
    const q = normalize((await p.encodeQuery('a red clip')).vector);
    assert.ok(dot(q, red.vector) > dot(q, blue.vector) + 0.5);
    const tags = await p.tagVideo({ video: solid([230, 20, 20]), times: frameTimes(6) }, h.wait);
    assert.deepEqual(Object.keys(tags).sort(), ['camera_movement', 'shooting_angle', 'shot_size']);
    assert.deepEqual(tags.camera_movement, ['static']);
    assert.equal(h.emulator.uploads.embedding, 3);
    assert.equal(h.emulator.uploads.tagging, 1);
  });

  it('rejects wrong shapes, dtypes, sizes and base64 with 422, and too-large tensors with a clear 413', async () => {
    const c = h.provider.client;
    const video = wireTensor(solid([1, 2, 3]), [1, 12, 3, 224, 224], 'uint8');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ video_input: { ...video, shape: [1, 12, 224, 224, 3] } }, /video_input\.shape: .*\[1,12,3,224,224\]/],
      [{ video_input: { ...video, dtype: 'float32' } }, /video_input\.dtype/],
      [{ video_input: { ...video, data: video.data.slice(0, -8) } }, /video_input\.data: .*decodes to/],
      [{ video_input: { ...video, data: `${video.data.slice(0, -4)}@@@@` } }, /not valid base64/],
      [{ audio_input: wireTensor(silence, [1, 1, 220500], 'float32') }, /video_input is required/],
    ];
    for (const [tensors, message] of cases) {
      await assert.rejects(
        c.uploadTensors('embedding', 'req-1', tensors),
        (e: ProviderError) => e.status === 422 && message.test(e.message),
      );
    }
    await assert.rejects(
      c.uploadTensors('tagging', 'req-2', {
        video_input: video,
        audio_input: wireTensor(silence, [1, 1, 220500], 'float32'),
      }),
      (e: ProviderError) => e.status === 422 && /not used by the tagging/.test(e.message),
    );
    h.emulator.maxTensorBase64Bytes = 1024 * 1024;
    try {
      await assert.rejects(
        c.uploadTensors('embedding', 'req-3', { video_input: video }),
        (e: ProviderError) =>
          e.status === 413 && e.code === 'payload_too_large' && /too large \(413\)/.test(e.message) && !e.retryable,
      );
    } finally {
      h.emulator.maxTensorBase64Bytes = 4 * 1024 * 1024;
    }
    await assert.rejects(
      c.submitEmbedding({ video_input_key: 'tensors/none/x.bin' }),
      (e: ProviderError) => e.status === 422 && /No uploaded tensor/.test(e.message),
    );
    await assert.rejects(c.asyncStatus('emb_missing'), (e: ProviderError) => e.status === 404);
    await assert.rejects(c.encodeText('   '), (e: ProviderError) => e.status === 422 && /text/.test(e.message));
  });

  it('rejects a wrong key with 401 and never logs the key', async () => {
    await assert.rejects(
      h.provider.validateKey('wrong-key-123456'),
      (e: ProviderError) => e.status === 401 && /rejected the API key/.test(e.message),
    );
    await h.provider.validateKey(h.key);
    assert.ok(!h.log.lines.some((l) => l.includes(h.key)));
  });

  it('retries uploads and submits after 429, 502 and 504, once each', async () => {
    const tasksBefore = h.emulator.tasks.size;
    const uploadsBefore = h.emulator.uploads.embedding;
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'POST',
      path: '/files/upload/tensors',
      kind: 'status',
      status: 502,
      times: 1,
    });
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'POST',
      path: '/files/upload/tensors',
      kind: 'status',
      status: 429,
      retryAfterSec: 0,
      times: 1,
    });
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'POST',
      path: '/video_embedding/encode_video/async',
      kind: 'status',
      status: 504,
      times: 1,
    });
    const r = await h.provider.embedVideo({ video: solid([0, 200, 0]), audio: silence }, h.wait);
    assert.equal(r.vector.length, 64);
    assert.equal(h.emulator.uploads.embedding, uploadsBefore + 1);
    assert.equal(h.emulator.tasks.size, tasksBefore + 1);
  });

  it('does not resend a submit after a 500 or a connection lost after sending', async () => {
    const c = h.provider.client;
    const keys = await c.uploadTensors('embedding', 'req-lost', {
      video_input: wireTensor(solid([9, 9, 9]), [1, 12, 3, 224, 224], 'uint8'),
    });
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'POST',
      path: '/video_embedding/encode_video/async',
      kind: 'status',
      status: 500,
      times: 1,
    });
    await assert.rejects(c.submitEmbedding(keys), (e: ProviderError) => e.status === 500);
    const before = h.emulator.tasks.size;
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'POST',
      path: '/video_embedding/encode_video/async',
      kind: 'reset-after',
      times: 1,
    });
    await assert.rejects(
      c.submitEmbedding(keys),
      (e: ProviderError) => e.code === 'connection_lost' && e.maybeAccepted && /did not send it again/.test(e.message),
    );
    assert.equal(h.emulator.tasks.size, before + 1, 'the server took it once; the client did not send it again');
  });

  it('reports a failed task with the server reason, and tolerates unknown fields', async () => {
    h.emulator.failNextTasks = 1;
    await assert.rejects(
      h.provider.embedVideo({ video: solid([5, 5, 5]), audio: silence }, h.wait),
      (e: ProviderError) => e.code === 'task_failed' && /could not process/.test(e.message),
    );
    h.sandbox.faults.add({ provider: 'seeknetic', kind: 'extra-fields' });
    const r = await h.provider.embedVideo({ video: solid([5, 5, 5]), audio: silence }, h.wait);
    assert.equal(r.vector.length, 64);
  });

  it('retries status polls through a 502 and a dropped connection (GET is idempotent)', async () => {
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'GET',
      path: '/async_status/',
      kind: 'status',
      status: 502,
      times: 1,
    });
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'GET',
      path: '/async_status/',
      kind: 'reset-before',
      times: 1,
    });
    const r = await h.provider.embedVideo({ video: solid([100, 100, 100]), audio: silence }, h.wait);
    assert.equal(r.vector.length, 64);
  });
  it('waits through status reads that keep failing for a while (more than the client retries), and stops on a 401', async () => {
    for (const status of [503, 429])
      h.sandbox.faults.add({
        provider: 'seeknetic',
        method: 'GET',
        path: '/async_status/',
        kind: 'status',
        status,
        times: 6,
        retryAfterSec: 0,
      });
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'GET',
      path: '/async_status/',
      kind: 'drop-field',
      field: 'status',
      times: 2,
    });
    const r = await h.provider.embedVideo({ video: solid([90, 90, 90]), audio: silence }, h.wait);
    assert.equal(r.vector.length, 64);
    h.sandbox.faults.add({
      provider: 'seeknetic',
      method: 'GET',
      path: '/async_status/',
      kind: 'status',
      status: 401,
      times: 1,
    });
    await assert.rejects(
      h.provider.embedVideo({ video: solid([80, 80, 80]), audio: silence }, h.wait),
      (e: ProviderError) => e.status === 401,
    );
  });
});
