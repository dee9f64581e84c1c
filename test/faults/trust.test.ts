// Fault injection for trust: hostile servers and a hostile workspace, counted. Each count must be 0: payments signed
// past the daily cap, files written outside the output folder, forged page messages acted on, requests without a
// deadline. The counts go to bench/results.md through scripts/bench-faults.mjs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { z } from 'zod';
import { downloadJobOutputs, jobFolderName, SIDECAR } from '../../src/core/jobs/download';
import { newJob } from '../../src/core/jobs/job';
import { createProviders, PROVIDER_IDS } from '../../src/core/providers/index';
import { X402Payer, type X402Limits } from '../../src/core/x402/payer';
import { ReceiptLog } from '../../src/core/x402/receipts';
import { startHarness, type Harness } from '../support/sandbox';
import { guardUnhandled, reportCounts } from './helpers';
import type { HostToPreview } from '../../src/webview/protocol';

const REPO = join(__dirname, '..', '..', '..');

describe('fault injection: trust (hostile servers and workspaces)', () => {
  let h: Harness;
  const unhandled = guardUnhandled();
  const counts = {
    paymentsSignedPastCap: 0,
    filesWrittenOutside: 0,
    forgedMessagesActedOn: 0,
    requestsWithoutDeadline: 0,
  };
  let injected = 0;
  before(async () => {
    h = await startHarness({ key: null });
  });
  after(async () => {
    reportCounts({
      suite: 'trust: payments, files, page messages, deadlines',
      faultsInjected: injected,
      jobs: 0,
      losses: 0,
      duplicates: 0,
      leaks: 0,
      unhandledRejections: unhandled.list.length,
      extra: counts,
    });
    await h.stop();
    unhandled.check();
  });

  it('payments: every way a paid request can fail still counts it; nothing is signed past the daily cap', async () => {
    const capUsd = 0.5;
    const limits: X402Limits = { maxPerPaymentUsd: 0.5, maxPerDayUsd: capUsd, networks: ['base-sepolia'] };
    let signedAtomic = 0n;
    const key = `0x${randomBytes(32).toString('hex')}`;
    h.payer = new X402Payer({
      limits: () => limits,
      confirm: async () => true,
      // Read only to sign: each read is one signed authorization of the price below.
      getWalletKey: async () => {
        signedAtomic += 400_000n;
        return key;
      },
      receipts: new ReceiptLog(join(h.tmp, 'trust-receipts.jsonl')),
    });
    const answers = [500, 400, 404, 503, 402, 429, 502];
    for (const status of answers) {
      let n = 0;
      const orig = h.sandbox.faults.take.bind(h.sandbox.faults);
      h.sandbox.faults.take = (provider, method, path) =>
        provider === 'seisoai' && method === 'POST' && path.endsWith('/invoke/video.generate.veo3') && ++n === 2
          ? { kind: 'status', status, retryAfterSec: 0 }
          : orig(provider, method, path);
      try {
        await h.providers.seisoai
          .invoke('video.generate.veo3', { prompt: `paid ${status}`, duration: '4s' })
          .catch(() => undefined);
      } finally {
        h.sandbox.faults.take = orig;
      }
      injected++;
    }
    const cap = BigInt(Math.round(capUsd * 1e6));
    counts.paymentsSignedPastCap = signedAtomic > cap ? Number((signedAtomic - cap) / 400_000n) : 0;
    assert.equal(counts.paymentsSignedPastCap, 0, `signed ${signedAtomic} atomic USDC against a cap of ${cap}`);
    assert.equal(signedAtomic, 400_000n, 'one payment signed, then the cap held');
  });

  it('files: a cloned repository with links at every predictable name gets nothing written outside', async () => {
    const root = join(h.tmp, 'trust-ws');
    const outside = join(h.tmp, 'trust-outside');
    mkdirSync(root, { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'victim'), 'precious');
    const job = (name: string) =>
      newJob({
        provider: 'seedancee2',
        id: `v_${name}`,
        title: name,
        kind: 'video',
        status: 'succeeded',
        outputs: [
          { kind: 'video', url: `${h.sandbox.origin}/media/${name}.mp4` },
          { kind: 'json', value: { ok: true } },
        ],
      });
    // Links planted in each job's own folder (`dir`, marked as that job's by its sidecar) at the names a download
    // uses, the sidecar itself a link, and the job folder a link itself.
    const layouts: [string, (out: string, dir: string) => void][] = [
      ['sidecar', (_out, dir) => symlinkSync(join(outside, 'victim'), join(dir, SIDECAR))],
      ['part', (_out, dir) => symlinkSync(join(outside, 'from-part'), join(dir, 'part.mp4.part'))],
      ['file', (_out, dir) => symlinkSync(join(outside, 'from-file'), join(dir, 'file.mp4'))],
      ['json', (_out, dir) => symlinkSync(join(outside, 'from-json'), join(dir, 'json-2.json'))],
      ['folder', (out, dir) => (rmSync(dir, { recursive: true }), symlinkSync(outside, dir), void out)],
    ];
    for (const [name, plant] of layouts) {
      const out = join(root, name);
      const dir = join(out, jobFolderName(job(name)));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, SIDECAR), JSON.stringify({ provider: 'seedancee2', jobId: `v_${name}`, outputs: [] }));
      if (name === 'sidecar') rmSync(join(dir, SIDECAR));
      plant(out, dir);
      injected++;
      await downloadJobOutputs(job(name), out, h.providers.seedancee2.http, { root }).catch(() => undefined);
    }
    // The output folder itself a link, and one that climbs out.
    symlinkSync(outside, join(root, 'linked-out'));
    await downloadJobOutputs(job('linked'), join(root, 'linked-out'), h.providers.seedancee2.http, { root }).catch(
      () => undefined,
    );
    await downloadJobOutputs(job('climb'), join(root, '..', 'trust-outside'), h.providers.seedancee2.http, {
      root,
    }).catch(() => undefined);
    injected += 2;
    const changed = readFileSync(join(outside, 'victim'), 'utf8') !== 'precious' ? 1 : 0;
    counts.filesWrittenOutside = readdirSync(outside).filter((n) => n !== 'victim').length + changed;
    assert.equal(counts.filesWrittenOutside, 0, `outside: ${readdirSync(outside)}`);
    assert.ok(
      lstatSync(join(root, 'file', jobFolderName(job('file')), 'file (2).mp4')).isFile(),
      'the download itself still happened, under a free name',
    );
  });

  it('page messages: forged ones from a framed page or a frame of ours are never acted on', async () => {
    const esbuild = await import('esbuild');
    const built = await esbuild.build({
      entryPoints: [join(REPO, 'src', 'webview-ui', 'main.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      outdir: join(h.tmp, 'trust-wv'),
      logLevel: 'silent',
    });
    const bundle = built.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
    const { document } = parseHTML('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
    type Listener = (e: { data: unknown; origin: string; source: unknown }) => void;
    const listeners: Listener[] = [];
    const ownFrame = {};
    const win = {
      origin: 'vscode-webview://host',
      frames: [ownFrame],
      addEventListener: (t: string, fn: Listener) => t === 'message' && listeners.push(fn),
    };
    runInNewContext(bundle, {
      window: win,
      document,
      console,
      acquireVsCodeApi: () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined }),
    });
    const app = document.getElementById('app')!;
    const show = (title: string): HostToPreview => ({
      type: 'show',
      job: {
        key: `seedancee2:${title}`,
        provider: 'Seedancee2',
        title,
        kind: 'video',
        status: 'succeeded',
        statusLabel: 'succeeded',
        createdAt: '2026-01-01T00:00:00Z',
        sandbox: true,
        steps: [],
        raw: '{}',
        canRetry: true,
        params: [],
        outputs: [],
      },
    });
    const deliver = (data: unknown, origin: string, source: unknown) =>
      listeners.forEach((l) => l({ data, origin, source }));
    deliver(show('from the host'), win.origin, null);
    assert.match(app.textContent ?? '', /from the host/, 'the host is heard');
    const forgeries: [string, unknown][] = [
      ['https://provider.example', {}],
      ['null', {}],
      [win.origin, ownFrame],
    ];
    for (const [origin, source] of forgeries) {
      for (const msg of [show('forged'), { type: 'missing' }]) {
        injected++;
        const before = app.textContent;
        deliver(msg, origin, source);
        if (app.textContent !== before) counts.forgedMessagesActedOn++;
      }
    }
    assert.equal(counts.forgedMessagesActedOn, 0);
  });

  it('deadlines: a server that trickles a byte at a time is cut off for every provider', async () => {
    const server: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":"');
      const t = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(t));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const timeoutMs = 600;
    const providers = createProviders({
      baseUrl: (id) => `${origin}/${id}`,
      getKey: async () => 'sk_trust_deadline',
      isSandbox: () => false,
      timeoutMs,
    });
    try {
      await Promise.all(
        PROVIDER_IDS.map(async (id) => {
          injected++;
          const http = providers[id].http;
          const t0 = Date.now();
          // GETs are retried (3 times by default): each try has its own deadline, so the whole call is bounded too.
          const ended = await Promise.race([
            http.request({ method: 'GET', path: '/trickle', schema: z.unknown() }).then(
              () => 'answered',
              () => 'ended',
            ),
            new Promise<string>((r) => setTimeout(() => r('hung'), timeoutMs * 4 + 8_000).unref()),
          ]);
          if (ended === 'hung') counts.requestsWithoutDeadline++;
          assert.equal(ended, 'ended', `${id}: ${ended} after ${Date.now() - t0} ms`);
        }),
      );
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    assert.equal(counts.requestsWithoutDeadline, 0);
  });
});
