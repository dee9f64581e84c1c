import * as vscode from 'vscode';
import { DEFAULT_BASE_URLS, type ProviderId } from './core/providers/ids';

/** Typed reads of the `gendeck.*` settings. Nothing secret is ever stored here. */
export const settings = {
  baseUrl(id: ProviderId): string {
    const v = vscode.workspace.getConfiguration('gendeck').get<string>(`${id}.baseUrl`)?.trim();
    return v || DEFAULT_BASE_URLS[id];
  },
  downloadFolder(): string {
    return vscode.workspace.getConfiguration('gendeck').get<string>('downloadFolder')?.trim() || 'gendeck-outputs';
  },
  maxInlineMediaMB(): number {
    return vscode.workspace.getConfiguration('gendeck').get<number>('maxInlineMediaMB') ?? 10;
  },
  pollingScale(): number {
    return Math.max(1, vscode.workspace.getConfiguration('gendeck').get<number>('polling.intervalScale') ?? 1);
  },
  notifyOnFinish(): boolean {
    return vscode.workspace.getConfiguration('gendeck').get<boolean>('notifications.onFinish') ?? true;
  },
  sandboxOnLaunch(): boolean {
    return vscode.workspace.getConfiguration('gendeck').get<boolean>('sandbox.startOnLaunch') ?? false;
  },
  /** The total deadline of one request, held to 5–300 s whatever the settings file says (0 must not mean "never"). */
  requestTimeoutSec(): number {
    const v = vscode.workspace.getConfiguration('gendeck').get<number>('requestTimeoutSeconds');
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(300, Math.max(5, v)) : 30;
  },
};
