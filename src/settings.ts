import * as vscode from 'vscode';
import { COST_UNITS, DEFAULT_BASE_URLS, PROVIDER_IDS } from './core/providers/index';
import type { ProviderId } from './core/providerIds';
import { DEFAULT_X402_LIMITS, type X402Limits } from './core/x402/payer';
import { NETWORK_IDS, type NetworkId } from './core/x402/protocol';

// The only reader and writer of the `gendeck.*` settings: typed, with every number held to its declared range.
// Nothing secret is ever stored here.

const config = (section = 'gendeck') => vscode.workspace.getConfiguration(section);

export type PayWith = 'auto' | 'apiKey' | 'x402';

/** The providers with a `gendeck.<id>.dailyBudget` setting; Seisoai's daily limit is its x402 cap. */
export const DAILY_BUDGET_PROVIDERS = ['seele', 'seedancee2', 'seekapi'] as const satisfies readonly ProviderId[];
export type DailyBudgetProvider = (typeof DAILY_BUDGET_PROVIDERS)[number];

/** The setting that holds each provider's daily limit. */
export const BUDGET_SETTINGS: Readonly<Partial<Record<ProviderId, string>>> = {
  seele: 'gendeck.seele.dailyBudget',
  seedancee2: 'gendeck.seedancee2.dailyBudget',
  seekapi: 'gendeck.seekapi.dailyBudget',
  seisoai: 'gendeck.seisoai.x402.maxPerDayUsd',
};

/**
 * What the language-model tools may spend in one chat session, per provider in its own unit (Seele koin, Seedancee2
 * and Seek API credits, Seisoai US dollars); 0 lets no agent spend with that provider. The defaults, as package.json
 * declares them for `gendeck.agents.maxSpendPerChatSession`.
 */
export const AGENT_SESSION_CAP_DEFAULTS = { seele: 200, seedancee2: 200, seisoai: 2, seekapi: 100 } as const;
export const AGENT_JOBS_PER_SESSION_DEFAULT = 10;

