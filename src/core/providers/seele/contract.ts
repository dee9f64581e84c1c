// Numbers and words from the Seele documentation (api-docs/seele.txt), plus the few choices GenDeck makes
// where the document is silent (marked "ours").

export const API_PREFIX = '/v2/api';

export const MODELS = ['Seele02-flash', 'Seele02-pro', 'Seele01-flash', 'Seele01-pro'] as const;
export type SeeleModel = (typeof MODELS)[number];

export const ENGINES = ['threejs', 'unity', 'unreal'] as const;
export type SeeleEngine = (typeof ENGINES)[number];

export const DEFAULT_MODEL: SeeleModel = 'Seele02-flash';
export const DEFAULT_ENGINE: SeeleEngine = 'threejs';

/** Options the document says need a subscription (otherwise 403). */
export const SUBSCRIPTION_MODELS: readonly SeeleModel[] = ['Seele02-pro'];
export const SUBSCRIPTION_ENGINES: readonly SeeleEngine[] = ['unreal'];

export const JOB_STATUSES = ['processing', 'finished'] as const;

/** The error code a step gets while the job is still generating (409). */
export const JOB_ALREADY_PROCESSING = 'JOB_ALREADY_PROCESSING';

/** Cost unit of total_koin. */
export const COST_UNIT = 'koin';

/**
 * Ours: how long an uploaded file_id is reused for the same content. The document calls the
 * file_id reusable but gives no lifetime, so GenDeck stays conservative; a file_id the server
 * rejects earlier is dropped at once.
 */
export const FILE_ID_REUSE_MS = 60 * 60 * 1000;

/** Ours: an upload URL this close to its expiry is not started; a fresh session is asked for instead. */
export const UPLOAD_URL_MARGIN_MS = 200;

/** The model and the engine of a request that only a Seele subscription may use (each undefined when free). */
export function needsSubscription(o: { model?: string; engine?: string }): { model?: string; engine?: string } {
  return {
    model: o.model && (SUBSCRIPTION_MODELS as readonly string[]).includes(o.model) ? o.model : undefined,
    engine: o.engine && (SUBSCRIPTION_ENGINES as readonly string[]).includes(o.engine) ? o.engine : undefined,
  };
}
