import * as l10n from '@vscode/l10n';
// The JSON-schema form model shared by every provider that takes a schema-described input
// (Seisoai tools, Seek workers). Pure TypeScript with no imports, so the webview bundle uses
// the very same code to render and validate the form before anything is sent.

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'any';
export type MediaKind = 'image' | 'video' | 'audio';
export type Scalar = string | number | boolean;

/** How the editor should draw a field. */
export type Widget =
  'text' | 'textarea' | 'url' | 'number' | 'checkbox' | 'select' | 'media' | 'list' | 'media-list' | 'json';

/** What an array's elements must be (only scalar items get their own inputs; others are edited as JSON). */
export interface ItemSpec {
  type: FieldType;
  enum?: Scalar[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** Set when each item is a media URL. */
  media?: MediaKind[];
}

export interface FormField {
  /** The property name; also the path used in validation messages. */
  name: string;
  label: string;
  type: FieldType;
  widget: Widget;
  required: boolean;
  nullable?: boolean;
  description?: string;
  default?: unknown;
  enum?: Scalar[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  items?: ItemSpec;
  /**
   * Set when the field takes a media URL: the editor offers "pick a workspace file"
   * (sent as a data: URI) or an https URL. Lists the acceptable kinds.
   */
  media?: MediaKind[];
  /** The property's own schema, for nested objects and arrays of objects (validated recursively). */
  schema: JsonSchema;
}

export interface SchemaForm {
  title?: string;
  description?: string;
  fields: FormField[];
  /** False when the schema forbids properties it does not list. */
  additionalProperties: boolean;
}

/** The subset of JSON Schema the providers use; anything else is tolerated and ignored. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  contentMediaType?: string;
  items?: JsonSchema | JsonSchema[];
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  [extra: string]: unknown;
}

export interface ValidateOptions {
  /** Largest decoded size a data: URI may have (bytes); unchecked when absent. */
  maxDataUriBytes?: number;
  /** Accept plain http:// media URLs on loopback hosts (the local sandbox's own outputs). Default true. */
  allowLoopbackHttp?: boolean;
}

/** path → message, e.g. { "prompt": "is required", "image_urls[1]": "must be an https URL or a workspace file" }. */
export type FieldErrors = Record<string, string>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Reads whatever the provider sent as a schema without trusting its shape. */
function asSchema(v: unknown): JsonSchema {
  return isObj(v) ? (v as JsonSchema) : {};
}

/** `{anyOf: [{type:'string'}, {type:'null'}]}` and `type: ['string','null']` become the string schema plus nullable. */
function unwrap(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  let nullable = schema.nullable === true;
  const variants = (
    Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined
  )?.map(asSchema);
  if (variants && !schema.type && !schema.enum) {
    const nonNull = variants.filter((s) => s.type !== 'null');
    nullable ||= nonNull.length < variants.length;
    if (nonNull.length === 1) {
      const rest: JsonSchema = { ...schema };
      delete rest.anyOf;
      delete rest.oneOf;
      return {
        schema: { ...rest, ...nonNull[0], description: schema.description ?? nonNull[0].description },
        nullable,
      };
    }
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t): t is string => typeof t === 'string');
    const nonNull = types.filter((t) => t !== 'null');
    nullable ||= nonNull.length < types.length;
    return { schema: { ...schema, type: nonNull.length === 1 ? nonNull[0] : undefined }, nullable };
  }
  return { schema, nullable };
}

