// Run … on Selection, host side against the sandbox: Explorer files are read (commands/mediaFiles.ts), put into
// the chosen tool's or worker's fields, the form panel opens with them (the page holds refs only), and what the page
// submits goes through the real provider — the emulator receives each file's bytes as a data: URI. Seisoai is paid
// by x402 with the test payer, after its confirmation.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fillFromSelection, selectedMediaFiles, type MediaSelection } from '../../src/commands/mediaFiles';
import { ProviderError, ValidationError } from '../../src/core/errors';
import type { Job } from '../../src/core/jobs/job';
import { formFromSchema, initialValues, type SchemaForm } from '../../src/core/forms/schemaForm';
import { X402Payer, type PaymentPrompt } from '../../src/core/x402/payer';
import { ReceiptLog } from '../../src/core/x402/receipts';
import { formSchemaFor, splitControls } from '../../src/features/seekapi/runWorker';
import { openSchemaFormPanel } from '../../src/webview/formPanel';
import type { FileRefInfo, FormInit } from '../../src/webview/protocol';
import { createdPanels, Uri, workspace, type RecordingPanel } from '../support/vscodeStub';
import { MEDIA_DIR, startHarness, waitFor, type Harness } from '../support/sandbox';

const MAX_BYTES = 10 * 1024 * 1024;

