import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { fileToDataUri } from '../../core/media/dataUri';
import { LIMITS } from '../../core/providers/seedancee2/contract';
import { settings } from '../../settings';
import { newVideo } from './newVideo';
import type { CommandContext } from '../../commands/command';

/** Explorer → "New Video from Image(s)": local images go inline as data: URIs, checked first. */
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
      openLabel: 'Use as reference',
      filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'bmp', 'tif', 'tiff', 'gif'] },
    });
    if (!uris?.length) return;
  }
  try {
    if (uris.length > LIMITS.maxImages)
      throw new ValidationError(
        `Seedancee2 takes at most ${LIMITS.maxImages} reference images; ${uris.length} are selected.`,
      );
    const maxBytes = settings.maxInlineMediaMB() * 1024 * 1024;
    const images: string[] = [];
    for (const uri of uris) images.push((await fileToDataUri(uri.fsPath, { kinds: ['image'], maxBytes })).uri);
    let mode: 'omni_reference' | 'first_and_last_frames' = 'omni_reference';
    if (images.length === 2) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Reference images', description: 'omni_reference', mode: 'omni_reference' as const },
          {
            label: 'First and last frame',
            description: `${uris[0].path.split('/').pop()} → ${uris[1].path.split('/').pop()}`,
            mode: 'first_and_last_frames' as const,
          },
        ],
        { title: 'How should the two images be used?' },
      );
      if (!pick) return;
      mode = pick.mode;
    }
    const input =
      mode === 'first_and_last_frames'
        ? { generation_type: mode, start_image_url: images[0], end_image_url: images[1] }
        : { image_urls: images };
    await newVideo(c, { input });
  } catch (err) {
    await g.reportError(err, 'Seedancee2 video not started');
  }
}
