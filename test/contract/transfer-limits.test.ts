// Hostile servers on 127.0.0.1 against downloadToFile and uploadFile: a download over the size cap (announced or
// streamed) is refused with nothing left on disk, a trickling one ends at the total deadline, and an upload
// whose answer never finishes ends at its deadline too.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAbortError, ProviderError } from '../../src/core/errors';
import { downloadToFile, fileIoTuning, uploadFile } from '../../src/core/http/transfer';

const MiB = 1024 * 1024;

describe('downloadToFile and uploadFile: size cap and total deadline', () => {
  let server: Server;
  let origin: string;
  let dir: string;
  const routes = new Map<string, (res: ServerResponse, req: IncomingMessage) => void>();
  const timers = new Set<NodeJS.Timeout>();
  let lastAuth: string | undefined;
  /** What /sink counted of the last upload. */
  let lastSink = '';
  let port = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gendeck-transfer-limits-'));
    server = createServer((req, res) => {
      req.resume();
      lastAuth = req.headers.authorization;
      const h = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (h) h(res, req);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
    // 40 MiB without a Content-Length.
    routes.set('/chunked', (res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(MiB, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 40) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = 1000));
      pump();
    });
    routes.set('/declared', (res) => {
      res.writeHead(200, { 'content-length': String(40 * MiB) });
      res.write(Buffer.alloc(1024));
    });
    // An upload's bytes, counted and hashed, read with a pause after each piece so the client's socket writes
    // back up (a buffer the client reused too early would change what arrives).
    routes.set('/sink', (res, req) => {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
        req.pause();
        setTimeout(() => req.resume(), 1);
      });
      req.on('end', () => res.end((lastSink = JSON.stringify({ bytes, sha256: hash.digest('hex') }))));
    });
    // A byte every 100 ms: never idle long enough for the idle timeout, never done.
    const trickle = (res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const t = setInterval(() => res.write('x'), 100);
      timers.add(t);
      res.on('close', () => clearInterval(t));
    };
    routes.set('/trickle', trickle);
    routes.set('/small', (res) => res.writeHead(200, { 'content-length': '5' }).end('hello'));
    // Says which authorization it got, so a test sees what crossed a redirect.
    routes.set('/whoami', (res) => res.writeHead(200).end(`auth=${lastAuth ?? 'none'}`));
    routes.set('/same', (res) => res.writeHead(302, { location: '/whoami' }).end('moved'));
    // localhost is another origin than 127.0.0.1 on the same port.
    routes.set('/away', (res) =>
      res.writeHead(302, { location: `http://localhost:${port}/whoami` }).end('x'.repeat(200 * 1024)),
    );
    // 1 MiB at once, then nothing until the client gives up.
    routes.set('/stall', (res) => {
      res.writeHead(200, { 'content-length': String(40 * MiB) });
      res.write(Buffer.alloc(MiB, 3));
    });
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const opts = { provider: 'seedancee2', label: 'Seedancee2', maxAttempts: 1 } as const;

  it('a download over the cap is refused, announced or streamed, and leaves neither the file nor a .part', async () => {
    for (const path of ['/chunked', '/declared']) {
      const dest = join(dir, `big${path.replace('/', '-')}.bin`);
      await assert.rejects(downloadToFile(`${origin}${path}`, dest, { ...opts, maxBytes: 4 * MiB }), (e) => {
        assert.ok(e instanceof ProviderError, String(e));
        assert.equal(e.code, 'too_large');
        assert.match(e.message, /larger than 4 MiB, the most GenDeck downloads for one file/);
        return true;
      });
      assert.equal(existsSync(dest), false, path);
      assert.equal(existsSync(`${dest}.part`), false, path);
    }
    // Under the cap it is kept as it came.
    const r = await downloadToFile(`${origin}/small`, join(dir, 'small.bin'), { ...opts, maxBytes: 4 * MiB });
    assert.equal(r.bytes, 5);
  });

  it('once a write is slow the rest go through the thread pool, and the file is the same', async () => {
    const before = fileIoTuning.slowMs;
    fileIoTuning.slowMs = -1;
    try {
      const dest = join(dir, 'pooled.bin');
      const seen: number[] = [];
      const r = await downloadToFile(`${origin}/chunked`, dest, { ...opts, onProgress: (p) => seen.push(p.bytes) });
      assert.equal(r.bytes, 40 * MiB);
      assert.ok(readFileSync(dest).equals(Buffer.alloc(40 * MiB, 1)));
      assert.ok(seen.length > 0 && seen.every((b, i) => i === 0 || b >= seen[i - 1]), 'progress only grows');
    } finally {
      fileIoTuning.slowMs = before;
    }
  });

  it('redirects are followed, the provider headers kept on its origin and dropped when a redirect leaves it', async () => {
    const headers = { authorization: 'Bearer test-secret' };
    const kept = join(dir, 'same.txt');
    await downloadToFile(`${origin}/same`, kept, { ...opts, headers });
    assert.equal(readFileSync(kept, 'utf8'), 'auth=Bearer test-secret');
    // The 302's own 200 KiB body is dropped, not kept or read whole.
    const away = join(dir, 'away.txt');
    await downloadToFile(`${origin}/away`, away, { ...opts, headers });
    assert.equal(readFileSync(away, 'utf8'), 'auth=none');
  });

  it('a download the caller aborts mid-body rejects as an abort and leaves neither the file nor a .part', async () => {
    const dest = join(dir, 'stalled.bin');
    const ac = new AbortController();
    const seen: number[] = [];
    const p = downloadToFile(`${origin}/stall`, dest, {
      ...opts,
      maxAttempts: 3,
      signal: ac.signal,
      onProgress: ({ bytes }) => {
        seen.push(bytes);
        ac.abort();
      },
    });
    await assert.rejects(p, (e) => isAbortError(e));
    assert.equal(seen[0], MiB, 'the first MiB was written and reported before the abort');
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(`${dest}.part`), false);
  });

  it('a trickling download ends at its total deadline with a clear error and nothing on disk', async () => {
    const dest = join(dir, 'slow.bin');
    const t0 = Date.now();
    await assert.rejects(
      downloadToFile(`${origin}/trickle`, dest, { ...opts, maxAttempts: 3, timeoutMs: 5_000, deadlineMs: 700 }),
      (e) => {
        assert.ok(e instanceof ProviderError, String(e));
        assert.equal(e.code, 'timeout');
        assert.match(e.message, /did not finish within/);
        return true;
      },
    );
    assert.ok(Date.now() - t0 < 4_000, `ended after ${Date.now() - t0} ms`);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('slow')),
      [],
    );
  });

  for (const [how, slowMs] of [
    ['in place', 25],
    ['through the thread pool once a read is slow', -1],
  ] as const) {
    it(`an upload reads the file ${how}: the server gets every byte, progress grows to the size`, async () => {
      const before = fileIoTuning.slowMs;
      fileIoTuning.slowMs = slowMs;
      try {
        const src = join(dir, `up-${slowMs}.bin`);
        // Ten chunks, so each of the four buffers is used again; not a whole number of MiB, so the last is short.
        const content = randomBytes(9 * MiB + 12_345);
        writeFileSync(src, content);
        const seen: number[] = [];
        const status = await uploadFile(`${origin}/sink`, src, {
          ...opts,
          method: 'PUT',
          onProgress: (p) => seen.push(p.bytes),
        });
        assert.equal(status, 200);
        assert.deepEqual(JSON.parse(lastSink), {
          bytes: content.length,
          sha256: createHash('sha256').update(content).digest('hex'),
        });
        assert.equal(seen.at(-1), content.length);
        assert.ok(
          seen.every((b, i) => i === 0 || b >= seen[i - 1]),
          'progress only grows',
        );
      } finally {
        fileIoTuning.slowMs = before;
      }
    });
  }

  it('an upload whose answer trickles ends at its total deadline', async () => {
    const src = join(dir, 'up.bin');
    writeFileSync(src, Buffer.alloc(64 * 1024, 2));
    await assert.rejects(
      uploadFile(`${origin}/trickle`, src, { ...opts, method: 'PUT', timeoutMs: 5_000, deadlineMs: 700 }),
      (e) => {
        assert.ok(e instanceof ProviderError, String(e));
        assert.equal(e.code, 'timeout');
        assert.match(e.message, /upload did not finish within/);
        return true;
      },
    );
  });
});
