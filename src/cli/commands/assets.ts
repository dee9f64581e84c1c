// `gendeck plan` and `gendeck apply`: assets as code (gendeck.assets.json + gendeck.lock.json) from the command line,
// the same core/assets implementation the editor's Plan Assets / Generate Assets run.
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { adoptJob } from '../../core/assets/adopt';
import { applyAssets, CostLimitError, forgetUnconfirmed, itemsToApply, type AssetJobs } from '../../core/assets/apply';
import { MANIFEST_NAME } from '../../core/assets/manifest';
import { lockPathFor, planAssets, type Plan } from '../../core/assets/plan';
import { itemCost, statusLabel, totalsLines } from '../../core/assets/report';
import type { ProviderId } from '../../core/providerIds';
import { isProviderId, remoteJobLister } from '../../core/providers/index';
import { list, num, UsageError } from '../args';
import type { Command, Context } from '../command';
import { CostRefused, EXIT } from '../exit';
import { table } from '../output';
import type { Headless } from '../services';
import { requireKey, withHeadless } from '../session';

/** The manifest named (or ./gendeck.assets.json) and the folder nothing is written outside of. */
function where(c: Context): { manifestPath: string; root: string } {
  if (c.args.length > 1) throw new UsageError('Name at most one manifest.');
  const manifestPath = resolve(c.args[0] ?? MANIFEST_NAME);
  const cwd = process.cwd();
  const rel = relative(cwd, manifestPath);
  // The working folder when the manifest is inside it (the project), else the manifest's own folder.
  const root = rel && !rel.startsWith('..') && !isAbsolute(rel) ? cwd : dirname(manifestPath);
  return { manifestPath, root };
}

async function plannedWith(c: Context, h: Headless): Promise<Plan> {
  const w = where(c);
  return planAssets({
    ...w,
    launchers: h.launchers,
    jobs: h.store,
    remoteJobs: remoteJobLister(h.providers),
    signal: c.signal,
  });
}

function printPlan(c: Context, plan: Plan): void {
  if (c.out.json) {
    for (const i of plan.items)
      c.out.object({
        asset: i.id,
        status: i.status,
        provider: i.provider,
        out: i.entry.out,
        toSend: i.toSend,
        cost: i.cost ?? null,
        costNote: i.costNote,
        reason: i.reason,
      });
    c.out.object({ totals: plan.totals, unknown: plan.unknown, problems: plan.problems });
    return;
  }
  for (const line of table([
    ['ASSET', 'STATUS', 'PROVIDER', 'FILE', 'COST'],
    ...plan.items.map((i) => [i.id, statusLabel(i.status), i.provider, i.entry.out, itemCost(i)]),
  ]))
    c.out.line(line);
  c.out.line();
  const totals = totalsLines(plan);
  c.out.line(totals.length ? `Total to send: ${totals.join('; ')}` : 'Nothing to send.');
  for (const p of plan.problems) c.out.note(`gendeck: ${p.severity}: ${p.id ? `${p.id}: ` : ''}${p.message}`);
}

/** `--adopt id=JOB`: the asset and the job named. */
function adoptArg(raw: string): { id: string; job: string } {
  const eq = raw.indexOf('=');
  const id = raw.slice(0, eq).trim();
  const job = raw.slice(eq + 1).trim();
  if (eq < 0 || !id || !job)
    throw new UsageError(`--adopt takes ASSET=JOB (e.g. --adopt hero-idle=vid_123), not "${raw}".`);
  return { id, job };
}

const hasErrors = (plan: Plan) => plan.problems.some((p) => p.severity === 'error');

export const plan: Command = {
  name: 'plan',
  summary: 'each asset of gendeck.assets.json: missing, changed, stale or up to date, and what making it costs',
  usage: 'gendeck plan [manifest]',
  help: `Reads the manifest (default ./gendeck.assets.json) and its lock (gendeck.lock.json beside it), checks every
entry with its provider's own validation (live schemas, prices), and prints each asset's status and estimate with the
totals per provider. Nothing is sent. Exit 2 when an entry is invalid.`,
  options: {},
  run: (c) =>
    withHeadless(c, async (h) => {
      const p = await plannedWith(c, h);
      printPlan(c, p);
      return hasErrors(p) ? EXIT.badInput : EXIT.ok;
    }),
};

