// Hostile servers on 127.0.0.1 against the shared HttpClient: every request ends by its total deadline (a server
// that trickles a byte every 200 ms included), and an oversized JSON answer is refused without being buffered.
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { ProviderError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http/client';

type Handler = (res: ServerResponse, path: string) => void;

describe('HttpClient: total deadline and body size cap', () => {
  let server: Server;
  let origin: string;
  const routes = new Map<string, Handler>();
  const timers = new Set<NodeJS.Timeout>();
  let peakHeap = 0;

  before(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      req.resume();
      const h = routes.get(path);
      if (h) h(res, path);
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Trickles `{"a":"xxxx…` one byte per 200 ms: never idle for long, never done.
    routes.set('/trickle', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":"');
      const t = setInterval(() => res.write('x'), 200);
      timers.add(t);
      res.on('close', () => clearInterval(t));
    });
    // A 120 MB JSON answer, streamed without a Content-Length.
    routes.set('/huge-chunked', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      res.write('{"a":"');
      const pump = () => {
        while (sent < 120) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"}');
      };
      res.on('close', () => (sent = 1000));
      pump();
    });
    // The same size, announced.
    routes.set('/huge-declared', (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(120 * 1024 * 1024) });
      res.write('{"a":"');
    });
    routes.set('/ok', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const client = (o: { timeoutMs?: number; maxBodyBytes?: number } = {}) =>
    new HttpClient({
      provider: 'seedancee2',
      label: 'Seedancee2',
      baseUrl: () => origin,
      getKey: async () => 'k',
      authHeaders: () => ({}),
      maxRetries: 0,
      ...o,
    });

  it('a trickling answer ends at the total deadline with a clear error; a POST is reported as maybe accepted', async () => {
    const http = client({ timeoutMs: 1000 });
    const t0 = Date.now();
    await assert.rejects(http.request({ method: 'GET', path: '/trickle', schema: z.unknown() }), (e: ProviderError) => {
      assert.equal(e.code, 'timeout');
      assert.match(e.message, /did not finish answering within 1 s \(the total deadline/);
      return true;
    });
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 5000, `ended after ${took} ms`);
    await assert.rejects(
      http.request({ method: 'POST', path: '/trickle', body: {}, schema: z.unknown() }),
      (e: ProviderError) => e.code === 'connection_lost' && e.maybeAccepted === true && /within 1 s/.test(e.message),
    );
  });

  it("the caller's own abort stays an abort, not a timeout", async () => {
    const http = client({ timeoutMs: 5000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(
      http.request({ method: 'GET', path: '/trickle', schema: z.unknown(), signal: ac.signal }),
      (e: Error) => e.name === 'AbortError' && !(e instanceof ProviderError),
    );
  });

  it('an answer over the size cap is refused, streamed or announced, without holding it in memory', async () => {
    const http = client({ timeoutMs: 20_000, maxBodyBytes: 4 * 1024 * 1024 });
    const base = process.memoryUsage().heapUsed;
    const sample = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - base)), 5);
    try {
      for (const path of ['/huge-chunked', '/huge-declared']) {
        await assert.rejects(http.request({ method: 'GET', path, schema: z.unknown() }), (e: ProviderError) => {
          assert.equal(e.code, 'bad_response');
          assert.match(e.message, /larger than 4 MiB, the most GenDeck reads for one API response/);
          return true;
        });
      }
    } finally {
      clearInterval(sample);
    }
    assert.ok(peakHeap < 64 * 1024 * 1024, `heap grew by ${Math.round(peakHeap / 1048576)} MiB`);
    // The default cap is far above any documented answer, and normal answers still pass.
    assert.deepEqual(
      (await client().request({ method: 'GET', path: '/ok', schema: z.object({ ok: z.boolean() }) })).data,
      { ok: true },
    );
  });
});
