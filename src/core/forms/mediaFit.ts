import * as l10n from '@vscode/l10n';
// Local files into a schema form (Explorer → Run Seisoai Tool / Seek API Worker on Selection…): which forms take
// files of the selected kinds, and which file goes into which field. Pure: the files are only their kinds here.
import type { FormField, MediaKind, SchemaForm } from './schemaForm';

/** A field that takes files of a kind: one file, or a list of them. */
export interface MediaSlot {
  field: FormField;
  list: boolean;
}

/** The kinds among the files, each once, in the order they first appear. */
export function kindsOf(files: readonly MediaKind[]): MediaKind[] {
  return [...new Set(files)];
}

/** The fields that take `kind`, best first: required before optional, one-kind before any-media, then schema order. */
export function mediaSlots(form: SchemaForm, kind: MediaKind): MediaSlot[] {
  return form.fields
    .map((field, i) => ({ field, i, list: field.widget === 'media-list' }))
    .filter(({ field }) => (field.widget === 'media' || field.widget === 'media-list') && field.media?.includes(kind))
    .sort(
      (a, b) =>
        Number(b.field.required) - Number(a.field.required) ||
        (a.field.media?.length ?? 0) - (b.field.media?.length ?? 0) ||
        a.i - b.i,
    )
    .map(({ field, list }) => ({ field, list }));
}

/** Whether the form has a field for every kind among the files. */
export function takesFiles(form: SchemaForm, files: readonly MediaKind[]): boolean {
  const kinds = kindsOf(files);
  return kinds.length > 0 && kinds.every((k) => mediaSlots(form, k).length > 0);
}

/** "image", "image and video", "image, video and audio". */
export function describeKinds(kinds: readonly MediaKind[]): string {
  return kinds.length < 2
    ? (kinds[0] ?? '')
    : l10n.t('{0} and {1}', kinds.slice(0, -1).join(', '), kinds[kinds.length - 1]);
}

export type FilePlan =
  /** More files of a kind than single fields for it, and no list: which file goes into `field`? (a file index) */
  | { ask: { field: FormField; kind: MediaKind; candidates: number[] } }
  | {
      /** field name → the file index it gets (a list field: the indexes). */
      fill: Record<string, number | number[]>;
      /** Files left out, and why. */
      unused: { file: number; reason: string }[];
    };

/**
 * Where each file goes (`files[i]` is file i's kind). Per kind: one file → the best field; several → the best list
 * field (up to its maxItems), else the single fields in order when there are enough of them, else `ask` for each
 * single field in turn (answers go in `picks`, field name → file index) and the rest are left out.
 */
export function planFiles(
  form: SchemaForm,
  files: readonly MediaKind[],
  picks: Readonly<Record<string, number>> = {},
): FilePlan {
  const fill: Record<string, number | number[]> = {};
  const unused: { file: number; reason: string }[] = [];
  const toList = (f: FormField, indexes: number[]) => {
    const have = (fill[f.name] as number[] | undefined) ?? [];
    const room = Math.max(0, (f.maxItems ?? Infinity) - have.length);
    const all = [...have, ...indexes.slice(0, room)];
    if (all.length) fill[f.name] = all;
    for (const file of indexes.slice(room)) unused.push({ file, reason: `${f.label} takes at most ${f.maxItems}` });
  };
  for (const kind of kindsOf(files)) {
    const mine = files.flatMap((k, i) => (k === kind ? [i] : []));
    const slots = mediaSlots(form, kind).filter((s) => s.list || fill[s.field.name] === undefined);
    const list = slots.find((s) => s.list);
    const singles = slots.filter((s) => !s.list).map((s) => s.field);
    if (!slots.length) {
      for (const file of mine) unused.push({ file, reason: `no field left for ${kind} files` });
    } else if (mine.length === 1) {
      const best = slots[0];
      if (best.list) toList(best.field, mine);
      else fill[best.field.name] = mine[0];
    } else if (list) {
      toList(list.field, mine);
    } else if (mine.length <= singles.length) {
      mine.forEach((file, i) => (fill[singles[i].name] = file));
    } else {
      const left = [...mine];
      for (const field of singles) {
        const pick = picks[field.name];
        if (pick === undefined || !left.includes(pick)) return { ask: { field, kind, candidates: left } };
        fill[field.name] = pick;
        left.splice(left.indexOf(pick), 1);
      }
      const n = singles.length;
      for (const file of left)
        unused.push({ file, reason: `the form has ${n === 1 ? 'one' : n} ${kind} field${n === 1 ? '' : 's'}` });
    }
  }
  return { fill, unused };
}

/** The form values of a plan, each file index replaced by what stands for that file (a `gendeck-file:` ref). */
export function planValues(
  fill: Record<string, number | number[]>,
  valueOf: (file: number) => string,
): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(fill).map(([k, v]) => [k, Array.isArray(v) ? v.map(valueOf) : valueOf(v)] as const),
  );
}
