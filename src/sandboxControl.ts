import * as vscode from 'vscode';
import { createSandbox, type Sandbox } from './sandbox/index';
import type { ProviderId } from './core/providerIds';

const STATE_KEY = 'gendeck.sandbox.enabled';

/** Runs the built-in emulator in the extension host and tells providers to use it while it is on. */
export class SandboxControl implements vscode.Disposable {
  private sandbox: Sandbox | undefined;
  private readonly changed = new vscode.EventEmitter<boolean>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  get active(): boolean {
    return !!this.sandbox;
  }

  get origin(): string | undefined {
    return this.sandbox?.origin;
  }

  /** Whether the user left the sandbox on last time (it is restarted on activation). */
  get wasEnabled(): boolean {
    return this.context.globalState.get<boolean>(STATE_KEY) ?? false;
  }

  baseUrl(id: ProviderId): string | undefined {
    return this.sandbox?.baseUrl(id);
  }

  /** The running sandbox's own random key (kept with its state); a real key is never sent to it. */
  get key(): string | undefined {
    return this.sandbox?.key;
  }

  async start(): Promise<string> {
    if (this.sandbox) return this.sandbox.origin;
    const port = this.context.globalState.get<number>('gendeck.sandbox.port');
    const stateFile = vscode.Uri.joinPath(this.context.globalStorageUri, 'sandbox-state.json').fsPath;
    await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
    const sandbox = createSandbox({
      mediaDir: vscode.Uri.joinPath(this.context.extensionUri, 'media').fsPath,
      port,
      stateFile,
    });
    try {
      await sandbox.start();
    } catch {
      // The last port is taken: any free port will do (jobs from the old sandbox are then gone).
      await sandbox.stop();
      const fresh = createSandbox({
        mediaDir: vscode.Uri.joinPath(this.context.extensionUri, 'media').fsPath,
        stateFile,
      });
      await fresh.start();
      return this.adopt(fresh);
    }
    return this.adopt(sandbox);
  }

  private async adopt(sandbox: Sandbox): Promise<string> {
    this.sandbox = sandbox;
    await this.context.globalState.update(STATE_KEY, true);
    await this.context.globalState.update('gendeck.sandbox.port', Number(new URL(sandbox.origin).port));
    await vscode.commands.executeCommand('setContext', 'gendeck.sandboxActive', true);
    this.changed.fire(true);
    return sandbox.origin;
  }

  async stop(): Promise<void> {
    const s = this.sandbox;
    this.sandbox = undefined;
    await s?.stop();
    await this.context.globalState.update(STATE_KEY, false);
    await vscode.commands.executeCommand('setContext', 'gendeck.sandboxActive', false);
    this.changed.fire(false);
  }

  dispose(): void {
    void this.sandbox?.stop();
    this.changed.dispose();
  }
}
