// Video index and search through MCP (ffmpeg as the product finds it, the sandbox's Seeknetic), and x402 payments
// for Seisoai tools within max_cost (--pay-x402 --max-usd N, the sandbox's throwaway wallet).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeVideo, testTools } from '../support/ffmpeg';
import { data, startMcp, textOf, type McpHarness } from './harness';

describe('gendeck mcp: index and search videos', () => {
  let mcp: McpHarness;
  before(async () => {
    const tools = await testTools(); // no ffmpeg anywhere → this suite fails
    const cwd = mkdtempSync(join(tmpdir(), 'gendeck-mcp-videos-'));
    mkdirSync(join(cwd, 'clips'));
    await Promise.all([
      makeVideo(tools, join(cwd, 'clips', 'red.mp4'), { colours: ['0xE01010', '0xD02020'], segment: 1 }),
      makeVideo(tools, join(cwd, 'clips', 'blue.mp4'), { colours: ['0x1010E0', '0x2020C0'], segment: 1 }),
    ]);
    mcp = await startMcp({ cwd });
  });
  after(() => mcp?.close());

  it('says to index first', async () => {
    const r = await mcp.call('search_videos', { query: 'a red clip', folder: 'clips' });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /index_videos first/);
  });

  it('indexes a folder, then finds the right clip', async () => {
    const indexed = data<{ embedded: number; indexed: number; failed: unknown[] }>(
      await mcp.call('index_videos', { folder: 'clips' }),
    );
    assert.deepEqual([indexed.embedded, indexed.indexed, indexed.failed], [2, 2, []]);
    const again = data<{ embedded: number; unchanged: number }>(await mcp.call('index_videos', { folder: 'clips' }));
    assert.deepEqual([again.embedded, again.unchanged], [0, 2], 'incremental');
    const r = await mcp.call('search_videos', { query: 'a red clip', folder: 'clips', k: 2 });
    const hits = data<{ hits: { file: string; score: number }[] }>(r).hits;
    assert.equal(hits[0].file, 'red.mp4');
    assert.ok(hits[0].score > hits[1].score);
    assert.ok(r.content.some((c) => c.type === 'resource_link' && c.uri.endsWith('/clips/red.mp4')));
  });

  it('keeps to its folder', async () => {
    const r = await mcp.call('index_videos', { folder: '/etc' });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /outside .*the folder this server may use/);
  });
});

describe('gendeck mcp --pay-x402: Seisoai tools paid per request', () => {
  let mcp: McpHarness;
  before(async () => {
    mcp = await startMcp({ args: ['--pay-x402', '--max-usd', '0.1'], env: { GENDECK_MCP_MAX_SPEND: 'USDC=0.05' } });
  });
  after(() => mcp?.close());

  it('offers pay_with and pays within max_cost, with a receipt', async () => {
    const tool = (await mcp.client.listTools()).tools.find((t) => t.name === 'run_seisoai_tool')!;
    assert.ok('pay_with' in (tool.inputSchema.properties ?? {}));
    const sent = data<{ estimate: { amount: number; unit: string }; job: { status: string } }>(
      await mcp.call('run_seisoai_tool', {
        tool: 'image.generate.flux-2',
        input: { prompt: 'a paid still' },
        max_cost: 0.03,
        pay_with: 'x402',
      }),
    );
    assert.deepEqual(sent.estimate, { amount: 0.03, unit: 'USDC', estimated: true });
    assert.equal(sent.job.status, 'succeeded');
    const receipts = readFileSync(join(mcp.stateDir, 'x402-receipts-sandbox.jsonl'), 'utf8').trim().split('\n');
    assert.equal(receipts.length, 1);
    assert.match(receipts[0], /"status":"settled"/);
  });

  it('refuses past the USDC cap before any payment', async () => {
    const r = await mcp.call('run_seisoai_tool', {
      tool: 'image.generate.flux-2',
      input: { prompt: 'two more', num_images: 1 },
      max_cost: 0.03,
      pay_with: 'x402',
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /USDC spend to 0\.06, above its cap of 0\.05/);
    const receipts = readFileSync(join(mcp.stateDir, 'x402-receipts-sandbox.jsonl'), 'utf8').trim().split('\n');
    assert.equal(receipts.length, 1, 'no second payment');
  });
});
