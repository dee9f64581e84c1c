import type { JobOutput, OutputKind } from '../../jobs/job';
import type { Artifact } from './schemas';

const BY_EXT: [RegExp, OutputKind][] = [
  [/\.(html?|xhtml)$/, 'html'],
  [/\.(zip|tar|tgz|tar\.gz|gz|7z|rar|unitypackage)$/, 'archive'],
  [/\.(glb|gltf|fbx|obj|usdz|stl)$/, 'model'],
  [/\.(png|jpe?g|webp|gif|bmp|svg)$/, 'image'],
  [/\.(mp4|webm|mov|m4v)$/, 'video'],
  [/\.(mp3|wav|ogg|m4a|flac)$/, 'audio'],
  [/\.json$/, 'json'],
  [/\.(txt|md)$/, 'text'],
];

const BY_WORDS: [RegExp, OutputKind][] = [
  [/\b(preview|playable|play in (the )?browser|web ?build|webgl)\b/i, 'html'],
  [/\b(project|package|source|archive|zip)\b/i, 'archive'],
  [/\b(3d )?(model|mesh|glb|gltf)\b/i, 'model'],
  [/\b(image|screenshot|thumbnail|cover|poster|sprite)\b/i, 'image'],
  [/\b(video|trailer|recording)\b/i, 'video'],
  [/\b(audio|music|sound)\b/i, 'audio'],
];

/** What an artifact URL most likely is: by the URL's file extension, else by the artifact's name and description. */
export function guessArtifactKind(url: string, artifact: Pick<Artifact, 'name' | 'description'>): OutputKind {
  let path = '';
  try {
    path = new URL(url).pathname.toLowerCase();
  } catch {
    path = url.toLowerCase().split(/[?#]/)[0];
  }
  for (const [re, kind] of BY_EXT) if (re.test(path)) return kind;
  const words = `${artifact.name ?? ''} ${artifact.description ?? ''}`;
  for (const [re, kind] of BY_WORDS) if (re.test(words)) return kind;
  return 'file';
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
