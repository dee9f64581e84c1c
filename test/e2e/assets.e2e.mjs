/* global console */
// Assets as code in the real editor (code-server + headless Chromium), against the built-in sandbox: a
// gendeck.assets.json opened from Go to File shows a CodeLens on each entry (status · "Generate · est. …"), an invalid
// entry (1080p on mini) its diagnostic from Seedancee2's own checks; "Generate" on the valid one, confirmed, writes
// its file into the workspace and the lock, and the lens then says up to date, with Preview on its job. An entry
// with "variants": 3, generated from its lens, shows "Variant 1 of 3 · Pick…"; the panel it opens has the three side
// by side, and "Use this" under the second (clicked inside the webview) writes its bytes to `out` and the pick to
// the lock. A request cut off mid-send needs attention; "Adopt a job…" on its lens takes the job's id in an input
// box (another provider's key refused as it is typed), the lens replans, and Generate follows that job to the file.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { retryUntil, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const MANIFEST = `{
  // made by GenDeck: Generate Assets
  "assets": [
    { "id": "intro", "out": "assets/intro.mp4", "provider": "seedancee2", "model": "mini", "prompt": "A paper boat on a pond", "params": { "duration": 4, "resolution": "480p" } },
    { "id": "too-big", "out": "assets/big.mp4", "provider": "seedancee2", "model": "mini", "prompt": "A wide shot", "params": { "resolution": "1080p" } },
    { "id": "walk", "out": "assets/walk.mp4", "provider": "seedancee2", "model": "mini", "prompt": "A hero walking", "params": { "duration": 4, "resolution": "480p" }, "variants": 3 }
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

  const GENERATED =
    'assets: Generate on the lens, confirmed: the file and the lock are written, and the lens says up to date';
  const lensLink = (text) => page.locator('.part.editor .codelens-decoration a', { hasText: text });
  const readLock = () => JSON.parse(readFileSync(join(dirs.workspace, 'gendeck.lock.json'), 'utf8'));

  await t(
    'three variants from the lens; "Use this" under variant 2 in the panel writes it to `out` and the lock',
    async () => {
      // intro is up to date and too-big invalid: the one Generate lens left is walk's.
      const generate = lensLink(/Generate · est\./);
      await waitUntil(async () => ((await generate.count()) === 1 ? true : null), {
        timeout: 30_000,
        what: async () => `one Generate lens (shows: ${JSON.stringify(await lenses())})`,
      });
      const d = await retryUntil(
        () => generate.first().click({ timeout: 5_000 }),
        async () => {
          const x = await wb.dialog();
          return x && /Generate 1 asset/.test(x.message) ? x : null;
        },
        { timeout: 30_000, what: 'the confirmation for walk' },
      );
      console.log(`#   confirmation: ${d.message} — ${d.detail.replace(/\n/g, ' / ')}`);
      if (!/walk · /.test(d.detail)) throw new Error(`not walk: ${d.detail}`);
      await wb.clickDialogButton('Generate');
      const lock = await waitUntil(
        () => {
          const l = existsSync(join(dirs.workspace, 'gendeck.lock.json')) ? readLock() : undefined;
          return l?.assets?.walk?.outputHash ? l : null;
        },
        { timeout: 120_000, what: 'walk complete in the lock' },
      );
      const files = lock.assets.walk.variants.map((v) => v.file);
      if (JSON.stringify(files) !== JSON.stringify(['assets/walk.v1.mp4', 'assets/walk.v2.mp4', 'assets/walk.v3.mp4']))
        throw new Error(`not three variant files: ${JSON.stringify(files)}`);
      if (lock.assets.walk.pick !== 1) throw new Error(`the first pick is not variant 1: ${lock.assets.walk.pick}`);

      const pickLens = lensLink('Variant 1 of 3 · Pick…');
      await waitUntil(async () => ((await pickLens.count()) ? true : null), {
        timeout: 30_000,
        what: async () => `the lens "Variant 1 of 3 · Pick…" (shows: ${JSON.stringify(await lenses())})`,
      });
      const figures = (f) =>
        f.evaluate(() =>
          /\bwalk\b/.test(document.querySelector('h1')?.textContent ?? '')
            ? [...document.querySelectorAll('figure')].map((x) => ({
                caption: x.querySelector('figcaption')?.textContent ?? '',
                video: !!x.querySelector('video'),
                disabled: !!x.querySelector('button')?.disabled,
              }))
            : null,
        );
      let panel;
      await retryUntil(
        () => pickLens.first().click({ timeout: 5_000 }),
        async () => {
          panel = await wb.findFrame(async (f) => ((await figures(f))?.length ?? 0) > 0, {
            timeout: 1_000,
            what: 'the variants panel',
          });
          return panel;
        },
        { timeout: 45_000, settle: 8_000, what: 'the variants panel of walk' },
      );
      const shown = await figures(panel);
      console.log(`#   panel: ${JSON.stringify(shown)}`);
      if (shown.length !== 3 || !shown.every((x) => x.video))
        throw new Error(`not three clips side by side: ${JSON.stringify(shown)}`);
      if (!/Variant 1\b.*in use/.test(shown[0].caption) || !shown[0].disabled || shown[1].disabled)
        throw new Error(`variant 1 is not the one in use: ${JSON.stringify(shown)}`);

      // The sandbox's clips are one sample: other bytes in `out` first, so only the copy of variant 2 brings them back.
      const out = join(dirs.workspace, 'assets', 'walk.mp4');
      const v2 = readFileSync(join(dirs.workspace, 'assets', 'walk.v2.mp4'));
      writeFileSync(out, 'not a clip');
      await retryUntil(
        () =>
          panel
            .locator('figure', { hasText: 'Variant 2' })
            .locator('button', { hasText: 'Use this' })
            .click({ timeout: 5_000 }),
        () => (readFileSync(out).equals(v2) && readLock().assets.walk.pick === 2) || null,
        { timeout: 30_000, what: '`out` holding variant 2 and the lock its pick' },
      );
      const after = readLock().assets.walk;
      if (after.outputHash !== after.variants[1].fileHash)
        throw new Error(`the lock's output hash is not variant 2's: ${JSON.stringify(after)}`);
      // The page is made anew with the pick in use (the frame may be a new one).
      let again;
      await wb.findFrame(
        async (f) => {
          const x = await figures(f);
          return x?.[1]?.disabled && /in use/.test(x[1].caption) && !x[0].disabled ? (again = x) : null;
        },
        { timeout: 15_000, what: 'the panel showing variant 2 in use' },
      );
      console.log(`#   after the pick: ${JSON.stringify(again)}`);
      // The panel took the manifest's place in the editor group: back to the manifest for its lens.
      await retryUntil(
        () =>
          page.locator('.tabs-container .tab', { hasText: 'gendeck.assets.json' }).first().click({ timeout: 5_000 }),
        async () => ((await lensLink('Variant 2 of 3 · Pick…').count()) ? true : null),
        {
          timeout: 30_000,
          what: async () => `the lens "Variant 2 of 3 · Pick…" (shows: ${JSON.stringify(await lenses())})`,
        },
      );
    },
    { timeout: 240_000, needs: [GENERATED] },
  );

  await t(
    'a request cut off mid-send: "Adopt a job…" on its lens, a wrong id refused in the box, the job named followed to the file',
    async () => {
      const lockFile = join(dirs.workspace, 'gendeck.lock.json');
      const out = join(dirs.workspace, 'assets', 'intro.mp4');
      const lock = readLock();
      const job = lock.assets.intro.variants[0].jobId;
      if (!job) throw new Error(`intro has no job in the lock: ${JSON.stringify(lock.assets.intro)}`);
      // What a crash mid-send leaves: an intent of ours that no job carries, no file. The provider did take it: `job`.
      const { specHash, provider } = lock.assets.intro;
      lock.assets.intro = {
        specHash,
        provider,
        out: 'assets/intro.mp4',
        variants: [{ ref: 'cut-off-in-e2e', state: 'sending' }],
        time: new Date().toISOString(),
      };
      writeFileSync(lockFile, JSON.stringify(lock, null, 2));
      rmSync(out);
      const adopt = lensLink('Adopt a job…');
      await waitUntil(
        async () => ((await adopt.count()) && (await lensLink('Forget the request…').count()) ? true : null),
        {
          timeout: 30_000,
          what: async () => `the needs-attention lens with "Adopt a job…" (shows: ${JSON.stringify(await lenses())})`,
        },
      );
      if (!(await lenses()).some((l) => /needs attention/.test(l)))
        throw new Error(`intro is not said to need attention: ${JSON.stringify(await lenses())}`);
      await retryUntil(
        () => adopt.first().click({ timeout: 5_000 }),
        async () => /Adopt a job for intro/.test((await wb.quickInputState())?.title ?? '') || null,
        { timeout: 30_000, what: 'the input box "Adopt a job for intro"' },
      );
      await page.locator('.quick-input-widget .quick-input-box input').fill('seisoai:job_1');
      const refused = await waitUntil(
        async () => {
          const m = (await wb.quickInputState())?.message ?? '';
          return /is a job of seisoai, not of seedancee2/.test(m) ? m : null;
        },
        { timeout: 15_000, what: 'the box refusing another provider’s key' },
      );
      console.log(`#   refused as typed: ${refused}`);
      if (readLock().assets.intro.variants[0].state !== 'sending') throw new Error('the lock changed on a refused id');
      await wb.inputText(job, { match: /Adopt a job for intro/ });
      await waitUntil(
        () => {
          const v = readLock().assets.intro?.variants[0];
          return v?.state === 'sent' && v.jobId === job && v.ref === 'cut-off-in-e2e' ? v : null;
        },
        { timeout: 30_000, what: `the lock recording job ${job} for intro's request` },
      );
      // The lens replans: no longer needing attention, and Generate (sending nothing) follows the job to the file.
      await waitUntil(async () => ((await adopt.count()) === 0 ? true : null), {
        timeout: 30_000,
        what: async () => `the lens without "Adopt a job…" (shows: ${JSON.stringify(await lenses())})`,
      });
      await retryUntil(
        () => wb.clickNotificationButton(`intro follows job ${job}`, 'Generate', { timeout: 5_000 }),
        () => (existsSync(out) && readLock().assets.intro?.outputHash) || null,
        { timeout: 60_000, settle: 10_000, what: 'intro.mp4 written from the adopted job' },
      );
      if (readFileSync(out).subarray(4, 8).toString() !== 'ftyp') throw new Error('intro.mp4 is not an mp4');
      const after = readLock().assets.intro;
      if (after.variants.length !== 1 || after.variants[0].jobId !== job)
        throw new Error(`not the adopted job: ${JSON.stringify(after)}`);
      // intro's lens as well as walk's.
      await waitUntil(async () => ((await lenses()).filter((x) => /up to date/.test(x)).length === 2 ? true : null), {
        timeout: 30_000,
        what: async () => `intro and walk up to date (shows: ${JSON.stringify(await lenses())})`,
      });
    },
    { timeout: 180_000, needs: [GENERATED] },
  );
}
