// Its own file, so node --test runs it in its own process and the RSS numbers are this upload's alone.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import type { SeeleEmulator } from '../../src/core/providers/seele/emulator';
import type { Emulator } from '../../src/core/emulation/emulator';
import { startHarness, type Harness } from '../support/sandbox';

const SIZE = 200 * 1024 * 1024;
const CHUNK = 1024 * 1024;

describe('Seele upload of a 200 MB file', () => {
  let h: Harness;
  let file: string;
  let sha256: string;

  before(async () => {
    h = await startHarness({ timeoutMs: 60_000 });
    file = join(h.tmp, 'big-reference.bin');
    // Written by streaming: one 1 MB block (varied per chunk) at a time.
    const seed = randomBytes(CHUNK);
    const hash = createHash('sha256');
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < SIZE / CHUNK; i++) {
            const block = Buffer.from(seed);
            block.writeUInt32BE(i, 0);
            hash.update(block);
            yield block;
          }
        })(),
      ),
      createWriteStream(file),
    );
    sha256 = hash.digest('hex');
  });
  after(async () => {
    await h.stop();
    await rm(h.tmp, { recursive: true, force: true });
  });

  it('streams it with constant memory (client and sandbox in this process)', async () => {
    const emu = (h.sandbox as unknown as { emulators: Emulator[] }).emulators.find(
      (e) => e.id === 'seele',
    ) as SeeleEmulator;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let lastProgress = 0;
    let progressCalls = 0;
    try {
      const [up] = await h.providers.seele.uploadFiles([file], {
        onProgress: (_f, p) => {
          progressCalls++;
          lastProgress = p.bytes;
          peak = Math.max(peak, process.memoryUsage().rss);
        },
      });
      const rec = emu.files.get(up.fileId)!;
      assert.equal(rec.size, SIZE);
      assert.equal(rec.sha256, sha256, 'the sandbox received every byte, in order');
    } finally {
      clearInterval(timer);
    }
    const growth = peak - baseline;
    console.log(
      `rss baseline ${(baseline / 2 ** 20).toFixed(1)} MB, peak growth ${(growth / 2 ** 20).toFixed(1)} MB for a ${SIZE / 2 ** 20} MB upload`,
    );
    assert.ok(progressCalls > 1 && lastProgress === SIZE, 'progress was reported up to the full size');
    // Buffers freed but not yet collected show up too (usually 15–45 MB here); holding the file would add 200 MB.
    assert.ok(
      growth < 64 * 1024 * 1024,
      `peak RSS grew by ${(growth / 2 ** 20).toFixed(1)} MB; expected well below the 200 MB file`,
    );
  });
});
