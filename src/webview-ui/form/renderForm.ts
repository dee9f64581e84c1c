// The one schema form component every provider's form page uses (Seisoai tools, Seek workers).
// Built with createElement/textContent only: schema titles, descriptions and enum values come from
// providers and are never parsed as HTML.
import * as l10n from '@vscode/l10n';
import {
  coerceFieldValue,
  describeFieldErrors,
  validateValues,
  type FieldErrors,
  type FormField,
  type MediaKind,
} from '../../core/forms/schemaForm';
import { isFileRef } from '../../webview/fileRef';
import type { FileRefInfo, FormInit } from '../../webview/protocol';
import { clear, el } from '../dom';

export interface FormCallbacks {
  /** After every edit: the values, and whether every field that holds something is valid (only that is priced). */
  onChange(values: Record<string, unknown>, priceable: boolean): void;
  onPickFile(field: string, kinds: MediaKind[], index?: number): void;
  onSubmit(values: Record<string, unknown>): void;
  onCancel(): void;
}

export interface FormView {
  /** Typed values and the problems found (coercion and schema), without sending anything. */
  read(): { values: Record<string, unknown>; errors: FieldErrors };
  /** Whether every field that holds something is valid: an empty required field does not stop a price. */
  priceable(): boolean;
  setErrors(fields: FieldErrors, message?: string): void;
  setFile(field: string, index: number | undefined, file: FileRefInfo): void;
  setBusy(busy: boolean, message?: string): void;
  setPrice(text: string, pending?: boolean, error?: boolean): void;
  setDone(message: string): void;
}

interface Control {
  field: FormField;
  /** What the control holds now, before coercion. */
  raw(): unknown;
  set(value: unknown): void;
  error: HTMLElement;
  /** Only media controls: put a picked file in (row `index` of a list). */
  setFile?(index: number | undefined, ref: string): void;
}

const kb = (n: number) =>
  n >= 1024 * 1024
    ? l10n.t('{0} MB', (n / 1024 / 1024).toFixed(1))
    : l10n.t('{0} KB', Math.max(1, Math.round(n / 1024)));

function hint(f: FormField, maxInlineBytes: number): string | undefined {
  const parts: string[] = [];
  const lo = f.minimum ?? f.exclusiveMinimum;
  const hi = f.maximum ?? f.exclusiveMaximum;
  if (lo !== undefined && hi !== undefined) parts.push(`${lo} – ${hi}`);
  else if (lo !== undefined) parts.push(`≥ ${lo}`);
  else if (hi !== undefined) parts.push(`≤ ${hi}`);
  if (f.type === 'integer') parts.push(l10n.t('whole number'));
  if (f.maxLength !== undefined) parts.push(l10n.t('up to {0} characters', f.maxLength));
  if (f.minItems !== undefined || f.maxItems !== undefined)
    parts.push(l10n.t('{0}–{1} items', f.minItems ?? 0, f.maxItems ?? '∞'));
  if (f.media)
    parts.push(l10n.t('{0}: an https URL or a local file (up to {1} inline)', f.media.join('/'), kb(maxInlineBytes)));
  if (f.widget === 'list') parts.push(f.items?.enum ? l10n.t('choose any') : l10n.t('one per line'));
  if (f.widget === 'json') parts.push('JSON');
  if (f.default !== undefined && f.widget !== 'checkbox') parts.push(l10n.t('default {0}', JSON.stringify(f.default)));
  return parts.length ? parts.join(' · ') : undefined;
}

