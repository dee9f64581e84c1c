// Which Seisoai tools take the files selected in the Explorer (Run Seisoai Tool on Selection…), from each tool's
// exact input schema through the shared form model.
import { kindsOf, takesFiles } from '../../forms/mediaFit';
import { formFromSchema, type MediaKind } from '../../forms/schemaForm';
import { CATEGORIES, type ToolCategory } from './contract';
import type { ToolDetail } from './schemas';

export interface ToolFit {
  tool: ToolDetail;
  /** What goes in and what comes out: "image → 3D". */
  mark: string;
}

export interface ToolFitGroup {
  category: ToolCategory;
  tools: ToolFit[];
}

const CATEGORY_OUTPUT: Record<ToolCategory, string> = {
  images: 'image',
  video: 'video',
  audio: 'audio',
  music: 'music',
  '3D': '3D',
  training: 'trained model',
  other: 'result',
};

/** What a tool makes: text or 3D when its outputType says so, else its category's output. */
function outputWord(t: ToolDetail): string {
  const o = t.outputType?.toLowerCase();
  if (o && /^(model|mesh|3d|glb|gltf)$/.test(o)) return '3D';
  if (o === 'text') return 'text';
  if (t.category === 'other' && o && /^(image|video|audio|music)$/.test(o)) return o;
  return CATEGORY_OUTPUT[t.category];
}

/**
 * The enabled tools with a field for every kind among the files, by category (the Tools view's order), by name
 * within one; image → 3D tools sit in the 3D group.
 */
export function toolsForFiles(tools: readonly ToolDetail[], files: readonly MediaKind[]): ToolFitGroup[] {
  const input = kindsOf(files).join(' + ');
  const fits = tools
    .filter((t) => t.enabled && takesFiles(formFromSchema(t.inputSchema), files))
    .map((tool) => ({ tool, mark: `${input} → ${outputWord(tool)}` }));
  return CATEGORIES.map((category) => ({
    category,
    tools: fits.filter((f) => f.tool.category === category).sort((a, b) => a.tool.name.localeCompare(b.tool.name)),
  })).filter((g) => g.tools.length);
}
