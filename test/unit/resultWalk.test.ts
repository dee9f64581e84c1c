import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { walkResult } from '../../src/core/media/resultWalk';

describe('result walker', () => {
  it('finds URLs, { url, content_type, file_name } objects and text fields in document order, each once', () => {
    const found = walkResult({
      images: [{ url: 'https://cdn.x/1', content_type: 'image/webp', width: 512 }, { url: 'https://cdn.x/2.png' }],
      video: { url: 'https://cdn.x/v.mp4', file_name: 'v.mp4' },
      again: 'https://cdn.x/v.mp4',
      text: 'hello',
      captions: ['a', 'a', ' '],
      meta: { seed: 1, page: 'ftp://x/y', note: 'not a text key' },
    });
    assert.deepEqual(found, [
      { key: 'images 1', path: 'images[0]', url: 'https://cdn.x/1', kind: 'image' },
      { key: 'images 2', path: 'images[1]', url: 'https://cdn.x/2.png', kind: 'image' },
      { key: 'video', path: 'video', url: 'https://cdn.x/v.mp4', kind: 'video', name: 'v.mp4' },
      { key: 'text', path: 'text', text: 'hello' },
      { key: 'captions 1', path: 'captions[0]', text: 'a' },
    ]);
  });

  it('uses the key only when asked', () => {
    const result = { audio_file: { url: 'https://cdn.x/a' }, poster: 'https://cdn.x/p' };
    assert.deepEqual(
      walkResult(result).map((f) => 'url' in f && f.kind),
      [undefined, undefined],
    );
    assert.deepEqual(
      walkResult(result, { keyHints: true }).map((f) => 'url' in f && f.kind),
      ['audio', 'image'],
    );
  });

  it('keeps walking a media object for its other URLs, but not for its texts', () => {
    const found = walkResult({
      video: { url: 'https://cdn.x/v.mp4', cover: 'https://cdn.x/c.jpg', description: 'a wave', name: 'Wave' },
    });
    assert.deepEqual(found, [
      { key: 'video', path: 'video', url: 'https://cdn.x/v.mp4', kind: 'video', name: 'Wave' },
      { key: 'cover', path: 'video.cover', url: 'https://cdn.x/c.jpg', kind: 'image' },
    ]);
  });

  it('takes http(s) and data: URLs only, tolerates nulls, and stops at depth 8 and 100 items per array', () => {
    assert.deepEqual(walkResult(null), []);
    assert.deepEqual(walkResult('https://cdn.x/a.png'), [
      { key: '', path: '', url: 'https://cdn.x/a.png', kind: 'image' },
    ]);
    assert.deepEqual(
      walkResult({ a: null, b: [null, 'data:audio/wav;base64,UklG'], c: 'javascript:alert(1)', d: 'data:,x' }),
      [{ key: 'b 2', path: 'b[1]', url: 'data:audio/wav;base64,UklG', kind: 'audio' }],
    );
    assert.deepEqual(walkResult({ u: `https://cdn.x/${'a'.repeat(5000)}.png` }), []);
    let deep: unknown = 'https://cdn.x/deep.png';
    for (let i = 0; i < 8; i++) deep = { d: deep };
    assert.equal(walkResult(deep).length, 1);
    assert.equal(walkResult({ d: deep }).length, 0);
    const many = Array.from({ length: 150 }, (_, i) => `https://cdn.x/${i}.png`);
    assert.equal(walkResult(many).length, 100);
  });
});
