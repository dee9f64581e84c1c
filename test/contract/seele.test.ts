import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { ProviderError, ValidationError } from '../../src/core/errors';
import { SimulatedClock } from '../../src/core/jobs/clock';
import { isActive } from '../../src/core/jobs/job';
import { PollScheduler } from '../../src/core/jobs/scheduler';
import type { SeeleProvider } from '../../src/core/providers/seele/provider';
import { JobStore } from '../../src/core/jobs/store';
import { guessArtifactKind } from '../../src/core/providers/seele/artifacts';
import { DEFAULT_POLL_POLICIES } from '../../src/core/providers/index';
import type { SeeleEmulator } from '../../src/core/providers/seele/emulator';
import type { Emulator } from '../../src/core/emulation/emulator';
import { MEDIA_DIR, startHarness, waitFor, type Harness } from '../support/sandbox';

function emulatorOf(h: Harness): SeeleEmulator {
  return (h.sandbox as unknown as { emulators: Emulator[] }).emulators.find((e) => e.id === 'seele') as SeeleEmulator;
}

/** Polls the provider directly until the job is finished. */
async function untilFinished(p: SeeleProvider, job: Parameters<SeeleProvider['poll']>[0]) {
  return waitFor(async () => {
    const patch = await p.poll(job);
    return patch.status === 'succeeded' ? patch : undefined;
  });
}

