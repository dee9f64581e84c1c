import type * as vscode from 'vscode';
import type { CommandId } from '../commandIds';
import type { Command, CommandContext, JobStart } from '../commands/command';
import type { Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';
import type { Feature, FeatureContext } from './feature';
import { seedancee2Feature } from './seedancee2/index';
import { seekapiFeature } from './seekapi/index';
import { seekneticFeature } from './seeknetic/index';
import { seeleFeature } from './seele/index';
import { seisoaiFeature } from './seisoai/index';

/** Every provider's editor side. A new provider adds its feature here. */
export const FEATURES = {
  seele: seeleFeature,
  seedancee2: seedancee2Feature,
  seisoai: seisoaiFeature,
  seekapi: seekapiFeature,
  seeknetic: seekneticFeature,
} satisfies { [K in ProviderId]: { readonly id: K } };

export interface ActiveFeatures {
  commands: Map<CommandId, Command>;
  reruns: Map<ProviderId, (job: Job) => Promise<void>>;
  disposables: vscode.Disposable[];
  /** Each feature's state, for extension.ts to hand a service to another layer (the agents' video search). */
  states: { [K in keyof typeof FEATURES]?: ReturnType<(typeof FEATURES)[K]['activate']>['state'] };
}

/** Activates every feature once; each one's commands and rerun are bound to its own state. */
export function activateFeatures(
  c: CommandContext,
  reruns: Map<ProviderId, (job: Job) => Promise<void>>,
  starts: JobStart[],
): ActiveFeatures {
  const out: ActiveFeatures = { commands: new Map(), reruns, disposables: [], states: {} };
  for (const feature of Object.values(FEATURES) as Feature<unknown>[]) {
    const { state, disposables } = feature.activate(c);
    (out.states as Record<string, unknown>)[feature.id] = state;
    const fc: FeatureContext<unknown> = { ...c, feature: state };
    out.disposables.push(...disposables);
    for (const [id, fn] of Object.entries(feature.commands) as [CommandId, Command<FeatureContext<unknown>>][])
      out.commands.set(id, (_c, ...args) => fn(fc, ...args));
    for (const start of feature.starts ?? []) starts.push({ provider: feature.id, ...start });
    if (feature.rerun) {
      const rerun = feature.rerun;
      reruns.set(feature.id, (job) => rerun(fc, job));
    }
  }
  return out;
}
