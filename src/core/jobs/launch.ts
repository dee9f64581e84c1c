// What a launcher is (core/providers/launch.ts builds them, one per provider): plain input in, a checked request
// with its estimate out, sent once. The shapes live in the engine so engine modules (core/assets) can take launchers
// as parameters without importing the providers.
import type { ProviderId } from '../providerIds';
import type { Job } from './job';

export type JsonSchemaObject = Record<string, unknown>;

/** An amount in the provider's own unit (credits, USDC); `estimated` until the provider reports what it charged. */
export interface LaunchCost {
  amount: number;
  unit: string;
  estimated: boolean;
}

/** What to start, as a script or an agent states it. */
export interface LaunchInput {
  /** The tool (Seisoai) or worker (Seek API) to run; providers with one kind of job take none. */
  target?: string;
  /** The provider's own request fields (Seedancee2: `model` and its input fields; a tool's or worker's input). */
  input: Record<string, unknown>;
  /** Local files sent with it: Seedancee2 reference images (inline), Seele reference files (uploaded). */
  files?: string[];
}

export interface LaunchOptions {
  signal?: AbortSignal;
  /** Seisoai only: pay with x402 instead of the API key. */
  auth?: 'apiKey' | 'x402';
  /** Largest local file sent inline, in bytes. */
  maxInlineBytes?: number;
}

/** A checked request, with its cost known before anything is sent. */
export interface PreparedLaunch {
  readonly provider: ProviderId;
  /** What a confirmation names: the provider, the model, tool or worker, and the main parameters. */
  readonly summary: string;
  /** The estimate; undefined when the provider states none before the job ends (said as unknown). */
  readonly cost?: LaunchCost;
  /** Why the cost is unknown, or how it is counted, when that needs saying. */
  readonly costNote?: string;
  /** Sends it once; the job as the provider accepted it (a sync tool's may already be finished). */
  send(signal?: AbortSignal): Promise<Job>;
}

export interface Launcher {
  readonly provider: ProviderId;
  /** What `target` names, when the provider needs one. */
  readonly target?: 'tool' | 'worker';
  /** The exact JSON schema of `input` (a tool's or worker's own, read live). */
  inputSchema(target: string | undefined, signal?: AbortSignal): Promise<JsonSchemaObject>;
  /** Validates locally (throws ValidationError, nothing sent) and estimates the cost. */
  prepare(req: LaunchInput, o?: LaunchOptions): Promise<PreparedLaunch>;
  /**
   * Job `id` as the provider has it now, shaped as if `req` had been sent through this launcher (its kind, what
   * polling it needs): one status request, nothing created. Throws the provider's error (status 404: no such job).
   */
  lookup(id: string, req: LaunchInput, signal?: AbortSignal): Promise<Job>;
}
