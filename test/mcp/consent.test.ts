// Consent: a client that offers elicitation is asked before every paid call (declined → nothing sent; accepted →
// sent), and may let a call of unknown cost through; outside the sandbox no paid call goes without a cap, and what a
// provider echoes back never carries the key.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { data, FAKE_KEYS, sandboxOf, startMcp, textOf, type McpHarness } from './harness';

describe('gendeck mcp: elicitation before paid calls', () => {
  let answer: 'accept' | 'decline' = 'decline';
  let mcp: McpHarness;
  let sandbox: ReturnType<typeof sandboxOf>;
  before(async () => {
    mcp = await startMcp({ elicit: () => ({ action: answer, content: {} }) });
    sandbox = sandboxOf(mcp.stateDir);
  });
  after(() => mcp?.close());

  it('asks, naming provider, model and estimated cost; a decline sends nothing', async () => {
    answer = 'decline';
    const r = await mcp.call('generate_seedancee2_video', {
      prompt: 'a red boat',
      model: 'mini',
      duration: 5,
      max_cost: 60,
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /declined .*Nothing was sent/);
    assert.equal(mcp.elicitations.length, 1);
    const message = mcp.elicitations[0].message;
    assert.match(message, /Seedancee2 · mini · 5 s · 720p/);
    assert.match(message, /Estimated cost: ~50 credits/);
    assert.match(message, /up to 60 credits/);
    assert.equal(await sandbox.seedanceTasks(), 0);
    assert.equal(data<{ spend: { spent: number }[] }>(await mcp.call('list_providers')).spend.length, 0);
  });

  it('an accept sends it', async () => {
    answer = 'accept';
    const r = await mcp.call('generate_seedancee2_video', {
      prompt: 'a red boat',
      model: 'mini',
      duration: 5,
      max_cost: 60,
    });
    assert.equal(data<{ sent: boolean }>(r).sent, true);
    assert.equal(mcp.elicitations.length, 2);
    assert.equal(await sandbox.seedanceTasks(), 1);
  });

  it('lets a call of unknown cost (a Seele game) through only when the user accepts it', async () => {
    answer = 'decline';
    const declined = await mcp.call('generate_seele_game', { prompt: 'a tiny platformer', max_cost: 100 });
    assert.equal(declined.isError, true);
    assert.match(mcp.elicitations.at(-1)!.message, /Estimated cost: unknown before it runs/);
    answer = 'accept';
    const sent = data<{ job: { provider: string; status: string } }>(
      await mcp.call('generate_seele_game', { prompt: 'a tiny platformer', max_cost: 100 }),
    );
    assert.equal(sent.job.provider, 'seele');
  });

  it('still refuses above max_cost without asking', async () => {
    const asked = mcp.elicitations.length;
    const r = await mcp.call('generate_seedancee2_video', {
      prompt: 'a boat',
      model: 'pro',
      duration: 10,
      max_cost: 5,
    });
    assert.equal(r.isError, true);
    assert.equal(mcp.elicitations.length, asked);
  });
});

/** A stand-in Seedancee2 that lists models and answers every create with an error echoing the key it was sent. */
function echoingProvider(): Promise<{ server: Server; url: string; creates: IncomingMessage[] }> {
  const creates: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url?.startsWith('/v1/models')) {
      res.end(
        JSON.stringify({
          data: [{ id: 'mini', status: 'active', resolutions: ['480p', '720p'], duration: { min: 4, max: 15 } }],
        }),
      );
      return;
    }
    if (req.method === 'POST' && req.url?.startsWith('/v1/videos/generations')) {
      creates.push(req);
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          error: {
            code: 'invalid_request',
            message: `key ${req.headers.authorization} may not do that`,
            type: 'invalid_request_error',
          },
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'no' } }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, creates }),
    ),
  );
}

describe('gendeck mcp against real providers (a local stand-in)', () => {
  let provider: Awaited<ReturnType<typeof echoingProvider>>;
  before(async () => {
    provider = await echoingProvider();
  });
  after(() => provider?.server.close());

  it('sends no paid call without GENDECK_MCP_MAX_SPEND', async () => {
    const mcp = await startMcp({ sandbox: false, env: { GENDECK_SEEDANCEE2_BASE_URL: provider.url } });
    try {
      const r = await mcp.call('generate_seedancee2_video', {
        prompt: 'a boat',
        model: 'mini',
        duration: 4,
        max_cost: 100,
      });
      assert.equal(r.isError, true);
      assert.match(
        textOf(r),
        /No spend cap covers seedancee2 credits: start the MCP server with GENDECK_MCP_MAX_SPEND/,
      );
      assert.equal(provider.creates.length, 0);
      const keys = data<{ providers: { id: string; key: string }[] }>(await mcp.call('list_providers')).providers;
      assert.equal(keys.find((p) => p.id === 'seedancee2')?.key, 'set');
    } finally {
      await mcp.close();
    }
  });

  it('with a cap, sends the key to the provider only, and masks it where the provider echoes it', async () => {
    const mcp = await startMcp({
      sandbox: false,
      env: { GENDECK_SEEDANCEE2_BASE_URL: provider.url, GENDECK_MCP_MAX_SPEND: 'seedancee2=100' },
    });
    try {
      const r = await mcp.call('generate_seedancee2_video', {
        prompt: 'a boat',
        model: 'mini',
        duration: 4,
        max_cost: 100,
      });
      assert.equal(provider.creates.length, 1);
      assert.equal(provider.creates[0].headers.authorization, `Bearer ${FAKE_KEYS.SEEDANCEE2_API_KEY}`);
      assert.equal(r.isError, true);
      assert.match(textOf(r), /seedancee2 error 400/);
      assert.match(textOf(r), /«redacted»/);
      const everything = [...mcp.received, mcp.stderr()].join('\n');
      for (const key of Object.values(FAKE_KEYS)) assert.ok(!everything.includes(key));
    } finally {
      await mcp.close();
    }
  });
});
