// Poller benchmark: requests per job from submit to finish (real PollScheduler + providers + sandbox on
// simulated time), requests with no active job over 10 simulated minutes (must be 0), and 1,000 active
// jobs across providers (fake instant pollers) against each provider's budget per second. Seeknetic is no job
// source: its async requests are followed by SeekneticProvider.waitFor, measured as it runs (real HTTP to the
// sandbox, real time), in rows of their own.
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SimulatedClock } from '../src/core/jobs/clock';
import { isActive, newJob, TERMINAL, type Job } from '../src/core/jobs/job';
import { PollScheduler, type PollPolicy } from '../src/core/jobs/scheduler';
import { JobStore } from '../src/core/jobs/store';
import type { ProviderId } from '../src/core/providerIds';
import { DEFAULT_POLL_POLICIES, PROVIDER_LABELS, PROVIDER_IDS } from '../src/core/providers/index';
import type { SeekneticProvider } from '../src/core/providers/seeknetic/provider';
import { adaptersFor } from '../test/support/adapters';
import { startHarness } from '../test/support/sandbox';
import { fmtMs, MEDIA_DIR, say, table, writeSection } from './lib/common';
import { startSim } from '../test/support/sim';

const JOBS_PER_PROVIDER = Number(process.env.GENDECK_BENCH_POLL_JOBS ?? 5);
const ACTIVE = Number(process.env.GENDECK_BENCH_ACTIVE_JOBS ?? 1000);
const SIM_MINUTES = Number(process.env.GENDECK_BENCH_SIM_MINUTES ?? 10);
const WAITFOR_SECONDS = Number(process.env.GENDECK_BENCH_WAITFOR_SECONDS ?? 60);
/** Followed by the scheduler; Seeknetic is not (waitFor). */
const SCHEDULED: ProviderId[] = PROVIDER_IDS.filter((id) => id !== 'seeknetic');

/**
 * Records every GET /async_status the provider's client got an answer to (request id, real time of the answer):
 * reads still queued in the client's rate limiter when the run stops were never sent and are not counted.
 */
function recordStatusReads(p: SeekneticProvider): { id: string; at: number }[] {
  const reads: { id: string; at: number }[] = [];
  const real = p.client.asyncStatus.bind(p.client);
  p.client.asyncStatus = (id, signal) => {
    return real(id, signal).then((r) => {
      reads.push({ id, at: performance.now() });
      return r;
    });
  };
  return reads;
}

