import type * as vscode from 'vscode';
import type { FeatureCommandIdsOf } from '../commandIds';
import type { Command, CommandContext } from '../commands/command';
import type { Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';

/** What a feature's commands receive: the shared context plus the feature's own state. */
export type FeatureContext<S> = CommandContext & { readonly feature: S };

/**
 * One provider's editor side: `activate` builds its state once (views, watchers, listeners), its commands get
 * that state typed, and `rerun` runs one of its jobs again (Jobs view: Retry / Run Again).
 */
export interface Feature<S = unknown, P extends ProviderId = ProviderId> {
  readonly id: P;
  activate(c: CommandContext): { state: S; disposables: vscode.Disposable[] };
  /** Every command the feature declared for its provider (commandIds.ts FeatureCommandIds), none other. */
  readonly commands: { readonly [K in FeatureCommandIdsOf<P>]: Command<FeatureContext<S>> };
  rerun?(c: FeatureContext<S>, job: Job): Promise<void>;
  /** What the user can start with this provider, each one of its commands (the Jobs view's New… menu). */
  readonly starts?: readonly { label: string; detail?: string; command: FeatureCommandIdsOf<P> }[];
}

export function defineFeature<S, P extends ProviderId>(f: Feature<S, P>): Feature<S, P> {
  return f;
}
