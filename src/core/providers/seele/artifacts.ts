import type { JobOutput, OutputKind } from '../../jobs/job';
import { outputKind } from '../../media/kinds';
import type { Artifact } from './schemas';

/** What an artifact URL most likely is: by the URL's file extension, else by the artifact's name and description. */
export function guessArtifactKind(url: string, artifact: Pick<Artifact, 'name' | 'description'>): OutputKind {
  return outputKind({ url, words: `${artifact.name ?? ''} ${artifact.description ?? ''}` }) ?? 'file';
}

/** Job outputs from a finished response's artifacts: one per URL; an artifact without URLs gives none (its name is reported apart). */
export function artifactsToOutputs(artifacts: Artifact[]): { outputs: JobOutput[]; withoutUrls: string[] } {
  const outputs: JobOutput[] = [];
  const withoutUrls: string[] = [];
  artifacts.forEach((a, i) => {
    const label = a.name?.trim() || `Artifact ${i + 1}`;
    const urls = (a.urls ?? []).filter((u) => /^https?:\/\//i.test(u));
    if (!urls.length) withoutUrls.push(label);
    urls.forEach((url, j) => {
      const out: JobOutput = {
        kind: guessArtifactKind(url, a),
        url,
        label: urls.length > 1 ? `${label} (${j + 1})` : label,
      };
      if (a.description) out.description = a.description;
      if (a.id) out.name = a.id;
      outputs.push(out);
    });
  });
  return { outputs, withoutUrls };
}
