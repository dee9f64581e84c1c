import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  checkTool,
  ffmpegInstallCommand,
  FfmpegMissingError,
  resolveFfmpeg,
  resolveWorkingFfmpeg,
  runTool,
  type FfmpegTools,
} from '../../src/core/search/ffmpeg';
import { AUDIO_BYTES, AUDIO_RATE, FRAME_SIZE, VIDEO_BYTES, frameTimes, pixelAt } from '../../src/core/search/layout';
import { encodeJpeg, extractFrame, preprocessVideo } from '../../src/core/search/preprocess';
import { REPO_ROOT, makeVideo, testTools } from '../support/ffmpeg';

// One colour per segment, in order; each is what the frame at that segment's centre must show.
const PALETTE: [string, [number, number, number]][] = [
  ['0xFF0000', [255, 0, 0]],
  ['0x00FF00', [0, 255, 0]],
  ['0x0000FF', [0, 0, 255]],
  ['0xFFFF00', [255, 255, 0]],
  ['0x00FFFF', [0, 255, 255]],
  ['0xFF00FF', [255, 0, 255]],
  ['0xFFFFFF', [255, 255, 255]],
  ['0x808080', [128, 128, 128]],
  ['0xFF8000', [255, 128, 0]],
  ['0x8000FF', [128, 0, 255]],
  ['0x008000', [0, 128, 0]],
  ['0x000080', [0, 0, 128]],
];

function close(actual: number[], expected: number[], tol = 24): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]) <= tol);
}

function samplesOf(audio: Uint8Array): Float32Array {
  return new Float32Array(audio.buffer.slice(audio.byteOffset, audio.byteOffset + audio.byteLength));
}

function rms(s: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += s[i] * s[i];
  return Math.sqrt(sum / Math.max(1, to - from));
}

