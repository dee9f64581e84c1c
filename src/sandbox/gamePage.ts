// The sandbox's sample game page: media/game.html holds the game's own code and a marker line where dist/three.js
// (the one copy of three.js GenDeck ships, also the 3D viewer's) is inlined, so the page served is self-contained
// and a downloaded game plays from its local copy. scripts/make-media.mjs writes the template.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The line of media/game.html that dist/three.js replaces (scripts/make-media.mjs, THREE_MARKER). */
export const THREE_MARKER = '<!-- gendeck:inline dist/three.js -->';

/** dist/three.js beside the media folder: the extension's and a checkout's layout alike. */
export function threeJsPath(mediaDir: string): string {
  return join(mediaDir, '..', 'dist', 'three.js');
}

/** The assembled page, or why it cannot be: a file missing, or a template without its marker. */
export function assembleGamePage(mediaDir: string): { page: Buffer } | { error: string } {
  const templatePath = join(mediaDir, 'game.html');
  const threePath = threeJsPath(mediaDir);
  for (const path of [templatePath, threePath]) if (!existsSync(path)) return { error: `${path} is missing` };
  const parts = readFileSync(templatePath, 'utf8').split(THREE_MARKER);
  if (parts.length !== 2) return { error: `${templatePath} must hold the line ${THREE_MARKER} once` };
  // Inline, the code must not end its <script> early or open an HTML comment.
  const three = readFileSync(threePath, 'utf8')
    .replace(/<\/script/gi, '<\\/script')
    .replace(/<!--/g, '<\\!--');
  return { page: Buffer.from(`${parts[0]}<script>\n${three}\n</script>${parts[1]}`) };
}
