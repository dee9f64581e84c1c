import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { settings } from '../../settings';
import { defineFeature } from '../feature';
import { runWorker, type RunWorkerArg } from './runWorker';
import { runWorkerOnSelection } from './runWorkerOnSelection';
import {
  clearWorkerFilter,
  filterWorkers,
  loadMoreWorkers,
  publishDeployment,
  refreshSeekAccount,
  refreshSeekWorkers,
} from './viewActions';
import { SeekWorkersModel } from './workersModel';
import { SeekWorkersTree } from './workersTree';

/**
 * Seek API: the `gendeck.workers` view (Account + Workers), the rate-limit settings, the plan (read once a key
 * or the sandbox is there, so the token bucket and the poll budget follow it), and refreshes when something
 * went stale (404, publish, new key).
 */
export const seekapiFeature = defineFeature<SeekWorkersModel, 'seekapi'>({
  id: 'seekapi',
  activate({ g }) {
    const p = g.providers.seekapi;
    const configured = async () => g.sandbox.active || (await g.secrets.has('seekapi'));
    const model = new SeekWorkersModel(p, configured);
    const tree = new SeekWorkersTree(model);
    p.configureRateLimit(settings.seekapiRateLimit());
    const learnPlan = async () => {
      if (!(await configured())) return;
      try {
        await p.me();
      } catch (err) {
        g.log.warn(
          `Seek API: could not read the plan (${describeError(err)}); using ${p.rateLimit().ratePerSec} req/s.`,
        );
      }
    };
    void learnPlan();
    const onAccountChanged = () => {
      model.reset();
      void learnPlan();
    };
    const disposables: vscode.Disposable[] = [
      model,
      tree,
      g.shell.workers.tree.attach(tree as vscode.TreeDataProvider<unknown>),
      g.providerEvents.event((e) => {
        if (e.provider !== 'seekapi') return;
        if (e.stale === 'workers') void model.refreshWorkers();
        else if (e.stale === 'account') void model.refreshAccount();
        else {
          const keys = g.store
            .all()
            .filter((j) => j.provider === 'seekapi' && (j.status === 'queued' || j.status === 'running'))
            .map((j) => j.key);
          g.scheduler.kick(keys);
        }
      }),
      g.secrets.onDidChange((name) => {
        if (name === 'seekapi') onAccountChanged();
      }),
      g.sandbox.onDidChange(onAccountChanged),
      settings.onChange(['seekapi.rateLimit', 'seekapi.baseUrl'], (key) => {
        if (key === 'seekapi.rateLimit') p.configureRateLimit(settings.seekapiRateLimit());
        else onAccountChanged();
      }),
    ];
    return { state: model, disposables };
  },
  // Getters: the labels are read when the features activate (activateFeatures), not when this module loads.
  starts: [
    {
      get label() {
        return vscode.l10n.t('Run a Worker…');
      },
      get detail() {
        return vscode.l10n.t('A worker from the Seek API marketplace');
      },
      command: 'gendeck.seekapi.runWorker',
    },
  ],
  commands: {
    'gendeck.seekapi.runWorker': (c, arg) => runWorker(c, arg as RunWorkerArg),
    // From the Explorer: (clicked file, selected files); from the palette: none, the files are asked for.
    'gendeck.seekapi.runWorkerOnSelection': runWorkerOnSelection,
    'gendeck.seekapi.refreshWorkers': refreshSeekWorkers,
    'gendeck.seekapi.refreshAccount': refreshSeekAccount,
    'gendeck.seekapi.loadMoreWorkers': loadMoreWorkers,
    'gendeck.seekapi.filterWorkers': filterWorkers,
    'gendeck.seekapi.clearWorkerFilter': clearWorkerFilter,
    'gendeck.seekapi.publish': publishDeployment,
  },
  async rerun(c, job) {
    const req = job.request as {
      worker?: string;
      input?: Record<string, unknown>;
      priority?: string;
      webhook?: string;
    };
    if (!req.worker)
      return void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'This Seek API job was listed from the server; its input is not known here. Start it again with "Run Worker…".',
        ),
      );
    // The worker's form opens with the same values; the estimate is shown again before anything is sent.
    await runWorker(c, { workerId: req.worker, input: req.input, priority: req.priority, webhook: req.webhook });
  },
});

declare module '../../commandIds' {
  interface FeatureCommandIds {
    'gendeck.seekapi.runWorker': 'seekapi';
    'gendeck.seekapi.runWorkerOnSelection': 'seekapi';
    'gendeck.seekapi.refreshWorkers': 'seekapi';
    'gendeck.seekapi.refreshAccount': 'seekapi';
    'gendeck.seekapi.loadMoreWorkers': 'seekapi';
    'gendeck.seekapi.filterWorkers': 'seekapi';
    'gendeck.seekapi.clearWorkerFilter': 'seekapi';
    'gendeck.seekapi.publish': 'seekapi';
  }
}
