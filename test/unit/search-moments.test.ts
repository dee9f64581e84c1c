import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameTimes, windowFrameTimes, windowRanges } from '../../src/core/search/layout';
import { formatRange, groupMoments, relevanceLabels } from '../../src/core/search/moments';

const W = { windowSeconds: 10, maxWindows: 120 };

describe('search by moment: windows (pure)', () => {
  it('cuts a long video into consecutive windows with a last partial one', () => {
    assert.deepEqual(windowRanges(35, W), [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 30 },
      { start: 30, end: 35 },
    ]);
  });

  it('puts boundaries exactly at multiples of the window', () => {
    assert.deepEqual(windowRanges(30, W), [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 30 },
    ]);
    const r = windowRanges(600, W);
    assert.equal(r.length, 60);
    r.forEach((w, i) => {
      assert.equal(w.start, i * 10);
      assert.equal(w.end, (i + 1) * 10);
    });
  });

  it('folds a tail shorter than a second into the window before it', () => {
    assert.deepEqual(windowRanges(20.4, W), [
      { start: 0, end: 10 },
      { start: 10, end: 20.4 },
    ]);
  });

  it('keeps a video no longer than a window as one entry covering it whole', () => {
    assert.deepEqual(windowRanges(6, W), [{ start: 0, end: 6 }]);
    assert.deepEqual(windowRanges(10, W), [{ start: 0, end: 10 }]);
    // The whole-file window samples exactly the instants of a file indexed whole before.
    assert.deepEqual(windowFrameTimes({ start: 0, end: 6 }), frameTimes(6));
    assert.throws(() => windowRanges(0, W), RangeError);
  });

  it('caps windows per file by widening them, still covering the whole video', () => {
    const r = windowRanges(1200, { windowSeconds: 10, maxWindows: 50 });
    assert.equal(r.length, 50);
    assert.equal(r[0].end, 24);
    assert.equal(r[49].end, 1200);
    assert.equal(windowRanges(1200, { windowSeconds: 10, maxWindows: 1 }).length, 1);
  });

  it('samples 12 instants inside each window', () => {
    const t = windowFrameTimes({ start: 20, end: 30 });
    assert.equal(t.length, 12);
    assert.ok(t.every((x) => x > 20 && x < 30));
    assert.equal(t[0], 20 + 10 / 24);
  });
});

describe('search by moment: labels and groups (pure)', () => {
  it('labels scores by their place among the query’s scores', () => {
    assert.deepEqual(relevanceLabels([0.9, 0.2, 0.15, 0.1]), ['strong', 'weak', 'weak', 'weak']);
    assert.deepEqual(relevanceLabels([0.8, 0.78, 0.5, 0.1, 0.1, 0.1]).slice(0, 3), ['strong', 'strong', 'good']);
    // Near-equal scores: none stands out as strong.
    assert.ok(!relevanceLabels([0.31, 0.3, 0.305]).includes('strong'));
    assert.deepEqual(relevanceLabels([]), []);
  });

  it('groups windows per file, best first, and marks those under the threshold', () => {
    const hits = [
      { path: '/a.mp4', score: 0.3, start: 0 },
      { path: '/b.mp4', score: 0.9, start: 10 },
      { path: '/a.mp4', score: 0.7, start: 20 },
      { path: '/b.mp4', score: -0.2, start: 0 },
    ];
    const g = groupMoments(hits, 0.25);
    assert.deepEqual(
      g.map((x) => x.path),
      ['/b.mp4', '/a.mp4'],
    );
    assert.deepEqual(
      g[0].moments.map((m) => [m.hit.start, m.weaker]),
      [
        [10, false],
        [0, true],
      ],
    );
    assert.deepEqual(
      g[1].moments.map((m) => m.hit.start),
      [20, 0],
    );
    assert.equal(g[0].moments[0].label, 'strong');
  });

  it('writes time ranges as a clock', () => {
    assert.equal(formatRange(0, 10), '0:00–0:10');
    assert.equal(formatRange(65.2, 74.9), '1:05–1:15');
    assert.equal(formatRange(3600, 3610), '1:00:00–1:00:10');
  });
});
