// The editor's sandbox is the user's sandbox (sandboxControl.ts over sandbox/shared.ts), through the vscode stub and
// real processes: the editor attaches to one another process serves (same key, same origin) and that process to the
// editor's; Stop lets go of another's without stopping it; when the serving process is gone, "Try the Sandbox"
// serves it here with the same key; the editor's earlier state (globalStorage/sandbox-state.json, port) moves once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { installVscodeStub } from '../support/vscodeStub';

const stub = installVscodeStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stub, so `vscode` is the stub
const { SandboxControl } = require('../../src/sandboxControl') as typeof import('../../src/sandboxControl');

const REPO = join(__dirname, '..', '..', '..');

function editor(root: string, state: Record<string, unknown> = {}, checkMs?: number) {
  const globalState = {
    get: <T>(k: string) => state[k] as T | undefined,
    update: async (k: string, v: unknown) => void (state[k] = v),
  };
  const context = {
    globalState,
    globalStorageUri: stub.Uri.file(join(root, 'globalStorage')),
    extensionUri: stub.Uri.file(REPO),
  };
  return { control: new SandboxControl(context as never, join(root, 'state', 'sandbox'), undefined, checkMs), state };
}

/** Another process opening the user's sandbox in `dir`. */
async function otherFace(dir: string) {
  const proc = spawn(process.execPath, [join(__dirname, '..', 'support', 'userSandbox.js'), dir, join(REPO, 'media')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: proc.stdout }), 'line')) as [string];
  const info = JSON.parse(line) as { origin: string; key: string; owned: boolean; error?: string };
  assert.equal(info.error, undefined);
  const exited = once(proc, 'exit');
  return {
    ...info,
    proc,
    close: async () => {
      proc.stdin.end();
      await exited;
    },
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const answers = async (origin: string) =>
  fetch(`${origin}/__sandbox/health`)
    .then((r) => r.ok)
    .catch(() => false);

describe("the editor's sandbox is the user's sandbox", () => {
  it('attaches to the one another process serves, lets go of it on Stop, and serves it here once that process is gone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-usersandbox-'));
    const cli = await otherFace(join(root, 'state', 'sandbox'));
    assert.equal(cli.owned, true);
    const { control } = editor(root);
    const changes: boolean[] = [];
    control.onDidChange((on) => changes.push(on));
    try {
      assert.equal(await control.start(), cli.origin);
      assert.equal(control.owned, false);
      assert.equal(control.key, cli.key, 'the same key: the same jobs');
      assert.ok(control.baseUrl('seedancee2')?.startsWith(cli.origin));
      await control.stop();
      assert.equal(control.active, false);
      assert.ok(await answers(cli.origin), "Stop left the other process's sandbox running");
      await control.start();
      assert.equal(control.owned, false);
      await cli.kill();
      // Try the Sandbox again: the attached one no longer answers, so it is served here, with the same key.
      const origin = await control.start();
      assert.equal(control.owned, true);
      assert.equal(control.key, cli.key);
      assert.ok(await answers(origin));
      assert.deepEqual(changes, [true, false, true, true]);
    } finally {
      control.dispose();
      await cli.kill().catch(() => undefined);
    }
  });

  it('notices by itself when the process serving the attached sandbox is gone, and serves it here', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-usersandbox-'));
    const cli = await otherFace(join(root, 'state', 'sandbox'));
    const { control } = editor(root, {}, 100);
    // The check's timer does not hold a process open (the extension host is held by the editor): this test is.
    const hold = setInterval(() => undefined, 50);
    try {
      await control.start();
      assert.equal(control.owned, false);
      const servedHere = new Promise<void>((resolve) => control.onDidChange((on) => on && control.owned && resolve()));
      await cli.kill();
      await servedHere;
      assert.equal(control.key, cli.key);
      assert.equal(control.origin, cli.origin, 'the same port, free again');
      assert.ok(await answers(control.origin!));
    } finally {
      clearInterval(hold);
      control.dispose();
    }
  });

  it("another face attaches to the editor's, and Stop stops it only when the editor serves it", async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-usersandbox-'));
    const { control } = editor(root);
    try {
      const origin = await control.start();
      assert.equal(control.owned, true);
      const cli = await otherFace(join(root, 'state', 'sandbox'));
      assert.equal(cli.owned, false);
      assert.equal(cli.origin, origin);
      assert.equal(cli.key, control.key);
      await cli.close();
      assert.ok(await answers(origin), "the other face's exit left the editor's sandbox running");
      await control.stop();
      assert.equal(await answers(origin), false, 'stopped: the editor served it');
    } finally {
      control.dispose();
    }
  });

  it("moves the editor's earlier sandbox state and port to the user's sandbox once, keeping the old file", async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-usersandbox-'));
    const key = `sbx_${'ab'.repeat(24)}`;
    const earlier = join(root, 'globalStorage', 'sandbox-state.json');
    mkdirSync(join(root, 'globalStorage'), { recursive: true });
    writeFileSync(earlier, JSON.stringify({ __sandbox: { key } }));
    const port = await freePort();
    const { control, state } = editor(root, { 'gendeck.sandbox.port': port });
    try {
      const origin = await control.start();
      assert.equal(control.key, key, 'the earlier key, so the earlier sandbox jobs stay reachable');
      assert.equal(new URL(origin).port, String(port), 'the remembered port, so stored media URLs hold');
      assert.equal(JSON.parse(readFileSync(earlier, 'utf8')).__sandbox.key, key, 'the old file is kept');
      assert.equal(state['gendeck.sandbox.sharedStateMigrated'], true);
      await control.stop();
      // Once: a later earlier-state file is not copied over the user's sandbox state.
      writeFileSync(earlier, JSON.stringify({ __sandbox: { key: `sbx_${'cd'.repeat(24)}` } }));
      await control.start();
      assert.equal(control.key, key);
    } finally {
      control.dispose();
    }
  });
});
