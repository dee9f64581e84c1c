// Moves every user-facing string of package.json into package.nls.json, so VS Code can show the manifest translated
// (a `package.nls.<locale>.json` beside it holds a translation). Run as `npm run nls` after adding manifest entries.
//
// Idempotent: a string that is already a `%key%` is left alone; a literal gets a stable key from where it sits
// (`command.gendeck.seele.newFromPrompt.title`, `config.gendeck.downloadFolder.markdownDescription`, …) and its
// English text goes into package.nls.json. A key taken by another text gets a numbered suffix; keys nothing uses
// any more are dropped. Both files are written with ASCII escapes (`\u2026`), as package.json always was.
//
//   node scripts/manifest-nls.mjs            convert (in the current folder)
//   node scripts/manifest-nls.mjs --check    change nothing; exit 1 naming each literal, missing or unused key
//   --dir <folder>                           the folder holding package.json (tests use a copy)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const KEY = /^%([^%\s]+)%$/;

/** A key for a category from its text: the same category is one string to translate. */
const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'text';

/**
 * Every user-facing string slot of a manifest: the object and property (or array index) holding it, where it sits
 * (for messages) and the key it would get. `key` may depend on the text (categories).
 */
export function manifestSlots(m) {
  const out = [];
  const at = (obj, prop, key, where = key) => {
    if (obj && typeof obj[prop] === 'string')
      out.push({ obj, prop, where, key: typeof key === 'function' ? key(obj[prop]) : key });
  };
  at(m, 'displayName', 'extension.displayName');
  at(m, 'description', 'extension.description');
  const c = m.contributes ?? {};

  for (const cmd of c.commands ?? []) {
    const id = cmd.command;
    at(cmd, 'title', `command.${id}.title`);
    at(cmd, 'shortTitle', `command.${id}.shortTitle`);
    at(cmd, 'category', (v) => `category.${slug(v)}`, `command.${id}.category`);
  }

  for (const [location, containers] of Object.entries(c.viewsContainers ?? {}))
    for (const vc of containers ?? []) at(vc, 'title', `viewsContainer.${vc.id ?? location}.title`);

  for (const views of Object.values(c.views ?? {}))
    for (const v of views ?? []) {
      at(v, 'name', `view.${v.id}.name`);
      at(v, 'contextualTitle', `view.${v.id}.contextualTitle`);
    }

  const welcomeCount = new Map();
  for (const w of c.viewsWelcome ?? []) {
    const n = (welcomeCount.get(w.view) ?? 0) + 1;
    welcomeCount.set(w.view, n);
    at(w, 'contents', `viewsWelcome.${w.view}.${n}`);
  }

  for (const s of c.submenus ?? []) at(s, 'label', `submenu.${s.id}.label`);

  // What the user reads of a language-model tool (its modelDescription is for the model, and stays English).
  for (const t of c.languageModelTools ?? []) {
    at(t, 'displayName', `languageModelTool.${t.name}.displayName`);
    at(t, 'userDescription', `languageModelTool.${t.name}.userDescription`);
  }
  for (const m of c.mcpServerDefinitionProviders ?? []) at(m, 'label', `mcpServerDefinitionProvider.${m.id}.label`);

  for (const w of c.walkthroughs ?? []) {
    const base = `walkthrough.${w.id}`;
    at(w, 'title', `${base}.title`);
    at(w, 'description', `${base}.description`);
    for (const s of w.steps ?? []) {
      const sb = `${base}.step.${s.id}`;
      at(s, 'title', `${sb}.title`);
      at(s, 'description', `${sb}.description`);
      at(s.media, 'altText', `${sb}.altText`);
      // The step's page is a file per language: a translation names its own copy (media/walkthrough/<locale>/…).
      at(s.media, 'markdown', `${sb}.markdown`);
    }
  }

  const configs = Array.isArray(c.configuration) ? c.configuration : c.configuration ? [c.configuration] : [];
  configs.forEach((conf, i) => {
    at(conf, 'title', configs.length > 1 ? `configuration.${conf.id ?? i + 1}.title` : 'configuration.title');
    for (const [name, schema] of Object.entries(conf.properties ?? {})) schemaSlots(schema, `config.${name}`, at);
  });
  return out;
}

