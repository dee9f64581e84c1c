// The zip extractor (core/fs/unzip.ts) against real archives written by JSZip, hostile ones included: every refusal
// names the entry, nothing is ever written outside the destination, no link is made or followed, and a failure halfway
// leaves nothing behind.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import JSZip from 'jszip';
import { UnsafePathError } from '../../src/core/fs/safeWrite';
import { ArchiveError, extractZip, nameProblem, type UnzipOptions } from '../../src/core/fs/unzip';

interface Item {
  name: string;
  data?: string | Buffer;
  /** Unix mode, type bits included (0o120777 is a symbolic link). */
  mode?: number;
  dir?: boolean;
  store?: boolean;
}

/** A zip holding exactly these entries (no folder entries added), Unix attributes kept. */
async function zipOf(items: Item[]): Promise<Buffer> {
  const zip = new JSZip();
  for (const it of items) {
    const options = {
      createFolders: false,
      unixPermissions: it.mode ?? (it.dir ? 0o040755 : 0o100644),
      compression: it.store ? ('STORE' as const) : ('DEFLATE' as const),
    };
    if (it.dir) zip.file(it.name, null, { ...options, dir: true });
    else zip.file(it.name, it.data ?? `content of ${it.name}\n`, options);
  }
  return zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX' });
}

