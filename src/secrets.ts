import * as vscode from 'vscode';
import type { ProviderId } from './core/providerIds';
import { redactor } from './core/redact';

export type SecretName = ProviderId | 'x402-wallet';

/** The only code that touches context.secrets. Every value read or written is registered with the redactor. */
export class Secrets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SecretName>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.sub = storage.onDidChange((e) => {
      if (e.key.startsWith('gendeck.key.')) this.changed.fire(e.key.slice('gendeck.key.'.length) as SecretName);
    });
  }

  private static slot(name: SecretName): string {
    return `gendeck.key.${name}`;
  }

  async get(name: SecretName): Promise<string | undefined> {
    const v = await this.storage.get(Secrets.slot(name));
    redactor.add(v);
    return v || undefined;
  }

  async set(name: SecretName, value: string): Promise<void> {
    redactor.add(value);
    await this.storage.store(Secrets.slot(name), value);
  }

  async delete(name: SecretName): Promise<void> {
    await this.storage.delete(Secrets.slot(name));
  }

  async has(name: SecretName): Promise<boolean> {
    return !!(await this.storage.get(Secrets.slot(name)));
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