async function perJob() {
  const sim = await startSim({ mediaDir: MEDIA_DIR, timeScale: 1 });
  const adapters = adaptersFor(sim).filter((a) => SCHEDULED.includes(a.id));
  const notes = adapters.map((a) => `${PROVIDER_LABELS[a.id]}: one job is ${a.unit}.`);
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = {};
  const jobs = new Map<ProviderId, Job[]>();
  const submitReqs = new Map<ProviderId, number>();
  for (const a of adapters) {
    const before = sim.sandbox.countFor(a.id);
    const list: Job[] = [];
    // A failed submit fails the benchmark: every provider is measured or the run says why not.
    for (let i = 0; i < JOBS_PER_PROVIDER; i++) list.push(sim.store.upsert(await a.submit(i)));
    jobs.set(a.id, list);
    submitReqs.set(a.id, sim.sandbox.countFor(a.id) - before);
  }
  const startCounts = new Map([...jobs.keys()].map((id) => [id, sim.sandbox.countFor(id)]));
  const finishedAt = new Map<string, number>();
  const t0 = sim.clock.now();
  const sub = sim.store.onDidChange((keys) => {
    for (const k of keys) {
      const j = sim.store.get(k);
      if (j && TERMINAL.has(j.status) && !finishedAt.has(k)) finishedAt.set(k, sim.clock.now() - t0);
    }
  });
  const all = [...jobs.values()].flat();
  const simMs = await sim.runUntil(() => all.every((j) => !isActive(sim.store.get(j.key)!)), 60 * 60_000, 100);
  sub.dispose();
  for (const [id, list] of jobs) {
    const polls = sim.sandbox.countFor(id) - startCounts.get(id)!;
    const per = (polls + submitReqs.get(id)!) / list.length;
    const done = list.map((j) => finishedAt.get(j.key) ?? NaN);
    const statuses = [...new Set(list.map((j) => sim.store.get(j.key)!.status))].join(', ');
    const p = sim.policies[id];
    const meanFinish = done.reduce((s, x) => s + x, 0) / done.length;
    rows.push([
      PROVIDER_LABELS[id],
      list.length,
      statuses,
      (submitReqs.get(id)! / list.length).toFixed(1),
      (polls / list.length).toFixed(1),
      per.toFixed(1),
      (meanFinish / 1000).toFixed(1),
      `${p.minMs / 1000}–${p.maxMs / 1000} s ×${p.factor}`,
    ]);
    figures[id] = {
      jobs: list.length,
      statuses,
      submitRequestsPerJob: submitReqs.get(id)! / list.length,
      pollRequestsPerJob: polls / list.length,
      requestsPerJob: per,
      meanSimSecondsToFinish: meanFinish / 1000,
    };
    say(
      `poller  ${id}: ${per.toFixed(1)} requests/job (${(polls / list.length).toFixed(1)} polls), finished in ~${(meanFinish / 1000).toFixed(1)} s simulated`,
    );
  }

  // Nothing active: 10 simulated minutes, with the finished jobs still in the list.
  const idleBefore = [...sim.sandbox.requests.values()].reduce((s, v) => s + v, 0);
  const pollsBefore = sim.polls.length;
  await sim.advance(10 * 60_000, 1000);
  const idleRequests = [...sim.sandbox.requests.values()].reduce((s, v) => s + v, 0) - idleBefore;
  const idle = {
    simulatedMinutes: 10,
    jobsInList: sim.store.all().length,
    activeJobs: sim.store.all().filter(isActive).length,
    httpRequests: idleRequests,
    schedulerPolls: sim.polls.length - pollsBefore,
    pendingTimers: sim.clock.pendingTimers(),
  };
  say(`poller  idle 10 min: ${idle.httpRequests} requests, ${idle.pendingTimers} timers armed`);
  await sim.stop();
  return { rows, figures, notes, idle, simMs };
}

/**
 * Seeknetic's unit of work as the indexer runs it: the adapter's two POSTs (tensor upload, async submit), then
 * SeekneticProvider.waitFor with its own policy, in real time against a sandbox at time scale 1. Then a quiet
 * stretch after every wait returned: waitFor leaves nothing behind that polls.
 */
async function seekneticPerJob() {
  const h = await startHarness({ timeScale: 1, timeoutMs: 10_000 });
  try {
    const a = adaptersFor(h).find((x) => x.id === 'seeknetic')!;
    const p = h.providers.seeknetic;
    const before = h.sandbox.countFor('seeknetic');
    const ids: string[] = [];
    for (let i = 0; i < JOBS_PER_PROVIDER; i++) ids.push((await a.submit(i)).id);
    const submitted = h.sandbox.countFor('seeknetic');
    const t0 = performance.now();
    const took = await Promise.all(ids.map((id) => p.waitFor(id).then(() => performance.now() - t0)));
    const polls = h.sandbox.countFor('seeknetic') - submitted;
    const quietBefore = h.sandbox.countFor('seeknetic');
    await new Promise((r) => setTimeout(r, 5_000));
    const quiet = h.sandbox.countFor('seeknetic') - quietBefore;
    const n = ids.length;
    const creates = (submitted - before) / n;
    const meanFinish = took.reduce((x, y) => x + y, 0) / n;
    const pol = p.pollPolicy;
    say(
      `poller  seeknetic (waitFor): ${(creates + polls / n).toFixed(1)} requests/request (${(polls / n).toFixed(1)} status reads), finished in ~${(meanFinish / 1000).toFixed(1)} s real; ${quiet} requests in the 5 s after`,
    );
    return {
      row: [
        `${PROVIDER_LABELS.seeknetic} — \`SeekneticProvider.waitFor\`, real time (not the scheduler)`,
        n,
        'completed',
        creates.toFixed(1),
        (polls / n).toFixed(1),
        (creates + polls / n).toFixed(1),
        `${(meanFinish / 1000).toFixed(1)} (real)`,
        `${pol.minMs / 1000}–${pol.maxMs / 1000} s ×${pol.factor}`,
      ],
      note: `${PROVIDER_LABELS.seeknetic}: one unit is ${a.unit}, followed by \`SeekneticProvider.waitFor\` (it is no job source: the scheduler never polls it), against a sandbox at time scale 1 in real time.`,
      idle: quiet,
      figures: {
        requests: n,
        submitRequestsPerRequest: creates,
        statusReadsPerRequest: polls / n,
        requestsPerRequest: creates + polls / n,
        meanRealSecondsToFinish: meanFinish / 1000,
        requestsInFiveQuietSeconds: quiet,
      },
    };
  } finally {
    await h.stop();
  }
}

