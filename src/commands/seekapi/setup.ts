import * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import { describeError } from '../../core/errors';
import { SeekWorkersTree, type SeekNode } from '../../views/seekWorkersTree';

const views = new WeakMap<GenDeck, SeekWorkersTree>();

/** The Seek API view's model (created by setupSeekApi on activation). */
export function seekView(g: GenDeck): SeekWorkersTree {
  const v = views.get(g);
  if (!v) throw new Error('The Seek API view is not set up.');
  return v;
}

/** Explicit limits from the settings, or undefined to follow the plan GET /me reports. */
function configuredLimit(): { ratePerSec: number; burst?: number } | undefined {
  const c = vscode.workspace.getConfiguration('gendeck.seekapi.rateLimit');
  const rate = c.get<number>('requestsPerSecond', 0);
  const burst = c.get<number>('burst', 0);
  return rate > 0 ? { ratePerSec: rate, burst: burst > 0 ? burst : undefined } : undefined;
}

/**
 * Seek API's editor wiring, run once on activation: the `gendeck.workers` view (Account + Workers),
 * the rate-limit settings, the plan (read once a key or the sandbox is there, so the token bucket
 * and the poll budget follow it), and refreshes when something went stale (404, publish, new key).
 */
export function setupSeekApi(g: GenDeck): vscode.Disposable {
  const p = g.providers.seekapi;
  const configured = async () => g.sandbox.active || (await g.secrets.has('seekapi'));
  const tree = new SeekWorkersTree(p, configured);
  views.set(g, tree);
  const view = vscode.window.createTreeView<SeekNode>('gendeck.workers', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });

  p.configureRateLimit(configuredLimit());
  const learnPlan = async () => {
    if (!(await configured())) return;
    try {
      await p.me();
    } catch (err) {
      g.log.warn(`Seek API: could not read the plan (${describeError(err)}); using ${p.rateLimit().ratePerSec} req/s.`);
    }
  };
  void learnPlan();

  p.onStale = (what) => {
    if (what === 'workers') void tree.refreshWorkers();
    else if (what === 'account') void tree.refreshAccount();
    else {
      const keys = g.store
        .all()
        .filter((j) => j.provider === 'seekapi' && (j.status === 'queued' || j.status === 'running'))
        .map((j) => j.key);
      g.scheduler.kick(keys);
    }
  };

  const onAccountChanged = () => {
    tree.reset();
    void learnPlan();
  };
  const subs: vscode.Disposable[] = [
    tree,
    view,
    g.secrets.onDidChange((name) => {
      if (name === 'seekapi') onAccountChanged();
    }),
    g.sandbox.onDidChange(onAccountChanged),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gendeck.seekapi.rateLimit')) p.configureRateLimit(configuredLimit());
      if (e.affectsConfiguration('gendeck.seekapi.baseUrl')) onAccountChanged();
    }),
  ];
  return {
    dispose: () => {
      p.onStale = undefined;
      views.delete(g);
      subs.forEach((s) => s.dispose());
    },
  };
}
