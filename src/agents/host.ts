import type { Job, JobOutput } from '../core/jobs/job';
import type { Charge, BudgetExceeded, DailyBudget, Tally } from '../core/jobs/spend';
import type { Logger } from '../core/log';
import type { ProviderId } from '../core/providerIds';
import type { Providers } from '../core/providers/index';
import type { Launcher } from '../core/providers/launch';
import type { ChatBudget } from './chatBudget';

// What the language-model tools work with, without the editor: the editor builds it from GenDeck's services
// (agents/index.ts), the tests from the sandbox harness. Everything a tool does goes through it.

/** A video the workspace index found (Seeknetic). */
export interface VideoHit {
  /** Absolute path of the video. */
  path: string;
  /** Cosine similarity, −1 … 1. */
  score: number;
  /** Seconds, when known. */
  duration?: number;
  /** The matching moment (window) of the video, seconds. */
  start?: number;
  end?: number;
  tags?: Record<string, string[]>;
}

export interface AgentHost {
  readonly providers: Providers;
  readonly launchers: Partial<Record<ProviderId, Launcher>>;
  readonly jobs: {
    get(key: string): Job | undefined;
    all(): Job[];
    onDidChange(listener: (keys: string[]) => void): { dispose(): void };
  };
  /** Keeps a job the provider accepted (the Jobs tree shows it; the scheduler polls it). */
  addJob(job: Job): void;
  /** Polls these jobs soon. */
  kick(keys: string[]): void;
  sandbox(): boolean;
  hasKey(id: ProviderId): Promise<boolean>;
  /** The daily budgets (the providers enforce them at send; this says so before). */
  budget: {
    refusal(charge: Charge): BudgetExceeded | undefined;
    today(id: ProviderId): { spent: Tally; budget: DailyBudget } | undefined;
  };
  chat: ChatBudget;
  /** The open workspace folders (file paths), first first; tools read and write inside them only. */
  workspaceFolders(): string[];
  /** A path as the workspace shows it (relative to its folder). */
  relativePath(path: string): string;
  /** Largest local file sent inline, in bytes. */
  maxInlineBytes(): number;
  /** Streams outputs into the workspace download folder (the editor's Download Outputs); absolute paths. */
  download(job: Job, outputs: JobOutput[]): Promise<{ path: string; reused?: boolean }[]>;
  /** Workspace video search, when the Seeknetic side is there. */
  searchVideos?(query: string, signal?: AbortSignal): Promise<{ indexed: number; hits: VideoHit[] }>;
  log: Logger;
}
