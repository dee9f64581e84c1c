import assert from 'node:assert/strict';
import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors';
import { fileToDataUri, sniffMedia } from '../../src/core/media/dataUri';
import { sampleWav } from '../../src/sandbox/sampleWav';
import { MEDIA_DIR } from '../support/sandbox';

describe('local media as data: URIs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-media-'));

  it('accepts a PNG and a JPEG by their bytes', async () => {
    const png = await fileToDataUri(join(MEDIA_DIR, 'sample.png'), { kinds: ['image'] });
    assert.match(png.uri, /^data:image\/png;base64,/);
    const jpg = await fileToDataUri(join(MEDIA_DIR, 'sample.jpg'), { kinds: ['image'] });
    assert.equal(jpg.mime, 'image/jpeg');
  });

  it('tells an M4A (audio-only MP4) from an MP4 video by its brand', async () => {
    const m4a = join(dir, 'voice.m4a');
    writeFileSync(m4a, Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A \0\0\0\0isom', 'latin1')]));
    assert.deepEqual(await sniffMedia(m4a), { kind: 'audio', mime: 'audio/mp4' });
    assert.deepEqual(await sniffMedia(join(MEDIA_DIR, 'sample.mp4')), { kind: 'video', mime: 'video/mp4' });
  });

  it('refuses a 50 MB image before reading it', async () => {
    const big = join(dir, 'huge.png');
    copyFileSync(join(MEDIA_DIR, 'sample.png'), big);
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    await assert.rejects(
      fileToDataUri(big, { kinds: ['image'], maxBytes: 10 * 1024 * 1024 }),
      (e: ValidationError) => e instanceof ValidationError && /50\.0 MB.*at most 10\.0 MB/.test(e.message),
    );
  });

  it('refuses a file that is not an image, whatever its name', async () => {
    const fake = join(dir, 'photo.png');
    writeFileSync(fake, 'just some text pretending to be a picture');
    await assert.rejects(
      fileToDataUri(fake, { kinds: ['image'] }),
      (e: ValidationError) => e instanceof ValidationError && /not an image/.test(e.message),
    );
    const wav = join(dir, 'sample.wav');
    writeFileSync(wav, sampleWav());
    await assert.rejects(fileToDataUri(wav, { kinds: ['image'] }), /not an image/);
  });
});
