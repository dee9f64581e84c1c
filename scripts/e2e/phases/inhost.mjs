// In-host phase: the harness extension (test/e2e/harness-extension) runs GenDeck's extension-host suite inside the
// real code-server extension host and writes JSON results; this side keeps a browser on the workbench (code-server only
// runs an extension host while a window is connected), answers the UI prompts the suite asks for, follows the window
// reload, and turns the results into test lines.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSession } from '../lib/session.mjs';
import { sleep, waitUntil } from '../lib/util.mjs';

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Performs the harness's UI steps through the workbench. */
async function answer(wb, steps) {
  for (const s of steps) {
    const timeout = s.timeout || 20_000;
    if (s.kind === 'input') {
      await wb.inputText(s.text, { match: s.match, timeout, expectPassword: s.password });
    } else if (s.kind === 'pick') {
      await wb.pick(s.label, { match: s.match, timeout, exact: true });
    } else if (s.kind === 'dialog') {
      try {
        await waitUntil(async () => (await wb.dialog())?.buttons.some((b) => b.includes(s.button)), {
          timeout,
          what: `a dialog with "${s.button}"`,
        });
        await wb.clickDialogButton(s.button);
      } catch (e) {
        if (!s.optional) throw e;
      }
    } else {
      throw new Error(`unknown assist step ${JSON.stringify(s)}`);
    }
  }
}

export async function runInHost(ctx) {
  const { runner } = ctx;
  const resultsFile = join(ctx.TMP, 'inhost-results.json');
  let s;
  const prevHook = runner.onFailure;
  runner.onFailure = async (name) => {
    if (!s?.page) return;
    const file = join(ctx.LOGS, 'inhost', `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
    await s.wb.screenshot(file).catch(() => {});
    console.log(`#   screenshot: ${file}`);
  };
  if (!ctx.vsix) return;
  const started = await runner.test(
    'in-host: code-server starts with GenDeck and the harness extension installed',
    async () => {
      s = await openSession(ctx, {
        name: 'inhost',
        vsix: [ctx.vsix, ctx.harnessVsix],
        settings: { 'gendeck.requestTimeoutSeconds': 5 },
        env: { GENDECK_E2E_RESULTS: resultsFile },
      });
      await s.wb.open();
    },
    { timeout: 180_000, needs: ['harness VSIX packaged'] },
  );
  if (!started) {
    runner.onFailure = prevHook;
    return;
  }

  let report;
  const ran = await runner.test(
    'in-host: the suite runs to the end (with a window reload)',
    async () => {
      const answered = new Set();
      let reloads = 0;
      let lastPhase;
      const deadline = Date.now() + 240_000;
      for (;;) {
        report = readJson(resultsFile);
        if (report?.done) break;
        if (Date.now() > deadline)
          throw new Error(
            `in-host suite did not finish (phase ${report?.phase}, ${report?.results?.length ?? 0} results)`,
          );
        if (report?.phase !== lastPhase) {
          lastPhase = report?.phase;
          if (lastPhase) console.log(`#   in-host phase: ${lastPhase}`);
        }
        if (report?.phase === 'reloading' && reloads === 0) {
          reloads++;
          // The window reloads itself; wait for the workbench to come back before answering anything.
          await sleep(1500);
          await s.wb.waitReady({ timeout: 90_000 });
        }
        const a = report?.assist;
        if (a && !answered.has(a.id)) {
          answered.add(a.id);
          let res = { ok: true };
          try {
            await answer(s.wb, a.steps);
          } catch (e) {
            res = { ok: false, error: e.message };
            await s.wb.screenshot(join(ctx.LOGS, 'inhost', `assist-${a.id}-failed.png`)).catch(() => {});
          }
          writeFileSync(`${resultsFile}.assist-${a.id}.json`, JSON.stringify(res));
        }
        await sleep(250);
      }
    },
    { timeout: 300_000 },
  );
  if (existsSync(resultsFile)) writeFileSync(join(ctx.LOGS, 'inhost', 'results.json'), readFileSync(resultsFile));
  for (const r of report?.results || []) {
    runner.record({
      name: `in-host: ${r.name}`,
      status: r.status,
      ms: r.ms,
      reason: r.reason,
      error: r.error ? new Error(r.error) : undefined,
    });
  }
  if (ran && report?.state?.reloadMs)
    console.log(`#   window reload took ${(report.state.reloadMs / 1000).toFixed(1)} s`);

  // Seen from the outside after the reload: the restored job is in the Jobs tree.
  await runner.test(
    'in-host: after the reload the Jobs tree shows the restored job',
    async () => {
      await s.wb.openViewContainer('GenDeck');
      await s.wb.waitForTreeRow('In-host suite: a paper boat', { timeout: 20_000 });
    },
    { needs: ['in-host: a Seedancee2 video from gendeck.seedancee2.newFromPrompt reaches succeeded'] },
  );

  await s.server.stop();
  await s.browser.close();
  runner.onFailure = prevHook;
}
