// GenDeck's language-model tools in a real VS Code (code-server + headless Chromium), against the built-in sandbox.
// The harness extension calls `vscode.lm.invokeTool` inside the extension host the way any other extension may, outside
// a chat (toolInvocationToken undefined; test/e2e/harness-extension/lmBridge.js). It checks: every tool is registered;
// a discovery tool answers without asking; a generate tool makes the editor ask first, and Cancel there sends nothing;
// confirmed — the modal names the provider, the model, the estimate and the cap left — the job shows in the Jobs tree
// and succeeds; a call over the chat-session cap (set low here) is refused before any dialog; wait and download give the
// job's outputs as workspace paths; a job the CLI starts in a terminal shows in the Jobs tree; the editor lists the MCP server "GenDeck" and starts it through GenDeck's resolve.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { stateDirOf } from '../../scripts/e2e/lib/codeserver.mjs';
import { sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const JOBS = 'Jobs';
const PROMPT = 'Agent tool: a kite over the dunes';
const DECLINED = 'Agent tool: declined';
const OVER = 'Agent tool: over the cap';
const VIDEO = { model: 'mini', duration: 4, resolution: '480p' };

/** Where the spec and the harness exchange requests; set in sessionOptions, read by the suite. */
let lmDir;

export function sessionOptions(ctx) {
  lmDir = join(ctx.TMP, 'agents-lm');
  mkdirSync(lmDir, { recursive: true });
  return {
    vsix: [ctx.harnessVsix],
    env: { GENDECK_E2E_LM: lmDir },
    // 20 credits per video here: the first fits, a second would pass the cap.
    settings: { 'gendeck.agents.maxSpendPerChatSession': { seele: 200, seedancee2: 30, seisoai: 2, seekapi: 100 } },
  };
}

export default async function agentsSuite(ctx) {
  const { runner, wb, page, dirs } = ctx;
  const t = (name, fn, opts) => runner.test(`agents: ${name}`, fn, opts);
  let seq = 0;
  /** Sends one request to the harness; resolves with its answer. */
  const send = (req) => {
    const n = ++seq;
    writeFileSync(join(lmDir, `req-${n}.json`), JSON.stringify(req));
    const res = join(lmDir, `res-${n}.json`);
    return waitUntil(() => existsSync(res) && JSON.parse(readFileSync(res, 'utf8')), {
      timeout: 90_000,
      interval: 250,
      what: `the harness to answer ${JSON.stringify(req).slice(0, 120)}`,
    });
  };
  const invoke = (name, input) => send({ kind: 'invoke', name, input });
  const json = (res) => {
    if (!res.ok) throw new Error(`${res.name}: ${res.error}`);
    return JSON.parse(res.text);
  };
  const SANDBOX = 'agents: sandbox on; vscode.lm.tools lists every GenDeck tool';
  let jobKey;

  await t(
    'sandbox on; vscode.lm.tools lists every GenDeck tool',
    async () => {
      await wb.openViewContainer('GenDeck');
      await wb.startSandbox();
      await page.setViewportSize({ width: 1440, height: 1000 });
      for (const other of ['Search', 'Tools', 'Seek API', 'Spend']) await wb.setPaneOpen(other, false);
      const declared = JSON.parse(readFileSync(join(ctx.REPO, 'package.json'), 'utf8')).contributes.languageModelTools;
      const res = await waitUntil(
        async () => {
          const r = await send({ kind: 'tools' });
          return r.ok && r.tools.filter((x) => x.name.startsWith('gendeck_')).length >= declared.length && r;
        },
        { timeout: 30_000, what: 'the GenDeck tools in vscode.lm.tools' },
      );
      const names = res.tools.map((x) => x.name);
      const missing = declared.map((d) => d.name).filter((n) => !names.includes(n));
      if (missing.length) throw new Error(`not in vscode.lm.tools: ${missing.join(', ')}`);
      console.log(`#   ${declared.length} GenDeck tools registered`);
    },
    { timeout: 90_000 },
  );

  await t(
    'gendeck_list_providers answers at once, with no confirmation',
    async () => {
      const r = json(await invoke('gendeck_list_providers', {}));
      if (r.sandbox !== true) throw new Error(`sandbox ${r.sandbox}`);
      const ids = r.providers.map((p) => p.id).join(',');
      if (ids !== 'seele,seedancee2,seisoai,seekapi,seeknetic') throw new Error(`providers ${ids}`);
      if (!r.providers.every((p) => p.keySet)) throw new Error('the sandbox key is not seen as set');
      if (await wb.dialog()) throw new Error('a discovery tool asked for confirmation');
    },
    { timeout: 60_000, needs: [SANDBOX] },
  );

  await t(
    'Cancel in the confirmation sends nothing',
    async () => {
      const pending = invoke('gendeck_generate_video', { prompt: DECLINED, ...VIDEO });
      const d = await wb.waitForDialog({ match: /Start a Seedancee2 job\?/, timeout: 45_000 });
      await wb.clickDialogButton(d.buttons.find((b) => /cancel/i.test(b)) ?? 'Cancel');
      const r = await pending;
      if (r.ok) throw new Error(`declined, it still ran: ${r.text}`);
      await sleep(1500);
      if ((await wb.rowSummaries(JOBS)).some((x) => x.label === DECLINED)) throw new Error('a declined job is listed');
    },
    { timeout: 90_000, needs: [SANDBOX] },
  );

  await t(
    'gendeck_generate_video: the editor asks first (provider, model, estimate, cap); the job appears in the Jobs tree and succeeds',
    async () => {
      const pending = invoke('gendeck_generate_video', { prompt: PROMPT, ...VIDEO });
      const d = await wb.waitForDialog({ match: /Start a Seedancee2 job\?/, timeout: 45_000 });
      const detail = d.detail.replace(/\s+/g, ' ');
      for (const want of [
        'Seedancee2 · mini · 4 s · 480p',
        `Prompt: ${PROMPT}`,
        'Estimate: ~20 credits.',
        'Outside a chat: 0 of 30 credits with Seedancee2, 0 of 10 jobs',
        'Sandbox: nothing real is spent.',
      ])
        if (!detail.includes(want)) throw new Error(`the confirmation lacks "${want}": ${detail}`);
      await ctx.saveScreenshot?.('agents-confirm.png', () => wb.screenshot(join(ctx.SHOTS, 'agents-confirm.png')));
      const ok = d.buttons.find((b) => !/cancel/i.test(b));
      if (!ok) throw new Error(`no confirm button among ${JSON.stringify(d.buttons)}`);
      await wb.clickDialogButton(ok);
      const r = json(await pending);
      jobKey = r.started.job;
      if (!/^seedancee2:/.test(jobKey)) throw new Error(`started ${JSON.stringify(r.started)}`);
      await wb.waitForTreeRow(PROMPT, { pane: JOBS, timeout: 20_000 });
      await wb.waitForRowDescription(PROMPT, /succeeded/, { pane: JOBS, timeout: 90_000 });
      console.log(`#   ${jobKey}: ${JSON.stringify((await wb.rowSummaries(JOBS)).find((x) => x.label === PROMPT))}`);
    },
    { timeout: 150_000, needs: [SANDBOX] },
  );

  await t(
    'over the chat-session cap: refused before any dialog, saying which setting',
    async () => {
      let settled = false;
      const pending = invoke('gendeck_generate_video', { prompt: OVER, ...VIDEO }).finally(() => {
        settled = true;
      });
      let asked;
      while (!settled && !asked) {
        asked = await wb.dialog();
        if (!asked) await sleep(200);
      }
      if (asked) {
        await wb.clickDialogButton(asked.buttons.find((b) => /cancel/i.test(b)) ?? 'Cancel');
        throw new Error(`the editor asked for confirmation of a call over the cap: ${asked.detail}`);
      }
      const r = await pending;
      if (r.ok) throw new Error(`over the cap, it ran: ${r.text}`);
      if (!/past its 30 credits with Seedancee2.*maxSpendPerChatSession/.test(r.error))
        throw new Error(`refusal: ${r.error}`);
      if ((await wb.rowSummaries(JOBS)).some((x) => x.label === OVER)) throw new Error('the refused job is listed');
    },
    { timeout: 60_000, needs: [SANDBOX] },
  );

  await t(
    'wait and download: the outputs land in the workspace, named by workspace paths',
    async () => {
      if (!jobKey) throw new Error('no job from the generate test');
      const w = json(await invoke('gendeck_wait_for_job', { job: jobKey, timeoutSeconds: 60 }));
      if (!w.finished || w.status !== 'succeeded') throw new Error(`wait: ${JSON.stringify(w)}`);
      const dl = json(await invoke('gendeck_download_outputs', { job: jobKey }));
      const video = dl.files.find((f) => f.path.endsWith('.mp4'));
      if (!video || !/^gendeck-outputs\//.test(video.path)) throw new Error(`download: ${JSON.stringify(dl)}`);
      if (!existsSync(join(dirs.workspace, video.path))) throw new Error(`${video.path} is not in the workspace`);
      const s = json(await invoke('gendeck_job_status', { job: jobKey }));
      if (!s.outputs.some((o) => o.file === video.path)) throw new Error(`status: ${JSON.stringify(s.outputs)}`);
      console.log(`#   ${video.path}`);
    },
    { timeout: 120_000, needs: [SANDBOX] },
  );

  await t(
    "a job the CLI starts in a terminal (gendeck run --sandbox, on the editor's sandbox) shows in the Jobs tree and finishes",
    async () => {
      const prompt = 'From a terminal: a lighthouse at dusk';
      const r = spawnSync(
        process.execPath,
        [
          join(ctx.REPO, 'dist', 'cli.js'),
          'run',
          'seedancee2',
          '--sandbox',
          '--prompt',
          prompt,
          '--model',
          'mini',
          '--duration',
          '4',
          '--resolution',
          '480p',
          '--json',
        ],
        { env: { ...process.env, GENDECK_STATE_DIR: stateDirOf(dirs) }, encoding: 'utf8', timeout: 60_000 },
      );
      if (r.status !== 0) throw new Error(`gendeck run exited ${r.status}: ${r.stderr}`);
      const job = JSON.parse(r.stdout.trim().split('\n').pop());
      console.log(`#   gendeck run: ${job.provider} ${job.id} ${job.status}`);
      await wb.waitForRowDescription(prompt, /succeeded/, { pane: JOBS, timeout: 60_000 });
    },
    { timeout: 120_000, needs: [SANDBOX] },
  );

  await t(
    'the editor lists the MCP server "GenDeck" and starts it through GenDeck\'s resolve (sandbox: --sandbox, no key)',
    async () => {
      // The editor asks every registered provider for its servers; GenDeck logs each time it is asked.
      const logsDir = join(dirs.userData, 'logs');
      const gendeckLog = () => {
        const out = [];
        const walk = (d) => {
          for (const n of readdirSync(d)) {
            const p = join(d, n);
            if (statSync(p).isDirectory()) walk(p);
            else if (/GenDeck/i.test(p)) out.push(readFileSync(p, 'utf8'));
          }
        };
        if (existsSync(logsDir)) walk(logsDir);
        return out.join('\n');
      };
      // MCP: List Servers (its palette entry is hidden where no chat is set up; the command is there).
      // These commands may not answer while their UI is open or the server runs: their effect is waited on below,
      // and a late or missing answer must not end the run as an unhandled rejection.
      send({ kind: 'command', command: 'workbench.mcp.listServer' }).catch(() => {});
      await wb.waitForRow('GenDeck', { timeout: 20_000 });
      await wb.closeQuickInput();
      await waitUntil(() => /MCP server "GenDeck" \S+\+sandbox\.\d+ listed for the editor/.test(gendeckLog()), {
        timeout: 20_000,
        what: 'GenDeck to be asked for its MCP server definitions',
      });
      // Started by the editor: only then does GenDeck resolve it (the keys; none in the sandbox, which --sandbox serves).
      send({ kind: 'command', command: 'workbench.mcp.startServer', args: ['*'] }).catch(() => {});
      await waitUntil(
        () => /MCP server "GenDeck" starting on the sandbox with 0 key\(s\) in its environment/.test(gendeckLog()),
        { timeout: 30_000, what: 'the editor to start the GenDeck MCP server' },
      );
    },
    { timeout: 90_000, needs: [SANDBOX] },
  );
}
