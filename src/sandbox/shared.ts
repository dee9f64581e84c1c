// One sandbox per user, whoever runs it: the editor ("Try the Sandbox"), the CLI (`--sandbox`) or the MCP server.
// Its key and emulator state live in one folder (`state.json`), so a job made by one face is the same job for the
// others; while a process serves it, `running.json` names its origin, and the others use that one instead of
// starting a second (which would not see the first one's new jobs). The last port is kept so stored media URLs hold.
import { processAlive } from '../core/fs/process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox } from './index';
import type { Sandbox } from './server';

export interface UserSandbox {
  readonly origin: string;
  readonly key: string;
  /** True when this process serves it (and stops it); false when another process does. */
  readonly owned: boolean;
  baseUrl(id: string): string;
  /** Stops it when this process serves it; forgets it otherwise. */
  stop(): Promise<void>;
}

interface Running {
  origin: string;
  pid: number;
  basePaths: Record<string, string>;
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The sandbox another process serves from `dir`, when it answers; undefined otherwise. */
async function attach(dir: string): Promise<UserSandbox | undefined> {
  const running = readJson<Running>(join(dir, 'running.json'));
  const key = readJson<{ __sandbox?: { key?: string } }>(join(dir, 'state.json'))?.__sandbox?.key;
  if (!running || !key || running.pid === process.pid || !processAlive(running.pid)) return undefined;
  try {
    const res = await fetch(`${running.origin}/__sandbox/health`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
  } catch {
    return undefined;
  }
  return {
    origin: running.origin,
    key,
    owned: false,
    baseUrl: (id) => `${running.origin}${running.basePaths[id] ?? `/${id}`}`,
    stop: async () => undefined,
  };
}

/** Serves the user's sandbox from this process; `running.json` says so until it stops. */
async function serve(dir: string, mediaDir: string, o: { timeScale?: number }): Promise<UserSandbox> {
  const stateFile = join(dir, 'state.json');
  const portFile = join(dir, 'port');
  const lastPort = Number(readJson<number>(portFile)) || undefined;
  let sandbox: Sandbox = createSandbox({ mediaDir, stateFile, port: lastPort, timeScale: o.timeScale });
  try {
    await sandbox.start();
  } catch {
    // The last port is taken: any free port will do (stored media URLs of the old port then go stale).
    await sandbox.stop();
    sandbox = createSandbox({ mediaDir, stateFile, timeScale: o.timeScale });
    await sandbox.start();
  }
  const port = Number(new URL(sandbox.origin).port);
  writeFileSync(portFile, JSON.stringify(port), { mode: 0o600 });
  const basePaths = Object.fromEntries(sandbox.ids.map((id) => [id, sandbox.baseUrl(id).slice(sandbox.origin.length)]));
  const runningFile = join(dir, 'running.json');
  writeFileSync(runningFile, JSON.stringify({ origin: sandbox.origin, pid: process.pid, basePaths }), { mode: 0o600 });
  return {
    origin: sandbox.origin,
    key: sandbox.key,
    owned: true,
    baseUrl: (id) => sandbox.baseUrl(id),
    stop: async () => {
      if (readJson<Running>(runningFile)?.pid === process.pid) rmSync(runningFile, { force: true });
      await sandbox.stop();
    },
  };
}

/** The user's sandbox: the one another process serves from `dir`, else one served here. */
export async function openUserSandbox(
  dir: string,
  mediaDir: string,
  o: { timeScale?: number } = {},
): Promise<UserSandbox> {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return (await attach(dir)) ?? serve(dir, mediaDir, o);
}