export const settings = {
  baseUrl(id: ProviderId): string {
    return config().get<string>(`${id}.baseUrl`)?.trim() || DEFAULT_BASE_URLS[id];
  },
  downloadFolder(): string {
    return config().get<string>('downloadFolder')?.trim() || 'gendeck-outputs';
  },
  maxInlineMediaMB(): number {
    return clamp(config().get<number>('maxInlineMediaMB'), 1, 50, 10);
  },
  pollingScale(): number {
    return clamp(config().get<number>('polling.intervalScale'), 1, 10, 1);
  },
  notifyOnFinish(): boolean {
    return config().get<boolean>('notifications.onFinish') ?? true;
  },
  /** The user's choice only: a workspace value is ignored, so a cloned repository cannot switch GenDeck to the sandbox. */
  sandboxOnLaunch(): boolean {
    return config().inspect<boolean>('sandbox.startOnLaunch')?.globalValue ?? false;
  },
  /** The total deadline of one request, held to 5–300 s whatever the settings file says (0 must not mean "never"). */
  requestTimeoutSec(): number {
    return clamp(config().get<number>('requestTimeoutSeconds'), 5, 300, 30);
  },

  /** `gendeck.<id>.dailyBudget` in that provider's unit; undefined when unset or 0 (no budget). */
  dailyBudget(id: DailyBudgetProvider): number | undefined {
    const v = config().get<number>(`${id}.dailyBudget`);
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
  },

  /** `gendeck.agents.*`: what the language-model tools may start and spend in one chat session. */
  agents: {
    /**
     * Per provider with a cost unit, in that unit; a value that is not a number ≥ 0 falls back to its default, and a
     * provider with no default (one added without it) gets 0: agents spend nothing there until the user sets a cap.
     */
    maxSpendPerChatSession(): Partial<Record<ProviderId, number>> {
      const v = config().get<Record<string, unknown>>('agents.maxSpendPerChatSession');
      const set = v && typeof v === 'object' ? v : {};
      const defaults: Partial<Record<ProviderId, number>> = AGENT_SESSION_CAP_DEFAULTS;
      const out: Partial<Record<ProviderId, number>> = {};
      for (const id of PROVIDER_IDS.filter((p) => COST_UNITS[p])) {
        out[id] = defaults[id] ?? 0;
        const n = set[id];
        if (typeof n === 'number' && Number.isFinite(n) && n >= 0) out[id] = n;
      }
      return out;
    },
    maxJobsPerChatSession(): number {
      return Math.round(
        clamp(config().get<number>('agents.maxJobsPerChatSession'), 0, 1000, AGENT_JOBS_PER_SESSION_DEFAULT),
      );
    },
  },

  /** `gendeck.search.*`, `gendeck.ffmpegPath`, `gendeck.ffprobePath`. */
  search: {
    include(): string {
      return config().get<string>('search.include')?.trim() || '**/*.{mp4,mov,m4v,webm,mkv,avi}';
    },
    autoIndex(): boolean {
      return config().get<boolean>('search.autoIndex') ?? true;
    },
    tagging(): boolean {
      return config().get<boolean>('search.tagging') ?? true;
    },
    concurrency(): number {
      return clamp(config().get<number>('search.concurrency'), 1, 8, 2);
    },
    maxResults(): number {
      return clamp(config().get<number>('search.maxResults'), 1, 200, 20);
    },
    /** How videos are cut into windows (core/search/layout windowRanges). */
    windowing(): { windowSeconds: number; maxWindows: number } {
      return {
        windowSeconds: clamp(config().get<number>('search.windowSeconds'), 2, 600, 10),
        maxWindows: Math.floor(clamp(config().get<number>('search.maxWindowsPerFile'), 1, 10_000, 120)),
      };
    },
    /** Hits below this similarity are behind "Show weaker matches". */
    minScore(): number {
      return clamp(config().get<number>('search.minScore'), -1, 1, 0.2);
    },
    /** Machine-scoped: a workspace cannot point GenDeck at a binary of its choosing. */
    ffmpegPath(): string | undefined {
      return config().inspect<string>('ffmpegPath')?.globalValue?.trim() || undefined;
    },
    ffprobePath(): string | undefined {
      return config().inspect<string>('ffprobePath')?.globalValue?.trim() || undefined;
    },
    async setToolPaths(ffmpeg: string, ffprobe: string | undefined): Promise<void> {
      await config().update('ffmpegPath', ffmpeg, vscode.ConfigurationTarget.Global);
      await config().update('ffprobePath', ffprobe, vscode.ConfigurationTarget.Global);
    },
  },

  /** `gendeck.seisoai.*`: how calls are paid, and the x402 limits (dollars of USDC). */
  seisoai: {
    payWith(): PayWith {
      const v = config('gendeck.seisoai').get<string>('payWith');
      return v === 'apiKey' || v === 'x402' ? v : 'auto';
    },
    async setPayWith(v: PayWith): Promise<void> {
      await config('gendeck.seisoai').update('payWith', v, vscode.ConfigurationTarget.Global);
    },
    x402Limits(): X402Limits {
      const c = config('gendeck.seisoai');
      const num = (k: string, d: number) => {
        const v = c.get<number>(k);
        return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d;
      };
      const nets = c.get<string[]>('x402.networks');
      const networks = Array.isArray(nets)
        ? nets.filter((n): n is NetworkId => (NETWORK_IDS as string[]).includes(n))
        : DEFAULT_X402_LIMITS.networks;
      return {
        maxPerPaymentUsd: num('x402.maxPerPaymentUsd', DEFAULT_X402_LIMITS.maxPerPaymentUsd),
        maxPerDayUsd: num('x402.maxPerDayUsd', DEFAULT_X402_LIMITS.maxPerDayUsd),
        networks,
      };
    },
  },

  /** `gendeck.seekapi.rateLimit.*`: explicit limits, or undefined to follow the plan GET /me reports. */
  seekapiRateLimit(): { ratePerSec: number; burst?: number } | undefined {
    const c = config('gendeck.seekapi.rateLimit');
    const rate = c.get<number>('requestsPerSecond', 0);
    const burst = c.get<number>('burst', 0);
    return rate > 0 ? { ratePerSec: rate, burst: burst > 0 ? burst : undefined } : undefined;
  },

  /** Calls `fn` when one of these settings (`gendeck.` + key) changes. */
  onChange(keys: string[], fn: (key: string) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      for (const k of keys) if (e.affectsConfiguration(`gendeck.${k}`)) fn(k);
    });
  },
};

/** A number setting held to its declared range whatever the settings file says; `fallback` when it is not a number. */
function clamp(v: number | undefined, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}