function typeOf(schema: JsonSchema): FieldType {
  const t = typeof schema.type === 'string' ? schema.type : undefined;
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean' || t === 'array' || t === 'object')
    return t;
  if (Array.isArray(schema.enum) && schema.enum.length) {
    const e = schema.enum;
    if (e.every((x) => typeof x === 'string')) return 'string';
    if (e.every((x) => Number.isInteger(x))) return 'integer';
    if (e.every((x) => typeof x === 'number')) return 'number';
    if (e.every((x) => typeof x === 'boolean')) return 'boolean';
  }
  if (schema.const !== undefined) return isScalar(schema.const) ? (typeof schema.const as FieldType) : 'any';
  if (isObj(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'any';
}

const MEDIA_WORDS: Record<MediaKind, RegExp> = {
  image:
    /(^|_)(image|images|img|photo|picture|mask|frame|face|thumbnail|poster|sketch|style_image|reference_image)(_|$)/,
  video: /(^|_)(video|videos|clip|footage|driving_video)(_|$)/,
  audio: /(^|_)(audio|audios|voice|speech|sound|music|song|vocals?)(_|$)/,
};
const NOT_MEDIA = /(^|_)(callback|webhook|redirect|return|cancel|success|status|result|website|homepage|profile)(_|$)/;
const MEDIA_FORMATS: Record<string, MediaKind[]> = {
  'image-url': ['image'],
  'video-url': ['video'],
  'audio-url': ['audio'],
  'media-url': ['image', 'video', 'audio'],
  image: ['image'],
  video: ['video'],
  audio: ['audio'],
};

/**
 * Which media a URL-taking field wants, from its name (image_url, driving_video_url, audio_urls,
 * reference_urls, image_link …), its format (image-url …) or its contentMediaType (image/png, video/*).
 * Undefined when it is not a media field (a webhook, a plain link, a prompt).
 */
export function mediaKindsFor(name: string, schema: JsonSchema = {}): MediaKind[] | undefined {
  const cmt = str(schema.contentMediaType)?.toLowerCase();
  if (cmt) {
    const kind = cmt.split('/')[0];
    if (kind === 'image' || kind === 'video' || kind === 'audio') return [kind];
  }
  const fmt = str(schema.format)?.toLowerCase();
  if (fmt && MEDIA_FORMATS[fmt]) return MEDIA_FORMATS[fmt];
  const n = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  if (!/(^|_)(url|urls|uri|uris|link|links)$/.test(n) || NOT_MEDIA.test(n)) return undefined;
  const kinds = (Object.keys(MEDIA_WORDS) as MediaKind[]).filter((k) => MEDIA_WORDS[k].test(n));
  if (kinds.length) return kinds;
  // A bare list of URLs ("reference_urls", "input_urls") is taken to be media of any kind.
  return /_(urls|uris|links)$/.test(n) && /(^|_)(reference|input|source|media|file|files|asset|assets)(_|$)/.test(n)
    ? ['image', 'video', 'audio']
    : undefined;
}

function humanLabel(name: string, schema: JsonSchema): string {
  const t = str(schema.title)?.trim();
  if (t) return t;
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim();
  return words ? words[0].toUpperCase() + words.slice(1) : name;
}

function bound(v: number | boolean | undefined, base: number | undefined): number | undefined {
  // Draft 4 style `exclusiveMinimum: true` next to `minimum`.
  if (v === true) return base;
  return num(v);
}

function itemSpec(name: string, raw: unknown): ItemSpec | undefined {
  if (Array.isArray(raw)) return undefined; // tuple schemas are edited as JSON
  if (raw === undefined) return { type: 'any' };
  const { schema } = unwrap(asSchema(raw));
  const type = typeOf(schema);
  const spec: ItemSpec = { type };
  const e = Array.isArray(schema.enum) ? schema.enum.filter(isScalar) : undefined;
  if (e?.length) spec.enum = e;
  if (str(schema.format)) spec.format = schema.format;
  if (num(schema.minimum) !== undefined) spec.minimum = schema.minimum;
  if (num(schema.maximum) !== undefined) spec.maximum = schema.maximum;
  if (num(schema.minLength) !== undefined) spec.minLength = schema.minLength;
  if (num(schema.maxLength) !== undefined) spec.maxLength = schema.maxLength;
  if (str(schema.pattern)) spec.pattern = schema.pattern;
  if (type === 'string' || type === 'any') {
    const media = mediaKindsFor(name, schema) ?? mediaKindsFor(name);
    if (media) spec.media = media;
  }
  return spec;
}

function fieldFor(name: string, rawSchema: unknown, required: boolean): FormField {
  const { schema, nullable } = unwrap(asSchema(rawSchema));
  const type = typeOf(schema);
  const f: FormField = { name, label: humanLabel(name, schema), type, widget: 'json', required, schema };
  if (nullable) f.nullable = true;
  const d = str(schema.description)?.trim();
  if (d) f.description = d;
  if (schema.default !== undefined) f.default = schema.default;
  const e = Array.isArray(schema.enum)
    ? schema.enum.filter(isScalar)
    : schema.const !== undefined && isScalar(schema.const)
      ? [schema.const]
      : undefined;
  if (e?.length) f.enum = e;
  const setNum = (k: 'minimum' | 'maximum' | 'multipleOf' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems') => {
    const v = num(schema[k]);
    if (v !== undefined) f[k] = v;
  };
  (['minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const).forEach(setNum);
  const exMin = bound(schema.exclusiveMinimum, num(schema.minimum));
  const exMax = bound(schema.exclusiveMaximum, num(schema.maximum));
  if (exMin !== undefined) f.exclusiveMinimum = exMin;
  if (exMax !== undefined) f.exclusiveMaximum = exMax;
  if (schema.exclusiveMinimum === true) delete f.minimum;
  if (schema.exclusiveMaximum === true) delete f.maximum;
  if (str(schema.pattern)) f.pattern = schema.pattern;
  if (str(schema.format)) f.format = schema.format;

  if (f.enum) f.widget = 'select';
  else if (type === 'boolean') f.widget = 'checkbox';
  else if (type === 'number' || type === 'integer') f.widget = 'number';
  else if (type === 'string') {
    const media = mediaKindsFor(name, schema);
    if (media) {
      f.media = media;
      f.widget = 'media';
    } else if (f.format === 'uri' || f.format === 'url' || f.format === 'uri-reference') f.widget = 'url';
    else
      f.widget =
        (f.maxLength ?? Infinity) > 200 && /prompt|text|description|lyrics|script|content|message/i.test(name)
          ? 'textarea'
          : 'text';
  } else if (type === 'array') {
    const items = itemSpec(name, schema.items);
    if (items) f.items = items;
    if (items?.media) {
      f.media = items.media;
      f.widget = 'media-list';
    } else if (items && items.type !== 'object' && items.type !== 'array') f.widget = 'list';
  }
  return f;
}

/** A form from a tool's or worker's input schema. Tolerates anything: a non-object schema yields no fields. */
export function formFromSchema(input: unknown): SchemaForm {
  const root = unwrap(asSchema(input)).schema;
  const props = isObj(root.properties) ? root.properties : {};
  const required = new Set(
    Array.isArray(root.required) ? root.required.filter((r): r is string => typeof r === 'string') : [],
  );
  const fields = Object.entries(props).map(([name, s]) => fieldFor(name, s, required.has(name)));
  // Required fields first, keeping the schema's order within each group.
  fields.sort((a, b) => Number(b.required) - Number(a.required));
  const form: SchemaForm = { fields, additionalProperties: root.additionalProperties !== false };
  if (str(root.title)) form.title = root.title;
  if (str(root.description)) form.description = root.description;
  return form;
}

/** The defaults a fresh form starts with (only fields whose schema gives one). */
export function initialValues(form: SchemaForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) if (f.default !== undefined) out[f.name] = structuredCloneSafe(f.default);
  return out;
}

function structuredCloneSafe<T>(v: T): T {
  return v === null || typeof v !== 'object' ? v : (JSON.parse(JSON.stringify(v)) as T);
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//i;

/** Decoded size of a base64 data: URI, in bytes. */
export function dataUriBytes(uri: string): number {
  const comma = uri.indexOf(',');
  const payload = comma >= 0 ? uri.slice(comma + 1) : '';
  if (!/;base64,/i.test(uri.slice(0, comma + 1))) return decodeURIComponentSafe(payload).length;
  const pad = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((payload.length * 3) / 4) - pad);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// The field problems are phrases said after the field's name ("prompt must not be empty"): the form shows each beside
// its field, and a summary puts the name before it with a message of its own, so a translation can order the two.

function mb(n: number): string {
  return l10n.t('{0} MB', (n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 1));
}

/** Why a media value is unacceptable, or undefined when it is fine. */
export function checkMediaValue(value: string, kinds: MediaKind[], o: ValidateOptions = {}): string | undefined {
  const v = value.trim();
  if (/^data:/i.test(v)) {
    const m = /^data:([a-z]+)\/[a-z0-9.+-]+(;[^,]*)?,/i.exec(v);
    if (!m) return l10n.t('is not a valid data: URI');
    const kind = m[1].toLowerCase() as MediaKind;
    if (!kinds.includes(kind)) return l10n.t('must be {0}, not {1}', kinds.join(l10n.t(' or ')), kind);
    const bytes = dataUriBytes(v);
    if (o.maxDataUriBytes !== undefined && bytes > o.maxDataUriBytes)
      return l10n.t('is {0} inline; at most {1} (use an https URL for larger files)', mb(bytes), mb(o.maxDataUriBytes));
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return l10n.t('must be an https URL or a workspace file');
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && (o.allowLoopbackHttp ?? true) && LOOPBACK.test(url.href)) return undefined;
  return l10n.t('must be an https URL or a workspace file');
}

function isUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return l10n.t('a list');
  switch (typeof v) {
    case 'object':
      return l10n.t('an object');
    case 'string':
      return l10n.t('a string');
    case 'number':
      return l10n.t('a number');
    case 'boolean':
      return l10n.t('a boolean');
    case 'undefined':
      return l10n.t('nothing');
    default:
      return l10n.t('a {0}', typeof v);
  }
}

const fmt = (n: number) => String(n);

function checkScalar(
  spec: Omit<ItemSpec, 'media'> & { exclusiveMinimum?: number; exclusiveMaximum?: number; multipleOf?: number },
  value: unknown,
): string | undefined {
  const t = spec.type;
  if (spec.enum && !spec.enum.some((e) => e === value))
    return l10n.t('must be one of {0}', spec.enum.map((e) => JSON.stringify(e)).join(', '));
  if (t === 'string') {
    if (typeof value !== 'string') return l10n.t('must be text, not {0}', typeName(value));
    if (spec.minLength !== undefined && value.length < spec.minLength)
      return spec.minLength === 1
        ? l10n.t('must not be empty')
        : l10n.t('must be at least {0} characters', spec.minLength);
    if (spec.maxLength !== undefined && value.length > spec.maxLength)
      return l10n.t('must be at most {0} characters (is {1})', spec.maxLength, value.length);
    if (spec.pattern) {
      let re: RegExp | undefined;
      try {
        re = new RegExp(spec.pattern, 'u');
      } catch {
        re = undefined;
      }
      if (re && !re.test(value)) return l10n.t('does not match the expected pattern {0}', spec.pattern);
    }
    if ((spec.format === 'uri' || spec.format === 'url') && !isUrl(value) && !/^data:/i.test(value))
      return l10n.t('must be a URL (https://…)');
    return undefined;
  }
  if (t === 'number' || t === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return l10n.t('must be a number, not {0}', typeName(value));
    if (t === 'integer' && !Number.isInteger(value)) return l10n.t('must be a whole number');
    if (spec.minimum !== undefined && value < spec.minimum)
      return spec.maximum !== undefined
        ? l10n.t('must be from {0} to {1}', fmt(spec.minimum), fmt(spec.maximum))
        : l10n.t('must be at least {0}', fmt(spec.minimum));
    if (spec.maximum !== undefined && value > spec.maximum)
      return spec.minimum !== undefined
        ? l10n.t('must be from {0} to {1}', fmt(spec.minimum), fmt(spec.maximum))
        : l10n.t('must be at most {0}', fmt(spec.maximum));
    if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum)
      return l10n.t('must be greater than {0}', fmt(spec.exclusiveMinimum));
    if (spec.exclusiveMaximum !== undefined && value >= spec.exclusiveMaximum)
      return l10n.t('must be less than {0}', fmt(spec.exclusiveMaximum));
    if (
      spec.multipleOf !== undefined &&
      spec.multipleOf > 0 &&
      Math.abs(value / spec.multipleOf - Math.round(value / spec.multipleOf)) > 1e-9
    )
      return l10n.t('must be a multiple of {0}', fmt(spec.multipleOf));
    return undefined;
  }
  if (t === 'boolean')
    return typeof value === 'boolean' ? undefined : l10n.t('must be true or false, not {0}', typeName(value));
  return undefined;
}

/** Validates a value against a raw (sub)schema, recursing into objects and arrays. */
function validateSchemaValue(
  rawSchema: JsonSchema,
  name: string,
  value: unknown,
  path: string,
  out: FieldErrors,
  o: ValidateOptions,
): void {
  if (value === null) {
    if (!unwrap(rawSchema).nullable) out[path] = l10n.t('must not be empty');
    return;
  }
  const f = fieldFor(name, rawSchema, false);
  validateField(f, value, path, out, o);
}

function validateField(f: FormField, value: unknown, path: string, out: FieldErrors, o: ValidateOptions): void {
  if (value === null) {
    if (!f.nullable) out[path] = f.required ? l10n.t('is required') : l10n.t('must not be empty');
    return;
  }
  if (f.type === 'object') {
    if (!isObj(value)) {
      out[path] = l10n.t('must be an object, not {0}', typeName(value));
      return;
    }
    const sub = collectErrors(f.schema, value, `${path}.`, o);
    Object.assign(out, sub);
    return;
  }
  if (f.type === 'array') {
    if (!Array.isArray(value)) {
      out[path] = l10n.t('must be a list, not {0}', typeName(value));
      return;
    }
    if (f.minItems !== undefined && value.length < f.minItems) {
      out[path] = f.minItems === 1 ? l10n.t('needs at least one item') : l10n.t('needs at least {0} items', f.minItems);
      return;
    }
    if (f.maxItems !== undefined && value.length > f.maxItems) {
      out[path] = l10n.t('takes at most {0} items (has {1})', f.maxItems, value.length);
      return;
    }
    const itemsSchema = f.schema.items;
    if (itemsSchema === undefined || Array.isArray(itemsSchema)) return;
    value.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (f.items?.media && typeof item === 'string') {
        const m = checkMediaValue(item, f.items.media, o);
        if (m) out[p] = m;
        return;
      }
      validateSchemaValue(asSchema(itemsSchema), f.name, item, p, out, o);
    });
    return;
  }
  if (f.type === 'any') {
    if (f.enum && !f.enum.some((e) => e === value))
      out[path] = l10n.t('must be one of {0}', f.enum.map((e) => JSON.stringify(e)).join(', '));
    return;
  }
  // A media field's own rule (https or an inline file) replaces the generic URL format check.
  const m =
    checkScalar(f.media ? { ...f, format: undefined } : f, value) ??
    (f.media && typeof value === 'string' ? checkMediaValue(value, f.media, o) : undefined);
  if (m) out[path] = m;
}

