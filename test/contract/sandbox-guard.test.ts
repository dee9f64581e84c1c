// The sandbox listens on 127.0.0.1, which any web page in the user's browser can reach. It must answer only GenDeck:
// no foreign Host (DNS rebinding), no foreign Origin (cross-site POSTs), control routes behind its own random key.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSandbox, type Sandbox } from '../../src/sandbox/index';
import { MEDIA_DIR } from '../support/sandbox';

function send(
  origin: string,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const u = new URL(o.path, origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: o.method ?? 'GET', headers: o.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('the sandbox answers only GenDeck on this machine', () => {
  let sb: Sandbox;
  let origin: string;
  const stateFile = join(mkdtempSync(join(tmpdir(), 'gendeck-guard-')), 'state.json');
  before(async () => {
    // As "Try the Sandbox" makes it: no test keys accepted.
    sb = createSandbox({ mediaDir: MEDIA_DIR, stateFile });
    origin = await sb.start();
  });
  after(() => sb.stop());

  it('a cross-site text/plain POST cannot inject a fault, and the control routes need the sandbox key', async () => {
    const hang = JSON.stringify({ kind: 'hang', provider: 'seedancee2' });
    const crossSite = await send(origin, {
      method: 'POST',
      path: '/__sandbox/faults',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: hang,
    });
    assert.equal(crossSite.status, 403);
    const keyless = await send(origin, {
      method: 'POST',
      path: '/__sandbox/faults',
      headers: { 'content-type': 'application/json' },
      body: hang,
    });
    assert.equal(keyless.status, 401);
    assert.equal(sb.faults.take('seedancee2', 'GET', '/v1/models'), undefined, 'no fault was added');
    const keyed = await send(origin, {
      method: 'POST',
      path: '/__sandbox/faults',
      headers: { 'content-type': 'application/json', 'x-sandbox-key': sb.key },
      body: JSON.stringify({ kind: 'status', status: 503, provider: 'seedancee2', times: 1 }),
    });
    assert.equal(keyed.status, 200);
    assert.equal(sb.faults.take('seedancee2', 'GET', '/v1/models')?.status, 503);
  });

  it('a rebinding Host is refused even with the right key; a foreign Origin too; loopback works', async () => {
    const path = '/seedancee2/v1/videos/generations';
    const auth = { authorization: `Bearer ${sb.key}` };
    assert.equal((await send(origin, { path, headers: { ...auth, host: 'rebind.evil.example' } })).status, 403);
    assert.equal((await send(origin, { path, headers: { ...auth, origin: 'https://evil.example' } })).status, 403);
    assert.equal((await send(origin, { path, headers: auth })).status, 200);
    assert.equal(
      (await send(origin, { path, headers: { ...auth, host: `localhost:${new URL(origin).port}` } })).status,
      200,
    );
    // Media stays loadable by a webview (its Origin is its own), but not through a rebinding Host.
    assert.equal(
      (await send(origin, { path: '/media/sample.png', headers: { origin: 'vscode-webview://abc' } })).status,
      200,
    );
    assert.equal(
      (await send(origin, { path: '/media/sample.png', headers: { host: 'rebind.evil.example' } })).status,
      403,
    );
  });

  it('its key is random, the only one accepted, and kept with its state across a restart', async () => {
    assert.match(sb.key, /^sbx_[0-9a-f]{48}$/);
    const other = createSandbox({ mediaDir: MEDIA_DIR });
    assert.notEqual(other.key, sb.key);
    const path = '/seedancee2/v1/videos/generations';
    for (const guess of ['gendeck-sandbox-key', 'sk_test_abcdef123456', 'sk_sandbox_abcdef123456']) {
      assert.equal((await send(origin, { path, headers: { authorization: `Bearer ${guess}` } })).status, 401, guess);
    }
    const key = sb.key;
    await sb.stop();
    sb = createSandbox({ mediaDir: MEDIA_DIR, stateFile });
    origin = await sb.start();
    assert.equal(sb.key, key, 'the same key after a restart, so its jobs stay reachable');
    assert.equal((await send(origin, { path, headers: { authorization: `Bearer ${key}` } })).status, 200);
  });
});
