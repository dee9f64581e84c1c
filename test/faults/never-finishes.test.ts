// "A server that never finishes a job": each emulator is told the job's work takes forever, so every poll
// says "still working". Over an hour of simulated time the job stays running, its polling backs
// off to the policy's maximum interval and stays there, the provider's budget is never exceeded, and the UI
// (the Jobs tree item and the preview's view model) keeps showing the provider's progress text.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adaptersFor } from '../support/adapters';
import { startSim, type SimHarness } from '../support/sim';
import { createdPanels, RecordingPanel, Uri } from '../support/vscodeStub';
import { JobsTreeProvider } from '../../src/views/jobsTree';
import { PreviewPanels } from '../../src/webview/previewPanel';
import type { Job } from '../../src/core/jobs/job';
import type { ProviderId } from '../../src/core/providerIds';
import { PROVIDER_IDS } from '../../src/core/providers/index';
import { isJobSource } from '../../src/core/providers/types';
import type { HostToPreview, PreviewJob } from '../../src/webview/protocol';
import { MEDIA_DIR } from '../support/sandbox';
import { guardUnhandled, reportCounts } from './helpers';

const unhandled = guardUnhandled();
const HOURS = process.env.GENDECK_FAULTS_SLOW ? 3 : 1;

describe('fault injection: a server that never finishes a job', () => {
  let sim: SimHarness;
  before(async () => {
    sim = await startSim({ mediaDir: MEDIA_DIR, timeScale: 1 });
  });
  after(async () => {
    await sim.stop();
    unhandled.check();
  });

  it(`keeps the job running, backs off to the maximum interval within budget, and shows progress (${HOURS} h simulated)`, async () => {
    const adapters = adaptersFor(sim);
    assert.deepEqual(
      adapters.map((a) => a.id),
      [...PROVIDER_IDS],
      'every provider',
    );
    const jobs: Job[] = [];
    for (const a of adapters) {
      const job = sim.store.upsert(await a.submit(1, 'never finishes'));
      assert.ok(a.neverFinish(job.id), `${a.id}: the emulator keeps the job going forever`);
      jobs.push(job);
    }
    const from = sim.polls.length;
    const requestsBefore = [...sim.sandbox.requests.values()].reduce((s, v) => s + v, 0);
    await sim.advance(HOURS * 3_600_000, 1000);
    const requests = [...sim.sandbox.requests.values()].reduce((s, v) => s + v, 0) - requestsBefore;

    const tree = new JobsTreeProvider(sim.store, (id) => {
      const p = sim.providers[id];
      return isJobSource(p) ? p : undefined;
    });
    const panels = new PreviewPanels({
      store: sim.store,
      context: { extensionUri: Uri.file('/ext') },
      sandbox: { origin: sim.sandbox.origin, active: true, onDidChange: () => ({ dispose() {} }) },
    } as never);
    for (const j of jobs) {
      const job = sim.store.get(j.key)!;
      const policy = sim.policies[job.provider as ProviderId];
      assert.ok(job.status === 'running' || job.status === 'queued', `${job.key} is still under way (${job.status})`);
      assert.ok(job.progress, `${job.key} has progress text`);
      const at = sim.polls
        .slice(from)
        .filter((p) => p.key === j.key)
        .map((p) => p.at);
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      assert.ok(gaps.length >= 10, `${job.key}: polled ${at.length} times`);
      for (let i = 1; i < gaps.length; i++)
        assert.ok(gaps[i] >= gaps[i - 1] - 1000, `${job.key}: the interval never shrinks while nothing changes`);
      const tail = gaps.slice(-5);
      for (const g of tail)
        assert.ok(
          g >= policy.maxMs && g <= policy.maxMs + 1000,
          `${job.key}: settled at the maximum ${policy.maxMs} ms (got ${g})`,
        );
      const expected = (HOURS * 3_600_000) / policy.maxMs;
      assert.ok(
        at.length <= expected + 12,
        `${job.key}: ${at.length} polls in ${HOURS} h, about ${Math.round(expected)} expected at the maximum interval`,
      );
      // The Jobs tree shows the provider's own progress text.
      const item = tree.getTreeItem(tree.jobNode(j.key));
      assert.ok(
        String(item.description).includes(job.progress!),
        `tree shows "${job.progress}" (got "${item.description}")`,
      );
      // The preview's view model carries it too.
      panels.open(j.key);
      const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
      await new Promise((r) => setTimeout(r, 10));
      panel.webview.receive({ type: 'ready' });
      await new Promise((r) => setTimeout(r, 10));
      const shown = panel.webview.posted
        .filter((m): m is HostToPreview & { type: 'show' } => (m as HostToPreview).type === 'show')
        .pop();
      assert.ok(shown, 'the preview was sent the job');
      const view: PreviewJob = shown.job;
      assert.equal(view.progress, job.progress);
      assert.equal(view.status, job.status);
    }
    // Budget: never more than budgetPerSec polls of one provider in any aligned second.
    const perSecond = new Map<string, number>();
    for (const p of sim.polls.slice(from))
      perSecond.set(
        `${p.provider}@${Math.floor(p.at / 1000)}`,
        (perSecond.get(`${p.provider}@${Math.floor(p.at / 1000)}`) ?? 0) + 1,
      );
    for (const [k, n] of perSecond)
      assert.ok(n <= sim.policies[k.split('@')[0] as ProviderId].budgetPerSec, `${k}: ${n} polls`);
    tree.dispose();
    panels.dispose();
    reportCounts({
      suite: `server never finishes (${HOURS} h simulated, every provider)`,
      faultsInjected: jobs.length,
      jobs: jobs.length,
      losses: 0,
      duplicates: 0,
      leaks: 0,
      unhandledRejections: unhandled.list.length,
      extra: { requestsWhileUnfinished: requests, providers: jobs.map((j) => j.provider).join(', ') },
    });
  });
});
