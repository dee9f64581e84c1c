import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProviderError, isAbortError } from '../../src/core/errors';
import { createProvider } from '../../src/core/providers/index';
import { FfmpegMissingError, type FfmpegTools } from '../../src/core/search/ffmpeg';
import { MANIFEST_FILE, VideoIndex, type UpdateOptions } from '../../src/core/search/index';
import { makeVideo, testTools } from '../support/ffmpeg';
import { MemoryLogger } from '../support/sandbox';
import { startSeeknetic, type SeekneticHarness } from '../support/seeknetic';

describe('workspace video index (Seeknetic sandbox + ffmpeg)', () => {
  let tools: FfmpegTools;
  let h: SeekneticHarness;
  let root: string;
  let dir: string;
  let index: VideoIndex;
  const files = () =>
    ['red.mp4', 'green.mp4', 'blue.mp4', 'sub/renamed-red.mp4', 'new-1.mp4', 'new-2.mp4']
      .map((f) => join(root, f))
      .filter(existsSync);
  const opts = (extra: Partial<UpdateOptions> = {}): UpdateOptions => ({
    embedder: h.provider,
    tools,
    embedOptions: h.wait,
    concurrency: 2,
    ...extra,
  });
  const uploads = () => ({ ...h.emulator.uploads });
  const query = async (text: string, o = {}) => index.search((await h.provider.encodeQuery(text)).vector, o);

  before(async () => {
    tools = await testTools(); // no ffmpeg anywhere → this suite fails
    h = await startSeeknetic();
    const base = mkdtempSync(join(tmpdir(), 'gendeck-index-'));
    root = join(base, 'workspace');
    dir = join(base, 'storage', 'search');
    mkdirSync(join(root, 'sub'), { recursive: true });
    await Promise.all([
      makeVideo(tools, join(root, 'red.mp4'), { colours: ['0xE01010', '0xD02020'], segment: 1 }),
      makeVideo(tools, join(root, 'green.mp4'), { colours: ['0x10C010', '0x20B020'], segment: 1, audioSeconds: 2 }),
      makeVideo(tools, join(root, 'blue.mp4'), { colours: ['0x1010E0', '0x2020C0'], segment: 1 }),
    ]);
    index = new VideoIndex({ dir, root, log: h.log });
    await index.load();
  });
  after(async () => {
    await index.dispose();
    await h.stop();
  });

  it('indexes every video once: manifest, flat vectors, thumbnails, tags', async () => {
    const progress: number[] = [];
    const stats = await index.update(
      files(),
      opts({ onProgress: (p) => p.phase === 'indexing' && progress.push(p.done) }),
    );
    assert.equal(stats.embedded, 3);
    assert.deepEqual(stats.failed, []);
    assert.deepEqual(uploads(), { embedding: 3, tagging: 3 });
    assert.deepEqual(progress, [0, 1, 2, 3]);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    assert.equal(manifest.entries.length, 3);
    assert.equal(manifest.dim, 64);
    assert.equal(statSync(join(dir, manifest.vectors)).size, 3 * 64 * 4);
    for (const e of manifest.entries) {
      assert.match(e.hash, /^[0-9a-f]{64}$/);
      assert.equal(e.preprocessVersion, 1);
      assert.equal(e.modelVersion, 'seeknetic-sandbox-v1');
      assert.ok(existsSync(join(dir, 'thumbs', e.thumbnail)));
      assert.deepEqual(Object.keys(e.tags).sort(), ['camera_movement', 'shooting_angle', 'shot_size']);
    }
    assert.ok(!existsSync(join(root, MANIFEST_FILE)), 'nothing is written into the workspace');
  });

  it('finds the right clip for a query, with thumbnail, score and tags', async () => {
    const red = await query('a red clip');
    assert.equal(red[0].entry.rel, 'red.mp4');
    assert.equal(red[0].path, join(root, 'red.mp4'));
    assert.ok(red[0].thumbnail && existsSync(red[0].thumbnail));
    assert.ok(red[0].score > 0.5 && red[0].score > red[1].score + 0.3, `scores ${red.map((r) => r.score)}`);
    assert.equal((await query('green grass'))[0].entry.rel, 'green.mp4');
    assert.equal((await query('the deep blue sea', { k: 1 }))[0].entry.rel, 'blue.mp4');
    assert.equal((await query('blue', { k: 1 })).length, 1);
    assert.equal((await query('red', { tags: { camera_movement: ['pan'] } })).length, 0);
    assert.equal((await query('red', { tags: { camera_movement: ['static'] } }))[0].entry.rel, 'red.mp4');
    assert.deepEqual(index.tagValues().camera_movement, ['static']);
  });

  it('skips unchanged files without uploading anything', async () => {
    const before = uploads();
    const stats = await index.update(files(), opts());
    assert.equal(stats.unchanged, 3);
    assert.equal(stats.embedded, 0);
    assert.deepEqual(uploads(), before);
  });

  it('re-embeds only the file that changed', async () => {
    const before = uploads();
    await makeVideo(tools, join(root, 'green.mp4'), { colours: ['0xE0E010', '0xD0D020'], segment: 1 }); // now yellow
    const stats = await index.update(files(), opts());
    assert.equal(stats.embedded, 1);
    assert.equal(stats.unchanged, 2);
    assert.deepEqual(uploads(), { embedding: before.embedding + 1, tagging: before.tagging + 1 });
    assert.equal((await query('yellow'))[0].entry.rel, 'green.mp4');
  });

  it('detects a rename by its fingerprint: no upload, no re-embedding', async () => {
    const before = uploads();
    const thumb = index.entries().find((e) => e.rel === 'red.mp4')!.thumbnail;
    renameSync(join(root, 'red.mp4'), join(root, 'sub', 'renamed-red.mp4'));
    const stats = await index.update(files(), opts());
    assert.equal(stats.renamed, 1);
    assert.equal(stats.embedded, 0);
    assert.equal(stats.removed, 1);
    assert.deepEqual(uploads(), before);
    const hit = (await query('red'))[0];
    assert.equal(hit.entry.rel, 'sub/renamed-red.mp4');
    assert.equal(hit.entry.thumbnail, thumb);
    assert.ok(!index.entries().some((e) => e.rel === 'red.mp4'));
  });

  it('sweeps deleted files and their thumbnails, and reloads from disk', async () => {
    const blueThumb = index.thumbnailPath(index.entries().find((e) => e.rel === 'blue.mp4')!)!;
    rmSync(join(root, 'blue.mp4'));
    const stats = await index.update(files(), opts());
    assert.equal(stats.removed, 1);
    assert.equal(index.size, 2);
    assert.ok(!existsSync(blueThumb));
    const again = new VideoIndex({ dir, root });
    await again.load();
    assert.deepEqual(
      again
        .entries()
        .map((e) => e.rel)
        .sort(),
      ['green.mp4', 'sub/renamed-red.mp4'],
    );
    const q = (await h.provider.encodeQuery('red')).vector;
    assert.deepEqual(
      (await again.search(q)).map((r) => r.entry.rel),
      (await index.search(q)).map((r) => r.entry.rel),
    );
    // Off the main thread for a large index: same answer.
    again.workerThreshold = 0;
    const off = await again.search(q);
    assert.deepEqual(
      off.map((r) => r.entry.rel),
      (await index.search(q)).map((r) => r.entry.rel),
    );
    await again.dispose();
  });

  it('stops when cancelled and keeps what was done', async () => {
    await makeVideo(tools, join(root, 'new-1.mp4'), { colours: ['white'], segment: 1 });
    await makeVideo(tools, join(root, 'new-2.mp4'), { colours: ['black'], segment: 1 });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(index.update(files(), opts({ signal: ac.signal })), (e: Error) => isAbortError(e));
    const ac2 = new AbortController();
    await assert.rejects(
      index.update(
        files(),
        opts({
          concurrency: 1,
          signal: ac2.signal,
          onProgress: (p) => p.phase === 'indexing' && p.done === 1 && ac2.abort(),
        }),
      ),
      (e: Error) => isAbortError(e),
    );
    const kept = new VideoIndex({ dir, root });
    await kept.load();
    assert.equal(kept.size, 3, 'the first new file was saved before the cancel');
    const stats = await index.update(files(), opts());
    assert.equal(stats.embedded, 1);
    assert.equal(index.size, 4);
  });

  it('says clearly when ffmpeg is missing, and stops on a missing key', async () => {
    await makeVideo(tools, join(root, 'new-3.mp4'), { colours: ['0x808080'], segment: 1 });
    const list = [...files(), join(root, 'new-3.mp4')];
    const gone: FfmpegTools = {
      ffmpeg: join(root, 'no', 'ffmpeg'),
      ffprobe: join(root, 'no', 'ffprobe'),
      source: { ffmpeg: 'setting', ffprobe: 'setting' },
    };
    await assert.rejects(
      index.update(list, opts({ tools: gone })),
      (e: Error) =>
        e instanceof FfmpegMissingError &&
        /could not be started/.test(e.message) &&
        /gendeck\.ffmpegPath/.test(e.message),
    );
    const keyless = createProvider('seeknetic', {
      baseUrl: () => h.sandbox.baseUrl('seeknetic'),
      getKey: async () => undefined,
    });
    await assert.rejects(index.update(list, opts({ embedder: keyless })), (e: ProviderError) => e.code === 'no_key');
    // A file ffmpeg cannot read fails alone; the rest of the run goes on.
    writeFileSync(join(root, 'broken.mp4'), 'not a video at all');
    const stats = await index.update([...list, join(root, 'broken.mp4')], opts());
    assert.equal(stats.embedded, 1);
    assert.deepEqual(
      stats.failed.map((f) => f.rel),
      ['broken.mp4'],
    );
  });

  it('starts empty, with a warning, from an unreadable manifest', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'gendeck-broken-'));
    writeFileSync(join(broken, MANIFEST_FILE), '{"version": 1, "entries": [');
    const log = new MemoryLogger();
    const idx = new VideoIndex({ dir: broken, root, log });
    await idx.load();
    assert.equal(idx.size, 0);
    assert.ok(log.lines.some((l) => /unreadable/.test(l)));
  });
});
