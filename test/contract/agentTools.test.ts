// The language-model tools' actions (agents/actions.ts) against the sandbox over real HTTP, through a host built as
// the editor builds it but on the test harness: discovery read live, a confirmation naming provider, model or tool and
// the estimate, a job started once and kept in the store (so the Jobs tree shows it), waited for and downloaded into
// the workspace with workspace-relative paths; every refusal (the chat session's cap, a daily budget, a file outside
// the workspace, no key) comes before a single request reaches the provider.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AgentActions, capUnit, type CallContext } from '../../src/agents/actions';
import { ChatBudget, type SessionCaps } from '../../src/agents/chatBudget';
import type { AgentHost } from '../../src/agents/host';
import { downloadJobOutputs } from '../../src/core/jobs/download';
import { newJob, type Job } from '../../src/core/jobs/job';
import { PollScheduler, type Poller, type PollPolicy } from '../../src/core/jobs/scheduler';
import { BudgetGuard, type DailyBudget } from '../../src/core/jobs/spend';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { createLaunchers, PROVIDER_IDS, PROVIDER_LABELS, PROVIDERS } from '../../src/core/providers/index';
import { isJobSource } from '../../src/core/providers/types';
import { MEDIA_DIR, startHarness, type Harness } from '../support/sandbox';

