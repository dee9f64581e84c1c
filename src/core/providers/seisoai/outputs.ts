import * as l10n from '@vscode/l10n';
import type { JobOutput, OutputKind } from '../../jobs/job';
import { walkResult } from '../../media/resultWalk';

// Tool results have no fixed shape: each tool returns its own object (images[], video, audio_file,
// model_glb, text …). Outputs are found by walking it and typed by media.

/**
 * Every output in a tool result: URLs (typed by content type, extension or the key they sit
 * under, else by the tool's category `hint`) and text fields. When nothing is found the whole
 * result is one JSON output.
 */
export function extractOutputs(result: unknown, hint?: OutputKind): JobOutput[] {
  const out = walkResult(result, { keyHints: true }).map((f): JobOutput => {
    if ('text' in f) return { kind: 'text', value: f.text, label: labelFor(f.key, 'text') };
    const kind = f.kind ?? hint ?? 'file';
    return { kind, url: f.url, ...(f.name ? { name: f.name } : {}), label: labelFor(f.key, kind) };
  });
  if (!out.length && result !== undefined && result !== null)
    out.push({ kind: 'json', value: result, label: l10n.t('Result') });
  return out;
}

function labelFor(key: string, kind: OutputKind): string {
  const k = key.replace(/[_-]+/g, ' ').trim();
  if (k) return k[0].toUpperCase() + k.slice(1);
  return kind[0].toUpperCase() + kind.slice(1);
}
