// Expiring URLs: a Seele presigned upload link that has expired (a fresh one is asked for once, then the
// failure is one clear message) and an output link that answers 403 (reported as "may have expired").
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BytesEmulator } from '../support/bytesEmulator';
import { describeError, ProviderError } from '../../src/core/errors';
import { downloadToFile } from '../../src/core/http/transfer';
import { startHarness, type Harness } from '../support/sandbox';
import { assertNoKey, assertOneClearMessage, guardUnhandled, reportCounts, suiteKey } from './helpers';

const unhandled = guardUnhandled();

describe('fault injection: expiring URLs', () => {
  let h: Harness;
  const messages: string[] = [];
  let injected = 0;
  before(async () => {
    h = await startHarness({ key: suiteKey(), timeScale: 0.01 });
    h.sandbox.use(new BytesEmulator());
  });
  after(async () => {
    assertNoKey(h.key, { messages: messages.join('\n'), log: h.log.lines.join('\n') });
    reportCounts({
      suite: 'expiring URLs (Seele presigned PUT, output link 403)',
      faultsInjected: injected + h.sandbox.faults.injected,
      jobs: 0,
      losses: 0,
      duplicates: 0,
      leaks: 0,
      unhandledRejections: unhandled.list.length,
      extra: { messagesChecked: messages.length },
    });
    await h.stop();
    unhandled.check();
  });

  it('an expired Seele upload link: one fresh link is asked for, then one clear message', async () => {
    const emu = (
      h.sandbox as unknown as {
        emulators: { id: string; uploadUrlTtlMs?: number; stats?: { sessions: number; puts: number } }[];
      }
    ).emulators.find((e) => e.id === 'seele');
    const seele = (h.providers as unknown as Record<string, { uploadFiles?: (p: string[]) => Promise<unknown> }>).seele;
    assert.ok(
      emu && emu.uploadUrlTtlMs !== undefined && seele?.uploadFiles,
      'the Seele emulator has upload links and the provider uploads',
    );
    const file = join(h.tmp, 'ref.png');
    writeFileSync(file, Buffer.alloc(4096, 7));
    const ttl = emu.uploadUrlTtlMs;
    emu.uploadUrlTtlMs = 0; // every link is already expired when it arrives
    const before = { ...emu.stats! };
    try {
      await assert.rejects(seele.uploadFiles([file]), (err: unknown) => {
        messages.push(describeError(err));
        assertOneClearMessage(describeError(err), 'expired upload link');
        return err instanceof ProviderError && err.code === 'upload_url_expired';
      });
    } finally {
      emu.uploadUrlTtlMs = ttl;
    }
    injected += emu.stats!.sessions - before.sessions;
    assert.equal(emu.stats!.sessions - before.sessions, 2, 'one fresh link asked for, not more');
    assert.equal(emu.stats!.puts - before.puts, 0, 'no bytes sent on a link known to be expired');
  });

  it('an output link that has expired (403) is reported as such, and leaves no partial file', async () => {
    h.sandbox.faults.add({ provider: 'bench', kind: 'status', status: 403, times: 1 });
    const dest = join(h.tmp, 'out.mp4');
    await assert.rejects(
      downloadToFile(`${h.sandbox.origin}/bench/bytes/1000`, dest, { provider: 'seedancee2', label: 'Seedancee2' }),
      (err: unknown) => {
        messages.push(describeError(err));
        assertOneClearMessage(describeError(err), 'expired download');
        return err instanceof ProviderError && err.code === 'expired' && /expired/.test(err.message);
      },
    );
    assert.ok(!existsSync(dest) && !existsSync(`${dest}.part`));
    // A link that fails twice with 5xx and then works is simply downloaded.
    h.sandbox.faults.add({ provider: 'bench', kind: 'status', status: 503, times: 1 });
    const r = await downloadToFile(`${h.sandbox.origin}/bench/bytes/1000`, dest, {
      provider: 'seedancee2',
      label: 'Seedancee2',
    });
    assert.equal(r.bytes, 1000);
  });
});
