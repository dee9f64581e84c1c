// Assets as code against the sandbox: a workspace folder with a manifest, the job store and the poll scheduler the
// editor and the CLI use, the providers' launchers, and counts of what each emulator was asked to create.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeJobs, type AssetJobs } from '../../src/core/assets/apply';
import { MANIFEST_NAME } from '../../src/core/assets/manifest';
import { realClock } from '../../src/core/jobs/clock';
import { PollScheduler, type Poller, type PollPolicy } from '../../src/core/jobs/scheduler';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { createLaunchers, PROVIDER_IDS, type Providers } from '../../src/core/providers/index';
import { isJobSource } from '../../src/core/providers/types';
import type { Emulators } from './sandbox';
import { MEDIA_DIR } from './sandbox';

export const FAST_POLL: PollPolicy = { minMs: 15, maxMs: 60, factor: 1.5, budgetPerSec: 200 };

export function pollersOf(providers: Providers): Partial<Record<ProviderId, Poller>> {
  const out: Partial<Record<ProviderId, Poller>> = {};
  for (const id of PROVIDER_IDS) {
    const p = providers[id];
    if (isJobSource(p)) out[id] = p;
  }
  return out;
}

/** A fresh workspace folder with `refs/sample.jpg` and the manifest given. */
export function workspace(parent: string, manifest: unknown): { root: string; manifestPath: string } {
  const root = mkdtempSync(join(parent, 'ws-'));
  mkdirSync(join(root, 'refs'));
  copyFileSync(join(MEDIA_DIR, 'sample.jpg'), join(root, 'refs', 'sample.jpg'));
  const manifestPath = join(root, MANIFEST_NAME);
  writeFileSync(manifestPath, typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
  return { root, manifestPath };
}

/** The job store and scheduler of one "life" of GenDeck. */
export async function jobsLife(
  file: string,
  providers: Providers,
): Promise<{ store: JobStore; scheduler: PollScheduler; jobs: AssetJobs; dispose(): Promise<void> }> {
  const store = new JobStore(file);
  await store.load();
  const policies = Object.fromEntries(PROVIDER_IDS.map((id) => [id, FAST_POLL])) as Record<ProviderId, PollPolicy>;
  const scheduler = new PollScheduler(store, pollersOf(providers), policies, realClock);
  scheduler.start();
  return {
    store,
    scheduler,
    jobs: storeJobs(store, (k) => scheduler.kick([k])),
    dispose: async () => {
      scheduler.dispose();
      await store.flush();
    },
  };
}

export const launchersOf = (providers: Providers) => createLaunchers(providers);

/** What each emulator was asked to create so far (tasks, games, tool calls, jobs). */
export function createCounts(e: Emulators): Record<'seedancee2' | 'seisoai' | 'seekapi', number> {
  return {
    seedancee2: e.seedancee2.tasks.size,
    seisoai: e.seisoai.calls.filter((c) => c.startsWith('POST') && c.includes('/invoke')).length,
    seekapi: e.seekapi.jobs.size,
  };
}