describe('Seele against the sandbox', () => {
  let h: Harness;
  let emu: SeeleEmulator;
  let png: string;
  let notes: string;

  before(async () => {
    h = await startHarness({ timeScale: 0.02 });
    emu = emulatorOf(h);
    png = join(h.tmp, 'reference.png');
    copyFileSync(join(MEDIA_DIR, 'sample.png'), png);
    notes = join(h.tmp, 'design notes.md');
    writeFileSync(notes, '# Cozy cat farm\nPlanting, fishing, a boss room.\n');
  });
  after(() => h.stop());

  it('uploads reference files, then creates a job with their file_ids and runs it to finished', async () => {
    const p = h.providers.seele;
    const before = { ...emu.stats };
    const progress: string[] = [];
    const { job, uploads } = await p.createGame(
      {
        prompt: 'Build a cozy cat farming game [slow]',
        model: 'Seele02-flash',
        engine: 'threejs',
        generation_model: 'seedream5',
        files: [png, notes],
      },
      { onProgress: (f, pr) => progress.push(`${f}:${pr.bytes}/${pr.total}`) },
    );
    assert.equal(emu.stats.sessions - before.sessions, 2);
    assert.equal(emu.stats.puts - before.puts, 2);
    assert.ok(
      progress.some((x) => x.startsWith(png)),
      'upload progress is reported',
    );
    assert.deepEqual(
      uploads.map((u) => u.reused),
      [false, false],
    );
    assert.deepEqual(
      job.request.file_ids,
      uploads.map((u) => u.fileId),
    );
    assert.deepEqual(
      emu.jobs.get(job.id)!.turns[0].fileIds,
      uploads.map((u) => u.fileId),
    );
    assert.equal(emu.files.get(uploads[0].fileId)!.contentType, 'image/png');
    assert.equal(emu.files.get(uploads[1].fileId)!.contentType, 'text/markdown');
    assert.equal(job.kind, 'game');
    assert.equal(job.status, 'running');
    assert.match(job.webUrl ?? '', /\/seele\/workspace\/job_/);

    // `[slow]`: 100 s of sandbox time × 0.02, so the first poll still sees it processing.
    const running = await p.poll(job);
    assert.equal(running.status, 'running');
    assert.equal(running.remoteStatus, 'processing');
    assert.match(running.progress ?? '', /^(Planning game design|Generating assets)/);

    const done = await untilFinished(p, job);
    assert.equal(done.cost?.unit, 'koin');
    assert.equal(done.cost?.amount, 25 + 2 * 5);
    assert.match(String(done.meta?.summary), /three\.js game/);
    assert.deepEqual(
      done.outputs?.map((o) => [o.kind, o.label]),
      [
        ['archive', 'Game Project'],
        ['html', 'Preview'],
      ],
    );
    assert.match(done.webUrl ?? '', /workspace/);
    const page = await request(done.outputs![1].url!);
    assert.equal(page.statusCode, 200);
    assert.match(await page.body.text(), /<html/i);

    // The same content again: the file_id is reused, nothing is uploaded.
    const again = await p.createGame({ prompt: 'Another one', files: [png] });
    assert.equal(again.uploads[0].reused, true);
    assert.equal(again.uploads[0].fileId, uploads[0].fileId);
    assert.equal(emu.stats.sessions - before.sessions, 2);
  });

  it('forgets a cached file_id the server no longer accepts and uploads again once', async () => {
    const p = h.providers.seele;
    const first = await p.createGame({ prompt: 'cache me', files: [png] });
    emu.forgetFile(first.uploads[0].fileId);
    const sessions = emu.stats.sessions;
    const jobs = emu.stats.jobs;
    const second = await p.createGame({ prompt: 'uses a stale cached id', files: [png] });
    assert.equal(second.uploads[0].reused, false);
    assert.notEqual(second.uploads[0].fileId, first.uploads[0].fileId);
    assert.equal(emu.stats.sessions - sessions, 1);
    assert.equal(emu.stats.jobs - jobs, 1, 'the rejected create took nothing; one job was made');
    assert.equal(p.files.has(first.uploads[0].fileId), false);
  });

  it('asks for a fresh upload link once when the first expired, then reports a second expiry clearly', async () => {
    const p = h.providers.seele;
    p.files.clear();
    const oldTtl = emu.uploadUrlTtlMs;
    try {
      // A late PUT (the emulator answers 403 as for an expired link) → one fresh session → success.
      emu.lateUploads = 1;
      let sessions = emu.stats.sessions;
      const [ok] = await p.uploadFiles([notes]);
      assert.equal(emu.stats.sessions - sessions, 2, 'one fresh session after the 403');
      assert.ok(emu.files.get(ok.fileId)?.uploadedAt);

      // Late twice → exactly one fresh session, then a clear error and no job.
      p.files.clear();
      emu.lateUploads = 2;
      sessions = emu.stats.sessions;
      const jobs = emu.stats.jobs;
      await assert.rejects(p.createGame({ prompt: 'never sent', files: [notes] }), (e: ProviderError) => {
        assert.equal(e.code, 'upload_url_expired');
        assert.match(e.message, /upload link for "design notes\.md" expired/);
        assert.match(e.message, /fresh link/);
        return true;
      });
      assert.equal(emu.stats.sessions - sessions, 2, 'exactly one fresh session was asked for');
      assert.equal(emu.stats.jobs, jobs, 'no job was created');

      // A link that has already expired on arrival is not even tried.
      emu.uploadUrlTtlMs = -1000;
      const puts = emu.stats.puts;
      sessions = emu.stats.sessions;
      await assert.rejects(p.uploadFiles([png]), (e: ProviderError) => e.code === 'upload_url_expired');
      assert.equal(emu.stats.sessions - sessions, 2);
      assert.equal(emu.stats.puts, puts);
    } finally {
      emu.uploadUrlTtlMs = oldTtl;
      emu.lateUploads = 0;
    }
  });

  it('queues a step sent while the job is processing and sends it from the poll once the job finishes', async () => {
    const store = new JobStore(join(h.tmp, 'jobs.json'), h.log, { saveDelayMs: 5 });
    await store.load();
    const p = h.create('seele', { jobs: store });
    const clock = new SimulatedClock(Date.now());
    const scheduler = new PollScheduler(store, { seele: p }, DEFAULT_POLL_POLICIES, clock, h.log);
    scheduler.start();
    try {
      const { job } = await p.createGame({ prompt: 'A maze runner [slow]' }); // 2 s of processing: room for two steps to be queued
      store.upsert(job);
      const stepsBefore = emu.stats.steps;

      const first = await p.addStep(job.key, { prompt: 'Add a day-night cycle', files: [png] });
      assert.equal(first.queued, true);
      assert.equal(first.step.state, 'queued');
      assert.equal(emu.stats.steps, stepsBefore, '409: nothing accepted');
      const second = await p.addStep(job.key, { prompt: 'Add a boss battle' });
      assert.equal(second.queued, true, 'queued behind the first without a request');
      const cancelled = p.cancelQueuedStep(job.key, second.step.localId);
      assert.equal(cancelled.steps?.find((s) => s.localId === second.step.localId)?.state, 'canceled');

      // Never faster than 10 s: nothing is polled before the first interval.
      const gets = emu.stats.gets;
      await clock.advance(9_999);
      assert.equal(emu.stats.gets, gets);

      // Drive the poll until the job finished and the queued step went out.
      const sent = await waitFor(async () => {
        await clock.advance(10_000);
        await new Promise((r) => setTimeout(r, 20));
        const s = store.get(job.key)!.steps?.find((x) => x.localId === first.step.localId);
        return s?.state === 'sent' ? s : undefined;
      });
      assert.match(sent.id ?? '', /^step_/);
      assert.equal(emu.stats.steps - stepsBefore, 1);
      assert.equal(emu.jobs.get(job.id)!.turns[1].prompt, 'Add a day-night cycle');
      assert.equal(emu.jobs.get(job.id)!.turns[1].fileIds.length, 1, 'the step carried its file');
      assert.equal(store.get(job.key)!.status, 'running', 'the job runs again after the step was accepted');
      assert.throws(() => p.cancelQueuedStep(job.key, first.step.localId), ValidationError);

      const finished = await waitFor(async () => {
        await clock.advance(10_000);
        await new Promise((r) => setTimeout(r, 20));
        const j = store.get(job.key)!;
        return j.status === 'succeeded' ? j : undefined;
      });
      assert.match(String(finished.meta.summary), /refined in 1 step/);
      assert.equal(emu.stats.steps - stepsBefore, 1, 'the cancelled step was never sent');
      assert.equal(isActive(finished), false);
      assert.equal(scheduler.activeCount(), 0);

      // A step on a finished job goes out at once.
      const direct = await p.addStep(job.key, { prompt: 'Make it night' });
      assert.equal(direct.queued, false);
      assert.equal(direct.step.state, 'sent');
      assert.equal(store.get(job.key)!.status, 'running');
    } finally {
      scheduler.dispose();
      await store.flush();
    }
  });

  it('maps a finished response without artifacts to a finished job with no outputs', async () => {
    const p = h.providers.seele;
    const { job } = await p.createGame({ prompt: 'Tiny puzzle [noartifacts]' });
    const done = await untilFinished(p, job);
    assert.deepEqual(done.outputs, []);
    assert.equal(done.cost?.amount, 25);
    assert.match(String(done.meta?.summary), /Tiny puzzle/);
    assert.equal((done.raw as { data: Record<string, unknown> }).data.artifacts, undefined);
  });

  it('tolerates non-contract fields everywhere', async () => {
    const p = h.providers.seele;
    h.sandbox.faults.add({ provider: 'seele', kind: 'extra-fields' });
    try {
      const { job } = await p.createGame({ prompt: 'Extra fields please', files: [notes] });
      const done = await untilFinished(p, job);
      assert.equal(done.outputs?.length, 2);
      const raw = done.raw as { data: Record<string, unknown>; request_id?: string };
      assert.ok(raw.data.x_unexpected_field, 'injected extras are in the raw body');
      assert.ok(raw.data.progress_percent !== undefined && raw.request_id, "the emulator's own extras are there too");
    } finally {
      h.sandbox.faults.clear();
    }
  });

  it('names the option that needs a subscription on 403, and accepts it for a subscription key', async () => {
    const p = h.providers.seele;
    await assert.rejects(
      p.createGame({ prompt: 'x', model: 'Seele02-pro' }),
      (e: ProviderError) =>
        e.status === 403 &&
        /Seele02-pro model/.test(e.message) &&
        /subscription/.test(e.message) &&
        !/unreal/.test(e.message),
    );
    await assert.rejects(
      p.createGame({ prompt: 'x', engine: 'unreal' }),
      (e: ProviderError) => e.status === 403 && /unreal engine/.test(e.message) && !/Seele02-pro/.test(e.message),
    );
    await assert.rejects(
      p.createGame({ prompt: 'x', model: 'Seele02-pro', engine: 'unreal' }),
      (e: ProviderError) =>
        /Seele02-pro model and the unreal engine/.test(e.message) && /they need a Seele subscription/.test(e.message),
    );
    const subKey = 'sk_test_sub_0123456789';
    const sub = h.create('seele', {
      baseUrl: () => h.sandbox.baseUrl('seele'),
      getKey: async () => subKey,
      timeoutMs: 5000,
    });
    const { job } = await sub.createGame({ prompt: 'An unreal boss rush', model: 'Seele02-pro', engine: 'unreal' });
    assert.match(job.id, /^job_/);
  });

  it('maps 401, 400 and 502 as the document describes', async () => {
    const p = h.providers.seele;
    await p.validateKey(h.key);
    await assert.rejects(
      p.validateKey('wrong-key'),
      (e: ProviderError) => e.status === 401 && /Set API Key/.test(e.message),
    );
    const bad = h.create('seele', {
      baseUrl: () => h.sandbox.baseUrl('seele'),
      getKey: async () => 'nope-nope',
      timeoutMs: 5000,
    });
    await assert.rejects(
      bad.createGame({ prompt: 'x' }),
      (e: ProviderError) => e.status === 401 && /rejected the API key/.test(e.message),
    );

    // Local validation: nothing is sent.
    const jobs = emu.stats.jobs;
    await assert.rejects(p.createGame({ prompt: '  ' }), ValidationError);
    await assert.rejects(p.createGame({ prompt: 'x', model: 'Seele03-ultra' }), ValidationError);
    await assert.rejects(p.createGame({ prompt: 'x', engine: 'godot' }), ValidationError);
    assert.equal(emu.stats.jobs, jobs);
    // The server's own 400 (an unknown file_id sent straight through).
    await assert.rejects(
      p.createGame({ prompt: 'x', file_ids: ['0123456789abcdef0123456789abcdef'] }),
      (e: ProviderError) => e.status === 400 && /file_id/.test(e.message),
    );

    // 502 on GET is retried with backoff; on POST it is reported, never sent twice.
    const { job } = await p.createGame({ prompt: 'gateway trouble' });
    h.sandbox.faults.add({ provider: 'seele', method: 'GET', kind: 'status', status: 502, times: 2 });
    const gets = emu.stats.gets;
    const patch = await p.poll(job);
    assert.ok(patch.status);
    assert.equal(emu.stats.gets - gets, 1, 'the third GET reached the emulator');
    h.sandbox.faults.add({
      provider: 'seele',
      method: 'POST',
      path: '/v2/api/jobs',
      kind: 'status',
      status: 502,
      times: 1,
    });
    const before = emu.stats.jobs;
    await assert.rejects(
      p.createGame({ prompt: 'x' }),
      (e: ProviderError) => e.status === 502 && e.maybeAccepted && /did not send the job request again/.test(e.message),
    );
    assert.equal(emu.stats.jobs, before);
    h.sandbox.faults.clear();
    assert.ok(!h.log.lines.some((l) => l.includes(h.key)), 'the key never reaches the log');
  });

  it('guesses artifact kinds from URLs, then names', () => {
    const k = (url: string, name?: string, description?: string) => guessArtifactKind(url, { name, description });
    assert.equal(k('https://cdn.x/a/index.html?sig=1'), 'html');
    assert.equal(k('https://cdn.x/a/build.zip'), 'archive');
    assert.equal(k('https://cdn.x/a/hero.glb'), 'model');
    assert.equal(k('https://cdn.x/a/shot.PNG'), 'image');
    assert.equal(k('https://cdn.x/a/trailer.mp4'), 'video');
    assert.equal(k('https://cdn.x/download?id=9', 'Preview', 'Browser playable preview'), 'html');
    assert.equal(k('https://cdn.x/download?id=9', 'Game Project', 'Generated Unity project package'), 'archive');
    assert.equal(k('https://cdn.x/download?id=9', 'Thing'), 'file');
  });

  it('checks uploads against their session: content type, size, expiry', async () => {
    const s = await h.providers.seele.client.createUploadSession({
      filename: 'a.txt',
      content_type: 'text/plain',
      size: 5,
    });
    const put = async (headers: Record<string, string>, body: string) => {
      const r = await request(s.upload_url, { method: 'PUT', headers, body });
      await r.body.text();
      return r.statusCode;
    };
    assert.equal(await put({ 'content-type': 'image/png' }, 'hello'), 400);
    assert.equal(await put({ 'content-type': 'text/plain' }, 'hello world'), 400);
    assert.equal(await put({ 'content-type': 'text/plain' }, 'hello'), 200);

    // The real clock: a PUT after the link's expiry is refused with 403.
    const emuTtl = emu.uploadUrlTtlMs;
    emu.uploadUrlTtlMs = 100;
    try {
      const late = await h.providers.seele.client.createUploadSession({
        filename: 'b.txt',
        content_type: 'text/plain',
        size: 5,
      });
      await new Promise((r) => setTimeout(r, 250));
      const r = await request(late.upload_url, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      });
      assert.match(await r.body.text(), /expired/);
      assert.equal(r.statusCode, 403);
    } finally {
      emu.uploadUrlTtlMs = emuTtl;
    }
  });
});
