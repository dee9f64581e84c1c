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
    return clamp(vscode.workspace.getConfiguration('gendeck').get<number>('maxInlineMediaMB'), 1, 50, 10);
  },
  pollingScale(): number {
    return clamp(vscode.workspace.getConfiguration('gendeck').get<number>('polling.intervalScale'), 1, 10, 1);
  },
  notifyOnFinish(): boolean {
    return vscode.workspace.getConfiguration('gendeck').get<boolean>('notifications.onFinish') ?? true;
  },
  /** The user's choice only: a workspace value is ignored, so a cloned repository cannot switch GenDeck to the sandbox. */
  sandboxOnLaunch(): boolean {
    return vscode.workspace.getConfiguration('gendeck').inspect<boolean>('sandbox.startOnLaunch')?.globalValue ?? false;
  },
  /** The total deadline of one request, held to 5–300 s whatever the settings file says (0 must not mean "never"). */
  requestTimeoutSec(): number {
    return clamp(vscode.workspace.getConfiguration('gendeck').get<number>('requestTimeoutSeconds'), 5, 300, 30);
  },
};

/** A number setting held to its declared range whatever the settings file says; `fallback` when it is not a number. */
function clamp(v: number | undefined, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}
