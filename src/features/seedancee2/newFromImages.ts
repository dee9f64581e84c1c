import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { fileToDataUri } from '../../core/media/dataUri';
import { LIMITS } from '../../core/providers/seedancee2/contract';
import { settings } from '../../settings';
import { newVideo } from './newVideo';
import type { CommandContext } from '../../commands/command';

/** Explorer → "New Video from Image(s)": local images go inline as data: URIs, checked first, then the video's steps. */
export async function newVideoFromImages(
  c: CommandContext,
  clicked?: vscode.Uri,
  selected?: vscode.Uri[],
): Promise<void> {
  const { g } = c;
  let uris = selected?.length ? selected : clicked ? [clicked] : undefined;
  if (!uris) {
    uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: vscode.l10n.t('Use as reference'),
      filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp', 'bmp', 'tif', 'tiff', 'gif'] },
    });
    if (!uris?.length) return;
  }
  try {
    if (uris.length > LIMITS.maxImages)
      throw new ValidationError(
        vscode.l10n.t(
          'Seedancee2 takes at most {0} reference images; {1} are selected.',
          LIMITS.maxImages,
          uris.length,
        ),
      );
    const maxBytes = settings.maxInlineMediaMB() * 1024 * 1024;
    const images: string[] = [];
    for (const uri of uris) images.push((await fileToDataUri(uri.fsPath, { kinds: ['image'], maxBytes })).uri);
    // Two images may be references or the first and last frame: the video's first step asks which.
    const name = (u: vscode.Uri) => u.path.split('/').pop() ?? u.path;
    await newVideo(
      c,
      images.length === 2
        ? { pair: { images: [images[0], images[1]], names: [name(uris[0]), name(uris[1])] } }
        : { input: { image_urls: images } },
    );
  } catch (err) {
    await g.reportError(err, vscode.l10n.t('Seedancee2 video not started'));
  }
}