describe('Seeknetic preprocessing with ffmpeg', () => {
  let tools: FfmpegTools;
  let dir: string;
  before(async () => {
    // Same resolution as the product; no ffmpeg at all makes this fail, not skip.
    tools = await testTools();
    dir = mkdtempSync(join(tmpdir(), 'gendeck-pre-'));
  });

  it('takes 12 frames at the segment centres, letterboxed, channel-first, in the expected colours', async () => {
    const file = join(dir, 'segments.mp4');
    await makeVideo(tools, file, { colours: PALETTE.map(([c]) => c), segment: 0.5, width: 160, height: 120 });
    const pre = await preprocessVideo(tools, file);
    assert.ok(Math.abs(pre.probe.duration - 6) < 0.05, `duration ${pre.probe.duration}`);
    assert.equal(pre.probe.audio, undefined);
    assert.deepEqual(pre.times, frameTimes(pre.probe.duration));
    assert.equal(pre.video.byteLength, 12 * 3 * 224 * 224);
    assert.equal(pre.video.byteLength, VIDEO_BYTES);
    const plane = FRAME_SIZE * FRAME_SIZE;
    PALETTE.forEach(([, rgb], f) => {
      const centre = pixelAt(pre.video, f, 112, 112);
      assert.ok(close(centre, rgb), `frame ${f}: expected ${rgb}, got ${centre}`);
      // Channel-first by hand: plane c of frame f starts at (f·3 + c)·224².
      const at = 112 * FRAME_SIZE + 112;
      assert.deepEqual(
        [pre.video[f * 3 * plane + at], pre.video[(f * 3 + 1) * plane + at], pre.video[(f * 3 + 2) * plane + at]],
        centre,
      );
      // 4:3 letterboxed into the square: 224×168 picture, 28 black rows above and below.
      assert.deepEqual(pixelAt(pre.video, f, 112, 10), [0, 0, 0]);
      assert.deepEqual(pixelAt(pre.video, f, 112, 213), [0, 0, 0]);
      assert.ok(close(pixelAt(pre.video, f, 112, 32), rgb), `frame ${f} just inside the picture`);
      assert.ok(close(pixelAt(pre.video, f, 2, 112), rgb), `frame ${f} full width`);
    });
    // One process per frame (the fallback) gives the same bytes, and an instant past the end still yields the last frame.
    assert.deepEqual(await extractFrame(tools, file, pre.probe, pre.times[3]), pre.frames[3]);
    const last = await extractFrame(tools, file, pre.probe, pre.probe.duration + 5);
    assert.ok(close([last[112 * 672 + 336], last[112 * 672 + 337], last[112 * 672 + 338]], PALETTE[11][1]));
    // The thumbnail comes from a frame already in memory.
    const jpeg = await encodeJpeg(tools, pre.frames[6]);
    assert.equal(jpeg[0], 0xff);
    assert.equal(jpeg[1], 0xd8);
    assert.ok(jpeg.length < 20_000);
  });

  it('pads the audio of a 4 s clip with zeros to exactly 10 s of mono 22050 Hz float32', async () => {
    const file = join(dir, 'tone.mp4');
    await makeVideo(tools, file, { colours: ['red', 'blue', 'green', 'white'], segment: 1, audioSeconds: 4 });
    const pre = await preprocessVideo(tools, file);
    assert.ok(pre.probe.audio);
    assert.equal(pre.audio.byteLength, AUDIO_BYTES);
    assert.equal(pre.audio.byteLength, 220_500 * 4);
    const s = samplesOf(pre.audio);
    assert.ok(
      rms(s, Math.round(0.5 * AUDIO_RATE), Math.round(3.5 * AUDIO_RATE)) > 0.05,
      'the tone is there (lavfi sine: amplitude 1/8)',
    );
    const tail = s.subarray(Math.round(4.2 * AUDIO_RATE));
    assert.ok(
      tail.every((v) => v === 0),
      'after the clip ends: zeros',
    );
  });

  it('gives ten seconds of zeros for a file without an audio stream', async () => {
    const file = join(dir, 'silent.mp4');
    await makeVideo(tools, file, { colours: ['red', 'blue'], segment: 1 });
    const pre = await preprocessVideo(tools, file);
    assert.equal(pre.probe.audio, undefined);
    assert.equal(pre.audio.byteLength, AUDIO_BYTES);
    assert.ok(pre.audio.every((b) => b === 0));
  });

  it('keeps the first 10 s of longer audio', async () => {
    const file = join(dir, 'long.mp4');
    await makeVideo(tools, file, { colours: ['red', 'blue', 'green'], segment: 4, audioSeconds: 12, fps: 5 });
    const pre = await preprocessVideo(tools, file);
    assert.equal(pre.audio.byteLength, AUDIO_BYTES);
    const s = samplesOf(pre.audio);
    assert.ok(rms(s, Math.round(9 * AUDIO_RATE), s.length) > 0.05);
  });

  it('explains how to get ffmpeg when there is none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gendeck-noff-'));
    await assert.rejects(
      resolveFfmpeg({ env: { PATH: empty }, searchRoots: [empty], platform: 'linux' }),
      (e: Error) =>
        e instanceof FfmpegMissingError &&
        /not found/.test(e.message) &&
        /gendeck\.ffmpegPath/.test(e.message) &&
        /apt install ffmpeg/.test(e.message),
    );
    await assert.rejects(
      resolveFfmpeg({ setting: join(empty, 'nope', 'ffmpeg'), env: { PATH: '' } }),
      (e: Error) =>
        e instanceof FfmpegMissingError && /does not exist/.test(e.message) && /gendeck\.ffmpegPath/.test(e.message),
    );
    await assert.rejects(
      runTool(join(empty, 'ffmpeg'), ['-version']),
      (e: Error) => e instanceof FfmpegMissingError && /could not be started/.test(e.message),
    );
  });

  it('resolves the setting first, then PATH, then the npm binaries', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'gendeck-bin-'));
    for (const t of ['ffmpeg', 'ffprobe']) {
      writeFileSync(join(bin, t), '#!/bin/sh\n');
      chmodSync(join(bin, t), 0o755);
    }
    const viaSetting = await resolveFfmpeg({ setting: join(bin, 'ffmpeg'), env: { PATH: '' } });
    assert.deepEqual(viaSetting, {
      ffmpeg: join(bin, 'ffmpeg'),
      ffprobe: join(bin, 'ffprobe'),
      source: { ffmpeg: 'setting', ffprobe: 'setting' },
    });
    const viaFolder = await resolveFfmpeg({ setting: bin, env: { PATH: '' } });
    assert.equal(viaFolder.ffprobe, join(bin, 'ffprobe'));
    const viaPath = await resolveFfmpeg({ env: { PATH: bin }, searchRoots: [REPO_ROOT] });
    assert.deepEqual(viaPath.source, { ffmpeg: 'path', ffprobe: 'path' });
    // The npm fallback CI relies on (dev dependencies @ffmpeg-installer/ffmpeg + @ffprobe-installer/ffprobe).
    const nested = join(REPO_ROOT, 'out', 'test');
    mkdirSync(nested, { recursive: true });
    const viaNpm = await resolveFfmpeg({ env: { PATH: '' }, searchRoots: [nested] });
    assert.deepEqual(viaNpm.source, { ffmpeg: 'npm', ffprobe: 'npm' });
    const { stdout } = await runTool(viaNpm.ffprobe, ['-version']);
    assert.match(stdout.toString(), /ffprobe version/);
  });

  it('takes ffprobe from its own setting when it is not beside ffmpeg (the npm packages sit in two folders)', async () => {
    const nested = join(REPO_ROOT, 'out', 'test');
    const npm = await resolveFfmpeg({ env: { PATH: '' }, searchRoots: [nested] });
    // ffmpeg's setting alone: ffprobe is looked for beside it, and the error names the ffprobe setting.
    await assert.rejects(
      resolveFfmpeg({ setting: npm.ffmpeg, env: { PATH: '' } }),
      (e: Error) => e instanceof FfmpegMissingError && e.tool === 'ffprobe' && /gendeck\.ffprobePath/.test(e.message),
    );
    const both = await resolveWorkingFfmpeg({ setting: npm.ffmpeg, ffprobeSetting: npm.ffprobe, env: { PATH: '' } });
    assert.deepEqual(
      [both.ffmpeg, both.ffprobe, both.source],
      [npm.ffmpeg, npm.ffprobe, { ffmpeg: 'setting', ffprobe: 'setting' }],
    );
    assert.match(both.versions.ffmpeg, /^ffmpeg version /);
    assert.match(both.versions.ffprobe, /^ffprobe version /);
    // A folder works for ffprobe's setting too.
    const viaFolder = await resolveFfmpeg({
      setting: npm.ffmpeg,
      ffprobeSetting: join(npm.ffprobe, '..'),
      env: { PATH: '' },
    });
    assert.equal(viaFolder.ffprobe, npm.ffprobe);
  });

  it('checks a chosen binary with -version: the wrong tool, a script and a hanging one are refused', async () => {
    const nested = join(REPO_ROOT, 'out', 'test');
    const npm = await resolveFfmpeg({ env: { PATH: '' }, searchRoots: [nested] });
    assert.match(await checkTool('ffmpeg', npm.ffmpeg), /^ffmpeg version /);
    await assert.rejects(
      checkTool('ffprobe', npm.ffmpeg),
      (e: Error) =>
        e instanceof FfmpegMissingError && /is not ffprobe/.test(e.message) && /ffmpeg version/.test(e.message),
    );
    const bin = mkdtempSync(join(tmpdir(), 'gendeck-fake-'));
    const script = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
      return join(bin, name);
    };
    await assert.rejects(checkTool('ffmpeg', script('liar', 'echo "hello"')), /is not ffmpeg/);
    await assert.rejects(
      checkTool('ffmpeg', script('broken', 'echo oops >&2; exit 3')),
      (e: Error) => e instanceof FfmpegMissingError && /not a working ffmpeg/.test(e.message) && /oops/.test(e.message),
    );
    await assert.rejects(checkTool('ffmpeg', script('hangs', 'sleep 30'), 300), /did not answer within 0.3 s/);
    await assert.rejects(
      checkTool('ffmpeg', join(bin, 'absent')),
      (e: Error) => e instanceof FfmpegMissingError && /could not be started/.test(e.message),
    );
    // resolveWorkingFfmpeg runs both: a fake pair on PATH is found, then refused.
    script('ffmpeg', 'echo "ffmpeg version 6.0"');
    script('ffprobe', 'echo "nope"');
    await assert.rejects(
      resolveWorkingFfmpeg({ env: { PATH: bin } }),
      (e: Error) => e instanceof FfmpegMissingError && e.tool === 'ffprobe',
    );
  });

  it('names the install line of the package manager found on PATH, with sudo only when not root', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'gendeck-pm-'));
    const put = (name: string) => {
      writeFileSync(join(bin, name), '#!/bin/sh\n');
      chmodSync(join(bin, name), 0o755);
    };
    assert.equal(await ffmpegInstallCommand({ env: { PATH: bin }, platform: 'linux', isRoot: false }), undefined);
    put('pacman');
    assert.deepEqual(await ffmpegInstallCommand({ env: { PATH: bin }, platform: 'linux', isRoot: false }), {
      manager: 'pacman',
      command: 'sudo pacman -S --needed --noconfirm ffmpeg',
    });
    put('dnf');
    assert.deepEqual(await ffmpegInstallCommand({ env: { PATH: bin }, platform: 'linux', isRoot: true }), {
      manager: 'dnf',
      command: 'dnf install -y ffmpeg-free',
    });
    put('apt-get');
    assert.deepEqual(await ffmpegInstallCommand({ env: { PATH: bin }, platform: 'linux', isRoot: false }), {
      manager: 'apt',
      command: 'sudo apt-get install -y ffmpeg',
    });
    put('brew');
    assert.deepEqual(await ffmpegInstallCommand({ env: { PATH: bin }, platform: 'darwin', isRoot: false }), {
      manager: 'brew',
      command: 'brew install ffmpeg',
    });
    for (const name of ['winget.exe', 'choco.exe']) writeFileSync(join(bin, name), '');
    assert.equal((await ffmpegInstallCommand({ env: { Path: bin }, platform: 'win32' }))?.manager, 'winget');
  });
});
