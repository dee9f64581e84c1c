// "Unpack Project" end to end below the editor: a Seele game run to finished in the sandbox, its real project.zip
// fetched the way the command fetches it (core/jobs/download.ts outputFile) and unpacked by core/fs/unzip.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import { slugName } from '../../src/core/fs/safeName';
import { extractZip } from '../../src/core/fs/unzip';
import { downloadJobOutputs, outputFile } from '../../src/core/jobs/download';
import { isUnpackable, type Job } from '../../src/core/jobs/job';
import { MEDIA_DIR, startHarness, waitFor, type Harness } from '../support/sandbox';

describe('Seele project unpacked from the sandbox', () => {
  let h: Harness;
  let job: Job;
  let expected: Map<string, Buffer>;

  before(async () => {
    h = await startHarness({ timeScale: 0.02 });
    const p = h.providers.seele;
    const created = await p.createGame({
      prompt: 'A cozy cat farming game',
      model: 'Seele02-flash',
      engine: 'threejs',
    });
    const patch = await waitFor(async () => {
      const r = await p.poll(created.job);
      return r.status === 'succeeded' ? r : undefined;
    });
    job = { ...created.job, ...patch };
    // What the shipped sample holds, read by another zip reader.
    const sample = await JSZip.loadAsync(readFileSync(join(MEDIA_DIR, 'project.zip')));
    expected = new Map();
    for (const f of Object.values(sample.files)) if (!f.dir) expected.set(f.name, await f.async('nodebuffer'));
  });
  after(() => h.stop());

  it('fetches the archive to a temp file, unpacks every file into a new folder, and removes the temp file', async () => {
    const output = job.outputs.find((o) => isUnpackable(job, o));
    assert.ok(output, 'the finished game has a project package');
    assert.match(output.url ?? '', /\/media\/seele\/.+\/project\.zip$/);
    const root = join(h.tmp, 'workspace');
    mkdirSync(root);
    const dest = join(root, slugName(job.title, 'seele'));
    const mediaBefore = h.sandbox.countFor('media');
    const zip = await outputFile(job, output, h.providers.seele.http);
    assert.equal(zip.downloaded, true);
    assert.equal(h.sandbox.countFor('media') - mediaBefore, 1);
    let result;
    try {
      result = await extractZip(zip.path, dest, { root });
    } finally {
      await zip.release();
    }
    assert.equal(existsSync(zip.path), false, 'the temp copy is gone');
    assert.equal(dest, join(root, 'a-cozy-cat-farming-game'));
    assert.deepEqual(result.files.sort(), [...expected.keys()].sort());
    assert.ok(expected.size >= 3);
    for (const [name, bytes] of expected) assert.deepEqual(readFileSync(join(dest, name)), bytes, name);
    assert.deepEqual(readdirSync(root), ['a-cozy-cat-farming-game'], 'nothing else in the workspace');
  });

  it('uses the downloaded copy when there is one, with no request', async () => {
    const root = join(h.tmp, 'with-download');
    mkdirSync(root);
    const [saved] = await downloadJobOutputs(job, join(root, 'gendeck-outputs'), h.providers.seele.http, {
      root,
      outputs: job.outputs.filter((o) => o.kind === 'archive'),
    });
    const output = { ...saved.output, localPath: saved.path };
    const mediaBefore = h.sandbox.countFor('media');
    const zip = await outputFile(job, output, h.providers.seele.http);
    assert.deepEqual([zip.path, zip.downloaded], [saved.path, false]);
    assert.equal(h.sandbox.countFor('media'), mediaBefore);
    const result = await extractZip(zip.path, join(root, 'game'), { root });
    await zip.release();
    assert.ok(existsSync(saved.path), 'the downloaded copy stays');
    assert.equal(result.files.length, expected.size);
    // Unpacked again into the same folder, merging: every file is already there and left alone.
    const again = await extractZip(saved.path, join(root, 'game'), { root, existing: 'skip' });
    assert.deepEqual([again.files.length, again.skipped.length], [0, expected.size]);
  });
});
