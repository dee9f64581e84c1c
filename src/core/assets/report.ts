// A plan in words, the same for the editor's document and the CLI: one line per asset, then the totals.
import * as l10n from '@vscode/l10n';
import { formatCharge } from '../jobs/job';
import type { AssetStatus, Plan, PlanItem } from './plan';

export function statusLabel(s: AssetStatus): string {
  switch (s) {
    case 'missing':
      return l10n.t('missing');
    case 'changed':
      return l10n.t('changed');
    case 'stale':
      return l10n.t('stale');
    case 'inProgress':
      return l10n.t('in progress');
    case 'needsAttention':
      return l10n.t('needs attention');
    case 'upToDate':
      return l10n.t('up to date');
    case 'invalid':
      return l10n.t('invalid');
  }
}

/** "est. ~50 credits", "unknown cost", "no cost" (nothing to send). */
export function itemCost(i: PlanItem): string {
  if (i.toSend === 0) return l10n.t('nothing to send');
  if (i.status === 'invalid') return l10n.t('not sent');
  return i.cost ? l10n.t('est. {0}', formatCharge(i.cost)) : l10n.t('cost unknown');
}

export function totalsLines(plan: Pick<Plan, 'totals' | 'unknown'>): string[] {
  const lines = plan.totals.map((t) => `${t.provider}: ${formatCharge({ ...t, estimated: true })}`);
  for (const u of plan.unknown)
    lines.push(l10n.t('{0}: cost unknown before it ends ({1})', u.provider, u.ids.join(', ')));
  return lines;
}

/** The plan as Markdown: a table of the assets, the totals, and every problem. */
export function planMarkdown(plan: Plan, title: string): string {
  const rows = plan.items.map(
    (i) =>
      `| ${i.id} | ${statusLabel(i.status)} | ${i.provider} | ${i.entry.out} | ${itemCost(i)} | ${(i.reason ?? i.costNote ?? '').replace(/\|/g, '\\|')} |`,
  );
  const totals = totalsLines(plan);
  return [
    `# ${title}`,
    '',
    `| ${l10n.t('asset')} | ${l10n.t('status')} | ${l10n.t('provider')} | ${l10n.t('file')} | ${l10n.t('cost')} | ${l10n.t('note')} |`,
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `## ${l10n.t('Total to send')}`,
    '',
    ...(totals.length ? totals.map((t) => `- ${t}`) : [`- ${l10n.t('nothing')}`]),
    ...(plan.problems.length
      ? ['', `## ${l10n.t('Problems')}`, '', ...plan.problems.map((p) => `- ${p.id ? `${p.id}: ` : ''}${p.message}`)]
      : []),
    '',
  ].join('\n');
}
