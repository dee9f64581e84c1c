import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { copyIfAbsent } from './core/fs/copyOnce';
import { silentLogger, type Logger } from './core/log';
import type { ProviderId } from './core/providerIds';
import { openUserSandbox, type UserSandbox } from './sandbox/shared';

const STATE_KEY = 'gendeck.sandbox.enabled';
/** Set once this editor's earlier sandbox state (globalStorage/sandbox-state.json, its port) went to the user's one. */
const MIGRATED_KEY = 'gendeck.sandbox.sharedStateMigrated';
/** How often an attached sandbox (served by another process) is checked, and how many misses mean it is gone. */
const CHECK_MS = 5000;
const MISSES = 2;

/**
 * The user's sandbox in the editor (`sandbox/shared.ts`, kept in `<state folder>/sandbox`): served from the extension
 * host, or attached when another process already serves it (another window, the CLI's `--sandbox`, the MCP server),
 * so every face sees the same key and the same jobs. Providers use it while it is on. When the process that served
 * an attached one goes away, it is served here instead.
 */
export class SandboxControl implements vscode.Disposable {
  private sandbox: UserSandbox | undefined;
  private starting: Promise<string> | undefined;
  private check: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly changed = new vscode.EventEmitter<boolean>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** The user's sandbox folder: `<stateDir()>/sandbox`. */
    readonly dir: string,
    private readonly log: Logger = silentLogger,
    /** How often an attached sandbox is checked (tests make it short). */
    private readonly checkMs = CHECK_MS,
  ) {}

  get active(): boolean {
    return !!this.sandbox;
  }

  get origin(): string | undefined {
    return this.sandbox?.origin;
  }

  /** True when this window serves the sandbox, false when another process does; undefined while it is off. */
  get owned(): boolean | undefined {
    return this.sandbox?.owned;
  }

  /** Whether the user left the sandbox on last time (it is restarted on activation). */
  get wasEnabled(): boolean {
    return this.context.globalState.get<boolean>(STATE_KEY) ?? false;
  }

  baseUrl(id: ProviderId): string | undefined {
    return this.sandbox?.baseUrl(id);
  }

  /** The user's sandbox's own random key (kept with its state); a real key is never sent to it. */
  get key(): string | undefined {
    return this.sandbox?.key;
  }

  /** Turns it on (or checks the attached one still answers, serving it here when not); resolves with its origin. */
  start(): Promise<string> {
    this.starting ??= this.open().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async open(): Promise<string> {
    const current = this.sandbox;
    if (current && (current.owned || (await answers(current.origin)))) return current.origin;
    if (current)
      this.log.warn(`The sandbox at ${current.origin} no longer answers (its process ended); serving it here.`);
    await this.migrate();
    const sandbox = await openUserSandbox(this.dir, vscode.Uri.joinPath(this.context.extensionUri, 'media').fsPath);
    if (this.disposed) {
      await sandbox.stop();
      throw new Error('GenDeck is shutting down.');
    }
    this.sandbox = sandbox;
    this.watch();
    this.log.info(
      sandbox.owned
        ? `Sandbox served here at ${sandbox.origin} (state in ${this.dir}).`
        : `Sandbox at ${sandbox.origin} is served by another process (the CLI, the MCP server or another window); using it.`,
    );
    await this.context.globalState.update(STATE_KEY, true);
    await vscode.commands.executeCommand('setContext', 'gendeck.sandboxActive', true);
    this.changed.fire(true);
    return sandbox.origin;
  }

  /** While attached: when the serving process is gone (MISSES checks in a row), serve it here. */
  private watch(): void {
    if (this.check) clearInterval(this.check);
    this.check = undefined;
    if (!this.sandbox || this.sandbox.owned) return;
    let misses = 0;
    this.check = setInterval(() => {
      const s = this.sandbox;
      if (!s || s.owned || this.starting) return;
      void answers(s.origin).then(async (ok) => {
        misses = ok ? 0 : misses + 1;
        if (misses < MISSES || this.sandbox !== s || this.disposed) return;
        misses = 0;
        // Another window may be taking over too: a moment apart, the later one attaches to the earlier one's.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(1500, this.checkMs)));
        if (this.sandbox === s && !this.disposed)
          await this.start().catch(async (err) => {
            this.log.warn(`The sandbox could not be served here: ${(err as Error).message}`);
            await this.off();
          });
      });
    }, this.checkMs);
    this.check.unref();
  }

  /**
   * Once: this editor's earlier sandbox state (globalStorage/sandbox-state.json: its key and jobs) and port become
   * the user's sandbox's, when it has none yet; the earlier file is kept.
   */
  private async migrate(): Promise<void> {
    if (this.context.globalState.get<boolean>(MIGRATED_KEY)) return;
    const earlier = vscode.Uri.joinPath(this.context.globalStorageUri, 'sandbox-state.json').fsPath;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (await copyIfAbsent(earlier, join(this.dir, 'state.json')))
      this.log.info(`Sandbox state moved to ${this.dir} (copied from ${earlier}, which is kept).`);
    const port = this.context.globalState.get<number>('gendeck.sandbox.port');
    const portFile = join(this.dir, 'port');
    if (port && !existsSync(portFile)) await writeFile(portFile, JSON.stringify(port), { mode: 0o600, flag: 'wx' });
    await this.context.globalState.update(MIGRATED_KEY, true);
  }

  /** Turns it off here: stopped when this window serves it; another process's keeps running for its own users. */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const s = this.sandbox;
    await this.off();
    await s?.stop();
    await this.context.globalState.update(STATE_KEY, false);
  }

  private async off(): Promise<void> {
    if (this.check) clearInterval(this.check);
    this.check = undefined;
    this.sandbox = undefined;
    await vscode.commands.executeCommand('setContext', 'gendeck.sandboxActive', false);
    this.changed.fire(false);
  }

  dispose(): void {
    this.disposed = true;
    if (this.check) clearInterval(this.check);
    // Synchronously forgets `running.json` when served here, so the next window does not attach to a dying sandbox.
    void this.sandbox?.stop();
    this.changed.dispose();
  }
}

/** Whether a sandbox answers at `origin` (its health route needs no key). */
async function answers(origin: string): Promise<boolean> {
  try {
    const res = await fetch(`${origin}/__sandbox/health`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}