/**
 * `perProvider` Seeknetic requests that never finish, each followed by its own SeekneticProvider.waitFor for
 * `WAITFOR_SECONDS` real seconds: real HTTP through the client's own limiter (no scheduler budget applies).
 */
async function seekneticManyActive(perProvider: number) {
  const h = await startHarness({ timeScale: 1, timeoutMs: 30_000 });
  try {
    const a = adaptersFor(h).find((x) => x.id === 'seeknetic')!;
    const p = h.providers.seeknetic;
    // One upload, `perProvider` submits of it: the status reads are what is measured.
    const first = (await a.submit(0)).id;
    const task = h.emulators.seeknetic.tasks.get(first)!;
    const ids = [first];
    for (let i = 1; i < perProvider; i++) {
      const id = `${first}_${i}`;
      h.emulators.seeknetic.tasks.set(id, { ...task, id });
      ids.push(id);
    }
    for (const id of ids) a.neverFinish(id);
    const reads = recordStatusReads(p);
    const stop = new AbortController();
    setMaxListeners(perProvider + 10, stop.signal); // one listener per wait
    const t0 = performance.now();
    const waits = ids.map((id) =>
      p.waitFor(id, { signal: stop.signal, timeoutMs: WAITFOR_SECONDS * 2_000 }).catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, WAITFOR_SECONDS * 1000));
    stop.abort();
    await Promise.all(waits);
    const total = WAITFOR_SECONDS * 1000;
    const mine = reads.filter((r) => r.at - t0 <= total).map((r) => ({ key: r.id, at: r.at - t0 }));
    const { peak, sliding, maxGap, keys } = readRates(mine);
    const never = perProvider - keys;
    const rate = mine.length / (total / 1000);
    const pol = p.pollPolicy;
    say(
      `poller  ${perProvider} Seeknetic requests in waitFor for ${WAITFOR_SECONDS} s real: ${rate.toFixed(2)}/s mean, ${peak}/s peak (aligned), ${sliding}/s peak (sliding); max gap ${(maxGap / 1000).toFixed(1)} s; ${never} never read`,
    );
    return {
      row: [
        `${PROVIDER_LABELS.seeknetic} — \`waitFor\` per request, real HTTP, ${WAITFOR_SECONDS} real s (not the scheduler)`,
        perProvider,
        ((perProvider * 1000) / pol.minMs).toFixed(1),
        '— (client limiter)',
        rate.toFixed(2),
        peak,
        sliding,
        (maxGap / 1000).toFixed(1),
        never,
      ],
      figures: {
        requests: perProvider,
        realSeconds: WAITFOR_SECONDS,
        meanPerSec: rate,
        maxPerAlignedSecond: peak,
        maxPerSlidingSecond: sliding,
        maxGapSec: maxGap / 1000,
        neverRead: never,
      },
    };
  } finally {
    await h.stop();
  }
}