const TEXT_FIELDS = ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage', 'title'];
const TEXT_LISTS = ['enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels'];

/** A setting's texts, and those of what it nests (items, properties, variants). */
function schemaSlots(s, base, at) {
  if (!s || typeof s !== 'object') return;
  for (const f of TEXT_FIELDS) at(s, f, `${base}.${f}`);
  for (const f of TEXT_LISTS)
    if (Array.isArray(s[f])) s[f].forEach((_, i) => at(s[f], i, `${base}.${f}.${i + 1}`, `${base}.${f}[${i}]`));
  schemaSlots(s.items, `${base}.items`, at);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    schemaSlots(s.additionalProperties, `${base}.additionalProperties`, at);
  for (const [k, sub] of Object.entries(s.properties ?? {})) schemaSlots(sub, `${base}.${k}`, at);
  for (const f of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(s[f])) s[f].forEach((sub, i) => schemaSlots(sub, `${base}.${f}.${i + 1}`, at));
}

/** JSON as package.json has always been written: two spaces, every non-ASCII character as `\uXXXX`. */
export function asciiJson(value) {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Converts `manifest` in place; returns the new nls table and what changed. */
export function convert(manifest, nls) {
  const slots = manifestSlots(manifest);
  const used = new Set(slots.map((s) => KEY.exec(s.obj[s.prop])?.[1]).filter(Boolean));
  // Texts nothing names any more go first, so their keys are free again.
  const dropped = Object.keys(nls).filter((k) => !used.has(k));
  const next = Object.fromEntries(Object.entries(nls).filter(([k]) => used.has(k)));
  const moved = [];
  for (const s of slots) {
    const v = s.obj[s.prop];
    if (KEY.test(v)) continue;
    let key = s.key;
    for (let n = 2; next[key] !== undefined && next[key] !== v; n++) key = `${s.key}.${n}`;
    next[key] = v;
    s.obj[s.prop] = `%${key}%`;
    moved.push(`${s.where} → %${key}%`);
  }
  return { nls: next, moved, dropped };
}

/** What is wrong with a manifest and its nls table: literals, `%key%`s without a text, texts nothing uses. */
export function problems(manifest, nls) {
  const out = [];
  const used = new Set();
  for (const s of manifestSlots(manifest)) {
    const v = s.obj[s.prop];
    const k = KEY.exec(v);
    if (!k) out.push(`${s.where} is a literal (${JSON.stringify(v.slice(0, 60))}); run npm run nls`);
    else if (typeof nls[k[1]] !== 'string') out.push(`${s.where} names %${k[1]}%, which package.nls.json lacks`);
    else used.add(k[1]);
  }
  for (const k of Object.keys(nls)) if (!used.has(k)) out.push(`package.nls.json has ${k}, which nothing uses`);
  return out;
}

function main(argv) {
  const dirAt = argv.indexOf('--dir');
  const dir = dirAt >= 0 ? argv[dirAt + 1] : process.cwd();
  const manifestPath = join(dir, 'package.json');
  const nlsPath = join(dir, 'package.nls.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const nls = existsSync(nlsPath) ? JSON.parse(readFileSync(nlsPath, 'utf8')) : {};
  if (argv.includes('--check')) {
    const found = problems(manifest, nls);
    for (const p of found) console.error(p);
    if (found.length) process.exit(1);
    console.log(`package.json: every user-facing string is a %key% of package.nls.json (${Object.keys(nls).length}).`);
    return;
  }
  const r = convert(manifest, nls);
  for (const line of r.moved) console.log(`moved ${line}`);
  for (const k of r.dropped) console.log(`dropped unused ${k}`);
  writeFileSync(manifestPath, asciiJson(manifest));
  writeFileSync(nlsPath, asciiJson(r.nls));
  console.log(`${r.moved.length} moved, ${r.dropped.length} dropped, ${Object.keys(r.nls).length} keys.`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
