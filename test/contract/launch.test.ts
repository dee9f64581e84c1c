import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors';
import { createLaunchers } from '../../src/core/providers/index';
import type { Launcher } from '../../src/core/providers/launch';
import { sampleWav } from '../../src/sandbox/sampleWav';
import { MEDIA_DIR, startHarness, type Harness } from '../support/sandbox';

// Every launcher over real HTTP against the sandbox: checks before anything is sent, the estimate, one send.
describe('launchers (the CLI, MCP and language-model tools start jobs through these)', () => {
  let h: Harness;
  let launchers: ReturnType<typeof createLaunchers>;
  const get = (id: 'seedancee2' | 'seele' | 'seisoai' | 'seekapi'): Launcher => launchers[id]!;
  before(async () => {
    h = await startHarness({ timeScale: 0.02 });
    launchers = createLaunchers(h.providers);
  });
  after(() => h.stop());

  it('exists for every provider that starts jobs, and not for Seeknetic', () => {
    assert.deepEqual(Object.keys(launchers).sort(), ['seedancee2', 'seekapi', 'seele', 'seisoai']);
  });

  it('Seedancee2: refuses 1080p on mini before any request, estimates by the documented formula', async () => {
    const tasks = h.emulators.seedancee2.tasks.size;
    await assert.rejects(
      get('seedancee2').prepare({ input: { prompt: 'a boat', model: 'mini', resolution: '1080p' } }),
      (err: unknown) => err instanceof ValidationError && /1080p is not available on mini/.test(err.message),
    );
    await assert.rejects(get('seedancee2').prepare({ input: { prompt: 'a boat', speed: 3 } }), /no field speed/);
    const p = await get('seedancee2').prepare({ input: { prompt: 'a boat', model: 'fast', duration: 6 } });
    assert.deepEqual(p.cost, { amount: 96, unit: 'credits', estimated: true });
    assert.match(p.summary, /Seedancee2 · fast · 6 s · 720p/);
    assert.equal(h.emulators.seedancee2.tasks.size, tasks, 'models may be read; nothing created');
    const job = await p.send();
    assert.equal(h.emulators.seedancee2.tasks.size, tasks + 1);
    assert.equal(job.provider, 'seedancee2');
    assert.equal(job.request.model, 'fast');
  });

  it('Seedancee2: a local image becomes an inline reference; a file that is not an image is refused', async () => {
    const p = await get('seedancee2').prepare({
      input: { prompt: 'from this frame' },
      files: [join(MEDIA_DIR, 'sample.jpg')],
    });
    assert.equal(p.cost?.amount, 50);
    const wav = join(h.tmp, 'sample.wav');
    writeFileSync(wav, sampleWav());
    await assert.rejects(get('seedancee2').prepare({ input: { prompt: 'x' }, files: [wav] }), ValidationError);
  });

  it('Seele: unknown engine refused locally; the cost said unknown before the game ends', async () => {
    await assert.rejects(get('seele').prepare({ input: { prompt: 'a maze', engine: 'godot' } }), /Unknown engine/);
    await assert.rejects(
      get('seele').prepare({ input: { prompt: 'a maze' }, files: ['/nonexistent/ref.png'] }),
      /is not a file/,
    );
    const p = await get('seele').prepare({ input: { prompt: 'a maze' } });
    assert.equal(p.cost, undefined);
    assert.match(p.costNote ?? '', /unknown before/);
    const job = await p.send();
    assert.equal(job.provider, 'seele');
    assert.equal(job.kind, 'game');
  });

  it("Seisoai: the tool's live schema; input checked against it; the price read before sending", async () => {
    const schema = await get('seisoai').inputSchema('image.upscale');
    assert.deepEqual((schema as { required: string[] }).required, ['image_url']);
    await assert.rejects(get('seisoai').prepare({ input: { prompt: 'x' } }), /Name the Seisoai tool/);
    await assert.rejects(get('seisoai').prepare({ target: 'image.upscale', input: { scale: 4 } }), ValidationError);
    const p = await get('seisoai').prepare({
      target: 'image.upscale',
      input: { scale: 4 },
      files: [join(MEDIA_DIR, 'sample.jpg')],
    });
    assert.deepEqual(p.cost, { amount: 0.04, unit: 'USD', estimated: true });
    const job = await p.send();
    assert.equal(job.provider, 'seisoai');
    assert.equal(job.status, 'succeeded', 'a sync tool answers with its result');
  });

  it("Seek API: the worker's schema and pricing; a bad input refused with nothing sent", async () => {
    const jobs = h.emulators.seekapi.jobs.size;
    await assert.rejects(
      get('seekapi').prepare({ target: 'linkedin-profile', input: { profile_url: 'https://example.com/x' } }),
      (err: unknown) => err instanceof ValidationError && !!err.fields?.profile_url,
    );
    const p = await get('seekapi').prepare({
      target: 'linkedin-profile',
      input: { profile_url: 'https://linkedin.com/in/someone' },
    });
    assert.deepEqual(p.cost, { amount: 5, unit: 'credits', estimated: true });
    assert.equal(h.emulators.seekapi.jobs.size, jobs);
    const job = await p.send();
    assert.equal(job.provider, 'seekapi');
  });
});
