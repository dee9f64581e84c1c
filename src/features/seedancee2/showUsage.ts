import * as vscode from 'vscode';
import { withProgress } from '../../commands/util';
import type { CommandContext } from '../../commands/command';

/** Seedancee2 usage (last 30 days) as a readable Markdown document. */
export async function showUsage(c: CommandContext): Promise<void> {
  const { g } = c;
  const end = new Date();
  const start = new Date(end.getTime() - 30 * 86_400_000);
  const usage = await withProgress(g, vscode.l10n.t('Loading Seedancee2 usage…'), (signal) =>
    g.providers.seedancee2.client.usage({ start: start.toISOString(), end: end.toISOString(), limit: 30 }, signal),
  );
  if (!usage) return;
  const s = usage.summary;
  const cell = (v: unknown) => String(v ?? '').replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
  const lines = [
    g.sandbox.active ? vscode.l10n.t('# Seedancee2 usage (sandbox)') : vscode.l10n.t('# Seedancee2 usage'),
    '',
    `${start.toISOString().slice(0, 10)} → ${end.toISOString().slice(0, 10)}`,
    '',
    `| jobs | completed | failed | running | charged | refunded | net |`,
    `|---:|---:|---:|---:|---:|---:|---:|`,
    `| ${s.total_jobs} | ${s.completed_jobs ?? ''} | ${s.failed_jobs ?? ''} | ${(s.pending_jobs ?? 0) + (s.processing_jobs ?? 0)} | ${s.credits_charged} | ${s.credits_refunded ?? ''} | ${s.net_credits ?? ''} |`,
    '',
    vscode.l10n.t('## By model'),
    '',
    '| model | jobs | charged | refunded | net |',
    '|---|---:|---:|---:|---:|',
    ...usage.by_model.map(
      (m) =>
        `| ${cell(m.model)} | ${m.total_jobs} | ${m.credits_charged} | ${m.credits_refunded ?? ''} | ${m.net_credits ?? ''} |`,
    ),
    '',
    vscode.l10n.t('## By day'),
    '',
    '| date | jobs | charged | net |',
    '|---|---:|---:|---:|',
    ...usage.timeline.map(
      (d) => `| ${cell(d.date)} | ${d.total_jobs} | ${d.credits_charged} | ${d.net_credits ?? ''} |`,
    ),
  ];
  // A read-only document: closing it never asks to save.
  await c.ui.docs.showMarkdown(`/Seedancee2 usage${g.sandbox.active ? ' (sandbox)' : ''}.md`, lines.join('\n'));
}
