// Jobs tree benchmark: JobsTreeProvider (src/views/jobsTree.ts) against the minimal `vscode` stub, with
// 5,000 jobs. Measures a full build (every node's getChildren + getTreeItem, as VS Code does when every
// provider is expanded and every job opened), and a one-job refresh (a patch → the change event → VS Code
// asking for that node's item again), and a structural refresh (a job added → the whole tree asked again).
import '../test/support/vscodeStub';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newJob, type Job, type JobOutput } from '../src/core/jobs/job';
import { JobStore } from '../src/core/jobs/store';
import type { ProviderId } from '../src/core/providerIds';
import { PROVIDER_IDS } from '../src/core/providers/index';
import { fmtMs, median, percentile, say, table, writeSection } from './lib/common';

const N = Number(process.env.GENDECK_BENCH_TREE_JOBS ?? 5000);

function makeJob(i: number): Job {
  const provider = PROVIDER_IDS[i % PROVIDER_IDS.length];
  const status = (['running', 'succeeded', 'failed', 'queued', 'succeeded'] as const)[i % 5];
  const outputs: JobOutput[] =
    status === 'succeeded'
      ? [
          { kind: 'video', url: `https://cdn.example.com/${i}.mp4`, label: 'Video' },
          { kind: 'image', url: `https://cdn.example.com/${i}.jpg`, label: 'Thumbnail' },
        ]
      : [];
  return newJob(
    {
      provider,
      id: `job_${i.toString(36).padStart(6, '0')}`,
      title: `A generated clip number ${i} with a reasonably long prompt title`,
      kind: 'video',
      status,
      progress: status === 'running' ? 'Generating' : undefined,
      outputs,
      cost: { amount: 12.5, unit: 'credits', estimated: status !== 'succeeded' },
      error:
        status === 'failed' ? { code: 'generation_failed', message: 'The video could not be generated.' } : undefined,
      request: { prompt: `prompt ${i}` },
      steps:
        provider === 'seele' && i % 10 === 0
          ? [
              {
                localId: `s${i}`,
                prompt: 'make it faster',
                state: 'sent',
                request: {},
                createdAt: new Date(0).toISOString(),
              },
            ]
          : undefined,
    },
    new Date(Date.UTC(2025, 0, 1) + i * 1000),
  );
}

async function main() {
  const { JobsTreeProvider } = await import('../src/views/jobsTree');
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-bench-tree-'));
  const store = new JobStore(join(dir, 'jobs.json'), undefined, { saveDelayMs: 3_600_000 });
  const tLoad = performance.now();
  for (let i = 0; i < N; i++) store.upsert(makeJob(i));
  const upsertMs = performance.now() - tLoad;
  const providers = new Map<ProviderId, { canCancel: () => boolean; capabilities: { followUp: boolean } }>(
    PROVIDER_IDS.map((id) => [id, { canCancel: () => false, capabilities: { followUp: id === 'seele' } }]),
  );
  type Node = Parameters<InstanceType<typeof JobsTreeProvider>['getTreeItem']>[0];

  const tree = new JobsTreeProvider(store, (id) => providers.get(id) as never);
  let fired = 0;
  let lastFired: Node | undefined;
  tree.onDidChangeTreeData((n) => {
    fired++;
    lastFired = n as Node | undefined;
  });

  /** What VS Code does for a fully expanded tree: children of every node, and the item of each. */
  const walk = (opened: boolean) => {
    let nodes = 0;
    const visit = (n: Node | undefined) => {
      const children = tree.getChildren(n);
      for (const c of children) {
        const item = tree.getTreeItem(c);
        nodes++;
        if (c.type === 'provider' || (opened && item.collapsibleState !== 0)) visit(c);
      }
    };
    visit(undefined);
    return nodes;
  };
  const builds: number[] = [];
  const visible: number[] = [];
  let nodes = 0;
  let jobLevel = 0;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    nodes = walk(true);
    builds.push(performance.now() - t0);
    const t1 = performance.now();
    jobLevel = walk(false);
    visible.push(performance.now() - t1);
  }
  say(
    `tree  ${N} jobs: full build (${nodes} nodes) first ${fmtMs(builds[0])} ms, median ${fmtMs(median(builds.slice(1)))} ms; providers + jobs only (${jobLevel} nodes) median ${fmtMs(median(visible.slice(1)))} ms`,
  );

  // One job changes: the store patch, the event, and VS Code asking for the changed node's item (and children when open).
  const keys = store.all().map((j) => j.key);
  const perJob: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const key = keys[(i * 7919) % keys.length];
    const t0 = performance.now();
    store.patch(key, { progress: `Generating ${i}` });
    if (lastFired) {
      tree.getTreeItem(lastFired);
      tree.getChildren(lastFired);
    }
    perJob.push(performance.now() - t0);
  }
  say(
    `tree  one-job refresh: median ${fmtMs(median(perJob))} ms, p95 ${fmtMs(percentile(perJob, 95))} ms, max ${fmtMs(Math.max(...perJob))} ms (${fired} events)`,
  );

  // A job is added: the whole tree is fired (undefined) and VS Code asks again for the root and the expanded providers.
  const structural: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    store.upsert(makeJob(N + i));
    if (lastFired === undefined) walk(false);
    structural.push(performance.now() - t0);
  }
  say(
    `tree  job added (structural refresh of providers + jobs): median ${fmtMs(median(structural))} ms, max ${fmtMs(Math.max(...structural))} ms`,
  );

  tree.dispose();
  await store.flush();
  rmSync(dir, { recursive: true, force: true });
  writeSection({
    id: '3-tree',
    title: 'Jobs tree',
    command: 'npm run bench -- tree',
    body: [
      `\`JobsTreeProvider\` from src/views/jobsTree.ts running against the minimal \`vscode\` stub in test/support/vscodeStub.ts, over a \`JobStore\` of ${N} jobs spread over the five providers (40% with two outputs, some Seele jobs with a step). Times are in-process: VS Code's own rendering is not included.`,
      '',
      table(
        ['What', 'Nodes', 'First (ms)', 'Median of 6 more (ms)'],
        [
          [
            'Full build: every provider expanded, every job opened (getChildren + getTreeItem for all)',
            nodes,
            fmtMs(builds[0]),
            fmtMs(median(builds.slice(1))),
          ],
          [
            'Providers + jobs (the view as first shown, providers expanded)',
            jobLevel,
            fmtMs(visible[0]),
            fmtMs(median(visible.slice(1))),
          ],
        ],
      ),
      '',
      table(
        ['Refresh', 'Median (ms)', 'p95 (ms)', 'Max (ms)'],
        [
          [
            'One job changes (patch → event for that node → its getTreeItem + getChildren), 1000 samples',
            fmtMs(median(perJob)),
            fmtMs(percentile(perJob, 95)),
            fmtMs(Math.max(...perJob)),
          ],
          [
            'A job is added (event for the whole tree → root + providers + jobs again), 20 samples',
            fmtMs(median(structural)),
            fmtMs(percentile(structural, 95)),
            fmtMs(Math.max(...structural)),
          ],
        ],
      ),
      '',
      `Filling the store with ${N} jobs (upsert, schema-validated): ${fmtMs(upsertMs)} ms.`,
    ].join('\n'),
    figures: {
      jobs: N,
      nodes,
      jobLevelNodes: jobLevel,
      fullBuildMs: builds,
      jobLevelMs: visible,
      oneJobRefreshMedianMs: median(perJob),
      oneJobRefreshP95Ms: percentile(perJob, 95),
      structuralMedianMs: median(structural),
      upsertMs,
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