/** `ACTIVE` ÷ 5 jobs for each provider the scheduler follows, polled by instant fake pollers; `change` = each poll reports progress. */
async function manyActive(change: boolean) {
  const clock = new SimulatedClock(Date.UTC(2025, 0, 1));
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-bench-poll-'));
  const store = new JobStore(join(dir, 'jobs.json'), undefined, { saveDelayMs: 60_000 });
  const calls: { p: ProviderId; key: string; at: number }[] = [];
  let n = 0;
  const pollers = Object.fromEntries(
    SCHEDULED.map((id) => [
      id,
      {
        poll: async (job: Job) => {
          calls.push({ p: id, key: job.key, at: clock.now() });
          return change ? { progress: `step ${++n}` } : { progress: 'working' };
        },
      },
    ]),
  );
  const policies = DEFAULT_POLL_POLICIES as Record<ProviderId, PollPolicy>;
  const t0 = clock.now();
  const perProvider = ACTIVE / PROVIDER_IDS.length;
  for (let i = 0; i < perProvider * SCHEDULED.length; i++) {
    const provider = SCHEDULED[i % SCHEDULED.length];
    store.upsert(
      newJob(
        { provider, id: `j${i}`, title: `job ${i}`, kind: 'bench', status: 'running', progress: 'working' },
        new Date(t0),
      ),
    );
  }
  const scheduler = new PollScheduler(store, pollers, policies, clock);
  const wall0 = performance.now();
  scheduler.start();
  const total = SIM_MINUTES * 60_000;
  await clock.advance(total);
  const wallMs = performance.now() - wall0;
  scheduler.dispose();
  await store.flush();
  rmSync(dir, { recursive: true, force: true });
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown> = {};
  for (const id of SCHEDULED) {
    const mine = calls.filter((c) => c.p === id).map((c) => ({ key: c.key, at: c.at - t0 }));
    const p = policies[id];
    const { peak, sliding, maxGap, keys } = readRates(mine);
    const never = perProvider - keys;
    const rate = mine.length / (total / 1000);
    const demand = (perProvider * 1000) / (change ? p.minMs : p.maxMs);
    rows.push([
      PROVIDER_LABELS[id],
      perProvider,
      demand.toFixed(1),
      p.budgetPerSec,
      rate.toFixed(2),
      peak,
      sliding,
      (maxGap / 1000).toFixed(1),
      never,
    ]);
    figures[id] = {
      jobs: perProvider,
      demandPerSec: demand,
      budgetPerSec: p.budgetPerSec,
      meanPerSec: rate,
      maxPerAlignedSecond: peak,
      maxPerSlidingSecond: sliding,
      maxGapSec: maxGap / 1000,
      neverPolled: never,
    };
    say(
      `poller  ${ACTIVE} active (${change ? 'changing' : 'unchanged'}) ${id}: ${rate.toFixed(2)}/s mean, ${peak}/s peak (aligned), ${sliding}/s peak (sliding) vs budget ${p.budgetPerSec}/s; max gap ${(maxGap / 1000).toFixed(1)} s`,
    );
  }
  return { rows, figures, wallMs };
}

