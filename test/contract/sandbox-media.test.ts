// /media serves every sample by its extension: the WAV is made in memory (no file ships), the others are files.
// Both go out with the same headers and Range answers, so a player can seek either.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTool } from '../../src/core/search/ffmpeg';
import { createSandbox, type Sandbox } from '../../src/sandbox/index';
import { testTools } from '../support/ffmpeg';
import { MEDIA_DIR } from '../support/sandbox';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(origin: string, path: string, o: { method?: string; range?: string } = {}): Promise<Answer> {
  const u = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: o.method ?? 'GET',
        headers: o.range ? { range: o.range } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Zero crossings of 16-bit mono PCM (after a 44-byte header) between two times, at 22050 Hz. */
function crossings(wav: Buffer, from: number, to: number): number {
  let count = 0;
  for (let n = Math.round(from * 22050) + 1; n < Math.round(to * 22050); n++) {
    if (wav.readInt16LE(44 + (n - 1) * 2) < 0 !== wav.readInt16LE(44 + n * 2) < 0) count++;
  }
  return count;
}

describe('sandbox media', () => {
  let sb: Sandbox;
  let origin: string;
  before(async () => {
    sb = createSandbox({
      mediaDir: MEDIA_DIR,
      stateFile: join(mkdtempSync(join(tmpdir(), 'gendeck-media-')), 's.json'),
    });
    origin = await sb.start();
  });
  after(() => sb.stop());

  it('any .wav is a 2 s mono 22050 Hz 16-bit PCM chirp from 220 to 880 Hz, as ffprobe reads it', async () => {
    const wav = await get(origin, '/media/seisoai/voice-1.wav');
    assert.equal(wav.status, 200);
    assert.equal(wav.headers['content-type'], 'audio/wav');
    assert.equal(Number(wav.headers['content-length']), wav.body.length);
    assert.equal(wav.body.length, 44 + 2 * 22050 * 2);
    const file = join(mkdtempSync(join(tmpdir(), 'gendeck-wav-')), 'voice.wav');
    writeFileSync(file, wav.body);
    const tools = await testTools();
    const probe = await runTool(tools.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', file]);
    const [stream, ...more] = (JSON.parse(probe.stdout.toString('utf8')) as { streams: Record<string, unknown>[] })
      .streams;
    assert.equal(more.length, 0, 'one stream');
    assert.deepEqual(
      [stream.codec_name, stream.sample_rate, stream.channels, stream.bits_per_sample, stream.duration],
      ['pcm_s16le', '22050', 1, 16, '2.000000'],
    );
    // The frequency rises: f(t) = 220 + 330 t Hz, two crossings a period.
    assert.ok(Math.abs(crossings(wav.body, 0.1, 0.2) - 2 * 0.1 * 269.5) <= 2, 'about 269.5 Hz at 0.15 s');
    assert.ok(Math.abs(crossings(wav.body, 1.8, 1.9) - 2 * 0.1 * 830.5) <= 2, 'about 830.5 Hz at 1.85 s');
    assert.equal((await get(origin, '/media/other.WAV')).body.equals(wav.body), true, 'every .wav the same bytes');
  });

  it('the made WAV answers Range and HEAD with the headers a shipped file gets', async () => {
    const whole = (await get(origin, '/media/a.wav')).body;
    const size = whole.length;
    const png = await get(origin, '/media/a.png', { range: 'bytes=0-9' });
    const part = await get(origin, '/media/a.wav', { range: 'bytes=44-99' });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], `bytes 44-99/${size}`);
    assert.ok(part.body.equals(whole.subarray(44, 100)));
    const names = (a: Answer) => Object.keys(a.headers).filter((h) => h !== 'date' && h !== 'connection');
    assert.deepEqual(names(part).sort(), names(png).sort());
    for (const h of ['accept-ranges', 'access-control-allow-origin', 'cache-control']) {
      assert.equal(part.headers[h], png.headers[h], h);
    }
    const tail = await get(origin, '/media/a.wav', { range: 'bytes=-10' });
    assert.equal(tail.headers['content-range'], `bytes ${size - 10}-${size - 1}/${size}`);
    assert.ok(tail.body.equals(whole.subarray(size - 10)));
    const beyond = await get(origin, '/media/a.wav', { range: `bytes=${size}-` });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers['content-range'], `bytes */${size}`);
    const head = await get(origin, '/media/a.wav', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), size);
    assert.equal(head.body.length, 0);
  });
});
