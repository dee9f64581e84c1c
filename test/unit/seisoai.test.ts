import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../../src/core/errors';
import { createProvider } from '../../src/core/providers/index';
import { priceQueryInput, readErrorBody, toolPath } from '../../src/core/providers/seisoai/client';
import { normalizeCategory } from '../../src/core/providers/seisoai/contract';
import { extractOutputs } from '../../src/core/providers/seisoai/outputs';
import { statusFromWord, toInvokeResult } from '../../src/core/providers/seisoai/provider';
import { readAgentDetail, readPrice, readToolDetail, readToolSummary } from '../../src/core/providers/seisoai/schemas';
import { X402Error, X402Payer } from '../../src/core/x402/payer';
import { encodeJsonHeader, formatUsdc, networkFor, parseChallenge, usdToAtomic } from '../../src/core/x402/protocol';
import { ReceiptLog } from '../../src/core/x402/receipts';

describe('Seisoai contract reading', () => {
  it('normalises categories from the word or the tool id', () => {
    assert.equal(normalizeCategory('image', 'x'), 'images');
    assert.equal(normalizeCategory('Images', 'x'), 'images');
    assert.equal(normalizeCategory('3d', 'x'), '3D');
    assert.equal(normalizeCategory(undefined, '3d.text-to-3d.hunyuan-pro'), '3D');
    assert.equal(normalizeCategory(undefined, 'music.generate'), 'music');
    assert.equal(normalizeCategory('LoRA', 'x'), 'training');
    assert.equal(normalizeCategory('weird', 'misc.tool'), 'other');
  });

  it('reads tools, agents and prices in every tolerated shape', () => {
    assert.equal(readToolSummary({ toolId: 'a.b', enabled: false, x: 1 })?.enabled, false);
    assert.equal(readToolSummary({ name: 'no id' }), undefined);
    assert.equal(readToolSummary({ id: 'a.b', executionMode: 'async' })?.executionMode, 'queue');
    const d = readToolDetail({
      tool: { id: 'image.x', input_schema: { type: 'object', properties: { prompt: { type: 'string' } } } },
    });
    assert.deepEqual(Object.keys((d!.inputSchema as { properties: object }).properties), ['prompt']);
    assert.deepEqual(readToolDetail({ id: 'y' })!.inputSchema, { type: 'object', properties: {} });
    assert.deepEqual(readPrice(0.05), { usd: 0.05, credits: undefined });
    assert.deepEqual(readPrice('$0.10'), { usd: 0.1, credits: undefined });
    assert.deepEqual(readPrice({ usdc: '250000' }), { usd: 0.25, credits: undefined });
    assert.deepEqual(
      readAgentDetail({ agent: { id: 'a1', tools: ['t1', { id: 't2' }, { toolId: 't3' }, 5] } })?.tools,
      ['t1', 't2', 't3'],
    );
    assert.deepEqual(
      readErrorBody({ success: false, error: { message: 'bad', code: 'x', fields: { prompt: 'is required' } } }),
      { code: 'x', message: 'bad', fields: { prompt: 'is required' }, alternatives: undefined },
    );
    assert.equal(readErrorBody({ error: 'plain', code: 'c' })?.message, 'plain');
  });

  it('maps status words', () => {
    assert.equal(statusFromWord('IN_QUEUE'), 'queued');
    assert.equal(statusFromWord('processing'), 'running');
    assert.equal(statusFromWord('completed'), 'succeeded');
    assert.equal(statusFromWord('error'), 'failed');
    assert.equal(statusFromWord('zzz'), undefined);
  });

  it('keeps tool ids out of path tricks and inline files out of price URLs', () => {
    assert.equal(toolPath('image.generate.flux-2'), 'image.generate.flux-2');
    for (const bad of ['../agent/x', 'a/b', '', 'a?b', ' a']) assert.throws(() => toolPath(bad), ProviderError);
    assert.equal(priceQueryInput({ image_url: 'data:image/png;base64,AAAA', n: 2 }), '{"image_url":"data:","n":2}');
  });

  it('follows status URLs only on the provider host', () => {
    const c = createProvider('seisoai', { baseUrl: () => 'https://seisoai.com', getKey: async () => undefined }).client;
    assert.equal(c.ownUrl('/api/gateway/jobs/1?model=m'), '/api/gateway/jobs/1?model=m');
    assert.equal(c.ownUrl('https://seisoai.com/api/gateway/jobs/1'), 'https://seisoai.com/api/gateway/jobs/1');
    assert.equal(c.ownUrl('https://evil.example/api/gateway/jobs/1'), undefined);
    assert.equal(c.ownUrl('https://seisoai.com/other/1'), undefined);
    assert.equal(c.ownUrl(undefined), undefined);
    // Only a job's own routes are followed with the key: not an agent route, not /agents, nothing that climbs out.
    for (const bad of [
      '/api/gateway/agent/agent_x/invoke/tool',
      '/api/gateway/agents',
      '/api/gateway/jobs/../agent/a/invoke/t',
      '/api/gateway/jobs/%2e%2e/agent/a/invoke/t',
      '/api/gateway/jobs/1/..%2f..%2f..%2fadmin',
      '/api/gateway/jobs/../../admin',
      'https://seisoai.com/api/gateway/jobs/../agents',
      'https://user:pw@seisoai.com/api/gateway/jobs/1',
      '//evil.example/api/gateway/jobs/1',
      '/api/gateway/jobs/',
      '/api/gateway/jobs/1/agent/x',
      'api/gateway/jobs/1',
    ]) {
      assert.equal(c.ownUrl(bad), undefined, bad);
    }
    assert.equal(c.ownUrl('/api/gateway/jobs/job_1/result'), '/api/gateway/jobs/job_1/result');
  });

  it('types outputs by content type, extension and key', () => {
    const outs = extractOutputs({
      images: [{ url: 'https://cdn/x/1', content_type: 'image/webp' }],
      video: { url: 'https://cdn/v.mp4' },
      audio_file: { url: 'https://cdn/a' },
      model_glb: { url: 'https://cdn/m.glb', file_name: 'mesh.glb' },
      text: 'hello',
      meta: { seed: 1 },
    });
    assert.deepEqual(
      outs.map((o) => o.kind),
      ['image', 'video', 'audio', 'model', 'text'],
    );
    assert.equal(outs[3].name, 'mesh.glb');
    assert.deepEqual(extractOutputs({ score: 0.9 }), [{ kind: 'json', value: { score: 0.9 }, label: 'Result' }]);
    assert.deepEqual(extractOutputs({ output: 'https://cdn/abc' }, 'audio')[0].kind, 'audio');
    assert.deepEqual(
      extractOutputs({
        images: [{ url: 'https://cdn/1.png' }, { url: 'https://cdn/2.png' }],
        captions: ['a', 'b'],
      }).map((o) => o.label),
      ['Images 1', 'Images 2', 'Captions 1', 'Captions 2'],
    );
  });

  it('types outputs from the shared kinds table', () => {
    const outs = extractOutputs(
      {
        page: { url: 'https://cdn/p', content_type: 'text/html; charset=utf-8' },
        logo: { url: 'https://cdn/l.svg' },
        lora: { url: 'https://cdn/w.safetensors' },
        render: { url: 'https://cdn/r', file_name: 'r.mp4' },
        video_thumbnail: 'https://cdn/t',
        objects: 'https://cdn/o',
        video: { url: 'https://cdn/v.mp4', description: 'a wave', thumbnail: { url: 'https://cdn/vt.png' } },
      },
      'image',
    );
    assert.deepEqual(
      outs.map((o) => [o.kind, o.label]),
      [
        ['html', 'Page'],
        ['image', 'Logo'],
        ['file', 'Lora'],
        ['video', 'Render'],
        ['image', 'Video thumbnail'],
        ['image', 'Objects'],
        ['video', 'Video'],
        ['image', 'Thumbnail'],
      ],
    );
  });

  it('turns invoke answers into sync or queued jobs', () => {
    const tool = { id: 'video.generate.veo3', name: 'Veo', category: 'video' as const };
    const q = toInvokeResult(
      tool,
      { prompt: 'p' },
      {
        executionMode: 'queue',
        job: { id: 'j1', model: 'm' },
        statusUrl: '/api/gateway/jobs/j1?model=m',
        pricing: { usd: 0.4 },
      },
      {},
      'apiKey',
    );
    assert.equal(q.mode, 'queue');
    assert.equal(q.job.id, 'j1');
    assert.equal(q.job.cost?.amount, 0.4);
    assert.equal(q.job.meta.statusUrl, '/api/gateway/jobs/j1?model=m');
    const s = toInvokeResult(tool, { prompt: 'p' }, { result: { video: { url: 'https://x/v.mp4' } } }, {}, 'x402');
    assert.equal(s.mode, 'sync');
    assert.equal(s.job.status, 'succeeded');
    assert.equal(s.job.outputs[0].kind, 'video');
    assert.throws(() => toInvokeResult(tool, {}, { executionMode: 'queue' }, {}, 'apiKey'), ProviderError);
  });
});

