// The MCP server as an agent's client sees it: `node dist/cli.js mcp --sandbox` driven by the SDK's own Client over
// stdio. One server for the whole file (its lifetime spend is part of what is tested), steps in order.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { data, FAKE_KEYS, sandboxOf, startMcp, textOf, type McpHarness } from './harness';

interface Sent {
  sent: true;
  estimate?: { amount: number; unit: string };
  job: { job: string; status: string; done: boolean; outputs: { kind: string }[] };
  spend: { unit: string; spent: number; cap?: number; remaining?: number }[];
}
interface Waited {
  job: string;
  status: string;
  done: boolean;
  timed_out: boolean;
  outputs: { kind: string; url?: string }[];
}
interface Downloaded {
  folder: string;
  files: { kind: string; path: string; uri: string; bytes: number }[];
}

const EXPECTED_TOOLS = [
  'download_outputs',
  'estimate_cost',
  'generate_seedancee2_video',
  'generate_seele_game',
  'get_input_schema',
  'get_job',
  'index_videos',
  'list_jobs',
  'list_providers',
  'list_seedancee2_models',
  'list_seekapi_workers',
  'list_seisoai_tools',
  'run_seekapi_worker',
  'run_seisoai_tool',
  'search_videos',
  'wait_for_job',
];

