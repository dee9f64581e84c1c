// The sandbox's sample game: media/game.html is a template, dist/three.js (shipped once, for the 3D viewer too) is
// inlined when the page is served, so what a preview frames and a download keeps is one self-contained page.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { THREE_MARKER, threeJsPath } from '../../src/sandbox/gamePage';
import { createSandbox } from '../../src/sandbox/index';
import { MEDIA_DIR } from '../support/sandbox';

/** Each <script …> opening tag of `html`. */
const scriptTags = (html: string) => html.match(/<script\b[^>]*>/gi) ?? [];

describe('the sandbox game page', () => {
  it('inlines dist/three.js into the template: one page, no external script, Range and HEAD as for files', async () => {
    const template = readFileSync(join(MEDIA_DIR, 'game.html'), 'utf8');
    const three = readFileSync(threeJsPath(MEDIA_DIR), 'utf8');
    assert.ok(template.includes(THREE_MARKER), 'the template holds the marker');
    assert.ok(!template.includes('GenDeckThree='), 'the template does not carry three.js');
    const sb = createSandbox({ mediaDir: MEDIA_DIR });
    const origin = await sb.start();
    try {
      const url = `${origin}/media/seele/job_1/index.html`;
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      const page = await res.text();
      assert.ok(page.includes(three.slice(0, 2000)), 'three.js is inline');
      assert.ok(page.length > three.length + 3000, 'and the game besides it');
      assert.ok(!page.includes(THREE_MARKER), 'the marker is replaced');
      assert.deepEqual(scriptTags(page), ['<script>', '<script>'], 'two inline scripts: three.js, then the game');
      assert.ok(page.indexOf('var GenDeckThree=') < page.lastIndexOf('globalThis.GenDeckThree'), 'three.js first');
      const markup = page.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
      assert.doesNotMatch(markup, /\bsrc\s*=|<link\b|https?:/, 'the markup loads nothing');

      const bytes = Buffer.from(page);
      const head = await fetch(url, { method: 'HEAD' });
      assert.equal(head.headers.get('content-length'), String(bytes.length));
      const part = await fetch(url, { headers: { range: 'bytes=100-199' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-199/${bytes.length}`);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 200));
      const tail = await fetch(url, { headers: { range: 'bytes=-50' } });
      assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(bytes.length - 50));
    } finally {
      await sb.stop();
    }
  });

  it('answers a 500 naming dist/three.js while it is missing, and the page once it is built', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-game-'));
    const mediaDir = join(root, 'media');
    mkdirSync(mediaDir);
    copyFileSync(join(MEDIA_DIR, 'game.html'), join(mediaDir, 'game.html'));
    const sb = createSandbox({ mediaDir });
    const origin = await sb.start();
    try {
      const url = `${origin}/media/game/index.html`;
      const missing = await fetch(url);
      assert.equal(missing.status, 500);
      const body = (await missing.json()) as { error: string; message: string };
      assert.equal(body.error, 'sandbox_media_missing');
      assert.ok(body.message.includes(join(root, 'dist', 'three.js')), body.message);

      // Inline code cannot end the <script> early nor open a comment.
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'dist', 'three.js'), 'var GenDeckThree = { tag: "</script><!--" };');
      const built = await fetch(url);
      assert.equal(built.status, 200);
      const page = await built.text();
      assert.ok(page.includes('<script>\nvar GenDeckThree = { tag: "<\\/script><\\!--" };\n</script>'), page);
      assert.deepEqual(scriptTags(page), ['<script>', '<script>']);
    } finally {
      await sb.stop();
    }
  });

  it('answers a 500 for a template without its marker', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-game-'));
    mkdirSync(join(root, 'media'));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'media', 'game.html'), '<!doctype html><title>old game</title>');
    writeFileSync(join(root, 'dist', 'three.js'), 'var GenDeckThree = {};');
    const sb = createSandbox({ mediaDir: join(root, 'media') });
    const origin = await sb.start();
    try {
      const res = await fetch(`${origin}/media/x.html`);
      assert.equal(res.status, 500);
      assert.match(((await res.json()) as { message: string }).message, /game\.html must hold the line/);
    } finally {
      await sb.stop();
    }
  });
});