/** Whether an error path ("images[1]", "size.width") is about this field. */
function belongsTo(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}[`) || path.startsWith(`${field}.`);
}

export function renderSchemaForm(root: HTMLElement, init: FormInit, files: FileRefInfo[], cb: FormCallbacks): FormView {
  clear(root);
  const fileInfo = new Map(files.map((f) => [f.ref, f]));
  const controls: Control[] = [];
  /** Checks as the user types: a field with something in it shows its problem at once, a field already marked is
   *  updated (so "is required" goes once it is filled), an empty untouched field says nothing yet. */
  const changed = () => {
    const { values, errors } = read();
    const live: FieldErrors = {};
    for (const c of controls) {
      const marked = c.error.parentElement?.classList.contains('invalid') ?? false;
      if (!marked && !entered(c)) continue;
      for (const [p, m] of Object.entries(errors)) if (belongsTo(p, c.field.name)) live[p] = m;
    }
    setErrors(live);
    cb.onChange(values, priceable(errors));
  };
  const entered = (c: Control) => coerceFieldValue(c.field, c.raw()) !== undefined;
  /** No problem in a field that holds something. */
  const priceable = (errors: FieldErrors) =>
    !controls.some((c) => entered(c) && Object.keys(errors).some((p) => belongsTo(p, c.field.name)));

  const header = el(
    'header',
    { class: 'form-header' },
    el('h1', {}, init.title),
    ...(init.badges ?? []).map((b) => el('span', { class: 'badge' }, b)),
    ...(init.sandbox ? [el('span', { class: 'badge sandbox' }, l10n.t('sandbox'))] : []),
  );
  root.append(header);
  if (init.subtitle) root.append(el('p', { class: 'muted' }, init.subtitle));
  if (init.description) root.append(el('p', { class: 'description' }, init.description));
  const banner = el('div', { class: 'error', role: 'alert', hidden: true });
  root.append(banner);

  const form = el('form', { class: 'schema-form', novalidate: true });
  root.append(form);

  const fileChip = (ref: string, onRemove: () => void): HTMLElement => {
    const info = fileInfo.get(ref);
    const remove = el(
      'button',
      { type: 'button', class: 'secondary small', title: l10n.t('Remove this file') },
      l10n.t('Remove'),
    );
    remove.addEventListener('click', onRemove);
    return el(
      'span',
      { class: 'file-chip' },
      el('span', { class: 'codicon' }, '📎 '),
      info ? l10n.t('{0} ({1}, {2}, sent inline)', info.name, info.kind, kb(info.bytes)) : l10n.t('local file'),
      ' ',
      remove,
    );
  };

  /** One URL-or-file slot: a text box for an https URL, or a chip for a picked local file. */
  const mediaSlot = (f: FormField, initial: unknown, index: number | undefined, onEmpty?: () => void) => {
    let value: string = typeof initial === 'string' ? initial : '';
    const box = el('div', { class: 'media-slot' });
    const draw = () => {
      clear(box);
      if (isFileRef(value)) {
        box.append(
          fileChip(value, () => {
            value = '';
            if (onEmpty) onEmpty();
            else draw();
            changed();
          }),
        );
        return;
      }
      const input = el('input', {
        type: 'url',
        value,
        placeholder: 'https://…',
        'aria-label': f.label,
        spellcheck: false,
      });
      input.addEventListener('input', () => {
        value = input.value;
        changed();
      });
      const pick = el('button', { type: 'button', class: 'secondary' }, l10n.t('Choose File…'));
      pick.addEventListener('click', () => cb.onPickFile(f.name, f.media ?? ['image', 'video', 'audio'], index));
      box.append(input, pick);
      if (onEmpty) {
        const del = el('button', { type: 'button', class: 'secondary small', title: l10n.t('Remove this row') }, '✕');
        del.addEventListener('click', onEmpty);
        box.append(del);
      }
    };
    draw();
    return {
      box,
      get: () => value,
      set: (v: string) => {
        value = v;
        draw();
      },
    };
  };

  for (const f of init.form.fields) {
    const id = `f-${f.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const error = el('div', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
    const initial = init.values[f.name];
    const wrap = el('div', { class: `field field-${f.widget}${f.required ? ' required' : ''}` });
    const label = el(
      'label',
      { for: id },
      f.label,
      f.required ? el('span', { class: 'req', title: l10n.t('required') }, ' *') : undefined,
    );
    const nameTag = f.label !== f.name ? el('code', { class: 'name' }, f.name) : undefined;
    wrap.append(el('div', { class: 'field-head' }, label, nameTag));
    if (f.description) wrap.append(el('p', { class: 'muted field-desc' }, f.description));
    let control: Control;
    const describedBy = `${id}-error`;
    switch (f.widget) {
      case 'checkbox': {
        if (!f.required && f.default === undefined) {
          // An optional boolean with no default can also be left out.
          const sel = el(
            'select',
            { id, 'aria-describedby': describedBy },
            el('option', { value: '' }, '(not set)'),
            el('option', { value: 'true' }, 'true'),
            el('option', { value: 'false' }, 'false'),
          );
          sel.value = initial === true ? 'true' : initial === false ? 'false' : '';
          sel.addEventListener('change', changed);
          wrap.append(sel);
          control = {
            field: f,
            error,
            raw: () => (sel.value === '' ? undefined : sel.value),
            set: (v) => (sel.value = v === true ? 'true' : v === false ? 'false' : ''),
          };
        } else {
          const box = el('input', { type: 'checkbox', id, 'aria-describedby': describedBy });
          box.checked = initial === true;
          box.addEventListener('change', changed);
          wrap.append(
            el(
              'div',
              { class: 'checkbox-row' },
              box,
              el('span', { class: 'muted' }, f.default !== undefined ? `default ${String(f.default)}` : ''),
            ),
          );
          control = { field: f, error, raw: () => box.checked, set: (v) => (box.checked = v === true) };
        }
        break;
      }
      case 'select': {
        const options = f.enum ?? [];
        const sel = el('select', { id, 'aria-describedby': describedBy });
        if (!f.required || initial === undefined)
          sel.append(
            el(
              'option',
              { value: '' },
              f.required ? '(choose)' : f.default !== undefined ? `(default: ${String(f.default)})` : '(not set)',
            ),
          );
        options.forEach((o, i) => sel.append(el('option', { value: String(i) }, String(o))));
        const set = (v: unknown) => {
          const i = options.findIndex((o) => o === v);
          sel.value = i >= 0 ? String(i) : '';
        };
        set(initial);
        sel.addEventListener('change', changed);
        wrap.append(sel);
        control = { field: f, error, raw: () => (sel.value === '' ? undefined : options[Number(sel.value)]), set };
        break;
      }
      case 'number': {
        const input = el('input', {
          type: 'number',
          id,
          'aria-describedby': describedBy,
          min: f.minimum,
          max: f.maximum,
          step: f.type === 'integer' ? (f.multipleOf ?? 1) : (f.multipleOf ?? 'any'),
        });
        input.value = typeof initial === 'number' ? String(initial) : '';
        input.addEventListener('input', changed);
        wrap.append(input);
        control = {
          field: f,
          error,
          raw: () => input.value,
          set: (v) => (input.value = typeof v === 'number' ? String(v) : ''),
        };
        break;
      }
      case 'media': {
        const slot = mediaSlot(f, initial, undefined);
        wrap.append(slot.box);
        control = {
          field: f,
          error,
          raw: () => slot.get(),
          set: (v) => slot.set(typeof v === 'string' ? v : ''),
          setFile: (_i, ref) => slot.set(ref),
        };
        break;
      }
      case 'media-list': {
        const rows = el('div', { class: 'media-rows' });
        let slots: ReturnType<typeof mediaSlot>[] = [];
        const redraw = (values: string[]) => {
          clear(rows);
          slots = values.map((v, i) =>
            mediaSlot(f, v, i, () => {
              redraw(slots.map((s) => s.get()).filter((_x, j) => j !== i));
              changed();
            }),
          );
          slots.forEach((s) => rows.append(s.box));
        };
        redraw(Array.isArray(initial) ? initial.filter((x): x is string => typeof x === 'string') : []);
        const addUrl = el('button', { type: 'button', class: 'secondary small' }, l10n.t('Add URL'));
        addUrl.addEventListener('click', () => redraw([...slots.map((s) => s.get()), '']));
        const addFile = el('button', { type: 'button', class: 'secondary small' }, l10n.t('Add File…'));
        addFile.addEventListener('click', () =>
          cb.onPickFile(f.name, f.media ?? ['image', 'video', 'audio'], slots.length),
        );
        wrap.append(rows, el('div', { class: 'actions' }, addUrl, addFile));
        control = {
          field: f,
          error,
          raw: () => slots.map((s) => s.get()),
          set: (v) => redraw(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []),
          setFile: (index, ref) => {
            const values = slots.map((s) => s.get());
            if (index === undefined || index >= values.length) values.push(ref);
            else values[index] = ref;
            redraw(values);
          },
        };
        break;
      }
      case 'list': {
        if (f.items?.enum?.length) {
          const boxes = f.items.enum.map((o) => {
            const b = el('input', { type: 'checkbox' });
            b.checked = Array.isArray(initial) && initial.includes(o);
            b.addEventListener('change', changed);
            return { o, b };
          });
          wrap.append(
            el(
              'div',
              { class: 'choices', id },
              ...boxes.map(({ o, b }) => el('label', { class: 'choice' }, b, ` ${String(o)}`)),
            ),
          );
          control = {
            field: f,
            error,
            raw: () => boxes.filter((x) => x.b.checked).map((x) => x.o),
            set: (v) => boxes.forEach((x) => (x.b.checked = Array.isArray(v) && v.includes(x.o))),
          };
        } else {
          const area = el('textarea', { id, rows: 3, 'aria-describedby': describedBy, spellcheck: false });
          area.value = Array.isArray(initial) ? initial.map(String).join('\n') : '';
          area.addEventListener('input', changed);
          wrap.append(area);
          control = {
            field: f,
            error,
            raw: () => area.value.split('\n'),
            set: (v) => (area.value = Array.isArray(v) ? v.map(String).join('\n') : ''),
          };
        }
        break;
      }
      case 'json': {
        const area = el('textarea', { id, rows: 4, class: 'mono', 'aria-describedby': describedBy, spellcheck: false });
        area.value = initial === undefined ? '' : JSON.stringify(initial, null, 2);
        area.addEventListener('input', changed);
        wrap.append(area);
        control = {
          field: f,
          error,
          raw: () => area.value,
          set: (v) => (area.value = v === undefined ? '' : JSON.stringify(v, null, 2)),
        };
        break;
      }
      default: {
        const multi = f.widget === 'textarea';
        const input = multi
          ? el('textarea', { id, rows: 4, 'aria-describedby': describedBy, maxlength: f.maxLength })
          : el('input', {
              type: f.widget === 'url' ? 'url' : 'text',
              id,
              'aria-describedby': describedBy,
              maxlength: f.maxLength,
              spellcheck: f.widget !== 'url',
            });
        input.value = typeof initial === 'string' ? initial : '';
        input.addEventListener('input', changed);
        wrap.append(input);
        control = {
          field: f,
          error,
          raw: () => input.value,
          set: (v) => (input.value = typeof v === 'string' ? v : ''),
        };
      }
    }
    const h = hint(f, init.maxInlineBytes);
    if (h) wrap.append(el('p', { class: 'hint' }, h));
    wrap.append(error);
    form.append(wrap);
    controls.push(control);
  }
  if (!init.form.fields.length) form.append(el('p', { class: 'muted' }, l10n.t('This tool takes no input.')));

  const price = el('div', { class: 'price', 'aria-live': 'polite', hidden: !init.priced });
  const notes = el('ul', { class: 'notes' }, ...(init.notes ?? []).map((n) => el('li', {}, n)));
  const submit = el('button', { type: 'submit' }, init.submitLabel);
  const cancel = el('button', { type: 'button', class: 'secondary' }, l10n.t('Close'));
  const status = el('p', { class: 'status', 'aria-live': 'polite' });
  form.append(
    el(
      'div',
      { class: 'submit-area' },
      price,
      init.notes?.length ? notes : undefined,
      el('div', { class: 'actions' }, submit, cancel),
      status,
    ),
  );
  cancel.addEventListener('click', () => cb.onCancel());

  /** Local files stand in as empty data: URIs of their kind, so the schema check can see them. */
  const forValidation = (v: unknown): unknown => {
    if (isFileRef(v)) return `data:${fileInfo.get(v)?.mime ?? 'image/png'};base64,`;
    if (Array.isArray(v)) return v.map(forValidation);
    return v;
  };

  function read(): { values: Record<string, unknown>; errors: FieldErrors } {
    const values: Record<string, unknown> = {};
    const errors: FieldErrors = {};
    for (const c of controls) {
      const r = coerceFieldValue(c.field, c.raw());
      if (!r) continue;
      if ('error' in r) errors[c.field.name] = r.error;
      else values[c.field.name] = r.value;
    }
    const checked = validateValues(
      init.form,
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, forValidation(v)])),
    );
    for (const [k, m] of Object.entries(checked)) if (!errors[k]) errors[k] = m;
    return { values, errors };
  }

  function setErrors(fields: FieldErrors, message?: string): void {
    for (const c of controls) {
      const mine = Object.entries(fields).filter(([p]) => belongsTo(p, c.field.name));
      c.error.textContent = mine
        .map(([p, m]) => (p === c.field.name ? m : `${p.slice(c.field.name.length)} ${m}`))
        .join('; ');
      c.error.parentElement?.classList.toggle('invalid', mine.length > 0);
    }
    const unknown = Object.entries(fields).filter(([p]) => !controls.some((c) => belongsTo(p, c.field.name)));
    const text = [message, unknown.length ? describeFieldErrors(Object.fromEntries(unknown)) : undefined]
      .filter(Boolean)
      .join(' ');
    banner.textContent = text;
    banner.hidden = !text;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const { values, errors } = read();
    if (Object.keys(errors).length) {
      setErrors(errors, l10n.t('Fix the marked fields; nothing was sent.'));
      const first = form.querySelector('.invalid input, .invalid select, .invalid textarea') as HTMLElement | null;
      first?.focus();
      return;
    }
    setErrors({});
    cb.onSubmit(values);
  });

  return {
    read,
    priceable: () => priceable(read().errors),
    setErrors,
    setFile(field, index, file) {
      fileInfo.set(file.ref, file);
      controls.find((c) => c.field.name === field)?.setFile?.(index, file.ref);
      changed();
    },
    setBusy(busy, message) {
      submit.disabled = busy;
      status.textContent = message ?? '';
    },
    setPrice(text, pending, error) {
      price.hidden = false;
      price.textContent = text;
      price.classList.toggle('pending', !!pending);
      price.classList.toggle('price-error', !!error);
    },
    setDone(message) {
      submit.disabled = false;
      status.textContent = message;
    },
  };
}