/** What the form page would do: ask for its init, then submit the values it was given (refs and all). */
async function submitAsThePage(
  form: SchemaForm,
  filled: NonNullable<Awaited<ReturnType<typeof fillFromSelection>>>,
  submit: (input: Record<string, unknown>) => Promise<{ message: string }>,
): Promise<{ init: FormInit; files: FileRefInfo[]; reply: { ok: boolean; value?: unknown; message?: string } }> {
  openSchemaFormPanel(Uri.file('/ext') as never, {
    title: 'Form',
    init: { title: 'Form', form, values: { ...initialValues(form), ...filled.values }, submitLabel: 'Run' },
    maxInlineBytes: MAX_BYTES,
    files: filled.files,
    submit,
    log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
  panel.webview.receive({ type: 'ready' });
  const initMsg = (await waitFor(() => panel.webview.posted.find((m) => (m as { type: string }).type === 'init'))) as {
    init: FormInit;
    files: FileRefInfo[];
  };
  panel.webview.receive({ type: 'submit', id: 1, values: initMsg.init.values });
  const reply = (await waitFor(
    () => panel.webview.posted.find((m) => (m as { type: string }).type === 'reply'),
    15_000,
  )) as { ok: boolean; value?: unknown; message?: string };
  panel.dispose();
  return { ...initMsg, reply };
}

const dataUriOf = (path: string, mime: string) => `data:${mime};base64,${readFileSync(path).toString('base64')}`;

describe('Run on Selection: selected files reach the sandbox through the real providers', () => {
  let h: Harness;
  let ws: string;
  const file = (name: string) => join(ws, name);

  before(async () => {
    h = await startHarness({ key: null, timeScale: 0.02 });
    ws = join(h.tmp, 'workspace');
    mkdirSync(join(ws, 'art'), { recursive: true });
    copyFileSync(join(MEDIA_DIR, 'sample.png'), file('art/chair.png'));
    copyFileSync(join(MEDIA_DIR, 'sample.jpg'), file('art/chair-side.jpg'));
    copyFileSync(join(MEDIA_DIR, 'sample.png'), file('art/chair-top.png'));
    copyFileSync(join(MEDIA_DIR, 'sample.mp4'), file('dance.mp4'));
    writeFileSync(file('notes.txt'), 'not media');
    workspace.workspaceFolders = [{ uri: Uri.file(ws) }];
  });
  after(async () => {
    workspace.workspaceFolders = undefined;
    await h.stop();
  });

  const select = (...names: string[]): Promise<MediaSelection | undefined> =>
    selectedMediaFiles(
      Uri.file(file(names[0])),
      names.map((n) => Uri.file(file(n))),
      { title: 'test', maxBytes: MAX_BYTES },
    );

  const payWith = (prompts: PaymentPrompt[]) =>
    new X402Payer({
      limits: () => ({ maxPerPaymentUsd: 2, maxPerDayUsd: 10, networks: ['base-sepolia'] }),
      confirm: async (p) => {
        prompts.push(p);
        return true;
      },
      getWalletKey: async () => `0x${randomBytes(32).toString('hex')}`,
      receipts: new ReceiptLog(join(h.tmp, `receipts-${randomBytes(4).toString('hex')}.jsonl`)),
      logger: h.log,
    });

  it('Seisoai image → 3D: the image fills image_url; paid after confirmation; the emulator gets its bytes', async () => {
    const p = h.providers.seisoai;
    const prompts: PaymentPrompt[] = [];
    h.payer = payWith(prompts);
    const sel = (await select('art/chair.png', 'notes.txt'))!;
    assert.deepEqual(sel.skipped, ['notes.txt']);
    const tool = await p.registry.detail('3d.image-to-3d');
    const form = formFromSchema(tool.inputSchema);
    const filled = (await fillFromSelection(form, sel, tool.name))!;
    assert.deepEqual(filled.notes, [
      'From your selection: Image url ← art/chair.png.',
      'Left out (not an image, video or audio file): notes.txt.',
    ]);
    const { init, files, reply } = await submitAsThePage(form, filled, async (input) => {
      const r = await p.invoke(tool.id, input, { auth: 'x402', maxDataUriBytes: MAX_BYTES });
      return { message: r.job.id };
    });
    // The page holds a reference and the file's name, never its bytes; the schema's defaults stay editable.
    assert.match(String(init.values.image_url), /^gendeck-file:[0-9a-f]+$/);
    assert.deepEqual({ ...init.values, image_url: 'ref' }, { image_url: 'ref', output_format: 'glb', texture: true });
    assert.deepEqual(
      files.map((f) => [f.name, f.kind, f.mime]),
      [['art/chair.png', 'image', 'image/png']],
    );
    assert.ok(!JSON.stringify(init).includes('base64'));
    assert.equal(reply.ok, true, reply.message);
    assert.equal(prompts.length, 1, 'the payment was confirmed once');
    assert.equal(prompts[0].amountUsdc, '0.20');
    const job = h.emulators.seisoai.jobs.get(String(reply.value))!;
    assert.equal(job.input.image_url, dataUriOf(file('art/chair.png'), 'image/png'));
    assert.equal(job.input.output_format, 'glb');
  });

  it('Seisoai, several images: they fill the training list, in order', async () => {
    const p = h.providers.seisoai;
    const prompts: PaymentPrompt[] = [];
    h.payer = payWith(prompts);
    const names = ['art/chair.png', 'art/chair-side.jpg', 'art/chair-top.png'];
    const sel = (await select(...names))!;
    const tool = await p.registry.detail('training.lora.flux');
    const form = formFromSchema(tool.inputSchema);
    const filled = (await fillFromSelection(form, sel, tool.name))!;
    const { reply } = await submitAsThePage(
      form,
      { ...filled, values: { ...filled.values, trigger_word: 'chr_chair' } },
      async (input) => {
        const r = await p.invoke(tool.id, input, { auth: 'x402', maxDataUriBytes: MAX_BYTES });
        return { message: r.job.id };
      },
    );
    assert.equal(reply.ok, true, reply.message);
    assert.equal(prompts.length, 1);
    const job = h.emulators.seisoai.jobs.get(String(reply.value))!;
    assert.deepEqual(job.input.image_urls, [
      dataUriOf(file(names[0]), 'image/png'),
      dataUriOf(file(names[1]), 'image/jpeg'),
      dataUriOf(file(names[2]), 'image/png'),
    ]);
  });

  it('Seisoai, an image and a video: DreamActor gets each in its own field', async () => {
    const p = h.providers.seisoai;
    const prompts: PaymentPrompt[] = [];
    h.payer = payWith(prompts);
    const sel = (await select('dance.mp4', 'art/chair.png'))!;
    const tool = await p.registry.detail('video.generate.dreamactor-v2');
    const form = formFromSchema(tool.inputSchema);
    const filled = (await fillFromSelection(form, sel, tool.name))!;
    const { reply } = await submitAsThePage(form, filled, async (input) => {
      const r = await p.invoke(tool.id, input, { auth: 'x402', maxDataUriBytes: MAX_BYTES });
      return { message: r.job.id };
    });
    assert.equal(reply.ok, true, reply.message);
    const job = h.emulators.seisoai.jobs.get(String(reply.value))!;
    assert.equal(job.input.driving_video_url, dataUriOf(file('dance.mp4'), 'video/mp4'));
    assert.equal(job.input.source_image_url, dataUriOf(file('art/chair.png'), 'image/png'));
  });

  it('Seek API: the image fills the worker’s image_link; the job runs to completed with it', async () => {
    const key = `sk_test_${randomBytes(16).toString('hex')}`;
    const p = h.create('seekapi', { getKey: async () => key });
    const sel = (await select('art/chair-side.jpg'))!;
    const worker = await p.getWorker('image-to-3d');
    const form = formFromSchema(formSchemaFor(worker));
    const filled = (await fillFromSelection(form, sel, worker.name))!;
    let job: Job | undefined;
    const { init, reply } = await submitAsThePage(form, filled, async (values) => {
      const { input, priority, webhook } = splitControls(values);
      job = (await p.submit(worker, input, { priority, webhook })).job;
      return { message: job.id };
    });
    assert.equal(init.values.quality, 'standard');
    assert.equal(reply.ok, true, reply.message);
    const rec = h.emulators.seekapi.jobs.get(String(reply.value))!;
    assert.equal(rec.input.image_link, dataUriOf(file('art/chair-side.jpg'), 'image/jpeg'));
    const done = await waitFor(async () => {
      const patch = await p.poll(job!);
      return patch.status === 'succeeded' ? patch : undefined;
    });
    assert.equal(done.status, 'succeeded');
    // Inline, the sandbox takes media files only: other data: URIs in a uri field are still a 422 on that field.
    await assert.rejects(
      p.submit(await p.getWorker('website-screenshot'), { page: 'data:text/html,hello' }),
      (e: ProviderError) => e instanceof ProviderError && e.status === 422 && /valid URL/.test(e.fields?.page ?? ''),
    );
  });

  it('a file over gendeck.maxInlineMediaMB is refused before anything is sent; a folder alone is not media', async () => {
    const before = h.emulators.seisoai.calls.length;
    await assert.rejects(
      selectedMediaFiles(Uri.file(file('dance.mp4')), [], { title: 't', maxBytes: 1024 }),
      (e: Error) => e instanceof ValidationError && /dance\.mp4 is .* at most/.test(e.message),
    );
    await assert.rejects(
      selectedMediaFiles(Uri.file(join(ws, 'art')), [], { title: 't', maxBytes: MAX_BYTES }),
      (e: Error) => e instanceof ValidationError && /^art is not an image, video or audio file/.test(e.message),
    );
    assert.equal(h.emulators.seisoai.calls.length, before);
  });
});
