// The child process of the assets kill test: one "life" of GenDeck running `apply` against the parent's sandbox,
// with its job store file (a new one when the parent says the job list was lost), until it is killed (SIGKILL, at a random point) or done. Exit 0: every asset made or
// up to date; 3: some need attention (an intent with no recorded job); 1: anything else.
import { applyAssets } from '../../src/core/assets/apply';
import { silentLogger } from '../../src/core/log';
import type { ProviderId } from '../../src/core/providerIds';
import { createProviders, remoteJobLister } from '../../src/core/providers/index';
import { jobsLife, launchersOf } from '../support/assets';

interface ChildConfig {
  baseUrls: Record<ProviderId, string>;
  key: string;
  root: string;
  manifestPath: string;
  storeFile: string;
}

async function main(): Promise<number> {
  const c = JSON.parse(process.env.GENDECK_ASSETS_CHILD ?? '{}') as ChildConfig;
  const providers = createProviders({
    baseUrl: (id) => c.baseUrls[id],
    getKey: async () => c.key,
    isSandbox: () => true,
    logger: silentLogger,
    timeoutMs: 5000,
    payer: () => undefined,
    emit: () => undefined,
  });
  const life = await jobsLife(c.storeFile, providers);
  try {
    const r = await applyAssets({
      root: c.root,
      manifestPath: c.manifestPath,
      launchers: launchersOf(providers),
      jobs: life.jobs,
      http: (id) => providers[id].http,
      remoteJobs: remoteJobLister(providers),
      concurrency: 3,
    });
    process.stdout.write(`${JSON.stringify(r.items)}\n`);
    if (r.items.every((i) => i.outcome === 'made' || i.outcome === 'upToDate' || i.outcome === 'restored')) return 0;
    return r.items.some((i) => i.outcome === 'needsAttention') ? 3 : 1;
  } finally {
    await life.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
