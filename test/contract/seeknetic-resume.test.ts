import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAbortError } from '../../src/core/errors';
import type { FfmpegTools } from '../../src/core/search/ffmpeg';
import { VideoIndex, type UpdateOptions, type VideoEmbedder } from '../../src/core/search/index';
import { makeVideo, testTools } from '../support/ffmpeg';
import { startSeeknetic, type SeekneticHarness } from '../support/seeknetic';

const W = { windowSeconds: 10, maxWindows: 120 };
const COLOURS = ['0xE01010', '0x10C010', '0x1010E0', '0xE0E010', '0xF0F0F0', '0x101010'];

describe('search by moment: a cancelled run keeps the windows it paid for (Seeknetic sandbox over HTTP + ffmpeg)', () => {
  let tools: FfmpegTools;
  let h: SeekneticHarness;
  let root: string;
  let dir: string;
  let file: string;
  const opts = (extra: Partial<UpdateOptions> = {}): UpdateOptions => ({
    embedder: h.provider,
    tools,
    embedOptions: h.wait,
    concurrency: 2,
    windowing: W,
    checkpointMs: 60_000,
    ...extra,
  });

  before(async () => {
    tools = await testTools();
    h = await startSeeknetic();
    const base = mkdtempSync(join(tmpdir(), 'gendeck-resume-'));
    root = join(base, 'workspace');
    dir = join(base, 'storage');
    mkdirSync(root, { recursive: true });
    file = join(root, 'long.mp4');
    // Six 10 s windows: red, green, blue, yellow, white, black.
    await makeVideo(tools, file, { colours: COLOURS, durations: COLOURS.map(() => 10) });
  });
  after(() => h.stop());

  it('cancelled during the 3rd embedding request: the next run embeds only the other windows, and both runs’ are found', async () => {
    const index = new VideoIndex({ dir, root, log: h.log });
    await index.load();
    const ac = new AbortController();
    // The real provider over HTTP; the user cancels just as the 3rd embedding call starts, so it is in flight then:
    // already on its way (paid for), it must finish and be kept, and nothing after it may start.
    let started = 0;
    const embedder: VideoEmbedder = {
      embedVideo: (input, o) => {
        if (++started === 3) ac.abort();
        return h.provider.embedVideo(input, o);
      },
      tagVideo: (input, o) => h.provider.tagVideo(input, o),
    };
    await assert.rejects(index.update([file], opts({ embedder, signal: ac.signal })), (e: Error) => isAbortError(e));
    const first = h.emulator.uploads.embedding;
    assert.equal(first, 3, 'the call in flight at the cancel finished; none started after it');
    await index.dispose();

    // Saved on cancel (the checkpoint interval is longer than the run): a fresh load sees every window paid for.
    const again = new VideoIndex({ dir, root, log: h.log });
    await again.load();
    assert.equal(again.size, first, 'every window embedded before the cancel is in the saved index');
    // The partly indexed file is not taken for complete: it still needs the remaining windows, and only those.
    const est = await again.estimate([file], { tools, windowing: W });
    assert.equal(est.toEmbed, 1);
    assert.equal(est.embedCalls, 6 - first);
    assert.deepEqual(h.emulator.uploads.embedding, first, 'estimating sends nothing');

    const stats = await again.update([file], opts());
    assert.equal(stats.embedded, 1);
    assert.equal(stats.windows, 6 - first);
    assert.equal(h.emulator.uploads.embedding, 6, 'no window was embedded twice');
    assert.equal(h.emulator.uploads.tagging, 6, 'no window was tagged twice');
    assert.deepEqual(
      again.entries().map((e) => e.start),
      [0, 10, 20, 30, 40, 50],
    );
    // The first window comes from the cancelled run, the last from this one: both are found.
    const red = await again.search((await h.provider.encodeQuery('red')).vector);
    assert.equal(red[0].entry.start, 0);
    const black = await again.search((await h.provider.encodeQuery('black night')).vector);
    assert.equal(black[0].entry.start, 50);

    // Complete now: nothing more is sent.
    const done = await again.update([file], opts());
    assert.equal(done.unchanged, 1);
    assert.equal(h.emulator.uploads.embedding, 6);
    await again.dispose();
  });
});
