// dist/undici.js (scripts/build/undici-entry.mjs) holds only undici's request and global dispatcher: each call GenDeck
// makes through it answers exactly as the whole undici package answers the same call on the same local server.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as undici from 'undici';
import type { UndiciParts } from '../../src/core/http/undici';
import { REPO_ROOT } from '../support/ffmpeg';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundled = require(join(REPO_ROOT, 'dist', 'undici.js')) as UndiciParts;

describe('dist/undici.js, the part of undici the bundles load', () => {
  let server: Server;
  let origin = '';

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, {
          'content-type': 'application/json',
          'x-seen': 'yes',
        });
        res.end(JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization ?? null, body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((r) => server.close(() => r())));

  async function both(path: string, opts: Parameters<typeof undici.request>[1]) {
    const answer = async (lib: UndiciParts) => {
      const res = await lib.request(`${origin}${path}`, opts);
      return {
        status: res.statusCode,
        type: res.headers['content-type'],
        seen: res.headers['x-seen'],
        body: await res.body.json(),
      };
    };
    return { ours: await answer(bundled), official: await answer(undici) };
  }

  const calls: [string, string, Parameters<typeof undici.request>[1]][] = [
    ['a GET with a query', '/v1/jobs?limit=5&after=a%20b', { method: 'GET' }],
    ['a GET without a method', '/v1/jobs', {}],
    [
      'a POST with headers and a body',
      '/v1/jobs',
      { method: 'POST', headers: { authorization: 'Bearer t' }, body: '{"a":1}' },
    ],
    ['a body without a method (undici sends it as PUT)', '/upload', { body: 'bytes' }],
    ['a 404', '/missing/x', { method: 'GET' }],
  ];
  for (const [what, path, opts] of calls) {
    it(`answers ${what} as undici does`, async () => {
      const { ours, official } = await both(path, opts);
      assert.deepEqual(ours, official);
    });
  }

  it('sends through the dispatcher it is given, and shares the global one with undici', async () => {
    const agent = new undici.Agent();
    let dispatched = 0;
    const counting = agent.compose((dispatch) => (o, h) => (dispatched++, dispatch(o, h)));
    const res = await bundled.request(`${origin}/via`, { dispatcher: counting });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    assert.equal(dispatched, 1);
    await agent.close();
    assert.equal(bundled.getGlobalDispatcher(), undici.getGlobalDispatcher());
  });
});
