'use strict';
// Test harness: runs suite.js inside the extension host and reports to a JSON file the outside runner reads.
//
// Results file ($GENDECK_E2E_RESULTS or setting gendeckE2e.resultsFile), rewritten atomically after every change:
//   { phase: 'before'|'reloading'|'after'|'done', state, results: [{name, status, ms, error?}], assist?, done }
// UI assistance: when a test needs a prompt answered, `assist` = {id, steps}; the runner answers through the real
// workbench and writes `<results>.assist-<id>.json` = {ok, error?}. With $GENDECK_E2E_NO_ASSIST set (test-electron)
// such tests are skipped. With $GENDECK_E2E_NO_RELOAD the `after` phase runs without reloading the window.
const vscode = require('vscode');
const fs = require('fs');
const { startLmBridge } = require('./lmBridge');

let running = false;

function resultsPath() {
  return vscode.workspace.getConfiguration('gendeckE2e').get('resultsFile') || process.env.GENDECK_E2E_RESULTS || '';
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeJson(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2));
  fs.renameSync(tmp, file);
}

class Skip extends Error {}

async function runPhase(report, file, tests, context) {
  const noAssist = !!process.env.GENDECK_E2E_NO_ASSIST;
  let assistSeq = report.assistSeq || 0;
  for (const [name, fn] of tests) {
    const t0 = Date.now();
    const h = {
      state: report.state,
      context,
      skip(reason) {
        throw new Skip(reason);
      },
      needsAssist() {
        if (noAssist) throw new Skip('needs the UI runner to answer prompts');
      },
      async assist(steps, timeout = 90000) {
        const id = ++assistSeq;
        report.assistSeq = id;
        report.assist = { id, steps };
        writeJson(file, report);
        const ack = `${file}.assist-${id}.json`;
        const deadline = Date.now() + timeout;
        while (!fs.existsSync(ack)) {
          if (Date.now() > deadline) throw new Error(`the runner did not answer UI prompts ${JSON.stringify(steps)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const res = readJson(ack) || {};
        report.assist = null;
        writeJson(file, report);
        if (!res.ok) throw new Error(`UI assistance failed: ${res.error}`);
      },
    };
    try {
      await Promise.race([
        fn(h),
        new Promise((_, rej) => setTimeout(() => rej(new Error('test timed out after 120 s')), 120000)),
      ]);
      report.results.push({ name, status: 'passed', ms: Date.now() - t0 });
    } catch (e) {
      if (e instanceof Skip) report.results.push({ name, status: 'skipped', reason: e.message, ms: 0 });
      else
        report.results.push({
          name,
          status: 'failed',
          ms: Date.now() - t0,
          error: (e && (e.stack || e.message)) || String(e),
        });
    }
    report.assist = null;
    writeJson(file, report);
  }
}

async function run(context) {
  const file = resultsPath();
  if (!file || running) return;
  running = true;
  const suite = require('./suite');
  let report = readJson(file);
  try {
    if (!report || !report.phase) {
      report = { phase: 'before', state: {}, results: [], done: false, startedAt: new Date().toISOString() };
      writeJson(file, report);
      await runPhase(report, file, suite.before, context);
      if (process.env.GENDECK_E2E_NO_RELOAD) {
        report.phase = 'after';
      } else {
        report.phase = 'reloading';
        report.reloadAt = Date.now();
        writeJson(file, report);
        // The reload tears this extension host down; the pending command then rejects with "Canceled".
        await Promise.resolve(vscode.commands.executeCommand('workbench.action.reloadWindow')).catch(() => undefined);
        return; // this extension host goes away; the next one continues with `after`
      }
    }
    if (report.phase === 'reloading' || report.phase === 'after') {
      if (report.reloadAt) report.state.reloadMs = Date.now() - report.reloadAt;
      report.phase = 'after';
      writeJson(file, report);
      await runPhase(report, file, suite.after, context);
      report.phase = 'done';
      report.done = true;
      writeJson(file, report);
    }
  } catch (e) {
    report = report || { results: [] };
    report.results.push({
      name: 'harness',
      status: 'failed',
      ms: 0,
      error: (e && (e.stack || e.message)) || String(e),
    });
    report.done = true;
    writeJson(file, report);
  } finally {
    running = false;
  }
}

exports.activate = function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('gendeckE2e.run', () => run(context)));
  // For UI specs: language-model tool calls from inside the extension host ($GENDECK_E2E_LM).
  startLmBridge(context);
  // Do not block activation: the suite drives commands that may wait on UI.
  setTimeout(() => void run(context), 0);
  return { run: () => run(context) };
};

exports.deactivate = function deactivate() {};

// For test/e2e/electron-suite: the same suite without a window reload.
exports.run = run;
