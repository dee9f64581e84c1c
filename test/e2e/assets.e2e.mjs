/* global console */
// Assets as code in the real editor (code-server + headless Chromium), against the built-in sandbox: a
// gendeck.assets.json opened from Go to File shows a CodeLens on each entry (status · "Generate · est. …"), an invalid
// entry (1080p on mini) its diagnostic from Seedancee2's own checks; "Generate" on the valid one, confirmed, writes
// its file into the workspace and the lock, and the lens then says up to date, with Preview on its job.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../scripts/e2e/lib/util.mjs';

const MANIFEST = `{
  // made by GenDeck: Generate Assets
  "assets": [
    { "id": "intro", "out": "assets/intro.mp4", "provider": "seedancee2", "model": "mini", "prompt": "A paper boat on a pond", "params": { "duration": 4, "resolution": "480p" } },
    { "id": "too-big", "out": "assets/big.mp4", "provider": "seedancee2", "model": "mini", "prompt": "A wide shot", "params": { "resolution": "1080p" } }
  ]
}
`;

export function sessionOptions() {
  return { files: { 'gendeck.assets.json': MANIFEST } };
}

export default async function assetsSuite(ctx) {
  const { runner, wb, page, dirs } = ctx;
  const t = (name, fn, opts) => runner.test(`assets: ${name}`, fn, opts);
  const lenses = async () =>
    page
      .locator('.part.editor .editor-instance .codelens-decoration')
      .evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ')))
      .catch(() => []);
  const OPEN = 'assets: the manifest opened shows a CodeLens per entry: its status and "Generate · est. N credits"';

  await t(
    'the manifest opened shows a CodeLens per entry: its status and "Generate · est. N credits"',
    async () => {
      await wb.openViewContainer('GenDeck');
      await wb.startSandbox();
      await wb.runCommand('Go to File...');
      await wb.pick('gendeck.assets.json', { match: /Search files by name/i });
      await page
        .locator('.tabs-container .tab', { hasText: 'gendeck.assets.json' })
        .first()
        .waitFor({ state: 'visible', timeout: 20_000 });
      const seen = await waitUntil(
        async () => {
          const l = (await lenses()).join(' | ');
          return /missing/.test(l) && /Generate · est\. ~?\d+ credits/.test(l) ? l : null;
        },
        { timeout: 60_000, what: async () => `the CodeLens (shows: ${JSON.stringify(await lenses())})` },
      );
      console.log(`#   lenses: ${seen}`);
      if (!/invalid/.test(seen)) throw new Error(`the 1080p entry is not marked invalid: ${seen}`);
    },
    { timeout: 120_000 },
  );

  await t(
    'the invalid entry has its diagnostic from Seedancee2’s own checks',
    async () => {
      await page.locator('.part.editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 30_000 });
      await wb
        .runCommand('View: Focus Problems (Errors, Warnings, Infos)')
        .catch(() => wb.runCommand('View: Toggle Problems (Errors, Warnings, Infos)'));
      const text = await waitUntil(
        async () => {
          const s = await page
            .locator('.part.panel .markers-panel')
            .first()
            .innerText()
            .catch(() => '');
          return /1080p is not available on mini/.test(s) ? s : null;
        },
        { timeout: 30_000, what: 'the Problems view naming 1080p on mini' },
      );
      if (!/GenDeck/.test(text)) throw new Error(`the problem is not GenDeck's: ${text}`);
    },
    { timeout: 60_000, needs: [OPEN] },
  );

  await t(
    'Generate on the lens, confirmed: the file and the lock are written, and the lens says up to date',
    async () => {
      await page
        .locator('.part.editor .codelens-decoration a', { hasText: /Generate · est\./ })
        .first()
        .click();
      const d = await wb.waitForDialog({ match: /Generate 1 asset/ });
      console.log(`#   confirmation: ${d.message} — ${d.detail.replace(/\n/g, ' / ')}`);
      if (!/intro/.test(d.detail) || /too-big · /.test(d.detail)) throw new Error(`not only intro: ${d.detail}`);
      await wb.clickDialogButton('Generate');
      const out = join(dirs.workspace, 'assets', 'intro.mp4');
      await waitUntil(() => existsSync(out) || null, { timeout: 90_000, what: 'assets/intro.mp4 written' });
      if (readFileSync(out).subarray(4, 8).toString() !== 'ftyp') throw new Error('intro.mp4 is not an mp4');
      const lock = JSON.parse(readFileSync(join(dirs.workspace, 'gendeck.lock.json'), 'utf8'));
      if (!lock.assets?.intro?.outputHash) throw new Error(`the lock is not complete: ${JSON.stringify(lock)}`);
      if (lock.assets['too-big']) throw new Error('the invalid entry reached the lock');
      await waitUntil(
        async () => {
          const l = await lenses();
          return l.some((x) => /up to date/.test(x) && /Preview/.test(x)) ? l : null;
        },
        {
          timeout: 30_000,
          what: async () => `the lens "up to date · Preview" (shows: ${JSON.stringify(await lenses())})`,
        },
      );
    },
    { timeout: 150_000, needs: [OPEN] },
  );
}
