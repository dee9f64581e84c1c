// Jobs tree benchmark: JobsTreeProvider (src/views/jobsTree.ts) against the minimal `vscode` stub, with
// 5,000 jobs. Measures the first show (a new provider building its lists from the store, then every
// provider's children and every item, as VS Code asks for a view with its groups expanded), and what one
// change costs: the store event → the tree's handler → the element it fires → VS Code asking that element's
// item and children again. References from the same run: one plain sort of the 5,000 jobs (what the tree
// used to do per group on every ask) and a whole-tree refresh (what firing `undefined` makes VS Code ask).
import '../test/support/vscodeStub';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newJob, type Job, type JobOutput } from '../src/core/jobs/job';
import { JobStore } from '../src/core/jobs/store';
import type { ProviderId } from '../src/core/providerIds';
import { PROVIDER_IDS } from '../src/core/providers/index';
import type { JobsNode } from '../src/views/jobsTree';
import { fmtMs, median, now, percentile, say, table, writeSection } from './lib/common';

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

/** A scenario's samples: the store's own work, the tree's handler (event → fired), VS Code's asks after it. */
interface Change {
  what: string;
  fired: Map<string, number>;
  store: number[];
  tree: number[];
  asks: number[];
  total: number[];
  nodes: number[];
}

async function main() {
  const { JobsTreeProvider } = await import('../src/views/jobsTree');
  type Tree = InstanceType<typeof JobsTreeProvider>;
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-bench-tree-'));
  const store = new JobStore(join(dir, 'jobs.json'), undefined, { saveDelayMs: 3_600_000 });
  const tLoad = now();
  for (let i = 0; i < N; i++) store.upsert(makeJob(i));
  const upsertMs = now() - tLoad;
  const providers = new Map<ProviderId, { canCancel: () => boolean; capabilities: { followUp: boolean } }>(
    PROVIDER_IDS.map((id) => [id, { canCancel: () => false, capabilities: { followUp: id === 'seele' } }]),
  );
  const source = (id: ProviderId) => providers.get(id) as never;

  /** What VS Code asks for the view with every provider expanded: children of each node and the item of each. */
  const walk = (tree: Tree, opened: boolean) => {
    let nodes = 0;
    const visit = (n: JobsNode | undefined) => {
      for (const c of tree.getChildren(n)) {
        const item = tree.getTreeItem(c);
        nodes++;
        if (c.type === 'provider' || (opened && item.collapsibleState !== 0)) visit(c);
      }
    };
    visit(undefined);
    return nodes;
  };

  // First show: a new provider (its sorted lists built from the store) and the whole view asked once.
  const RUNS = 7;
  const shown: number[] = [];
  const full: number[] = [];
  const sortRef: number[] = [];
  let jobLevel = 0;
  let nodes = 0;
  for (let r = 0; r < RUNS; r++) {
    // The fill's garbage is collected first, so no run pays for it (scripts/bench.mjs runs with --expose-gc).
    global.gc?.();
    let t0 = now();
    let tree = new JobsTreeProvider(store, source);
    jobLevel = walk(tree, false);
    shown.push(now() - t0);
    tree.dispose();
    global.gc?.();
    t0 = now();
    tree = new JobsTreeProvider(store, source);
    nodes = walk(tree, true);
    full.push(now() - t0);
    tree.dispose();
    // Reference: one plain sort of all the jobs, newest first, as the tree used to sort each group on every ask.
    const all = store.all();
    t0 = now();
    all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    sortRef.push(now() - t0);
  }
  say(
    `tree  ${N} jobs: first show (new provider + ${jobLevel} nodes) first ${fmtMs(shown[0])} ms, median ${fmtMs(median(shown.slice(1)))} ms; every job opened too (${nodes} nodes) first ${fmtMs(full[0])} ms, median ${fmtMs(median(full.slice(1)))} ms`,
  );
  say(
    `tree  reference: one sort of ${N} jobs (localeCompare) median ${fmtMs(median(sortRef))} ms → first show = ${(median(shown.slice(1)) / median(sortRef)).toFixed(2)}× that sort`,
  );

  // One tree lives on; a store listener on each side of the tree's own times its handler alone.
  let tEvent = 0;
  let tHandled = 0;
  store.onDidChange(() => void (tEvent = now()));
  const tree = new JobsTreeProvider(store, source);
  store.onDidChange(() => void (tHandled = now()));
  walk(tree, false);
  let fired: (JobsNode | undefined)[] = [];
  tree.onDidChangeTreeData((n) => void fired.push(n as JobsNode | undefined));

  // Reference: a whole-tree refresh, i.e. what VS Code asks after `undefined` is fired (items already built).
  const wholeRef: number[] = [];
  for (let r = 0; r < 21; r++) {
    const t0 = now();
    walk(tree, false);
    wholeRef.push(now() - t0);
  }

  /** VS Code after the events: each fired element's item and children (with their items); all when the root is. */
  const redraw = (events: (JobsNode | undefined)[]) => {
    if (events.includes(undefined)) return walk(tree, false);
    let n = 0;
    for (const e of events as JobsNode[]) {
      tree.getTreeItem(e);
      n++;
      for (const c of tree.getChildren(e)) {
        tree.getTreeItem(c);
        n++;
      }
    }
    return n;
  };
  const measure = (what: string, samples: number, op: (i: number) => void): Change => {
    const c: Change = { what, fired: new Map(), store: [], tree: [], asks: [], total: [], nodes: [] };
    for (let i = 0; i < samples; i++) {
      fired = [];
      const t0 = now();
      op(i);
      const tOp = now();
      c.nodes.push(redraw(fired));
      const t1 = now();
      c.store.push(tEvent - t0);
      c.tree.push(tHandled - tEvent);
      c.asks.push(t1 - tOp);
      c.total.push(t1 - t0);
      const names = fired.map((n) => n?.type ?? 'root').join(' + ') || 'nothing';
      c.fired.set(names, (c.fired.get(names) ?? 0) + 1);
    }
    const firedText = [...c.fired].map(([k, v]) => `${k} ×${v}`).join(', ');
    say(
      `tree  ${what}: total median ${fmtMs(median(c.total))} ms, p95 ${fmtMs(percentile(c.total, 95))} ms (store ${fmtMs(median(c.store))}, tree ${fmtMs(median(c.tree))}, VS Code's asks ${fmtMs(median(c.asks))} ms for ${median(c.nodes)} nodes) = ${(median(c.total) / median(wholeRef)).toFixed(3)}× a whole-tree refresh; fired: ${firedText}`,
    );
    return c;
  };

  const keys = store.all().map((j) => j.key);
  const running = store
    .all()
    .filter((j) => j.status === 'running')
    .map((j) => j.key);
  const pick = (list: string[], i: number) => list[(i * 7919) % list.length];
  const toggle = (key: string) =>
    store.patch(key, { status: store.get(key)?.status === 'running' ? 'succeeded' : 'running' });
  const changes: Change[] = [];
  changes.push(
    measure('grouped: progress of one job', 1000, (i) => store.patch(pick(keys, i), { progress: `Generating ${i}` })),
  );
  changes.push(measure('grouped: one job finishes or starts again', 500, (i) => toggle(pick(running, i))));
  changes.push(measure('grouped: one job added', 200, (i) => store.upsert(makeJob(N + i))));
  const added = store
    .all()
    .slice(N)
    .map((j) => j.key);
  changes.push(measure('grouped: one job removed', 200, (i) => store.remove(added[i])));
  tree.setSort('status');
  walk(tree, false);
  changes.push(
    measure('by status: progress of one job', 500, (i) => store.patch(pick(keys, i), { progress: `Step ${i}` })),
  );
  changes.push(measure('by status: one job finishes or starts again (it moves)', 100, (i) => toggle(pick(running, i))));
  tree.setSort('provider');

  // A tooltip is built when VS Code asks on hover.
  const hover: number[] = [];
  for (let i = 0; i < 500; i++) {
    const node = tree.jobNode(pick(keys, i));
    const item = tree.getTreeItem(node);
    const t0 = now();
    item.tooltip = undefined;
    tree.resolveTreeItem(item, node);
    hover.push(now() - t0);
  }
  say(`tree  tooltip on hover (resolveTreeItem): median ${fmtMs(median(hover))} ms`);

  tree.dispose();
  await store.flush();
  rmSync(dir, { recursive: true, force: true });
  const whole = median(wholeRef);
  writeSection({
    id: '3-tree',
    title: 'Jobs tree',
    command: 'npm run bench -- tree',
    body: [
      `\`JobsTreeProvider\` from src/views/jobsTree.ts running against the minimal \`vscode\` stub in test/support/vscodeStub.ts, over a \`JobStore\` of ${N} jobs spread over the five providers (40% with two outputs, some Seele jobs with a step). Times are in-process: VS Code's own rendering is not included. References measured in the same run: one \`Array.sort\` of the ${N} jobs newest first with \`localeCompare\` (what the tree used to do for each group on every ask), and a whole-tree refresh (what VS Code asks after \`onDidChangeTreeData\` fires \`undefined\`: root, providers and every job's item, the items already built).`,
      '',
      table(
        ['What', 'Nodes', 'First (ms)', `Median of ${RUNS - 1} more (ms)`, '× one sort of all jobs'],
        [
          [
            'First show: a new provider (lists built from the store), then providers + jobs asked (getChildren + getTreeItem)',
            jobLevel,
            fmtMs(shown[0]),
            fmtMs(median(shown.slice(1))),
            (median(shown.slice(1)) / median(sortRef)).toFixed(2),
          ],
          [
            'The same with every job opened too (steps and outputs)',
            nodes,
            fmtMs(full[0]),
            fmtMs(median(full.slice(1))),
            (median(full.slice(1)) / median(sortRef)).toFixed(2),
          ],
          [`Reference: one sort of ${N} jobs (localeCompare)`, N, fmtMs(sortRef[0]), fmtMs(median(sortRef)), '1.00'],
          [`Reference: whole-tree refresh (items cached)`, jobLevel, fmtMs(wholeRef[0]), fmtMs(whole), ''],
        ],
      ),
      '',
      "One change: the store's own work (the patch, or the schema check of an upsert), the tree's handler on the store event up to firing `onDidChangeTreeData`, and what VS Code then asks for each fired element (its item, its children and their items; everything when the root is fired).",
      '',
      table(
        [
          'Change',
          'Samples',
          'Fired',
          'Nodes asked',
          'Store (ms)',
          'Tree (ms)',
          "VS Code's asks (ms)",
          'Total median (ms)',
          'p95 (ms)',
          '× whole-tree refresh',
        ],
        changes.map((c) => [
          c.what,
          c.total.length,
          [...c.fired].map(([k, v]) => `${k} ×${v}`).join(', '),
          median(c.nodes),
          fmtMs(median(c.store)),
          fmtMs(median(c.tree)),
          fmtMs(median(c.asks)),
          fmtMs(median(c.total)),
          fmtMs(percentile(c.total, 95)),
          (median(c.total) / whole).toFixed(3),
        ]),
      ),
      '',
      `A job's tooltip, built on hover (\`resolveTreeItem\`): median ${fmtMs(median(hover))} ms. Filling the store with ${N} jobs (upsert, schema-validated): ${fmtMs(upsertMs)} ms.`,
      '',
      'Before this change (commit 6b04ee2, same machine, same day): the view as first shown took 196–352 ms, and adding a job fired the whole tree (81.6–121 ms median).',
    ].join('\n'),
    figures: {
      jobs: N,
      nodes,
      jobLevelNodes: jobLevel,
      firstShowMs: shown,
      fullBuildMs: full,
      sortReferenceMs: sortRef,
      wholeRefreshMs: wholeRef,
      changes: changes.map((c) => ({
        what: c.what,
        fired: Object.fromEntries(c.fired),
        storeMedianMs: median(c.store),
        treeMedianMs: median(c.tree),
        asksMedianMs: median(c.asks),
        totalMedianMs: median(c.total),
        totalP95Ms: percentile(c.total, 95),
      })),
      tooltipMedianMs: median(hover),
      upsertMs,
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
