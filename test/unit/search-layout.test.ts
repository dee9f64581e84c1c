import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readErrorBody, readTags, readTensorKeys } from '../../src/core/providers/seeknetic/schemas';
import {
  AUDIO_BYTES,
  FRAME_BYTES,
  FRAME_SIZE,
  frameTimes,
  letterbox,
  pixelAt,
  toAudioTensor,
  toChannelFirst,
} from '../../src/core/search/layout';
import { normalize, topK, TopKWorker } from '../../src/core/search/topk';

describe('search tensor layout (pure)', () => {
  it('samples the centres of 12 equal segments', () => {
    assert.deepEqual(frameTimes(12), [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5]);
    const t = frameTimes(6);
    assert.equal(t.length, 12);
    assert.equal(t[0], 0.25);
    assert.equal(t[11], 5.75);
    assert.throws(() => frameTimes(0), RangeError);
    assert.throws(() => frameTimes(Number.NaN), RangeError);
  });

  it('lays HWC frames out as [frame][channel][y][x]', () => {
    const frames = Array.from({ length: 12 }, (_, f) => {
      const hwc = new Uint8Array(FRAME_BYTES);
      for (let p = 0; p < FRAME_SIZE * FRAME_SIZE; p++) {
        hwc[p * 3] = f; // r = frame number
        hwc[p * 3 + 1] = 100 + (p % 7); // g varies by pixel
        hwc[p * 3 + 2] = 200;
      }
      return hwc;
    });
    const chw = toChannelFirst(frames);
    assert.equal(chw.length, 12 * 3 * 224 * 224);
    const plane = 224 * 224;
    for (const f of [0, 5, 11]) {
      for (const [x, y] of [
        [0, 0],
        [223, 0],
        [17, 99],
        [223, 223],
      ]) {
        const p = y * 224 + x;
        assert.equal(chw[((f * 3 + 0) * 224 + y) * 224 + x], f);
        assert.equal(chw[((f * 3 + 1) * 224 + y) * 224 + x], 100 + (p % 7));
        assert.equal(chw[((f * 3 + 2) * 224 + y) * 224 + x], 200);
        assert.deepEqual(pixelAt(chw, f, x, y), [f, 100 + (p % 7), 200]);
      }
      assert.ok(
        chw.subarray(f * 3 * plane, (f * 3 + 1) * plane).every((v) => v === f),
        'the red plane of a frame is contiguous',
      );
    }
    assert.throws(() => toChannelFirst([new Uint8Array(10)]), RangeError);
  });

  it('pads or trims audio to exactly 220500 float32 samples', () => {
    const four = new Float32Array(4 * 22050).fill(0.5);
    const out = new Float32Array(toAudioTensor(new Uint8Array(four.buffer)).buffer);
    assert.equal(out.length, 220_500);
    assert.equal(out[4 * 22050 - 1], 0.5);
    assert.ok(out.subarray(4 * 22050).every((v) => v === 0));
    assert.equal(toAudioTensor(new Uint8Array(0)).length, AUDIO_BYTES);
    assert.ok(toAudioTensor(new Uint8Array(0)).every((v) => v === 0));
    assert.equal(toAudioTensor(new Uint8Array(AUDIO_BYTES + 4000)).length, AUDIO_BYTES);
  });

  it('letterboxes at the display aspect ratio, rotation and pixel aspect applied', () => {
    assert.deepEqual(letterbox(1920, 1080), { width: 224, height: 126, x: 0, y: 49 });
    assert.deepEqual(letterbox(1080, 1920), { width: 126, height: 224, x: 49, y: 0 });
    assert.deepEqual(letterbox(1920, 1080, 1, 90), { width: 126, height: 224, x: 49, y: 0 });
    assert.deepEqual(letterbox(720, 576, 16 / 15), { width: 224, height: 168, x: 0, y: 28 });
    assert.deepEqual(letterbox(500, 500), { width: 224, height: 224, x: 0, y: 0 });
  });
});

