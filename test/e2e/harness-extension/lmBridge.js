'use strict';
// Test harness: lets a UI spec call `vscode.lm.invokeTool` inside the real extension host, as any other extension
// would, outside any chat (toolInvocationToken undefined). With $GENDECK_E2E_LM naming a folder, each
// `req-<n>.json` there ({kind: 'tools'}, {kind: 'invoke', name, input} or {kind: 'command', command, args}) is answered once in `res-<n>.json`:
// {ok: true, text | tools} or {ok: false, name, error}. A confirmation the tool asks for shows in the workbench, where
// the spec answers it through the UI while the call waits.
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

function writeJson(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2));
  fs.renameSync(tmp, file);
}

async function answer(req) {
  try {
    if (req.kind === 'command') {
      const value = await vscode.commands.executeCommand(req.command, ...(req.args || []));
      return { ok: true, text: JSON.stringify(value === undefined ? null : value) };
    }
    if (req.kind === 'tools')
      return {
        ok: true,
        tools: vscode.lm.tools.map((t) => ({ name: t.name, tags: t.tags, inputSchema: t.inputSchema })),
      };
    const cts = new vscode.CancellationTokenSource();
    const result = await vscode.lm.invokeTool(
      req.name,
      { input: req.input, toolInvocationToken: undefined },
      cts.token,
    );
    const text = result.content
      .map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : JSON.stringify(p)))
      .join('');
    return { ok: true, text };
  } catch (e) {
    return { ok: false, name: (e && e.name) || 'Error', error: String((e && e.message) || e) };
  }
}

exports.startLmBridge = function startLmBridge(context) {
  const dir = process.env.GENDECK_E2E_LM;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const taken = new Set();
  const timer = setInterval(() => {
    let names = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = /^req-(\d+)\.json$/.exec(name);
      if (!m || taken.has(name)) continue;
      taken.add(name);
      let req;
      try {
        req = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      } catch (e) {
        writeJson(path.join(dir, `res-${m[1]}.json`), { ok: false, name: 'BadRequest', error: String(e) });
        continue;
      }
      void answer(req).then((res) => writeJson(path.join(dir, `res-${m[1]}.json`), res));
    }
  }, 200);
  context.subscriptions.push({ dispose: () => clearInterval(timer) });
};