async function main() {
  const a = await perJob();
  const sn = await seekneticPerJob();
  const changing = await manyActive(true);
  const steady = await manyActive(false);
  const snActive = await seekneticManyActive(ACTIVE / PROVIDER_IDS.length);
  const head = [
    'Provider',
    'Jobs / provider',
    'Demand (req/s)',
    'Budget (req/s)',
    'Mean (req/s)',
    'Peak, aligned 1 s',
    'Peak, any 1 s window',
    'Longest gap for one job (s)',
    'Never polled',
  ];
  const body = [
    `### Requests per job, submit → finish`,
    `${JOBS_PER_PROVIDER} jobs per provider submitted together, real \`PollScheduler\` + providers + sandbox (\`timeScale\` 1), scheduler and emulators on one \`SimulatedClock\` advanced in 100 ms steps; requests counted at the sandbox. Polling policies as GenDeck's context builds them (each provider's \`pollPolicy\`, scale 1).`,
    '',
    table(
      [
        'Provider',
        'Jobs',
        'Final status',
        'Create requests / job',
        'Poll requests / job',
        'Total requests / job',
        'Simulated s to finish (mean)',
        'Policy (min–max ×factor)',
      ],
      [...a.rows, sn.row],
    ),
    '',
    ...[...a.notes, sn.note].map((n) => `- ${n}`),
    '',
    `### No active job`,
    `After those jobs finished (${a.idle.jobsInList} jobs in the list, ${a.idle.activeJobs} active), ${a.idle.simulatedMinutes} simulated minutes: **${a.idle.httpRequests} HTTP requests**, ${a.idle.schedulerPolls} scheduler polls, ${a.idle.pendingTimers} timers armed. Seeknetic, in the 5 real seconds after every \`waitFor\` returned: **${sn.idle} HTTP requests**.`,
    '',
    `### ${ACTIVE} active jobs across providers`,
    `${ACTIVE} units of work, ${ACTIVE / PROVIDER_IDS.length} per provider. The four job sources: running jobs polled by instant fake pollers under the real \`PollScheduler\` with \`DEFAULT_POLL_POLICIES\` for ${SIM_MINUTES} simulated minutes. Seeknetic (no job source): that many async requests that never finish, each in its own \`SeekneticProvider.waitFor\` (its policy, its client's rate limiter, real HTTP to a sandbox) for ${WAITFOR_SECONDS} real seconds; it backs off whether or not anything changes, so its row is the same measurement in both tables. "Demand" is what the jobs would ask for without a budget (jobs ÷ interval).`,
    '',
    `Every poll reports a change (intervals stay at the minimum) — ${fmtMs(changing.wallMs)} ms of real time for ${SIM_MINUTES} simulated minutes:`,
    '',
    table(head, [...changing.rows, snActive.row]),
    '',
    `Nothing changes (intervals back off to the maximum) — ${fmtMs(steady.wallMs)} ms of real time:`,
    '',
    table(head, [...steady.rows, snActive.row]),
    '',
    '"Longest gap" and "Never polled" show how the budget is shared when demand exceeds it: the scheduler serves the longest-waiting due job first, so every job gets its turn about every jobs ÷ budget seconds and none is left unpolled.',
  ].join('\n');
  writeSection({
    id: '2-poller',
    title: 'Poller',
    command: 'npm run bench -- poller',
    body,
    figures: {
      perJob: { ...a.figures, seeknetic: sn.figures },
      idle: { ...a.idle, seekneticRequestsInFiveQuietSeconds: sn.idle },
      active: {
        jobs: ACTIVE,
        simulatedMinutes: SIM_MINUTES,
        changing: changing.figures,
        unchanged: steady.figures,
        seekneticWaitFor: snActive.figures,
      },
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/** Request times (ms from the start, in order) keyed by job → peaks per aligned and per sliding second, and the
 * longest wait of any one key between two reads (and before its first). */
function readRates(reads: { key: string; at: number }[]): {
  peak: number;
  sliding: number;
  maxGap: number;
  keys: number;
} {
  const buckets = new Map<number, number>();
  for (const r of reads) buckets.set(Math.floor(r.at / 1000), (buckets.get(Math.floor(r.at / 1000)) ?? 0) + 1);
  let sliding = 0;
  for (let i = 0, j = 0; i < reads.length; i++) {
    while (reads[i].at - reads[j].at >= 1000) j++;
    sliding = Math.max(sliding, i - j + 1);
  }
  const last = new Map<string, number>();
  let maxGap = 0;
  for (const r of reads) {
    maxGap = Math.max(maxGap, r.at - (last.get(r.key) ?? 0));
    last.set(r.key, r.at);
  }
  return { peak: Math.max(0, ...buckets.values()), sliding, maxGap, keys: last.size };
}