describe('exact top-k', () => {
  const dim = 16;
  const rows = 500;
  const vectors = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let r = 0; r < rows; r++) vectors.set(normalize(Array.from({ length: dim }, rand)), r * dim);
  const q = normalize(Array.from({ length: dim }, rand));
  const brute = (allowed?: Uint8Array) =>
    Array.from({ length: rows }, (_, r) => ({
      row: r,
      score: vectors.subarray(r * dim, (r + 1) * dim).reduce((s, v, i) => s + v * q[i], 0),
    }))
      .filter((h) => !allowed || allowed[h.row])
      .sort((a, b) => b.score - a.score);

  it('matches a full sort, with and without a filter', () => {
    assert.deepEqual(
      topK(vectors, dim, q, 10).map((h) => h.row),
      brute()
        .slice(0, 10)
        .map((h) => h.row),
    );
    const allowed = new Uint8Array(rows).map((_, i) => (i % 3 === 0 ? 1 : 0));
    assert.deepEqual(
      topK(vectors, dim, q, 5, allowed).map((h) => h.row),
      brute(allowed)
        .slice(0, 5)
        .map((h) => h.row),
    );
    assert.equal(topK(vectors, dim, q, 0).length, 0);
    assert.equal(topK(vectors, dim, q, 10_000).length, rows);
  });

  it('gives the same answer on the worker thread', async () => {
    const w = new TopKWorker();
    try {
      const main = topK(vectors, dim, q, 7);
      const off = await w.run(vectors, dim, q, 7);
      assert.deepEqual(
        off.map((h) => h.row),
        main.map((h) => h.row),
      );
      off.forEach((h, i) => assert.ok(Math.abs(h.score - main[i].score) < 1e-6));
    } finally {
      await w.dispose();
    }
  });
});

describe('Seeknetic tolerant readers', () => {
  it('reads tensor keys in any of the accepted shapes', () => {
    assert.deepEqual(readTensorKeys({ r2_keys: { video_input: 'a', audio_input: 'b' } }), {
      video_input_key: 'a',
      audio_input_key: 'b',
    });
    assert.deepEqual(readTensorKeys({ r2_keys: { video_input_key: 'a', video_kwargs_key: 'c' } }), {
      video_input_key: 'a',
      video_kwargs_key: 'c',
    });
    assert.deepEqual(readTensorKeys({ video_input_key: 'a' }), { video_input_key: 'a' });
  });

  it('reads tags from tags, result.tags or result, folding synonyms into the three families', () => {
    assert.deepEqual(
      readTags({
        status: 'completed',
        tags: { shot_size: 'close-up', 'Camera Movement': ['pan', { label: 'zoom' }], angle: 'low angle', junk: 42 },
      }),
      {
        shot_size: ['close-up'],
        camera_movement: ['pan', 'zoom'],
        shooting_angle: ['low angle'],
      },
    );
    assert.deepEqual(readTags({ status: 'completed', result: { tags: { shot_type: 'wide' } } }), {
      shot_size: ['wide'],
    });
    assert.deepEqual(readTags({ status: 'completed', result: { camera_angle: { name: 'eye level' } } }), {
      shooting_angle: ['eye level'],
    });
    assert.deepEqual(readTags({ status: 'completed' }), {});
  });

  it('reads FastAPI and other error bodies', () => {
    assert.deepEqual(readErrorBody({ detail: 'Invalid API key' }), { code: undefined, message: 'Invalid API key' });
    assert.deepEqual(readErrorBody({ detail: [{ loc: ['body', 'video_input', 'shape'], msg: 'bad shape' }] }), {
      code: undefined,
      message: 'video_input.shape: bad shape',
    });
    assert.deepEqual(readErrorBody({ error: { code: 'x', message: 'y' } }), { code: 'x', message: 'y' });
    assert.deepEqual(readErrorBody({ error: 'rate_limited', message: 'slow down' }), {
      code: 'rate_limited',
      message: 'slow down',
    });
    assert.equal(readErrorBody(42), undefined);
  });
});