describe('gendeck mcp --sandbox over stdio', () => {
  let mcp: McpHarness;
  let sandbox: ReturnType<typeof sandboxOf>;
  const results: CallToolResult[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await mcp.call(name, args);
    results.push(r);
    return r;
  };
  const spent = (r: CallToolResult, unit: string) => data<Sent>(r).spend.find((l) => l.unit === unit)?.spent;

  before(async () => {
    // Lifetime cap: 120 credits (Seedancee2 and Seek API credits add up), 0.05 USD (Seisoai with a key).
    mcp = await startMcp({ env: { GENDECK_MCP_MAX_SPEND: 'credits=120,USD=0.05' } });
    sandbox = sandboxOf(mcp.stateDir);
  });
  after(async () => {
    await mcp?.close();
  });

  it('lists the tools with their input and output schemas; the Seedancee2 tool takes the provider schema', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), EXPECTED_TOOLS);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.outputSchema?.type, 'object', t.name);
    }
    const video = tools.find((t) => t.name === 'generate_seedancee2_video')!;
    const props = video.inputSchema.properties as Record<string, { enum?: string[]; type?: string }>;
    assert.deepEqual(props.model.enum, ['pro', 'fast', 'mini'], 'the live /v1/models list');
    assert.deepEqual(props.resolution.enum, ['480p', '720p', '1080p']);
    assert.equal(props.max_cost.type, 'number');
    assert.deepEqual(video.inputSchema.required, ['prompt', 'max_cost']);
    assert.equal((video.inputSchema as { additionalProperties?: boolean }).additionalProperties, false);
    const seiso = tools.find((t) => t.name === 'run_seisoai_tool')!;
    assert.deepEqual([...(seiso.inputSchema.required ?? [])].sort(), ['input', 'max_cost', 'tool']);
    assert.ok(!('pay_with' in (seiso.inputSchema.properties ?? {})), 'x402 is off unless --pay-x402');
  });

  it("gives a Seek API worker's and a Seisoai tool's exact schema", async () => {
    const worker = data<{ input_schema: { properties: Record<string, unknown> }; pricing: string }>(
      await call('get_input_schema', { provider: 'seekapi', target: 'text-to-speech' }),
    );
    assert.deepEqual(Object.keys(worker.input_schema.properties).sort(), ['speed', 'text', 'voice']);
    assert.match(worker.pricing, /2 credits/);
    const tool = data<{ input_schema: { required: string[] } }>(
      await call('get_input_schema', { provider: 'seisoai', target: 'image.generate.flux-2' }),
    );
    assert.ok(tool.input_schema.required.includes('prompt'));
    const workers = data<{ workers: { id: string; input_schema?: { required?: string[] } }[] }>(
      await call('list_seekapi_workers', { filter: 'speech', with_schemas: true }),
    ).workers;
    assert.deepEqual(
      workers.map((w) => [w.id, w.input_schema?.required]),
      [['text-to-speech', ['text']]],
    );
    const images = data<{ tools: { id: string; category: string; input_schema?: object }[] }>(
      await call('list_seisoai_tools', { category: 'images', with_schemas: true }),
    ).tools;
    assert.ok(images.length >= 2 && images.every((t) => t.category === 'images' && t.input_schema), 'schemas listed');
    const plain = data<{ tools: { input_schema?: object }[] }>(await call('list_seisoai_tools')).tools;
    assert.ok(plain.length > images.length && plain.every((t) => t.input_schema === undefined));
    const missing = await call('get_input_schema', { provider: 'seisoai', target: 'image.no-such-tool' });
    assert.equal(missing.isError, true, 'an unknown tool is a tool error');
    assert.match(textOf(missing), /seisoai error 404/);
  });

  it('estimates without sending anything', async () => {
    const before = await sandbox.seedanceTasks();
    const video = data<{ estimate: { amount: number; unit: string }; within_cap: boolean }>(
      await call('estimate_cost', {
        provider: 'seedancee2',
        input: { prompt: 'a red boat', model: 'mini', duration: 5 },
      }),
    );
    assert.deepEqual(video.estimate, { amount: 50, unit: 'credits', estimated: true });
    assert.equal(video.within_cap, true);
    const flux = data<{ estimate: { amount: number; unit: string } }>(
      await call('estimate_cost', { provider: 'seisoai', target: 'image.generate.flux-2', input: { prompt: 'x' } }),
    );
    assert.deepEqual(flux.estimate, { amount: 0.03, unit: 'USD', estimated: true });
    assert.equal(await sandbox.seedanceTasks(), before);
  });

  it('refuses a call whose estimate is above max_cost, sending nothing', async () => {
    const before = await sandbox.seedanceTasks();
    const r = await call('generate_seedancee2_video', {
      prompt: 'a red boat',
      model: 'mini',
      duration: 5,
      max_cost: 49,
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /~50 credits is above max_cost 49/);
    assert.match(textOf(r), /Nothing was sent/);
    assert.equal(await sandbox.seedanceTasks(), before);
    assert.equal(data<{ jobs: unknown[] }>(await call('list_jobs')).jobs.length, 0);
  });

  it('returns a validation error (1080p on mini) as a tool error, and keeps serving', async () => {
    const r = await call('generate_seedancee2_video', {
      prompt: 'a boat',
      model: 'mini',
      resolution: '1080p',
      max_cost: 500,
    });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /^invalid input: .*1080p is not available on mini/m);
    const unknownField = await call('generate_seedancee2_video', { prompt: 'a boat', colour: 'red', max_cost: 500 });
    assert.equal(unknownField.isError, true);
    assert.match(textOf(unknownField), /takes no field colour/);
    const noCap = await call('generate_seedancee2_video', { prompt: 'a boat' });
    assert.equal(noCap.isError, true);
    assert.match(textOf(noCap), /max_cost is required/);
    assert.equal(await sandbox.seedanceTasks(), 0);
    assert.equal(data<{ sandbox: boolean }>(await call('list_providers')).sandbox, true);
  });

  it('returns a provider failure (a sandbox 500 on create) as a tool error and gives the reservation back', async () => {
    await sandbox.fault({
      provider: 'seedancee2',
      method: 'POST',
      path: '/videos/generations',
      kind: 'status',
      status: 500,
      times: 1,
    });
    const r = await call('generate_seedancee2_video', { prompt: 'a boat', model: 'mini', duration: 4, max_cost: 40 });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /^seedancee2 error 500/m);
    const providers = data<{ spend: { unit: string; spent: number }[] }>(await call('list_providers'));
    assert.equal(
      providers.spend.find((l) => l.unit === 'credits')?.spent ?? 0,
      0,
      'nothing counted for a refused create',
    );
  });

  let videoJob = '';
  it('generates a Seedancee2 video, waits for it, and downloads it as a file resource', async () => {
    const sent = await call('generate_seedancee2_video', {
      prompt: 'a red paper boat',
      model: 'mini',
      duration: 5,
      max_cost: 50,
    });
    const s = data<Sent>(sent);
    assert.deepEqual(s.estimate, { amount: 50, unit: 'credits', estimated: true });
    assert.equal(spent(sent, 'credits'), 50);
    videoJob = s.job.job;
    assert.match(videoJob, /^seedancee2:vid_/);
    assert.equal(await sandbox.seedanceTasks(), 1);

    const progress: string[] = [];
    const waited = (await mcp.client.callTool(
      { name: 'wait_for_job', arguments: { job: videoJob, timeout_seconds: 120 } },
      undefined,
      { onprogress: (p) => progress.push(p.message ?? ''), timeout: 130_000 },
    )) as CallToolResult;
    const w = data<Waited>(waited);
    assert.equal(w.status, 'succeeded');
    assert.equal(w.timed_out, false);
    assert.ok(progress.length >= 1, 'progress notifications while waiting');
    assert.ok(w.outputs.some((o) => o.kind === 'video'));

    const dl = await call('download_outputs', { job: videoJob, folder: 'renders' });
    const d = data<Downloaded>(dl);
    const video = d.files.find((f) => f.kind === 'video')!;
    assert.ok(video.path.startsWith(mcp.cwd), 'inside the server folder');
    assert.equal(readFileSync(video.path).subarray(4, 8).toString('latin1'), 'ftyp', 'a real mp4');
    assert.ok(existsSync(`${d.folder}/gendeck.json`), 'the sidecar record');
    const links = dl.content.filter((c) => c.type === 'resource_link') as { uri: string; mimeType?: string }[];
    assert.ok(links.some((l) => l.uri === video.uri && l.mimeType === 'video/mp4'));
    assert.equal(fileURLToPath(video.uri), video.path);

    const { resources } = await mcp.client.listResources();
    assert.ok(resources.some((r) => r.uri === video.uri));
    const read = await mcp.client.readResource({ uri: video.uri });
    const blob = (read.contents[0] as { blob: string }).blob;
    assert.equal(Buffer.from(blob, 'base64').length, video.bytes);
    await assert.rejects(mcp.client.readResource({ uri: 'file:///etc/passwd' }), /not one this server saved/);
  });

  it('returns the current state when a wait times out', async () => {
    const sent = data<Sent>(
      await call('generate_seedancee2_video', {
        prompt: 'a slow boat [slow]',
        model: 'mini',
        duration: 4,
        max_cost: 20,
        resolution: '480p',
      }),
    );
    const w = data<Waited>(await call('wait_for_job', { job: sent.job.job, timeout_seconds: 0 }));
    assert.equal(w.timed_out, true);
    assert.equal(w.done, false);
    assert.match(w.status, /queued|running/);
  });

  it('runs a Seek API worker: wait, then download its audio', async () => {
    const before = await sandbox.seekJobs();
    const sent = data<Sent>(
      await call('run_seekapi_worker', { worker: 'text-to-speech', input: { text: 'hello there' }, max_cost: 2 }),
    );
    assert.deepEqual(sent.estimate, { amount: 2, unit: 'credits', estimated: true });
    assert.equal(await sandbox.seekJobs(), before + 1);
    const w = data<Waited>(await call('wait_for_job', { job: sent.job.job, timeout_seconds: 120 }));
    assert.equal(w.status, 'succeeded');
    const d = data<Downloaded>(await call('download_outputs', { job: sent.job.job }));
    const audio = d.files.find((f) => f.kind === 'audio')!;
    assert.ok(audio.path.includes('gendeck-outputs'), 'the default folder');
    assert.equal(readFileSync(audio.path).subarray(0, 4).toString('latin1'), 'RIFF');
  });

  it('runs a sync Seisoai tool: finished at once, outputs downloadable', async () => {
    const r = await call('run_seisoai_tool', {
      tool: 'image.generate.flux-2',
      input: { prompt: 'a red boat' },
      max_cost: 0.03,
    });
    const sent = data<Sent>(r);
    assert.equal(sent.job.status, 'succeeded');
    const d = data<Downloaded>(await call('download_outputs', { job: sent.job.job }));
    assert.ok(d.files.some((f) => f.kind === 'image'));
  });

  it('keeps to the lifetime cap: a call that fits max_cost but not what is left of the cap is refused', async () => {
    // Spent so far: 50 + 20 (Seedancee2) + 2 (Seek API) = 72 credits of 120; 0.03 of 0.05 USD.
    const before = await sandbox.seedanceTasks();
    const over = await call('generate_seedancee2_video', {
      prompt: 'a blue boat',
      model: 'mini',
      duration: 5,
      max_cost: 100,
    });
    assert.equal(over.isError, true);
    assert.match(textOf(over), /credits spend to 122, above its cap of 120 .*48 left/);
    assert.equal(await sandbox.seedanceTasks(), before, 'nothing sent');
    const usd = await call('run_seisoai_tool', {
      tool: 'image.generate.flux-2',
      input: { prompt: 'again' },
      max_cost: 1,
    });
    assert.equal(usd.isError, true);
    assert.match(textOf(usd), /USD spend to 0\.06, above its cap of 0\.05/);
    const fits = await call('generate_seedancee2_video', {
      prompt: 'a small boat',
      model: 'mini',
      duration: 4,
      resolution: '480p',
      max_cost: 20,
    });
    assert.equal(spent(fits, 'credits'), 92);
  });

  it('refuses a Seele game, whose cost is unknown before it runs, when the client cannot ask the user', async () => {
    const r = await call('generate_seele_game', { prompt: 'a tiny platformer', max_cost: 1000 });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /cost is unknown before it runs/);
    assert.ok(
      !data<{ jobs: { provider: string }[] }>(await call('list_jobs')).jobs.some((j) => j.provider === 'seele'),
    );
  });

  it('never shows a key, in answers, notifications or logs', () => {
    const everything = [...mcp.received, mcp.stderr(), ...results.map((r) => JSON.stringify(r))].join('\n');
    assert.ok(everything.length > 1000);
    for (const key of [...Object.values(FAKE_KEYS), sandbox.key])
      assert.ok(!everything.includes(key), key.slice(0, 12));
    assert.ok(!mcp.stderr().includes('"jsonrpc"'), 'stdout alone carries the protocol');
  });
});