export const apply: Command = {
  name: 'apply',
  summary: 'makes what the plan says is missing, changed or stale; writes each file and the lock; never pays twice',
  usage: 'gendeck apply [manifest] [--only id]… [--max-cost N] [--concurrency N] [--forget id]… [--adopt id=JOB]…',
  help: `Runs the plan: each asset's job is sent once (its intent is in the lock first, the job in the job store as soon
as the provider accepts it), followed to the end, and its output written to its "out" path inside the folder; the
lock is updated after every step. Run it again after a crash or Ctrl-C: jobs already made are followed, not sent
again; a request cut off mid-send is reported as needing attention, never re-sent. A job the lock names that the
job list lacks is looked up on its provider (Seedancee2, Seek API list their jobs) and followed; found nowhere, it
needs attention too.

  --only id         only these assets (repeatable)
  --max-cost N      refuse before sending anything when, in any unit, the estimate is above N, or a cost is unknown
  --concurrency N   assets made at once (default: the manifest's "concurrency", else 2)
  --forget id       first forget this asset's requests that need attention (no job of them is known), so it is
                    made anew: paid again (repeatable)
  --adopt id=JOB    first make this asset, which needs attention, follow job JOB (its id or key, as the provider's
                    job list shows it): looked up on the provider, recorded, never sent again (repeatable)

Exit 0 when every asset is written or up to date, 1 when one failed or needs attention, 2 invalid entries only,
4 over --max-cost (nothing sent).`,
  options: {
    only: { type: 'string', multiple: true },
    'max-cost': { type: 'string' },
    concurrency: { type: 'string' },
    forget: { type: 'string', multiple: true },
    adopt: { type: 'string', multiple: true },
  },
  run: (c) =>
    withHeadless(c, async (h) => {
      const only = list(c.values, 'only');
      const maxCost = num(c.values, 'max-cost', { min: 0 });
      const concurrency = num(c.values, 'concurrency', { integer: true, min: 1 });
      const adopts = list(c.values, 'adopt').map(adoptArg);
      const jobs: AssetJobs = {
        get: (k) => h.store.get(k),
        all: () => h.store.all(),
        add: async (job) => void (await h.addJob(job)),
        settled: (key, signal) => h.wait(key, { signal }),
      };
      for (const a of adopts) {
        const job = await adoptJob({
          manifestPath: where(c).manifestPath,
          id: a.id,
          job: a.job,
          launchers: h.launchers,
          jobs,
          signal: c.signal,
        });
        c.out.note(`gendeck: ${a.id}: follows job ${job.key} (${job.status}); nothing is sent for it.`);
      }
      for (const id of list(c.values, 'forget')) {
        const n = await forgetUnconfirmed(lockPathFor(where(c).manifestPath), id, h.store);
        c.out.note(`gendeck: ${id}: ${n ? `forgot ${n} request(s); it is made anew` : 'no request to forget'}.`);
      }
      const p = await plannedWith(c, h);
      for (const i of itemsToApply(p, only)) if (i.toSend > 0 && isProviderId(i.provider)) requireKey(h, i.provider);
      let r;
      try {
        r = await applyAssets({
          ...where(c),
          launchers: h.launchers,
          jobs,
          http: (id: ProviderId) => h.providers[id].http,
          plan: p,
          only,
          maxCost,
          concurrency,
          signal: c.signal,
          onProgress: (e) => c.out.progress(`${e.finished}/${e.total} · ${e.id}: ${e.phase}`),
        });
      } catch (err) {
        if (err instanceof CostLimitError) throw new CostRefused(`${err.message} Nothing was sent.`);
        throw err;
      }
      c.out.clear();
      for (const i of r.items)
        if (c.out.json) c.out.object({ asset: i.id, outcome: i.outcome, message: i.message });
        else c.out.line(`${i.id}  ${i.outcome}${i.message ? `  ${i.message}` : ''}`);
      if (r.items.some((i) => i.outcome === 'canceled')) return EXIT.interrupted;
      if (r.items.some((i) => i.outcome === 'failed' || i.outcome === 'needsAttention')) return EXIT.jobFailed;
      if (r.items.some((i) => i.outcome === 'invalid')) return EXIT.badInput;
      return EXIT.ok;
    }),
};
