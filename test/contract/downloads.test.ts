import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  truncateSync,
  rmSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileNameFromUrl, safeFileName } from '../../src/core/fs/safeName';
import { writeFileAtomic } from '../../src/core/fs/atomic';
import { UnsafePathError } from '../../src/core/fs/safeWrite';
import { downloadJobOutputs, jobFolderName, SIDECAR } from '../../src/core/jobs/download';
import { newJob } from '../../src/core/jobs/job';
import { startHarness, type Harness } from '../support/sandbox';

describe('downloads', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('makes hostile names safe', () => {
    for (const bad of ['../../x.mp4', '..\\..\\x.mp4', '/etc/passwd', 'CON', '.', '..', 'a\u0000b', '%2e%2e%2fx.mp4']) {
      const s = safeFileName(bad);
      assert.ok(
        !s.includes('/') && !s.includes('\\') && s !== '.' && s !== '..' && !s.includes('\u0000'),
        `${bad} → ${s}`,
      );
    }
    assert.equal(fileNameFromUrl('https://cdn/x/..%2F..%2Fevil.mp4', 'f.mp4'), '.._.._evil.mp4'.replace(/^\.+/, ''));
    // Bidi and format characters would make a name display as another: `\u202Egpj.exe` reads "exe.jpg".
    assert.equal(safeFileName('\u202Egpj.exe'), 'gpj.exe');
    assert.equal(safeFileName('in\u200Bvoice\u2066.pdf\u2069\uFEFF.exe'), 'invoice.pdf.exe');
    assert.equal(fileNameFromUrl('https://cdn/x/%E2%80%AEgpj.exe', 'f'), 'gpj.exe');
    assert.equal(safeFileName('a\u0085b\u009bc'), 'a_b_c');
  });

  it('names a job folder from its local day and prompt', () => {
    const job = newJob({
      provider: 'seedancee2',
      id: 'v1',
      title: 'x',
      kind: 'video',
      status: 'succeeded',
      request: { input: { prompt: 'A red paper boat, drifting on a dark lake at dawn — slowly!' } },
    });
    job.createdAt = new Date(2026, 11, 1, 23, 59).toISOString();
    assert.equal(jobFolderName(job), '2026-12-01-a-red-paper-boat-drifting-on-a-dark-lake');
    assert.equal(jobFolderName({ ...job, request: { prompt: '../../¿¿' }, title: '' }), '2026-12-01-seedancee2-v1');
  });

  it('streams outputs into the job folder under safe names with one sidecar, never outside it', async () => {
    const folder = join(h.tmp, 'outputs');
    const job = newJob({
      provider: 'seedancee2',
      id: 'vid_evil',
      title: 'evil',
      kind: 'video',
      status: 'succeeded',
      request: { model: 'mini', input: { prompt: 'waves' } },
      cost: { amount: 50, unit: 'credits' },
      outputs: [
        { kind: 'video', url: h.sandbox.origin + '/media/..%2F..%2Fx.mp4' },
        { kind: 'image', url: h.sandbox.origin + '/media/seedancee2/video-posters/..%2f..%2fposter.jpg' },
      ],
    });
    const files = await downloadJobOutputs(job, folder, h.providers.seedancee2.http);
    assert.equal(files.length, 2);
    const dir = join(folder, jobFolderName(job));
    const side = JSON.parse(readFileSync(join(dir, SIDECAR), 'utf8'));
    assert.equal(side.jobId, 'vid_evil');
    assert.equal(side.prompt, 'waves');
    assert.equal(side.model, 'mini');
    assert.equal(side.cost.amount, 50);
    for (const f of files) {
      assert.equal(resolve(f.path, '..'), resolve(dir), `${f.path} stays in the job folder`);
      assert.ok(statSync(f.path).size > 1000);
    }
    assert.deepEqual(
      side.outputs.map((e: { file: string; bytes: number }) => [e.file, e.bytes]),
      files.map((f) => [f.path.slice(dir.length + 1), f.bytes]),
      'the sidecar lists each file, relative',
    );
    assert.ok(!existsSync(join(h.tmp, 'x.mp4')) && !existsSync(join(folder, '..', 'x.mp4')));
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.part')),
      [],
    );
    // A second download reuses the first copy: nothing fetched, nothing written, no "(2)" beside it.
    const before = readdirSync(dir).sort();
    const mtime = statSync(files[0].path).mtimeMs;
    const again = await downloadJobOutputs(job, folder, h.providers.seedancee2.http, {
      outputs: job.outputs.slice(0, 1),
    });
    assert.equal(again[0].path, files[0].path);
    assert.equal(again[0].reused, true);
    assert.equal(statSync(files[0].path).mtimeMs, mtime);
    assert.deepEqual(readdirSync(dir).sort(), before);
    // A copy changed since (here: cut short) is neither reused nor overwritten: a fresh one goes beside it.
    truncateSync(files[0].path, 10);
    const fresh = await downloadJobOutputs(job, folder, h.providers.seedancee2.http, {
      outputs: job.outputs.slice(0, 1),
    });
    assert.notEqual(fresh[0].path, files[0].path);
    assert.equal(fresh[0].reused, undefined);
    assert.equal(statSync(files[0].path).size, 10, 'the changed copy is left as it is');
    // Another job with the same day and prompt gets a folder of its own.
    const other = { ...job, id: 'vid_other', key: 'seedancee2:vid_other' };
    const [o] = await downloadJobOutputs(other, folder, h.providers.seedancee2.http, { outputs: job.outputs.slice(1) });
    assert.equal(resolve(o.path, '..'), resolve(folder, `${jobFolderName(job)} (2)`));
  });

  it('a missing output is a clear error and leaves no .part file', async () => {
    const folder = join(h.tmp, 'outputs2');
    const job = newJob({
      provider: 'seedancee2',
      id: 'v',
      title: 't',
      kind: 'video',
      status: 'succeeded',
      outputs: [{ kind: 'video', url: h.sandbox.origin + '/media/nothing.xyz' }],
    });
    await assert.rejects(
      downloadJobOutputs(job, folder, h.providers.seedancee2.http),
      /could not be downloaded \(404\)/,
    );
    assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], []);
  });

  describe('a hostile workspace (what a cloned repository can ship)', () => {
    const clip = () =>
      newJob({
        provider: 'seedancee2',
        id: 'vid_ws',
        title: 'clip',
        kind: 'video',
        status: 'succeeded',
        outputs: [{ kind: 'video', url: h.sandbox.origin + '/media/clip.mp4' }],
      });
    const workspace = (name: string) => {
      const ws = join(h.tmp, name, 'ws');
      const outside = join(h.tmp, name, 'outside');
      mkdirSync(ws, { recursive: true });
      mkdirSync(outside, { recursive: true });
      return { ws, outside, out: join(ws, 'gendeck-outputs') };
    };

    it('symlinks at the predictable names are never written through: .part, the file itself', async () => {
      const { ws, outside, out } = workspace('links');
      const job = clip();
      const [first] = await downloadJobOutputs(job, out, h.providers.seedancee2.http, { root: ws });
      const dir = join(out, jobFolderName(job));
      rmSync(first.path);
      writeFileSync(join(outside, 'victim.txt'), 'precious');
      symlinkSync(join(outside, 'created-by-name'), join(dir, 'clip.mp4'));
      symlinkSync(join(outside, 'created-by-part'), join(dir, 'clip (2).mp4.part'));
      const [f] = await downloadJobOutputs(job, out, h.providers.seedancee2.http, { root: ws });
      assert.equal(f.path, join(dir, 'clip (3).mp4'), 'every taken name is skipped, a dangling link included');
      assert.ok(lstatSync(f.path).isFile());
      assert.deepEqual(readdirSync(outside).sort(), ['victim.txt'], 'nothing created outside through a dangling link');
    });

    it("a folder of that name that is not this job's (no sidecar of it, or the sidecar a link) is left alone", async () => {
      const { ws, outside, out } = workspace('foreign');
      const job = clip();
      const dir = join(out, jobFolderName(job));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(outside, 'victim.txt'), 'precious');
      symlinkSync(join(outside, 'victim.txt'), join(dir, SIDECAR));
      const [f] = await downloadJobOutputs(job, out, h.providers.seedancee2.http, { root: ws });
      assert.equal(resolve(f.path, '..'), `${dir} (2)`);
      assert.equal(readFileSync(join(outside, 'victim.txt'), 'utf8'), 'precious');
      assert.deepEqual(readdirSync(dir), [SIDECAR]);
    });

    it('a link at the job folder name is skipped, never entered', async () => {
      const { ws, outside, out } = workspace('folder-link');
      const job = clip();
      mkdirSync(out);
      symlinkSync(outside, join(out, jobFolderName(job)));
      const [f] = await downloadJobOutputs(job, out, h.providers.seedancee2.http, { root: ws });
      assert.equal(resolve(f.path, '..'), join(out, `${jobFolderName(job)} (2)`));
      assert.deepEqual(readdirSync(outside), []);
    });

    it('a symlinked output folder, or one outside the workspace, is refused before anything is written', async () => {
      const { ws, outside, out } = workspace('folder');
      symlinkSync(outside, out);
      await assert.rejects(
        downloadJobOutputs(clip(), out, h.providers.seedancee2.http, { root: ws }),
        (e: Error) => e instanceof UnsafePathError && /symbolic link/.test(e.message),
      );
      mkdirSync(join(ws, 'real'));
      symlinkSync(outside, join(ws, 'real', 'deeper'));
      await assert.rejects(
        downloadJobOutputs(clip(), join(ws, 'real', 'deeper', 'x'), h.providers.seedancee2.http, { root: ws }),
        UnsafePathError,
      );
      await assert.rejects(
        downloadJobOutputs(clip(), join(ws, '..', 'outside'), h.providers.seedancee2.http, { root: ws }),
        (e: Error) => e instanceof UnsafePathError && /outside/.test(e.message),
      );
      assert.deepEqual(readdirSync(outside), []);
    });

    it('a file written over a link replaces the link, never its target', async () => {
      const { outside, out } = workspace('replace');
      mkdirSync(out);
      writeFileSync(join(outside, 'target'), 'keep');
      symlinkSync(join(outside, 'target'), join(out, 'note.txt'));
      await writeFileAtomic(join(out, 'note.txt'), 'ours');
      assert.equal(readFileSync(join(outside, 'target'), 'utf8'), 'keep');
      assert.ok(lstatSync(join(out, 'note.txt')).isFile());
      assert.equal(readFileSync(join(out, 'note.txt'), 'utf8'), 'ours');
    });
  });
});