describe('x402 protocol and limits', () => {
  const v2 = {
    x402Version: 2,
    resource: { url: 'https://seisoai.com/api/gateway/invoke/t' },
    accepts: [
      {
        scheme: 'exact',
        network: 'eip155:8453',
        amount: '120000',
        asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
        payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
        maxTimeoutSeconds: 60,
      },
    ],
  };

  it('parses the v2 header and the v1 body', () => {
    const c2 = parseChallenge({ 'payment-required': encodeJsonHeader(v2) }, {});
    assert.equal(c2?.version, 2);
    assert.equal(c2?.accepts[0].amount, 120000n);
    assert.equal(c2?.accepts[0].resource, 'https://seisoai.com/api/gateway/invoke/t');
    const c1 = parseChallenge(
      {},
      {
        x402Version: 1,
        accepts: [
          { scheme: 'exact', network: 'base', maxAmountRequired: '5000', asset: '0xa', payTo: '0xb', resource: 'r' },
          { junk: true },
        ],
      },
    );
    assert.equal(c1?.version, 1);
    assert.equal(c1?.accepts.length, 1);
    assert.equal(c1?.accepts[0].amount, 5000n);
    assert.equal(parseChallenge({}, { error: 'Insufficient credits' }), undefined);
    assert.equal(parseChallenge({ 'payment-required': 'not base64 json' }, {}), undefined);
  });

  it('formats USDC with 6 decimals and knows only Base networks', () => {
    assert.equal(formatUsdc(30000n), '0.03');
    assert.equal(formatUsdc(1234567n), '1.234567');
    assert.equal(formatUsdc(2000000n), '2.00');
    assert.equal(usdToAtomic(0.5), 500000n);
    assert.equal(usdToAtomic(0.29), 290000n);
    assert.equal(networkFor('eip155:8453')?.id, 'base');
    assert.equal(networkFor('base-sepolia')?.chainId, 84532);
    assert.equal(networkFor('eip155:1'), undefined);
  });

  it('checks caps before confirming and never reads the key when refusing', async () => {
    let asked = 0;
    let keyReads = 0;
    const payer = new X402Payer({
      limits: () => ({ maxPerPaymentUsd: 0.1, maxPerDayUsd: 1, networks: ['base'] }),
      confirm: async () => (asked++, true),
      getWalletKey: async () => (keyReads++, undefined),
      receipts: new ReceiptLog(undefined),
    });
    const challenge = parseChallenge({ 'payment-required': encodeJsonHeader(v2) }, {})!;
    await assert.rejects(
      payer.prepare(challenge, { resource: 'r' }),
      (e: X402Error) => e.code === 'over_payment_cap' && /0\.12 USDC.*0\.10 USDC/.test(e.message),
    );
    assert.equal(asked, 0);
    const cheap = parseChallenge(
      { 'payment-required': encodeJsonHeader({ ...v2, accepts: [{ ...v2.accepts[0], amount: '50000' }] }) },
      {},
    )!;
    await assert.rejects(payer.prepare(cheap, { resource: 'r' }), (e: X402Error) => e.code === 'no_wallet');
    assert.equal(asked, 1);
    assert.equal(keyReads, 1);
    const other = parseChallenge(
      { 'payment-required': encodeJsonHeader({ ...v2, accepts: [{ ...v2.accepts[0], scheme: 'upto' }] }) },
      {},
    )!;
    await assert.rejects(payer.prepare(other, { resource: 'r' }), (e: X402Error) => e.code === 'no_acceptable_option');
  });

  it('counts settled and unknown receipts of the last 24 hours, not rejected ones', async () => {
    const log = new ReceiptLog(undefined);
    const now = Date.parse('2026-03-01T12:00:00Z');
    const base = { amountUsdc: '', asset: 'a', network: 'n', payTo: 'p', resource: 'r' };
    await log.append({ ...base, time: '2026-03-01T11:00:00Z', amount: '100000', status: 'settled' });
    await log.append({ ...base, time: '2026-03-01T10:00:00Z', amount: '50000', status: 'unknown' });
    await log.append({ ...base, time: '2026-03-01T10:00:00Z', amount: '70000', status: 'rejected' });
    await log.append({ ...base, time: '2026-02-28T11:00:00Z', amount: '900000', status: 'settled' });
    assert.equal(await log.spentInLastDay(now), 150000n);
  });
});
