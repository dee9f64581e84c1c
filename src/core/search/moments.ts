// How search hits are shown: a relevance label per hit from where its score sits among the query's other scores,
// weaker matches set apart, and the windows of one file grouped. Pure functions; the editor and the CLI share them.

export type Relevance = 'strong' | 'good' | 'weak';

/** A spread smaller than this is treated as this, so near-equal scores do not get labels far apart. */
const MIN_SPREAD = 0.05;

/**
 * Labels for a query's scores (in any order): how far each is above the mean of all of them, in standard
 * deviations (z ≥ 1 strong, z ≥ 0 good, below the mean weak). Raw cosines differ between models and queries;
 * their place among the query's own scores does not.
 */
export function relevanceLabels(scores: readonly number[]): Relevance[] {
  const label = relevanceScale(scores);
  return scores.map(label);
}

/** The labelling of `relevanceLabels` as a function, for scores judged against another list (the query's). */
export function relevanceScale(reference: readonly number[]): (score: number) => Relevance {
  if (!reference.length) return () => 'good';
  const mean = reference.reduce((a, b) => a + b, 0) / reference.length;
  const sd = Math.sqrt(reference.reduce((a, b) => a + (b - mean) ** 2, 0) / reference.length);
  const spread = Math.max(sd, MIN_SPREAD);
  return (s) => {
    const z = (s - mean) / spread;
    return z >= 1 ? 'strong' : z >= 0 ? 'good' : 'weak';
  };
}

export interface Moment<H> {
  hit: H;
  label: Relevance;
  /** Below the threshold: shown only after "show weaker matches". */
  weaker: boolean;
}

export interface MomentGroup<H> {
  /** The file (its key: the absolute path). */
  path: string;
  /** Best first. */
  moments: Moment<H>[];
  best: number;
}

/**
 * Hits (each one window) → groups per file, best group first, each group's windows best first. `minScore`: hits
 * below it are marked `weaker`. Labels are judged against `reference` (the query's scores, when more were fetched
 * than are shown), else against the hits themselves.
 */
export function groupMoments<H extends { path: string; score: number }>(
  hits: readonly H[],
  minScore: number,
  reference: readonly number[] = hits.map((h) => h.score),
): MomentGroup<H>[] {
  const label = relevanceScale(reference);
  const groups = new Map<string, MomentGroup<H>>();
  hits.forEach((hit) => {
    let g = groups.get(hit.path);
    if (!g) groups.set(hit.path, (g = { path: hit.path, moments: [], best: -Infinity }));
    g.moments.push({ hit, label: label(hit.score), weaker: hit.score < minScore });
    g.best = Math.max(g.best, hit.score);
  });
  const out = [...groups.values()];
  for (const g of out) g.moments.sort((a, b) => b.hit.score - a.hit.score);
  return out.sort((a, b) => b.best - a.best);
}

/** "1:05–1:15" (or with hours); seconds rounded down at the start, up at the end. */
export function formatRange(start: number, end: number): string {
  return `${clock(Math.floor(start))}–${clock(Math.ceil(end))}`;
}

/** "1:05" (or with hours), seconds rounded down. */
export function formatTime(sec: number): string {
  return clock(Math.floor(sec));
}

function clock(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