describe('language-model tools against the sandbox', () => {
  let h: Harness;
  let store: JobStore;
  let scheduler: PollScheduler;
  let host: AgentHost;
  let actions: AgentActions;
  let workspace: string;
  const caps: SessionCaps = { spend: {}, jobs: 10 };
  const budgets: Partial<Record<ProviderId, DailyBudget>> = {};
  const keys = new Set<ProviderId>(PROVIDER_IDS);
  const ctx = (session = 'chat:one'): CallContext => ({ session, signal: new AbortController().signal });
  const all = () => [...h.sandbox.requests.values()].reduce((a, b) => a + b, 0);
  /** Requests that create something (POST), at one provider. */
  const posts = (id: ProviderId) =>
    [...h.sandbox.requests].filter(([k]) => k.startsWith(`POST /${id}`)).reduce((a, [, v]) => a + v, 0);

  before(async () => {
    h = await startHarness({ timeScale: 0.02 });
    store = new JobStore(join(h.tmp, 'jobs.json'), h.log, { saveDelayMs: 5, providers: PROVIDER_IDS });
    await store.load();
    const guard = new BudgetGuard({ jobs: () => store.all(), budgets: () => budgets, label: (id) => id });
    const providers = Object.fromEntries(
      PROVIDER_IDS.map((id) => [id, h.create(id, { jobs: store, budget: guard })]),
    ) as Harness['providers'];
    const pollers: Partial<Record<ProviderId, Poller>> = {};
    const policies = {} as Record<ProviderId, PollPolicy>;
    for (const id of PROVIDER_IDS) {
      const p = providers[id];
      policies[id] = { ...PROVIDERS[id].pollPolicy, minMs: 20, maxMs: 100 };
      if (isJobSource(p)) pollers[id] = p;
    }
    scheduler = new PollScheduler(store, pollers, policies, undefined, h.log);
    scheduler.start();
    workspace = join(h.tmp, 'workspace');
    mkdirSync(workspace, { recursive: true });
    copyFileSync(join(MEDIA_DIR, 'sample.png'), join(workspace, 'kite.png'));
    writeFileSync(join(h.tmp, 'secret.png'), 'not for the provider');
    symlinkSync(join(h.tmp, 'secret.png'), join(workspace, 'link.png'));
    const chat = new ChatBudget({
      caps: () => caps,
      unit: capUnit,
      label: (id) => PROVIDER_LABELS[id],
      job: (key) => store.get(key),
    });
    host = {
      providers,
      launchers: createLaunchers(providers),
      jobs: store,
      addJob: (job) => {
        store.upsert(job);
        scheduler.kick([job.key]);
      },
      kick: (k) => scheduler.kick(k),
      sandbox: () => true,
      hasKey: async (id) => keys.has(id),
      budget: {
        refusal: (c) => guard.refusal(c),
        today: () => undefined,
      },
      chat,
      workspaceFolders: () => [workspace],
      relativePath: (p) => relative(workspace, p),
      maxInlineBytes: () => 10 * 1024 * 1024,
      download: async (job: Job, outputs) =>
        downloadJobOutputs(job, join(workspace, 'gendeck-outputs'), providers[job.provider].http, {
          root: workspace,
          outputs,
        }),
      log: h.log,
    };
    actions = new AgentActions(host);
  });
  after(async () => {
    scheduler.dispose();
    await store.flush();
    await h.stop();
  });
  beforeEach(() => {
    caps.spend = { seele: 200, seedancee2: 200, seisoai: 2, seekapi: 100 };
    caps.jobs = 10;
  });

  it('lists the providers, what each offers (read live) and the exact input schema of a tool and a worker', async () => {
    const list = (await actions.invoke('gendeck_list_providers', {}, ctx())) as {
      sandbox: boolean;
      providers: { id: string; start?: string; target?: string; keySet: boolean }[];
    };
    assert.equal(list.sandbox, true);
    assert.deepEqual(
      list.providers.map((p) => [p.id, p.start, p.target]),
      [
        ['seele', 'gendeck_generate_game', undefined],
        ['seedancee2', 'gendeck_generate_video', undefined],
        ['seisoai', 'gendeck_run_seisoai_tool', 'tool'],
        ['seekapi', 'gendeck_run_seekapi_worker', 'worker'],
        ['seeknetic', 'gendeck_search_videos', undefined],
      ],
    );
    const models = (await actions.invoke('gendeck_list_models', { provider: 'seedancee2' }, ctx())) as {
      models: { id: string; creditsPerSecond?: Record<string, number> }[];
    };
    assert.deepEqual(models.models.find((m) => m.id === 'mini')?.creditsPerSecond, { '480p': 5, '720p': 10 });
    const tools = (await actions.invoke('gendeck_list_models', { provider: 'seisoai', filter: 'flux' }, ctx())) as {
      tools: { id: string; price?: { usd?: number } }[];
    };
    assert.ok(tools.tools.some((t) => t.id === 'image.generate.flux-2'));
    assert.ok(tools.tools.every((t) => /flux/i.test(t.id)));
    const workers = (await actions.invoke('gendeck_list_models', { provider: 'seekapi' }, ctx())) as {
      workers: { id: string }[];
    };
    assert.ok(workers.workers.some((w) => w.id === 'text-to-speech'));
    const schema = (await actions.invoke(
      'gendeck_get_input_schema',
      { provider: 'seisoai', target: 'image.generate.flux-2' },
      ctx(),
    )) as { schema: { required: string[]; properties: Record<string, unknown> } };
    assert.deepEqual(schema.schema.required, ['prompt']);
    assert.ok('num_images' in schema.schema.properties);
    const worker = (await actions.invoke(
      'gendeck_get_input_schema',
      { provider: 'seekapi', target: 'text-to-speech' },
      ctx(),
    )) as { schema: { required: string[] } };
    assert.deepEqual(worker.schema.required, ['text']);
  });

  it('a video: the confirmation names provider, model and estimate; the job is sent once, kept, waited for and downloaded', async () => {
    const input = { prompt: 'Agent tool: a kite over dunes', model: 'mini', duration: 4, resolution: '480p' };
    const prepared = await actions.prepare('gendeck_generate_video', input, ctx());
    const c = prepared.confirmation!;
    assert.equal(c.title, 'Start a Seedancee2 job?');
    assert.deepEqual(c.lines.slice(0, 3), [
      'Seedancee2 · mini · 4 s · 480p',
      'Prompt: Agent tool: a kite over dunes',
      'Estimate: ~20 credits.',
    ]);
    assert.ok(
      c.lines.includes(
        'This chat session: 0 of 200 credits with Seedancee2, 0 of 10 jobs (gendeck.agents.maxSpendPerChatSession).',
      ),
    );
    assert.ok(c.lines.includes('Sandbox: nothing real is spent.'));
    const creates = posts('seedancee2');
    const started = (await actions.invoke('gendeck_generate_video', input, ctx())) as { started: { job: string } };
    assert.equal(posts('seedancee2') - creates, 1, 'one create');
    const key = started.started.job;
    assert.ok(store.get(key), 'the job is in the store the Jobs tree shows');
    const waited = (await actions.invoke('gendeck_wait_for_job', { job: key, timeoutSeconds: 60 }, ctx())) as {
      finished: boolean;
      status: string;
      outputs: { kind: string }[];
    };
    assert.equal(waited.finished, true);
    assert.equal(waited.status, 'succeeded');
    assert.ok(waited.outputs.some((o) => o.kind === 'video'));
    const dl = (await actions.invoke('gendeck_download_outputs', { job: key }, ctx())) as {
      files: { path: string }[];
    };
    const video = dl.files.find((f) => f.path.endsWith('.mp4'));
    assert.ok(video, JSON.stringify(dl));
    assert.match(video.path, /^gendeck-outputs\//);
    assert.ok(existsSync(join(workspace, video.path)));
    const line = (await actions.prepare('gendeck_generate_video', input, ctx())).confirmation!.lines;
    assert.ok(
      line.some((l) => /^This chat session: 20 of 200 credits with Seedancee2, 1 of 10 jobs/.test(l)),
      line.join('\n'),
    );
  });

  it("past the chat session's cap the tool refuses before anything is sent; another session may go", async () => {
    caps.spend.seedancee2 = 30;
    const input = { prompt: 'Agent tool: capped', model: 'mini', duration: 4, resolution: '480p' };
    await actions.invoke('gendeck_generate_video', input, ctx('chat:capped'));
    const creates = posts('seedancee2');
    await assert.rejects(
      actions.prepare('gendeck_generate_video', input, ctx('chat:capped')),
      /would bring this chat session past its 30 credits with Seedancee2/,
    );
    await assert.rejects(
      actions.invoke('gendeck_generate_video', input, ctx('chat:capped')),
      /past its 30 credits/,
      'invoked without a confirmation, the cap holds all the same',
    );
    assert.equal(posts('seedancee2'), creates, 'no create was sent');
    await actions.prepare('gendeck_generate_video', input, ctx('chat:other'));
  });

  it('a daily budget refuses before the confirmation too', async () => {
    budgets.seekapi = { limit: 1, unit: 'credits', setting: 'gendeck.seekapi.dailyBudget' };
    try {
      // The guard counts real jobs only; the budget applies to an estimate that does not fit in it at all.
      await assert.rejects(
        actions.prepare('gendeck_run_seekapi_worker', { worker: 'text-to-speech', input: { text: 'hello' } }, ctx()),
        /daily budget/,
      );
    } finally {
      delete budgets.seekapi;
    }
  });

  it('a Seisoai tool and a Seek API worker: priced, started, their jobs in the store', async () => {
    const p = await actions.prepare(
      'gendeck_run_seisoai_tool',
      { tool: 'image.generate.flux-2', input: { prompt: 'a lighthouse', num_images: 2 } },
      ctx(),
    );
    assert.match(p.confirmation!.lines[0], /^Seisoai · FLUX\.2 text to image \(image\.generate\.flux-2\)$/);
    assert.ok(p.confirmation!.lines.includes('Estimate: ~0.06 USD.'), p.confirmation!.lines.join('\n'));
    const sync = (await actions.invoke(
      'gendeck_run_seisoai_tool',
      { tool: 'image.generate.flux-2', input: { prompt: 'a lighthouse', num_images: 2 } },
      ctx(),
    )) as { started: { job: string; status: string; outputs: unknown[] }; next: string };
    assert.equal(sync.started.status, 'succeeded');
    assert.equal(sync.started.outputs.length >= 2, true);
    assert.ok(store.get(sync.started.job));
    const w = (await actions.invoke(
      'gendeck_run_seekapi_worker',
      { worker: 'text-to-speech', input: { text: 'hello there' } },
      ctx(),
    )) as { started: { job: string } };
    assert.ok(store.get(w.started.job));
    await assert.rejects(
      actions.prepare('gendeck_run_seekapi_worker', { worker: 'text-to-speech', input: { voice: 'nobody' } }, ctx()),
      /Check the input for Text to Speech/,
    );
  });

  it('estimate: the same checks and price, nothing sent', async () => {
    const creates = posts('seedancee2');
    const e = (await actions.invoke(
      'gendeck_estimate_cost',
      { provider: 'seedancee2', input: { prompt: 'x', model: 'pro', duration: 5, resolution: '1080p' } },
      ctx(),
    )) as { estimate: { amount: number; text: string }; budgets: string[]; refused?: string };
    assert.equal(e.estimate.amount, 250);
    assert.equal(e.estimate.text, '~250 credits');
    // Over what this session may still spend: said, not thrown, so the agent can pick a cheaper input.
    assert.match(String(e.refused), /past its 200 credits with Seedancee2/);
    assert.equal(posts('seedancee2'), creates);
    await assert.rejects(
      actions.invoke('gendeck_estimate_cost', { provider: 'seedancee2', input: { prompt: 'x', colour: 'red' } }, ctx()),
      /Unrecognized key.*colour/,
    );
  });

  it('files: workspace images go; a file outside the workspace, or a link out of it, never does', async () => {
    const ok = await actions.prepare(
      'gendeck_generate_video',
      { prompt: 'from a picture', model: 'mini', duration: 4, resolution: '480p', files: ['kite.png'] },
      ctx(),
    );
    assert.ok(ok.confirmation!.lines.includes('Files: kite.png'));
    for (const f of [join(h.tmp, 'secret.png'), '../secret.png', 'link.png'])
      await assert.rejects(
        actions.prepare('gendeck_generate_video', { prompt: 'x', files: [f] }, ctx()),
        /outside the workspace/,
        f,
      );
    await assert.rejects(
      actions.prepare('gendeck_generate_video', { prompt: 'x', files: ['nope.png'] }, ctx()),
      /does not exist/,
    );
  });

  it('no key: the tool says how to set one, before any request', async () => {
    keys.delete('seele');
    try {
      const before = all();
      await assert.rejects(
        actions.prepare('gendeck_generate_game', { prompt: 'a maze' }, ctx()),
        /No Seele API key is set/,
      );
      assert.equal(all(), before);
    } finally {
      keys.add('seele');
    }
  });

  it('a Seele game of unknown cost says so, and counts against the job cap', async () => {
    caps.jobs = 1;
    const p = await actions.prepare('gendeck_generate_game', { prompt: 'a maze' }, ctx('chat:game'));
    assert.ok(p.confirmation!.lines.includes('Cost: not known before it runs.'));
    assert.ok(p.confirmation!.lines.some((l) => /koin a game used when it finishes/.test(l)));
    await actions.invoke('gendeck_generate_game', { prompt: 'a maze' }, ctx('chat:game'));
    await assert.rejects(
      actions.prepare('gendeck_generate_game', { prompt: 'another maze' }, ctx('chat:game')),
      /has started 1 GenDeck jobs/,
    );
  });

  it('job status: by key or unique prefix; the recent list without one; a clear error for an unknown job', async () => {
    const recent = (await actions.invoke('gendeck_job_status', {}, ctx())) as { jobs: { job: string }[] };
    assert.ok(recent.jobs.length >= 3);
    const one = (await actions.invoke('gendeck_job_status', { job: recent.jobs[0].job }, ctx())) as { job: string };
    assert.equal(one.job, recent.jobs[0].job);
    await assert.rejects(actions.invoke('gendeck_job_status', { job: 'nope:nothing' }, ctx()), /No GenDeck job nope/);
  });

  it('wait: a timeout is an answer, not an error; cancellation ends it', async () => {
    // A job no poller advances (Seeknetic has none): it stays running.
    const job = store.upsert(
      newJob({ provider: 'seeknetic', id: 'still-1', title: 'still', kind: 'x', status: 'running' }),
    );
    const w = (await actions.invoke('gendeck_wait_for_job', { job: job.key, timeoutSeconds: 1 }, ctx())) as {
      finished: boolean;
      status: string;
      next: string;
    };
    assert.equal(w.finished, false);
    assert.equal(w.status, 'running');
    assert.match(w.next, /call gendeck_wait_for_job again/);
    const ac = new AbortController();
    const waiting = actions.invoke('gendeck_wait_for_job', { job: job.key }, { session: 'x', signal: ac.signal });
    ac.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    store.patch(job.key, { status: 'succeeded', finishedAt: new Date().toISOString() });
    const done = (await actions.invoke('gendeck_wait_for_job', { job: job.key }, ctx())) as { finished: boolean };
    assert.equal(done.finished, true);
  });
});
