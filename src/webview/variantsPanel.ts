import * as vscode from 'vscode';
// Pick Asset Variant: an asset's variants side by side in one panel (each image, clip or sound as it was made, the
// one `out` holds marked), "Use this" under each. The pick is core/assets' pickVariant: the variant's file copied to
// `out`, the pick and the output hash written to the lock; nothing is sent. The page is made here from GenDeck's own
// words and the files' webview URIs, escaped; its one script (nonce) sends the number picked, checked with zod.
import { z } from 'zod';
import { pickVariant } from '../core/assets/apply';
import { readLock } from '../core/assets/lock';
import { MAX_VARIANTS } from '../core/assets/manifest';
import { lockPathFor } from '../core/assets/plan';
import { describeError } from '../core/errors';
import { outputKind } from '../core/media/kinds';
import { nonce } from './html';

export const VARIANTS_VIEW_TYPE = 'gendeck.assetVariants';

const VariantsToHost = z.object({ type: z.literal('use'), n: z.number().int().min(1).max(MAX_VARIANTS) });

const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

interface MadeVariant {
  n: number;
  file: string;
}

/** The variants of `id` with a file made, and the one in use; undefined when there is no lock entry. */
async function madeVariants(manifest: vscode.Uri, id: string) {
  const e = (await readLock(lockPathFor(manifest.fsPath))).lock.assets[id];
  if (!e) return undefined;
  const made: MadeVariant[] = e.variants
    .map((v, i) => ({ n: i + 1, file: v.file, hash: v.fileHash }))
    .filter((v): v is MadeVariant & { hash: string } => !!v.file && !!v.hash);
  return { out: e.out, pick: e.pick ?? 1, made };
}

function page(
  webview: vscode.Webview,
  manifest: vscode.Uri,
  id: string,
  out: string,
  pick: number,
  made: MadeVariant[],
) {
  const n = nonce();
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource}`,
    `media-src ${webview.cspSource}`,
    `style-src 'nonce-${n}'`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  const figures = made.map((v) => {
    const src = esc(webview.asWebviewUri(vscode.Uri.joinPath(manifest, '..', v.file)).toString());
    const kind = outputKind({ fileName: v.file });
    const media =
      kind === 'image'
        ? `<img src="${src}" alt="${esc(v.file)}">`
        : kind === 'video'
          ? `<video src="${src}" controls loop muted></video>`
          : kind === 'audio'
            ? `<audio src="${src}" controls></audio>`
            : `<p class="file">${esc(v.file)}</p>`;
    const inUse = v.n === pick;
    const label = esc(vscode.l10n.t('Variant {0}', v.n));
    return `<figure class="${inUse ? 'in-use' : ''}">${media}<figcaption><strong>${label}</strong> · ${esc(v.file)}${inUse ? ` · <em>${esc(vscode.l10n.t('in use'))}</em>` : ''}</figcaption><button data-n="${v.n}"${inUse ? ' disabled' : ''}>${esc(vscode.l10n.t('Use this'))}</button></figure>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${n}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
figure { margin: 0; padding: 8px; border: 1px solid var(--vscode-panel-border, #8884); border-radius: 4px; }
figure.in-use { border-color: var(--vscode-focusBorder); }
img, video { width: 100%; height: auto; background: #0002; }
audio { width: 100%; }
button { margin-top: 6px; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 0; padding: 4px 10px; }
button:disabled { opacity: 0.5; }
</style>
<title>${esc(id)}</title>
</head>
<body>
<h1>${esc(vscode.l10n.t('Which variant of {0} goes to {1}?', id, out))}</h1>
<main>${figures.join('\n')}</main>
<script nonce="${n}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-n]');
  if (b && !b.disabled) vscode.postMessage({ type: 'use', n: Number(b.dataset.n) });
});
</script>
</body>
</html>`;
}

/**
 * Opens the variants of asset `id` of `manifest` (inside `folder`); undefined when fewer than two are made. A "Use
 * this" writes that variant to `out` and the lock, then shows the page again with it in use.
 */
export async function openVariantsPanel(
  manifest: vscode.Uri,
  folder: vscode.Uri,
  id: string,
): Promise<vscode.WebviewPanel | undefined> {
  const first = await madeVariants(manifest, id);
  if (!first || first.made.length < 2) return undefined;
  const panel = vscode.window.createWebviewPanel(
    VARIANTS_VIEW_TYPE,
    vscode.l10n.t('Variants of {0}', id),
    vscode.ViewColumn.Active,
    { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(manifest, '..')] },
  );
  const render = (v: NonNullable<typeof first>) =>
    (panel.webview.html = page(panel.webview, manifest, id, v.out, v.pick, v.made));
  render(first);
  const use = async (raw: unknown) => {
    const msg = VariantsToHost.safeParse(raw);
    if (!msg.success) return;
    try {
      await pickVariant(manifest.fsPath, folder.fsPath, id, msg.data.n);
      const now = await madeVariants(manifest, id);
      if (now) render(now);
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} now holds variant {1}.', first.out, msg.data.n));
    } catch (err) {
      void vscode.window.showErrorMessage(describeError(err));
    }
  };
  panel.webview.onDidReceiveMessage((raw: unknown) => void use(raw));
  return panel;
}