/** A test area: `root` (the boundary) holding `dest`, and `outside` beside it with a file that must never change. */
function area() {
  const base = mkdtempSync(join(tmpdir(), 'gendeck-unzip-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'sentinel.txt'), 'untouched');
  return { base, root, outside, dest: join(root, 'project') };
}

/** Every path under `dir` (links not followed) with its kind and content hash. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = `${prefix}${name}`;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) out[rel] = `link → ${readlinkSync(p)}`;
    else if (st.isDirectory()) Object.assign(out, { [rel]: 'dir' }, tree(p, `${rel}/`));
    else out[rel] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

async function unzip(buf: Buffer, dest: string, o: UnzipOptions) {
  const file = join(mkdtempSync(join(tmpdir(), 'gendeck-zipfile-')), 'project.zip');
  writeFileSync(file, buf);
  return extractZip(file, dest, o);
}

/** Where the named entry's header starts: the central directory's (`PK\1\2`) or the local one (`PK\3\4`). */
function headerOf(buf: Buffer, name: string, central: boolean): number {
  const sig = central ? 0x02014b50 : 0x04034b50;
  const [nameLen, nameAt] = central ? [28, 46] : [26, 30];
  for (let i = 0; i + nameAt < buf.length; i++) {
    if (buf.readUInt32LE(i) !== sig) continue;
    const len = buf.readUInt16LE(i + nameLen);
    if (buf.subarray(i + nameAt, i + nameAt + len).toString() === name) return i;
  }
  throw new Error(`no header for ${name}`);
}

const refusedEntry = (entry: string, why: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ArchiveError, `an ArchiveError, got ${String(err)}`);
  assert.equal(err.entry, entry);
  assert.match(err.message, why);
  return true;
};

describe('extractZip', () => {
  it('unpacks files and folders with their exact bytes, stored or deflated, `\\` read as a separator', async () => {
    const a = area();
    const big = Buffer.alloc(300_000, 'game loop ');
    const r = await unzip(
      await zipOf([
        { name: 'README.md', data: '# Game\n' },
        { name: 'assets/', dir: true },
        { name: 'assets/sprites/hero.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), store: true },
        { name: 'src/game.js', data: big },
        { name: './empty.txt', data: '' },
        { name: 'win\\style.css', data: 'body{}' },
      ]),
      a.dest,
      { root: a.root },
    );
    assert.deepEqual(r.files, ['README.md', 'assets/sprites/hero.png', 'src/game.js', 'empty.txt', 'win/style.css']);
    assert.deepEqual(r.skipped, []);
    assert.equal(r.bytes, 7 + 7 + big.length + 0 + 6);
    assert.equal(readFileSync(join(a.dest, 'README.md'), 'utf8'), '# Game\n');
    assert.deepEqual(readFileSync(join(a.dest, 'src/game.js')), big);
    assert.deepEqual([...readFileSync(join(a.dest, 'assets/sprites/hero.png'))], [0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    assert.equal(readFileSync(join(a.dest, 'win', 'style.css'), 'utf8'), 'body{}');
    assert.deepEqual(tree(a.outside), { 'sentinel.txt': tree(a.outside)['sentinel.txt'] });
    assert.deepEqual(readdirSync(a.base).sort(), ['outside', 'root']);
  });

  const hostile: [string, RegExp][] = [
    ['../evil', /climbs out/],
    ['/etc/x', /absolute path/],
    ['a/../../b', /climbs out/],
    ['..\\..\\evil', /climbs out/],
    ['C:/Windows/evil.dll', /names a drive/],
    ['C:evil', /names a drive/],
    ['nul\u0000name', /control character/],
    // UTF-8 flagged (the é): a CP437 name reads 0x07 as a glyph (•), which is harmless.
    ['bell\u0007é', /control character/],
    ['notes.txt:hidden', /colon/],
    ['dots/...', /ending in a dot/],
    ['space /x', /ending in a dot or space/],
  ];
  for (const [name, why] of hostile) {
    it(`refuses the entry ${JSON.stringify(name)} before writing anything`, async () => {
      const a = area();
      const before = tree(a.base);
      const shown = JSON.stringify(name.replace(/\\/g, '/')).slice(1, -1);
      await assert.rejects(
        unzip(await zipOf([{ name: 'fine.txt' }, { name }]), a.dest, { root: a.root }),
        refusedEntry(shown, why),
      );
      assert.deepEqual(tree(a.base), before, 'nothing written anywhere, not even the fine entry');
    });
  }

  it('refuses a symbolic link entry and never makes the link', async () => {
    const a = area();
    const before = tree(a.base);
    await assert.rejects(
      unzip(
        await zipOf([{ name: 'ok.txt' }, { name: 'escape', data: join(a.outside, 'sentinel.txt'), mode: 0o120777 }]),
        a.dest,
        { root: a.root },
      ),
      refusedEntry('escape', /symbolic link/),
    );
    assert.deepEqual(tree(a.base), before);
  });

  it('refuses a device or pipe entry', async () => {
    const a = area();
    await assert.rejects(
      unzip(await zipOf([{ name: 'fifo', mode: 0o010644 }]), a.dest, { root: a.root }),
      refusedEntry('fifo', /special file/),
    );
    assert.equal(existsSync(a.dest), false);
  });

  it('refuses a destination that is a symbolic link, writing nothing through it', async () => {
    const a = area();
    symlinkSync(a.outside, a.dest);
    const before = tree(a.base);
    await assert.rejects(
      unzip(await zipOf([{ name: 'x.txt' }]), a.dest, { root: a.root }),
      (err: unknown) => err instanceof UnsafePathError && /symbolic link/.test(err.message),
    );
    assert.deepEqual(tree(a.base), before);
  });

  it('refuses a link inside the destination on the way to an entry and takes back what it wrote', async () => {
    const a = area();
    mkdirSync(a.dest);
    symlinkSync(a.outside, join(a.dest, 'assets'));
    const before = tree(a.base);
    await assert.rejects(
      unzip(await zipOf([{ name: 'first.txt' }, { name: 'assets/x.txt' }]), a.dest, {
        root: a.root,
        existing: 'skip',
      }),
      refusedEntry('assets/x.txt', /cannot be written safely: .*symbolic link.*Nothing was unpacked/),
    );
    assert.deepEqual(tree(a.base), before, 'first.txt was removed again; nothing reached outside');
  });

  it('an existing file is never overwritten: refused (the run taken back) or, when asked, skipped', async () => {
    const a = area();
    mkdirSync(join(a.dest, 'src'), { recursive: true });
    writeFileSync(join(a.dest, 'src', 'game.js'), 'my edits');
    // A dangling link at a name the archive uses: neither followed nor replaced.
    symlinkSync(join(a.outside, 'planted.txt'), join(a.dest, 'README.md'));
    const zip = await zipOf([{ name: 'index.html' }, { name: 'src/game.js' }, { name: 'README.md' }]);
    const before = tree(a.base);
    await assert.rejects(
      unzip(zip, a.dest, { root: a.root }),
      refusedEntry('src/game.js', /already exists \(left as it was\)\. Nothing was unpacked/),
    );
    assert.deepEqual(tree(a.base), before, 'index.html, written first, is gone again');

    const r = await unzip(zip, a.dest, { root: a.root, existing: 'skip' });
    assert.deepEqual(r.files, ['index.html']);
    assert.deepEqual(r.skipped, ['src/game.js', 'README.md']);
    assert.equal(readFileSync(join(a.dest, 'src', 'game.js'), 'utf8'), 'my edits');
    assert.ok(lstatSync(join(a.dest, 'README.md')).isSymbolicLink());
    assert.equal(existsSync(join(a.outside, 'planted.txt')), false);
  });

  it('refuses more entries than the limit, before writing anything', async () => {
    const a = area();
    const items = ['a', 'b', 'c', 'd/'].map((name) => ({ name, dir: name.endsWith('/') }));
    await assert.rejects(
      unzip(await zipOf(items), a.dest, { root: a.root, maxEntries: 3 }),
      (err: unknown) => err instanceof ArchiveError && /holds 4 entries; GenDeck unpacks at most 3/.test(err.message),
    );
    assert.equal(existsSync(a.dest), false);
  });

  it('refuses a file over the one-file limit and an archive over the total limit', async () => {
    const a = area();
    const zip = await zipOf([
      { name: 'small.bin', data: Buffer.alloc(100) },
      { name: 'big.bin', data: Buffer.alloc(1000) },
    ]);
    await assert.rejects(
      unzip(zip, a.dest, { root: a.root, maxFileBytes: 500 }),
      refusedEntry('big.bin', /is 1000 bytes; one file may be at most 500 bytes/),
    );
    await assert.rejects(
      unzip(zip, a.dest, { root: a.root, maxTotalBytes: 1050 }),
      (err: unknown) =>
        err instanceof ArchiveError && /unpacks to 1100 bytes; GenDeck unpacks at most 1050/.test(err.message),
    );
    assert.equal(existsSync(a.dest), false);
  });

  it('counts the bytes it streams: a header that understates a file is caught and nothing is kept', async () => {
    const a = area();
    const zip = await zipOf([{ name: 'first.txt' }, { name: 'bomb.bin', data: Buffer.alloc(200_000) }]);
    // The central directory (what the limits read) claims 10 bytes; the deflate stream holds 200 000.
    zip.writeUInt32LE(10, headerOf(zip, 'bomb.bin', true) + 24);
    await assert.rejects(
      unzip(zip, a.dest, { root: a.root, maxFileBytes: 1000 }),
      refusedEntry('bomb.bin', /is damaged \(too many bytes|larger than its header says/),
    );
    assert.equal(existsSync(a.dest), false, 'first.txt and the folder it made are taken back');
  });

  it('refuses a name that repeats, and an encrypted entry', async () => {
    const a = area();
    const twice = await zipOf([{ name: 'a.txt' }, { name: 'b.txt' }]);
    for (const central of [true, false]) twice.write('a', headerOf(twice, 'b.txt', central) + (central ? 46 : 30));
    await assert.rejects(unzip(twice, a.dest, { root: a.root }), refusedEntry('a.txt', /appears twice/));
    const locked = await zipOf([{ name: 'secret.txt' }]);
    const at = headerOf(locked, 'secret.txt', true) + 8;
    locked.writeUInt16LE(locked.readUInt16LE(at) | 1, at);
    await assert.rejects(unzip(locked, a.dest, { root: a.root }), refusedEntry('secret.txt', /encrypted/));
    assert.equal(existsSync(a.dest), false);
  });

  it('reports a truncated or non-zip file as unreadable', async () => {
    const a = area();
    const zip = await zipOf([{ name: 'a.txt' }, { name: 'b.txt' }]);
    for (const bad of [zip.subarray(0, Math.floor(zip.length / 2)), Buffer.from('<html>not a zip</html>')])
      await assert.rejects(
        unzip(bad, a.dest, { root: a.root }),
        (err: unknown) => err instanceof ArchiveError && /is not a readable zip archive/.test(err.message),
      );
    assert.equal(existsSync(a.dest), false);
  });

  it('a damaged entry (bad checksum, bad deflate data) names it and leaves no half-written file', async () => {
    for (const store of [true, false]) {
      const a = area();
      const data = Buffer.from('x'.repeat(5000) + 'the middle of the file' + 'y'.repeat(5000));
      const zip = await zipOf([{ name: 'ok.txt' }, { name: 'broken.js', data, store }]);
      const local = headerOf(zip, 'broken.js', false);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const size = zip.readUInt32LE(headerOf(zip, 'broken.js', true) + 20);
      for (let i = start + Math.floor(size / 3); i < start + Math.floor(size / 2); i++) zip[i] ^= 0x5a;
      await assert.rejects(
        unzip(zip, a.dest, { root: a.root }),
        refusedEntry('broken.js', store ? /checksum does not match.*Nothing was unpacked/ : /is damaged|checksum/),
      );
      assert.equal(existsSync(a.dest), false, `${store ? 'stored' : 'deflated'}: nothing kept`);
    }
  });

  it('a cancel stops at once and takes back what was written', async () => {
    const a = area();
    const ac = new AbortController();
    const zip = await zipOf(['a.txt', 'b.txt', 'c.txt'].map((name) => ({ name })));
    await assert.rejects(
      unzip(zip, a.dest, { root: a.root, signal: ac.signal, onProgress: (p) => p.files === 1 && ac.abort() }),
      (err: unknown) => (err as Error).name === 'AbortError',
    );
    assert.equal(existsSync(a.dest), false);
  });

  it('nameProblem lets ordinary project paths through', () => {
    for (const ok of ['README.md', 'Assets/Scripts/Player.cs', 'a/./b.txt', 'ünïcode/名前.txt', '.gitignore', 'x..y'])
      assert.equal(nameProblem(ok), undefined, ok);
  });
});
