// Pick Asset Variant's panel (src/webview/variantsPanel.ts on the `vscode` stub): an asset's three variants side by
// side, the one in use marked; "Use this" on another (the page's message) copies it to `out` and writes the pick and
// the output hash to the lock; a message that is not a pick changes nothing; a name from the lock is escaped.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lockText, readLock, type Lock } from '../../src/core/assets/lock';
import { LOCK_NAME, MANIFEST_NAME } from '../../src/core/assets/manifest';
import { openVariantsPanel, VARIANTS_VIEW_TYPE } from '../../src/webview/variantsPanel';
import { RecordingPanel, shownMessages, Uri } from '../support/vscodeStub';
import { waitFor } from '../support/sandbox';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A folder with a manifest, three variant files of `id` (different bytes) and a lock with variant 1 in use. */
function madeVariants(id: string, ext: string): { root: string; bytes: Buffer[] } {
  const root = mkdtempSync(join(tmpdir(), 'gendeck-variants-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, MANIFEST_NAME), '{ "assets": [] }');
  const bytes = [1, 2, 3].map((n) => Buffer.from(`variant ${n} of ${id}`));
  bytes.forEach((b, i) => writeFileSync(join(root, `assets/${id}.v${i + 1}.${ext}`), b));
  writeFileSync(join(root, `assets/${id}.${ext}`), bytes[0]);
  const lock: Lock = {
    version: 1,
    assets: {
      [id]: {
        specHash: 'h',
        provider: 'seedancee2',
        out: `assets/${id}.${ext}`,
        variants: bytes.map((b, i) => ({
          ref: `r${i}`,
          state: 'sent' as const,
          jobKey: `seedancee2:t${i}`,
          file: `assets/${id}.v${i + 1}.${ext}`,
          fileHash: sha(b),
        })),
        pick: 1,
        outputHash: sha(bytes[0]),
        time: new Date().toISOString(),
      },
    },
  };
  writeFileSync(join(root, LOCK_NAME), lockText(lock));
  return { root, bytes };
}

describe('Pick Asset Variant panel', () => {
  it('shows the variants side by side; "Use this" writes the pick to `out` and the lock', async () => {
    const { root, bytes } = madeVariants('walk', 'mp4');
    const manifest = Uri.file(join(root, MANIFEST_NAME));
    const panel = (await openVariantsPanel(manifest as never, Uri.file(root) as never, 'walk')) as unknown as
      RecordingPanel | undefined;
    assert.ok(panel);
    assert.equal(panel.viewType, VARIANTS_VIEW_TYPE);
    const html = panel.webview.html;
    assert.equal(html.match(/<video /g)?.length, 3, 'three clips');
    assert.equal(html.match(/<button data-n="\d"/g)?.length, 3);
    assert.match(html, /<button data-n="1" disabled>Use this/, 'the one in use cannot be picked again');
    assert.match(html, /script-src 'nonce-/);
    assert.doesNotMatch(html, /<script>/, 'every script carries the nonce');

    panel.webview.receive({ type: 'use', n: 9 });
    panel.webview.receive({ type: 'open', n: 2 });
    panel.webview.receive({ type: 'use', n: 3 });
    const e = await waitFor(async () => {
      const a = (await readLock(join(root, LOCK_NAME))).lock.assets.walk;
      return a.pick === 3 ? a : undefined;
    });
    assert.equal(e.outputHash, sha(bytes[2]));
    assert.deepEqual(readFileSync(join(root, 'assets/walk.mp4')), bytes[2], '`out` holds variant 3');
    await waitFor(() => panel.webview.htmls.length === 2 || undefined);
    assert.match(panel.webview.html, /<button data-n="3" disabled>/, 'shown again with 3 in use');
    assert.ok(shownMessages.some((m) => m.message === 'assets/walk.mp4 now holds variant 3.'));
  });

  it('needs two made variants, and escapes what the lock names', async () => {
    const { root } = madeVariants('x', 'png');
    const lockPath = join(root, LOCK_NAME);
    const { lock } = await readLock(lockPath);
    lock.assets.x.variants[1].file = 'assets/"><script>alert(1)</script>.png';
    writeFileSync(lockPath, lockText(lock));
    const panel = (await openVariantsPanel(
      Uri.file(join(root, MANIFEST_NAME)) as never,
      Uri.file(root) as never,
      'x',
    )) as unknown as RecordingPanel;
    assert.doesNotMatch(panel.webview.html, /<script>alert/);
    assert.equal(panel.webview.html.match(/<img /g)?.length, 3);
    lock.assets.x.variants = lock.assets.x.variants.slice(0, 1);
    writeFileSync(lockPath, lockText(lock));
    assert.equal(
      await openVariantsPanel(Uri.file(join(root, MANIFEST_NAME)) as never, Uri.file(root) as never, 'x'),
      undefined,
    );
    assert.equal(
      await openVariantsPanel(Uri.file(join(root, MANIFEST_NAME)) as never, Uri.file(root) as never, 'nope'),
      undefined,
    );
  });
});
