import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { openUserSandbox } from '../../src/sandbox/shared';
import { MEDIA_DIR } from '../support/sandbox';

const SHARED = join(__dirname, '..', '..', 'src', 'sandbox', 'shared.js');

/** Another process serving the user's sandbox from `dir` until its stdin closes. */
async function serveElsewhere(dir: string) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(SHARED)}).openUserSandbox(${JSON.stringify(dir)}, ${JSON.stringify(MEDIA_DIR)})` +
        `.then((s) => { console.log(s.origin); process.stdin.on('end', () => s.stop().then(() => process.exit(0))); process.stdin.resume(); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return { origin: line.toString().trim(), stop: () => (child.stdin.end(), once(child, 'exit')) };
}

describe("the user's sandbox, one for every face", () => {
  it('is attached when another process serves it: same origin, same key, not stopped by the guest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gendeck-usersbx-'));
    const host = await serveElsewhere(dir);
    try {
      const guest = await openUserSandbox(dir, MEDIA_DIR);
      assert.equal(guest.owned, false);
      assert.equal(guest.origin, host.origin);
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { __sandbox: { key: string } };
      assert.equal(guest.key, state.__sandbox.key);
      assert.equal(guest.baseUrl('seedancee2'), `${host.origin}/seedancee2`);
      await guest.stop();
      const res = await fetch(`${host.origin}/__sandbox/health`);
      assert.equal(res.status, 200, 'the host still serves');
    } finally {
      await host.stop();
    }
    assert.equal(existsSync(join(dir, 'running.json')), false, 'the host says it stopped');
  });

  it('is served here when nobody serves it, on the port it had, with the key it had', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gendeck-usersbx-'));
    const first = await openUserSandbox(dir, MEDIA_DIR);
    assert.equal(first.owned, true);
    const { origin, key } = first;
    await first.stop();
    const again = await openUserSandbox(dir, MEDIA_DIR);
    try {
      assert.equal(again.owned, true);
      assert.equal(again.key, key);
      assert.equal(again.origin, origin);
    } finally {
      await again.stop();
    }
  });
});
