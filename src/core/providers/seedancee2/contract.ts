// Numbers from the Seedancee2 documentation (api-docs/seedancee2.txt).

export const MODELS = ['pro', 'fast', 'mini'] as const;
export const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'] as const;
export const GENERATION_TYPES = ['omni_reference', 'first_and_last_frames'] as const;
export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

/** Credits per second of output, by model and resolution; absent = not supported. */
export const CREDIT_RATES: Record<string, Partial<Record<string, number>>> = {
  pro: { '480p': 10, '720p': 20, '1080p': 50 },
  fast: { '480p': 8, '720p': 16 },
  mini: { '480p': 5, '720p': 10 },
};

/** Used when /v1/models cannot be read: the documented model table. */
export const DOCUMENTED_MODELS = [
  { id: 'pro', status: 'active', resolutions: ['480p', '720p', '1080p'], duration: { min: 4, max: 15 } },
  { id: 'fast', status: 'active', resolutions: ['480p', '720p'], duration: { min: 4, max: 15 } },
  { id: 'mini', status: 'active', resolutions: ['480p', '720p'], duration: { min: 4, max: 15 } },
];

export const LIMITS = {
  durationMin: 4,
  durationMax: 15,
  durationDefault: 5,
  maxImages: 9,
  maxVideoUrls: 3,
  maxAudioUrls: 3,
  listLimitDefault: 20,
  listLimitMax: 100,
  usageLimitDefault: 30,
  usageLimitMax: 365,
} as const;

/** credits = duration_seconds × per_second_rate × number_of_outputs */
export function estimateCredits(
  model: string,
  resolution: string,
  durationSec: number,
  outputs = 1,
): number | undefined {
  const rate = CREDIT_RATES[model]?.[resolution];
  return rate === undefined ? undefined : durationSec * rate * outputs;
}
