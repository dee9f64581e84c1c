// "GenDeck: Index Workspace Videos" on the `vscode` stub, against the Seeknetic emulator over HTTP: before indexing
// against the real service it asks, as a modal, with the count of embedding and tagging calls; dismissed, nothing
// is sent; in the sandbox it asks nothing and indexes.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GenDeck } from '../../src/context';
import { seeknetic } from '../../src/core/providers/seeknetic/index';
import { SeekneticProvider } from '../../src/core/providers/seeknetic/provider';
import { TokenBucket } from '../../src/core/http/rateLimit';
import type { SeekneticContext } from '../../src/features/seeknetic/context';
import { indexWorkspaceVideos } from '../../src/features/seeknetic/indexVideos';
import { VideoSearch } from '../../src/features/seeknetic/videoSearch';
import { makeVideo, testTools } from '../support/ffmpeg';
import { startSeeknetic, type SeekneticHarness } from '../support/seeknetic';
import {
  configuration,
  EventEmitter,
  messageAnswers,
  progressRuns,
  shownMessages,
  Uri,
  workspace,
} from '../support/vscodeStub';

describe('indexing asks before the calls it makes on the real service (vscode stub + Seeknetic sandbox)', () => {
  let h: SeekneticHarness;
  let root: string;
  const mode = { sandbox: false };
  const errors: unknown[] = [];
  let search: VideoSearch;
  let c: SeekneticContext;
  let onEmbed = () => undefined as void;
  const modals = () => shownMessages.filter((m) => (m.options as { modal?: boolean } | undefined)?.modal);

  before(async () => {
    h = await startSeeknetic();
    const tools = await testTools();
    const base = mkdtempSync(join(tmpdir(), 'gendeck-cost-'));
    root = join(base, 'workspace');
    mkdirSync(root);
    await Promise.all([
      // 25 s: three windows of 10 s; and a 4 s clip, one window.
      makeVideo(tools, join(root, 'long.mp4'), { colours: ['0xE01010', '0x10C010', '0x1010E0'], segment: 25 / 3 }),
      makeVideo(tools, join(root, 'short.mp4'), { colours: ['0xE010E0'], segment: 4 }),
    ]);
    workspace.workspaceFolders = [{ uri: Uri.file(root), name: 'workspace', index: 0 }];
    configuration.global['gendeck.ffmpegPath'] = tools.ffmpeg;
    configuration.global['gendeck.ffprobePath'] = tools.ffprobe;
    // The real service's poll pace, at test speed (the emulator is the same API).
    const provider = new SeekneticProvider(
      {
        baseUrl: () => h.sandbox.baseUrl('seeknetic'),
        getKey: async () => h.key,
        logger: h.log,
        timeoutMs: 10_000,
        facts: { ...seeknetic, pollPolicy: { ...seeknetic.pollPolicy, minMs: 10, maxMs: 40 } },
      },
      { rateLimiter: new TokenBucket(1000, 1000) },
    );
    // The provider as the editor has it; `onEmbed` sees each embedding call start (the user's Cancel is played there).
    const embedder = Object.assign(Object.create(provider) as SeekneticProvider, {
      embedVideo: (...a: Parameters<SeekneticProvider['embedVideo']>) => {
        onEmbed();
        return provider.embedVideo(...a);
      },
    });
    const state = new Map<string, unknown>();
    const g = {
      sandbox: {
        get active() {
          return mode.sandbox;
        },
        onDidChange: new EventEmitter<void>().event,
      },
      providers: { seeknetic: embedder },
      keyFor: async () => h.key,
      baseUrl: () => h.sandbox.baseUrl('seeknetic'),
      context: {
        globalState: {
          get: (k: string) => state.get(k),
          update: async (k: string, v: unknown) => void state.set(k, v),
        },
        globalStorageUri: Uri.file(join(base, 'storage')),
        extensionUri: Uri.file(base),
      },
      log: h.log,
      output: { show: () => undefined },
      reportError: async (err: unknown) => void errors.push(err),
    } as unknown as GenDeck;
    search = new VideoSearch(g);
    c = { g, feature: { search } } as unknown as SeekneticContext;
  });
  after(async () => {
    search.dispose();
    workspace.workspaceFolders = undefined;
    await h.stop();
  });

  it('real service: a modal with the embedding and tagging calls; dismissed, no embedding request is sent', async () => {
    shownMessages.length = 0;
    messageAnswers.push('Index Videos', undefined); // agree to the upload notice, then dismiss the cost question
    await indexWorkspaceVideos(c);
    const [consent, cost, ...rest] = modals();
    assert.match(consent.message, /sends 12 small frames/);
    assert.match(
      cost.message,
      /makes 4 embedding calls \(2 new or changed videos cut into windows\) and 4 tagging calls/,
    );
    assert.deepEqual(cost.items, ['Index Videos']);
    assert.match((cost.options as { detail: string }).detail, /402/);
    assert.deepEqual(rest, []);
    assert.deepEqual(h.emulator.uploads, { embedding: 0, tagging: 0 }, 'nothing sent');
    assert.equal((await search.state()).moments, 0);
    assert.deepEqual(errors, []);
  });

  it('real service, confirmed: indexes, making the calls it said', async () => {
    shownMessages.length = 0;
    messageAnswers.push('Index Videos'); // the upload notice is agreed to once per host: only the cost is asked
    await indexWorkspaceVideos(c);
    assert.equal(modals().length, 1);
    assert.match(modals()[0].message, /makes 4 embedding calls/);
    assert.deepEqual(h.emulator.uploads, { embedding: 4, tagging: 4 });
    assert.equal((await search.state()).moments, 4);
    assert.match(shownMessages.at(-1)!.message, /^Video index up to date/);
    assert.deepEqual(errors, []);
  });

  it('sandbox: no modal, it indexes at once', async () => {
    shownMessages.length = 0;
    mode.sandbox = true; // its own index: the videos are new there
    await indexWorkspaceVideos(c);
    assert.deepEqual(modals(), []);
    assert.deepEqual(h.emulator.uploads, { embedding: 8, tagging: 8 });
    assert.match(shownMessages.at(-1)!.message, /^Video index up to date: 2 videos, 2 indexed \(4 moments\)/);
    assert.deepEqual(errors, []);
    assert.deepEqual(messageAnswers, []);
  });

  it('Cancel in the progress keeps the window whose call was in flight; the next run sends only the rest', async () => {
    await makeVideo(await testTools(), join(root, 'more.mp4'), {
      colours: ['0xF0F0F0', '0x101010', '0xE0E010'],
      segment: 10,
    });
    shownMessages.length = 0;
    const before = h.emulator.uploads.embedding;
    let started = 0;
    // The user cancels as this run's first embedding call starts: it is on its way, so it finishes and is kept.
    onEmbed = () => void (++started === 1 && progressRuns.at(-1)!.cancel());
    await indexWorkspaceVideos(c);
    onEmbed = () => undefined;
    assert.equal(progressRuns.at(-1)!.cancelled, true);
    assert.ok(progressRuns.at(-1)!.reports.includes('Cancelling: keeping the windows already sent…'));
    assert.match(shownMessages.at(-1)!.message, /^Indexing cancelled\. Every window embedded so far is kept/);
    assert.equal(h.emulator.uploads.embedding, before + 1, 'the call in flight finished; nothing started after it');
    assert.equal((await search.state()).moments, 5);
    await indexWorkspaceVideos(c);
    assert.equal(h.emulator.uploads.embedding, before + 3, 'the other two windows only');
    assert.match(
      shownMessages.at(-1)!.message,
      /^Video index up to date: 3 videos, 1 indexed \(2 moments\), 2 unchanged/,
    );
    assert.equal((await search.state()).moments, 7);
    assert.deepEqual(errors, []);
  });
});
