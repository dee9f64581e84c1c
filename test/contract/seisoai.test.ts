import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProviderError, ValidationError } from '../../src/core/errors';
import { hasElidedData } from '../../src/core/jobs/job';
import { AgentRoutes, AuditLog } from '../../src/core/providers/seisoai/agents';
import { SeisoaiPolicyError } from '../../src/core/providers/seisoai/provider';
import type { SeisoaiEmulator } from '../../src/core/providers/seisoai/emulator';
import { startHarness, waitFor, type Harness } from '../support/sandbox';

describe('Seisoai against the sandbox', () => {
  let h: Harness;
  let emu: SeisoaiEmulator;
  before(async () => {
    h = await startHarness();
    emu = h.emulators.seisoai;
  });
  after(() => h.stop());

  it('discovers the live registry grouped by category, caches it, and refreshes on demand', async () => {
    const p = h.providers.seisoai;
    const groups = await p.registry.grouped();
    assert.deepEqual(
      groups.map((g) => g.category),
      ['images', 'video', 'audio', 'music', '3D', 'training'],
    );
    const all = groups.flatMap((g) => g.tools);
    assert.ok(all.length >= 8);
    assert.equal(all.find((t) => t.id === 'image.generate.kling-image-v3')?.enabled, false);
    assert.equal(all.find((t) => t.id === 'video.generate.veo3')?.executionMode, 'queue');
    assert.equal(all.find((t) => t.id === 'image.generate.flux-2')?.price?.usd, 0.03);
    const before = emu.calls.filter((c) => c === 'GET /api/gateway/tools').length;
    await p.registry.tools();
    assert.equal(
      emu.calls.filter((c) => c === 'GET /api/gateway/tools').length,
      before,
      'served from the cache within the TTL',
    );
    await p.registry.tools({ fresh: true });
    assert.equal(
      emu.calls.filter((c) => c === 'GET /api/gateway/tools').length,
      before + 1,
      'Refresh reads the live list again',
    );
  });

  it('reads a tool schema, prices the input, and shows the MCP manifest', async () => {
    const p = h.providers.seisoai;
    const tool = await p.registry.detail('video.generate.veo3');
    assert.deepEqual((tool.inputSchema as { required: string[] }).required, ['prompt']);
    assert.equal((await p.price('video.generate.veo3', { prompt: 'x', duration: '8s' })).usd, 0.8);
    assert.equal((await p.price('video.generate.veo3', { prompt: 'x', duration: '4s' })).usd, 0.4);
    const price = await p.price('image.upscale', {
      image_url: `data:image/png;base64,${'A'.repeat(50_000)}`,
      scale: 4,
    });
    assert.equal(price.usd, 0.04);
    const manifest = await p.manifest();
    assert.ok(Array.isArray(manifest.tools));
  });

  it('returns sync results at once, typed by media', async () => {
    const p = h.providers.seisoai;
    const r = await p.invoke('image.generate.flux-2', { prompt: 'a lighthouse', num_images: 2 });
    assert.equal(r.mode, 'sync');
    assert.equal(r.job.status, 'succeeded');
    assert.deepEqual(
      r.job.outputs.map((o) => o.kind),
      ['image', 'image'],
    );
    assert.equal(r.job.cost?.amount, 0.06);
    const t = await p.invoke('audio.transcribe', { audio_url: 'https://example.com/a.wav' });
    assert.equal(t.job.outputs[0].kind, 'text');
    assert.match(String(t.job.outputs[0].value), /sandbox speaking/);
    const tts = await p.invoke('audio.tts', { text: 'hello', audio_url: 'data:audio/wav;base64,UklGRiQAAABXQVZF' });
    assert.equal(tts.job.outputs[0].kind, 'audio');
    assert.ok(hasElidedData(tts.job.request), 'inline files are not kept on the job');
    assert.ok(!JSON.stringify(tts.job.request).includes('UklGR'));
  });

  it('runs a queue job through statusUrl to resultUrl with typed outputs (glb)', async () => {
    const p = h.providers.seisoai;
    const r = await p.invoke('3d.image-to-3d', { image_url: 'https://example.com/chair.png' });
    assert.equal(r.mode, 'queue');
    assert.equal(r.job.status, 'queued');
    assert.match(String(r.job.meta.statusUrl), /\/api\/gateway\/jobs\/job_.*model=3d\.image-to-3d/);
    const seen = new Set<string>();
    const done = await waitFor(async () => {
      const patch = await p.poll(r.job);
      seen.add(patch.status!);
      return patch.status === 'succeeded' ? patch : undefined;
    });
    assert.ok(seen.has('running') || seen.has('queued'));
    assert.deepEqual(
      done.outputs?.map((o) => o.kind),
      ['model', 'image'],
    );
    assert.match(done.outputs![0].url!, /\.glb$/);
    assert.ok(
      emu.calls.some((c) => c.startsWith('GET /api/gateway/jobs/') && c.endsWith('/result')),
      'the result was read from resultUrl',
    );
  });

  it('reports a failed queue job', async () => {
    const p = h.providers.seisoai;
    const r = await p.invoke('music.generate', { prompt: 'ambient [fail]', duration_seconds: 10 });
    const done = await waitFor(async () => {
      const patch = await p.poll(r.job);
      return patch.status === 'failed' ? patch : undefined;
    });
    assert.match(done.error!.message, /Generation failed/);
  });

  it('validates input against the schema before anything is sent', async () => {
    const p = h.providers.seisoai;
    await p.registry.detail('video.generate.veo3');
    const n = emu.calls.length;
    await assert.rejects(
      p.invoke('video.generate.veo3', { prompt: '', duration: '5s', extra: true }),
      (e: ValidationError) => {
        assert.equal(e.fields.prompt, 'is required');
        assert.match(e.fields.duration, /one of/);
        assert.equal(e.fields.extra, 'is not a field of this schema');
        return true;
      },
    );
    assert.equal(emu.calls.length, n, 'no request was sent');
  });

  it('400: refetches the schema and reports the mismatching fields', async () => {
    const p = h.providers.seisoai;
    await p.registry.detail('image.upscale'); // cached copy without the new field
    const tool = emu.tools.find((t) => t.id === 'image.upscale')!;
    const original = tool.inputSchema;
    tool.inputSchema = {
      ...original,
      required: ['image_url', 'model'],
      properties: { ...(original.properties as object), model: { type: 'string', enum: ['esrgan', 'clarity'] } },
    };
    try {
      const fetchesBefore = emu.calls.filter((c) => c === 'GET /api/gateway/tools/image.upscale').length;
      await assert.rejects(
        p.invoke('image.upscale', { image_url: 'https://example.com/a.png' }),
        (e: SeisoaiPolicyError) => {
          assert.equal(e.status, 400);
          assert.equal(e.policy, 'schema');
          assert.equal(e.fields?.model, 'is required');
          assert.match(e.message, /schema was fetched again/);
          assert.deepEqual((e.freshSchema as { required: string[] }).required, ['image_url', 'model']);
          return true;
        },
      );
      assert.equal(emu.calls.filter((c) => c === 'GET /api/gateway/tools/image.upscale').length, fetchesBefore + 1);
    } finally {
      tool.inputSchema = original;
      p.registry.invalidate();
    }
  });

  it('402 with an API key: a credits message, and nothing is paid', async () => {
    const p = h.providers.seisoai;
    emu.balances.set(h.key, 0.01);
    try {
      await assert.rejects(
        p.invoke('image.generate.flux-2', { prompt: 'x' }),
        (e: SeisoaiPolicyError) => e.status === 402 && e.policy === 'payment' && /credits/.test(e.message),
      );
    } finally {
      emu.balances.delete(h.key);
    }
  });

  it('404: refreshes the registry and says the tool is gone', async () => {
    const p = h.providers.seisoai;
    await p.registry.detail('audio.transcribe');
    const idx = emu.tools.findIndex((t) => t.id === 'audio.transcribe');
    const [removed] = emu.tools.splice(idx, 1);
    try {
      const listBefore = emu.calls.filter((c) => c === 'GET /api/gateway/tools').length;
      await assert.rejects(
        p.invoke('audio.transcribe', { audio_url: 'https://example.com/a.wav' }),
        (e: SeisoaiPolicyError) => {
          assert.equal(e.policy, 'not_found');
          assert.match(e.message, /refreshed and no longer has it/);
          assert.ok(e.alternatives.every((t) => t.category === 'audio'));
          return true;
        },
      );
      assert.equal(emu.calls.filter((c) => c === 'GET /api/gateway/tools').length, listBefore + 1);
      assert.equal(
        (await p.registry.tools()).some((t) => t.id === 'audio.transcribe'),
        false,
      );
    } finally {
      emu.tools.splice(idx, 0, removed);
      p.registry.invalidate();
    }
  });

  it('503: the tool is disabled; same-category alternatives are offered', async () => {
    const p = h.providers.seisoai;
    await assert.rejects(p.invoke('image.generate.kling-image-v3', { prompt: 'x' }), (e: SeisoaiPolicyError) => {
      assert.equal(e.policy, 'disabled');
      assert.ok(e.alternatives.length >= 1);
      assert.ok(
        e.alternatives.every((t) => t.category === 'images' && t.enabled && t.id !== 'image.generate.kling-image-v3'),
      );
      assert.match(e.message, /disabled right now \(503\).*Other Images tools: /);
      return true;
    });
  });

  it('500: retried with backoff when the answer arrived, then another tool is suggested', async () => {
    const p = h.providers.seisoai;
    h.sandbox.faults.add({
      provider: 'seisoai',
      kind: 'status',
      status: 500,
      method: 'POST',
      path: '/invoke/image.generate.flux-2',
      times: 1,
    });
    const ok = await p.invoke('image.generate.flux-2', { prompt: 'retry me' });
    assert.equal(ok.job.status, 'succeeded', 'one 500 then success');
    const before = emu.calls.filter((c) => c === 'POST /api/gateway/invoke/image.generate.flux-2').length;
    h.sandbox.faults.add({
      provider: 'seisoai',
      kind: 'status',
      status: 500,
      method: 'POST',
      path: '/invoke/image.generate.flux-2',
      times: 3,
    });
    await assert.rejects(p.invoke('image.generate.flux-2', { prompt: 'x' }), (e: SeisoaiPolicyError) => {
      assert.equal(e.policy, 'server');
      assert.match(e.message, /after 3 attempts.*Try another tool: /);
      assert.ok(e.alternatives.some((t) => t.id === 'image.upscale'));
      return true;
    });
    assert.equal(
      emu.calls.filter((c) => c === 'POST /api/gateway/invoke/image.generate.flux-2').length,
      before,
      'the injected faults answered before the emulator',
    );
    h.sandbox.faults.clear();
  });

  it('a connection lost after the POST was sent is never retried', async () => {
    const p = h.providers.seisoai;
    const before = emu.calls.filter((c) => c === 'POST /api/gateway/invoke/image.generate.flux-2').length;
    h.sandbox.faults.add({
      provider: 'seisoai',
      kind: 'reset-after',
      method: 'POST',
      path: '/invoke/image.generate.flux-2',
      times: 1,
    });
    await assert.rejects(
      p.invoke('image.generate.flux-2', { prompt: 'x' }),
      (e: ProviderError) => e.maybeAccepted && e.code === 'connection_lost',
    );
    assert.equal(
      emu.calls.filter((c) => c === 'POST /api/gateway/invoke/image.generate.flux-2').length,
      before + 1,
      'sent exactly once',
    );
    h.sandbox.faults.clear();
  });

  it('the normal invoke path never touches agent routes', () => {
    assert.equal(emu.calls.filter((c) => /\/agents?(\/|$)/.test(c)).length, 0);
  });

  it('agent routes: exact id, declared tools only, no recursion, audited', async () => {
    const p = h.providers.seisoai;
    const file = join(h.tmp, 'agent-audit.jsonl');
    const routes = new AgentRoutes(p, new AuditLog(file));
    const agents = await routes.listAgents('user picked "Run Agent…"');
    assert.ok(agents.some((a) => a.id === 'agent_studio_bot'));
    await assert.rejects(routes.open('studio bot', 'guess'), ValidationError);
    await assert.rejects(routes.open('agent_nobody', 'typo'), (e: ProviderError) => e.status === 404);
    const session = await routes.open('agent_studio_bot', 'user asked to run Studio Bot');
    assert.deepEqual(session.agent.tools, ['image.generate.flux-2', 'image.upscale', 'audio.tts']);
    const n = emu.calls.length;
    await assert.rejects(session.invoke('video.generate.veo3', { prompt: 'x' }, 'not declared'), (e: ValidationError) =>
      /not declared by agent agent_studio_bot/.test(e.message),
    );
    await assert.rejects(
      session.orchestrate({ tools: ['image.generate.flux-2', 'music.generate'], prompt: 'x' }, 'mixed'),
      /does not declare \(music.generate\)|tools the agent does not declare/,
    );
    await assert.rejects(
      session.orchestrate(
        { tools: ['image.generate.flux-2'], prompt: 'x', input: { subAgents: ['agent_trailer_maker'] } },
        'recursion',
      ),
      /recursion/,
    );
    assert.equal(emu.calls.length, n, 'refused before any request');
    const r = await session.invoke('image.generate.flux-2', { prompt: 'a robot' }, 'user asked for a robot still');
    assert.equal(r.job.status, 'succeeded');
    assert.equal(r.job.meta.agentId, 'agent_studio_bot');
    const orc = (await session.orchestrate(
      { tools: ['image.generate.flux-2', 'audio.tts'], prompt: 'a jingle' },
      'user asked for a jingle',
    )) as { result: { steps: unknown[] } };
    assert.equal(orc.result.steps.length, 2);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.agentId, l.outcome]),
      [
        ['*', 'ok'],
        ['studio bot', 'refused'],
        ['agent_nobody', 'error'],
        ['agent_studio_bot', 'ok'],
        ['agent_studio_bot', 'refused'],
        ['agent_studio_bot', 'refused'],
        ['agent_studio_bot', 'refused'],
        ['agent_studio_bot', 'ok'],
        ['agent_studio_bot', 'ok'],
      ],
    );
    assert.ok(lines.every((l) => l.route && l.reason && l.time));
    assert.equal(lines[7].toolId, 'image.generate.flux-2');
    assert.match(lines[7].route, /^POST \/api\/gateway\/agent\/agent_studio_bot\/invoke\/image.generate.flux-2$/);
  });

  it('tolerates extra fields everywhere and never logs the key', async () => {
    const p = h.providers.seisoai;
    h.sandbox.faults.add({ provider: 'seisoai', kind: 'extra-fields' });
    try {
      p.registry.invalidate();
      assert.ok((await p.registry.tools()).length >= 8);
      const r = await p.invoke('image.generate.flux-2', { prompt: 'x' });
      assert.equal(r.job.outputs[0].kind, 'image');
      const q = await p.invoke('video.generate.veo3', { prompt: 'x', duration: '4s' });
      const done = await waitFor(async () => {
        const patch = await p.poll(q.job);
        return patch.status === 'succeeded' ? patch : undefined;
      });
      assert.equal(done.outputs?.[0].kind, 'video');
    } finally {
      h.sandbox.faults.clear();
    }
    assert.ok(!h.log.lines.join('\n').includes(h.key));
  });
});