function isMissing(v: unknown): boolean {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

function collectErrors(
  schema: JsonSchema,
  values: Record<string, unknown>,
  prefix: string,
  o: ValidateOptions,
): FieldErrors {
  const form = formFromSchema(schema);
  const out: FieldErrors = {};
  const known = new Set(form.fields.map((f) => f.name));
  for (const f of form.fields) {
    const v = values[f.name];
    const path = `${prefix}${f.name}`;
    if (isMissing(v)) {
      if (f.required) out[path] = l10n.t('is required');
      continue;
    }
    validateField(f, v, path, out, o);
  }
  if (!form.additionalProperties) {
    for (const k of Object.keys(values))
      if (!known.has(k) && values[k] !== undefined) out[`${prefix}${k}`] = l10n.t('is not a field of this schema');
  }
  return out;
}

/**
 * Checks input values against the schema (or a form built from it). Returns path → message;
 * an empty object means valid. Paths: `name`, `name[2]`, `name.sub`.
 */
export function validateValues(
  schemaOrForm: unknown,
  values: Record<string, unknown>,
  o: ValidateOptions = {},
): FieldErrors {
  if (!isObj(values)) return { '': l10n.t('the input must be an object') };
  const schema = isSchemaForm(schemaOrForm) ? formToSchema(schemaOrForm) : unwrap(asSchema(schemaOrForm)).schema;
  return collectErrors(schema, values, '', o);
}

function isSchemaForm(v: unknown): v is SchemaForm {
  return isObj(v) && Array.isArray(v.fields) && typeof v.additionalProperties === 'boolean';
}

/** The schema a form was built from (enough to validate against). */
export function formToSchema(form: SchemaForm): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(form.fields.map((f) => [f.name, f.schema])),
    required: form.fields.filter((f) => f.required).map((f) => f.name),
    additionalProperties: form.additionalProperties,
  };
}

