import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FfmpegTools } from '../../src/core/search/ffmpeg';
import { MANIFEST_FILE, VideoIndex, type UpdateOptions } from '../../src/core/search/index';
import { AUDIO_RATE, pixelAt } from '../../src/core/search/layout';
import { preprocessWindow, probeVideo } from '../../src/core/search/preprocess';
import { makeVideo, testTools } from '../support/ffmpeg';
import { startSeeknetic, type SeekneticHarness } from '../support/seeknetic';

const W = { windowSeconds: 10, maxWindows: 120 };

function rms(audio: Uint8Array, fromSec: number, toSec: number): number {
  const s = new Float32Array(audio.buffer.slice(audio.byteOffset, audio.byteOffset + audio.byteLength));
  let sum = 0;
  const a = Math.floor(fromSec * AUDIO_RATE);
  const b = Math.floor(toSec * AUDIO_RATE);
  for (let i = a; i < b; i++) sum += s[i] * s[i];
  return Math.sqrt(sum / Math.max(1, b - a));
}

describe('search by moment: windows of long videos (Seeknetic sandbox over HTTP + ffmpeg)', () => {
  let tools: FfmpegTools;
  let h: SeekneticHarness;
  let root: string;
  let dir: string;
  let index: VideoIndex;
  const files = () =>
    ['long.mp4', 'moved/long.mp4', 'short.mp4', 'silent.mp4'].map((f) => join(root, f)).filter(existsSync);
  const opts = (extra: Partial<UpdateOptions> = {}): UpdateOptions => ({
    embedder: h.provider,
    tools,
    embedOptions: h.wait,
    concurrency: 2,
    windowing: W,
    ...extra,
  });
  const query = async (text: string, o = {}) => index.search((await h.provider.encodeQuery(text)).vector, o);

  before(async () => {
    tools = await testTools();
    h = await startSeeknetic();
    const base = mkdtempSync(join(tmpdir(), 'gendeck-moments-'));
    root = join(base, 'workspace');
    dir = join(base, 'storage');
    mkdirSync(join(root, 'moved'), { recursive: true });
    await Promise.all([
      // 0–10 red, 10–20 green, 20–30 blue, 30–35 yellow (a last partial window); a tone for the first 12 s.
      makeVideo(tools, join(root, 'long.mp4'), {
        colours: ['0xE01010', '0x10C010', '0x1010E0', '0xE0E010'],
        durations: [10, 10, 10, 5],
        audioSeconds: 12,
      }),
      makeVideo(tools, join(root, 'short.mp4'), { colours: ['0xE010E0'], segment: 4, audioSeconds: 4 }),
      // No audio stream at all, two windows: white then black.
      makeVideo(tools, join(root, 'silent.mp4'), { colours: ['0xF0F0F0', '0x101010'], segment: 8 }),
    ]);
    index = new VideoIndex({ dir, root, log: h.log });
    await index.load();
  });
  after(async () => {
    await index.dispose();
    await h.stop();
  });

  it('takes each window’s frames and audio inside that window', async () => {
    const file = join(root, 'long.mp4');
    const probe = await probeVideo(tools, file);
    const blue = await preprocessWindow(tools, file, probe, { start: 20, end: 30 });
    assert.ok(blue.times.every((t) => t > 20 && t < 30));
    for (let f = 0; f < 12; f++) {
      const [r, g, b] = pixelAt(blue.video, f, 112, 112);
      assert.ok(b > 180 && r < 60 && g < 60, `frame ${f} of the blue window is ${[r, g, b]}`);
    }
    const tail = await preprocessWindow(tools, file, probe, { start: 30, end: probe.duration });
    assert.ok(tail.times.every((t) => t > 30 && t < probe.duration));
    assert.ok(pixelAt(tail.video, 11, 112, 112)[0] > 180 && pixelAt(tail.video, 11, 112, 112)[2] < 60, 'yellow');
    // The tone lasts 12 s: window 0 is loud throughout, window 1 for its first 2 s only, window 2 is silent.
    const first = await preprocessWindow(tools, file, probe, { start: 0, end: 10 });
    const second = await preprocessWindow(tools, file, probe, { start: 10, end: 20 });
    assert.ok(rms(first.audio, 0.5, 9.5) > 0.05);
    assert.ok(rms(second.audio, 0.2, 1.8) > 0.05);
    assert.ok(rms(second.audio, 2.5, 10) < 0.01, 'nothing of window 1 after the tone, nothing of window 2');
    assert.ok(rms(blue.audio, 0, 10) < 0.01);
    const silent = join(root, 'silent.mp4');
    const none = await preprocessWindow(tools, silent, await probeVideo(tools, silent), { start: 10, end: 16 });
    assert.ok(
      none.audio.every((x) => x === 0),
      'no audio stream → silence',
    );
  });

  it('says how many embedding calls indexing will make before it makes any', async () => {
    const est = await index.estimate(files(), { tools, windowing: W });
    assert.deepEqual(est, { files: 3, unchanged: 0, toEmbed: 3, embedCalls: 4 + 1 + 2, tagCalls: 7, unreadable: 0 });
    assert.deepEqual(h.emulator.uploads, { embedding: 0, tagging: 0 });
    const capped = await index.estimate(files(), {
      tools,
      windowing: { windowSeconds: 10, maxWindows: 2 },
      tagging: false,
    });
    assert.equal(capped.embedCalls, 2 + 1 + 2);
    assert.equal(capped.tagCalls, 0);
  });

  it('indexes a long video as windows with time ranges, a short one as one entry', async () => {
    const stats = await index.update(files(), opts());
    assert.deepEqual(stats.failed, []);
    assert.equal(stats.embedded, 3);
    assert.equal(stats.windows, 7);
    assert.deepEqual(h.emulator.uploads, { embedding: 7, tagging: 7 });
    const long = index.entries().filter((e) => e.rel === 'long.mp4');
    assert.deepEqual(
      long.map((e) => [e.start, e.end]),
      [
        [0, 10],
        [10, 20],
        [20, 30],
        [30, long[0].duration],
      ],
    );
    assert.ok(Math.abs(long[0].duration! - 35) < 0.2, `duration ${long[0].duration}`);
    assert.equal(new Set(long.map((e) => e.thumbnail)).size, 4, 'a thumbnail per window');
    const short = index.entries().filter((e) => e.rel === 'short.mp4');
    assert.equal(short.length, 1);
    assert.equal(short[0].start, 0);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    assert.equal(manifest.version, 2);
    assert.equal(manifest.entries.length, 7);
  });

  it('finds the right window of the right file for a query', async () => {
    const green = await query('green grass');
    assert.equal(green[0].entry.rel, 'long.mp4');
    assert.deepEqual([green[0].entry.start, green[0].entry.end], [10, 20]);
    const blue = await query('the deep blue sea');
    assert.deepEqual([blue[0].entry.rel, blue[0].entry.start], ['long.mp4', 20]);
    const black = await query('black night');
    assert.deepEqual([black[0].entry.rel, black[0].entry.start], ['silent.mp4', 10]);
    // Tags filter per window too: each window carries its own.
    assert.ok(index.entries().every((e) => e.tagged && Object.keys(e.tags).length === 3));
  });

  it('finds similar moments from a window’s own vector', async () => {
    const v = index.vectorOf('long.mp4', 25)!;
    const own = await index.search(v, { k: 3 });
    assert.deepEqual([own[0].entry.rel, own[0].entry.start], ['long.mp4', 20]);
    assert.ok(own[0].score > 0.999);
    const others = await index.search(v, { k: 3, exclude: (e) => e.rel === 'long.mp4' && e.start === 20 });
    assert.ok(!others.some((x) => x.entry.rel === 'long.mp4' && x.entry.start === 20));
    assert.ok(index.vectorOf('short.mp4'));
    assert.equal(index.vectorOf('nothing.mp4'), undefined);
  });

  it('keeps a moved file’s windows: nothing uploaded, same ranges and vectors', async () => {
    const before = { ...h.emulator.uploads };
    const old = index.entries().filter((e) => e.rel === 'long.mp4');
    renameSync(join(root, 'long.mp4'), join(root, 'moved', 'long.mp4'));
    const stats = await index.update(files(), opts());
    assert.equal(stats.renamed, 1);
    assert.equal(stats.embedded, 0);
    assert.deepEqual(h.emulator.uploads, before);
    const moved = index.entries().filter((e) => e.rel === 'moved/long.mp4');
    assert.deepEqual(
      moved.map((e) => [e.start, e.end, e.thumbnail]),
      old.map((e) => [e.start, e.end, e.thumbnail]),
    );
    const green = await query('green');
    assert.deepEqual([green[0].entry.rel, green[0].entry.start], ['moved/long.mp4', 10]);
  });

  it('cuts a file again when the window setting changes', async () => {
    const before = h.emulator.uploads.embedding;
    const stats = await index.update(files(), opts({ windowing: { windowSeconds: 20, maxWindows: 120 } }));
    assert.equal(stats.embedded, 2, 'the 35 s and 16 s files have other windows now; the short one stays whole');
    assert.equal(h.emulator.uploads.embedding, before + 2 + 1);
    assert.deepEqual(
      index
        .entries()
        .filter((e) => e.rel === 'moved/long.mp4')
        .map((e) => e.start),
      [0, 20],
    );
  });

  it('migrates a version 1 index: short videos keep their vectors, long ones are cut into windows', async () => {
    const v1dir = mkdtempSync(join(tmpdir(), 'gendeck-moments-v1-'));
    const fresh = new VideoIndex({ dir: v1dir, root });
    const entries = index.entries().filter((e) => e.rel !== 'silent.mp4');
    const byRel = new Map(entries.map((e) => [e.rel, e]));
    const v1Entries = [...byRel.values()].map(({ start: _s, end: _e, ...e }) => e);
    writeFileSync(join(v1dir, 'vectors-old.f32'), new Uint8Array(v1Entries.length * 64 * 4).fill(0));
    // Unit vectors along the first axis, so the file is consistent.
    const vec = new Float32Array(v1Entries.length * 64);
    v1Entries.forEach((_, i) => (vec[i * 64] = 1));
    writeFileSync(join(v1dir, 'vectors-old.f32'), new Uint8Array(vec.buffer));
    writeFileSync(
      join(v1dir, MANIFEST_FILE),
      JSON.stringify({
        version: 1,
        root,
        dim: 64,
        modelVersion: 'seeknetic-sandbox-v1',
        vectors: 'vectors-old.f32',
        entries: v1Entries,
      }),
    );
    await fresh.load();
    assert.equal(fresh.size, 2);
    const migrated = JSON.parse(readFileSync(join(v1dir, MANIFEST_FILE), 'utf8'));
    assert.equal(migrated.version, 2, 'the migrated index is saved at once');
    assert.ok(migrated.entries.every((e: { start: number; end: number }) => e.start === 0 && e.end > 0));
    const before = h.emulator.uploads.embedding;
    const stats = await fresh.update(
      [join(root, 'moved', 'long.mp4'), join(root, 'short.mp4')],
      opts({ embedder: h.provider }),
    );
    assert.equal(stats.unchanged, 1, 'short.mp4 kept its v1 vector');
    assert.equal(stats.embedded, 1);
    assert.equal(h.emulator.uploads.embedding, before + 4);
    assert.equal(fresh.entries().filter((e) => e.rel === 'moved/long.mp4').length, 4);
    await fresh.dispose();
  });
});
