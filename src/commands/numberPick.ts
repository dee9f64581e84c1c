import * as vscode from 'vscode';
import { pickStep, type Step } from './steps';

/** One row of a number pick; `value` undefined for the row that says why what was typed cannot be taken. */
export interface NumberItem extends vscode.QuickPickItem {
  value?: number;
}

/**
 * The rows for what the user typed: every allowed number while nothing is typed (the default first), exactly the
 * typed one when it is allowed (so "0" never picks "10"), and one row naming the range when it is not.
 */
export function numberItems(
  typed: string,
  o: { min: number; max: number; unit: string; default?: number },
): NumberItem[] {
  const all = Array.from({ length: o.max - o.min + 1 }, (_, i) => o.min + i);
  const def = o.default !== undefined && all.includes(o.default) ? o.default : undefined;
  const row = (n: number): NumberItem => ({
    label: `${n} ${o.unit}`,
    description: n === def ? vscode.l10n.t('default') : undefined,
    value: n,
    alwaysShow: true,
  });
  const text = typed.trim();
  if (!text) return (def !== undefined ? [def, ...all.filter((n) => n !== def)] : all).map(row);
  const n = Number(text.replace(new RegExp(`\\s*${o.unit}$`), ''));
  if (Number.isInteger(n) && n >= o.min && n <= o.max) return [row(n)];
  return [
    {
      label: vscode.l10n.t(
        '$(error) {0} is not allowed: choose a whole number from {1} to {2} {3}',
        text,
        o.min,
        o.max,
        o.unit,
      ),
      alwaysShow: true,
    },
  ];
}

/** A step asking for a whole number in a range (for these answers), the range in its title: "Duration (4–15 s)". */
export function numberStep<S>(o: {
  name: string;
  skip?: (s: S) => boolean;
  range(s: S): { min: number; max: number; unit: string; default?: number };
  /** The current answer, pre-selected. */
  value(s: S): number | undefined;
  accept(n: number, s: S): void;
}): Step<S> {
  return pickStep<S, NumberItem>({
    name: (s) => {
      const r = o.range(s);
      return vscode.l10n.t('{0} ({1}–{2} {3})', o.name, r.min, r.max, r.unit);
    },
    skip: o.skip,
    placeholder: (s) => vscode.l10n.t('Type or choose a number from {0} to {1}', o.range(s).min, o.range(s).max),
    typed: true,
    items: (s, typed) => numberItems(typed ?? '', o.range(s)),
    selected: (s) => {
      const n = o.value(s);
      return n === undefined ? undefined : `${n} ${o.range(s).unit}`;
    },
    refuse: (item) => item.value === undefined, // the range row: it already says why
    accept: (item, s) => o.accept(item.value!, s),
  });
}