/**
 * Turns what a form control holds (text from an input box, a checkbox state, list rows) into the
 * typed value the schema wants. Returns undefined for an empty optional entry, and `{ error }`
 * when the text cannot be read as that type.
 */
export function coerceFieldValue(f: FormField, raw: unknown): { value: unknown } | { error: string } | undefined {
  if (raw === undefined || raw === null) return undefined;
  const fromText = (
    text: string,
    type: FieldType,
    enumValues?: Scalar[],
  ): { value: unknown } | { error: string } | undefined => {
    const t = text.trim();
    if (t === '') return undefined;
    if (enumValues?.length) {
      const hit = enumValues.find((e) => String(e) === t);
      if (hit !== undefined) return { value: hit };
    }
    if (type === 'number' || type === 'integer') {
      const n = Number(t);
      return Number.isFinite(n) ? { value: n } : { error: l10n.t('must be a number') };
    }
    if (type === 'boolean')
      return t === 'true'
        ? { value: true }
        : t === 'false'
          ? { value: false }
          : { error: l10n.t('must be true or false') };
    if (type === 'object' || type === 'any' || type === 'array') {
      try {
        return { value: JSON.parse(t) };
      } catch {
        return type === 'any' ? { value: text } : { error: l10n.t('is not valid JSON') };
      }
    }
    return { value: text };
  };
  if (f.widget === 'checkbox') return typeof raw === 'boolean' ? { value: raw } : fromText(String(raw), 'boolean');
  if (f.widget === 'list' || f.widget === 'media-list') {
    const rows = Array.isArray(raw) ? raw : String(raw).split('\n');
    const out: unknown[] = [];
    for (const r of rows) {
      const c = typeof r === 'string' ? fromText(r, f.items?.type ?? 'string', f.items?.enum) : { value: r };
      if (c && 'error' in c)
        return {
          error: l10n.t({
            message: 'item {0} {1}',
            args: [out.length + 1, c.error],
            comment: ['{0} is the number of an item in a list, {1} what is wrong with it (such as "must be a number")'],
          }),
        };
      if (c) out.push(c.value);
    }
    return out.length ? { value: out } : undefined;
  }
  if (typeof raw !== 'string') return { value: raw };
  if (f.widget === 'json') return fromText(raw, f.type === 'any' ? 'any' : f.type);
  return fromText(raw, f.type, f.enum);
}

/** Drops entries that are undefined, so an untouched optional field is not sent at all. */
export function pruneUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** "prompt is required; steps must be from 1 to 50" — short enough for a notification. */
export function describeFieldErrors(errors: FieldErrors, max = 4): string {
  const entries = Object.entries(errors);
  const parts = entries.slice(0, max).map(([p, m]) =>
    p
      ? l10n.t({
          message: '{0} {1}',
          args: [p, m],
          comment: ['{0} is a field name, {1} what is wrong with its value (such as "must not be empty")'],
        })
      : m,
  );
  if (entries.length > max) parts.push(l10n.t('and {0} more', entries.length - max));
  return parts.join('; ');
}
