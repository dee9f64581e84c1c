// The multi-step input (commands/steps.ts) driven through the vscode stub as a user would: forward, Back with the
// earlier answer kept, Escape cancelling the whole flow, validation as typed, and "(n/N)" counting only the steps
// this flow asks.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { quickInputs, FakeInputBox, FakeQuickPick } from '../support/vscodeStub';
import { numberStep } from '../../src/commands/numberPick';
import { pickStep, runSteps, textStep } from '../../src/commands/steps';

interface Answers {
  prompt?: string;
  model?: string;
  seconds?: number;
}

const MODELS = ['pro', 'fast', 'mini'];

function flow(o: { skipModel?: (s: Answers) => boolean } = {}) {
  return {
    title: 'New video',
    steps: [
      textStep<Answers>({
        name: 'Prompt',
        prompt: 'Describe the video (required)',
        value: (s) => s.prompt,
        validate: (v) => (v.trim() ? undefined : 'The prompt is empty.'),
        accept: (v, s) => (s.prompt = v.trim()),
      }),
      pickStep<Answers, { label: string }>({
        name: 'Model',
        skip: o.skipModel,
        items: () => MODELS.map((label) => ({ label })),
        selected: (s) => s.model,
        accept: (item, s) => {
          s.model = item.label;
        },
      }),
      numberStep<Answers>({
        name: 'Duration',
        range: () => ({ min: 4, max: 15, unit: 's', default: 5 }),
        value: (s) => s.seconds,
        accept: (n, s) => (s.seconds = n),
      }),
    ],
  };
}

/** The input shown now, once the runner has shown it (steps are shown after a turn of the event loop). */
async function shown(): Promise<FakeQuickPick<{ label: string }> | FakeInputBox> {
  for (let i = 0; i < 20; i++) {
    const q = quickInputs.filter((x) => x.visible && !x.disposed).at(-1);
    if (q) return q;
    await tick();
  }
  throw new Error('no quick input shown');
}

/** The next input, after the one given has gone. */
async function after(prev: unknown): Promise<FakeQuickPick<{ label: string }> | FakeInputBox> {
  for (let i = 0; i < 20; i++) {
    await tick();
    const q = quickInputs.filter((x) => x.visible && !x.disposed).at(-1);
    if (q && q !== prev) return q;
  }
  throw new Error('no next quick input');
}

const box = (q: unknown) => {
  assert.ok(q instanceof FakeInputBox, 'an input box');
  return q;
};
const pick = (q: unknown) => {
  assert.ok(q instanceof FakeQuickPick, 'a quick pick');
  return q as FakeQuickPick<{ label: string; value?: number }>;
};
const hasBack = (q: { buttons: readonly unknown[] }) =>
  q.buttons.some((b) => (b as { tooltip?: string }).tooltip === 'Back');

describe('multi-step input', () => {
  beforeEach(() => {
    quickInputs.length = 0;
  });

  it('goes forward step by step, each titled "(n/N): name", Back from the second on', async () => {
    const done = runSteps(flow(), {} as Answers);
    const p = box(await shown());
    assert.equal(p.title, 'New video (1/3): Prompt');
    assert.equal(p.ignoreFocusOut, true);
    assert.ok(!hasBack(p), 'no Back on the first step');
    p.type('A red fox');
    p.accept();
    const m = pick(await after(p));
    assert.equal(m.title, 'New video (2/3): Model');
    assert.ok(hasBack(m));
    m.accept('fast');
    const d = pick(await after(m));
    assert.equal(d.title, 'New video (3/3): Duration (4–15 s)');
    assert.ok(hasBack(d));
    d.accept('7 s');
    assert.deepEqual(await done, { prompt: 'A red fox', model: 'fast', seconds: 7 });
    assert.ok(
      quickInputs.every((q) => q.disposed && !q.visible),
      'every input is gone at the end',
    );
  });

  it('Back returns to the previous step with its answer kept, and the flow goes on from there', async () => {
    const done = runSteps(flow(), {} as Answers);
    const p = box(await shown());
    p.type('A red fox');
    p.accept();
    const m = pick(await after(p));
    m.accept('mini');
    const d = pick(await after(m));
    d.back();
    const m2 = pick(await after(d));
    assert.equal(m2.title, 'New video (2/3): Model');
    assert.deepEqual(
      m2.activeItems.map((i) => i.label),
      ['mini'],
      'the earlier pick is pre-selected',
    );
    m2.back();
    const p2 = box(await after(m2));
    assert.equal(p2.value, 'A red fox', 'the earlier text is filled in');
    assert.ok(!hasBack(p2));
    p2.accept();
    const m3 = pick(await after(p2));
    m3.accept(); // Enter keeps the pre-selected answer
    const d2 = pick(await after(m3));
    d2.accept('4 s');
    assert.deepEqual(await done, { prompt: 'A red fox', model: 'mini', seconds: 4 });
  });

  it('Escape on any step cancels the whole flow and leaves nothing open', async () => {
    const answers: Answers = {};
    const done = runSteps(flow(), answers);
    const p = box(await shown());
    p.type('A red fox');
    p.accept();
    const m = pick(await after(p));
    m.escape();
    assert.equal(await done, undefined);
    assert.equal(answers.model, undefined);
    assert.ok(quickInputs.every((q) => !q.visible));
  });

  it('validates while typing: the message shows and clears, Enter does nothing while it holds', async () => {
    const done = runSteps(flow(), {} as Answers);
    const p = box(await shown());
    assert.equal(p.validationMessage, undefined, 'an empty box is not an error before anything is typed');
    p.type('x');
    assert.equal(p.validationMessage, undefined);
    p.type('   ');
    assert.equal(p.validationMessage, 'The prompt is empty.');
    p.accept();
    await tick();
    assert.ok(p.visible && !p.disposed, 'still on the prompt');
    assert.equal(quickInputs.length, 1);
    p.type('A fox');
    assert.equal(p.validationMessage, undefined);
    p.accept();
    const m = pick(await after(p));
    m.accept('pro');
    const d = pick(await after(m));
    // A number outside the range gives one row that says why; Enter on it does nothing.
    d.type('99');
    assert.equal(d.items.length, 1);
    assert.match(d.items[0].label, /99 is not allowed: choose a whole number from 4 to 15 s/);
    d.accept();
    await tick();
    assert.ok(d.visible && !d.disposed, 'still on the duration');
    d.type('12');
    assert.deepEqual(
      d.items.map((i) => i.label),
      ['12 s'],
    );
    d.accept();
    assert.deepEqual(await done, { prompt: 'A fox', model: 'pro', seconds: 12 });
  });

  it('counts only the steps this flow asks, recounted when an earlier answer changes after Back', async () => {
    const done = runSteps(flow({ skipModel: (s) => s.prompt === 'same model' }), { model: 'pro' } as Answers);
    const p = box(await shown());
    assert.equal(p.title, 'New video (1/3): Prompt');
    p.type('same model');
    p.accept();
    const d = pick(await after(p));
    assert.equal(d.title, 'New video (2/2): Duration (4–15 s)', 'the skipped step is not counted');
    d.back();
    const p2 = box(await after(d));
    assert.equal(p2.title, 'New video (1/2): Prompt');
    p2.type('another');
    p2.accept();
    const m = pick(await after(p2));
    assert.equal(m.title, 'New video (2/3): Model');
    m.accept();
    const d2 = pick(await after(m));
    assert.equal(d2.title, 'New video (3/3): Duration (4–15 s)');
    d2.accept();
    assert.deepEqual(await done, { prompt: 'another', model: 'pro', seconds: 5 }, 'Enter takes the default duration');
  });

  it('starts from earlier answers (Run Again), and an answer that needs more asks its step again', async () => {
    let dialogs = 0;
    const done = runSteps(
      {
        title: (s: Answers) => (s.prompt ? `Step for “${s.prompt}”` : 'Step'),
        steps: [
          textStep<Answers>({
            name: 'Prompt',
            prompt: 'Describe it',
            value: (s) => s.prompt,
            accept: (v, s) => (s.prompt = v),
          }),
          pickStep<Answers, { label: string }>({
            name: 'Files',
            items: () => [{ label: 'No files' }, { label: 'Attach…' }],
            accept: async (item) => (item.label === 'Attach…' ? ++dialogs > 1 : true),
          }),
          numberStep<Answers>({
            name: 'Duration',
            range: () => ({ min: 4, max: 15, unit: 's' }),
            value: (s) => s.seconds,
            accept: (n, s) => (s.seconds = n),
          }),
        ],
      },
      { prompt: 'fox', seconds: 9 } as Answers,
    );
    const p = box(await shown());
    assert.equal(p.title, 'Step for “fox” (1/3): Prompt');
    assert.equal(p.value, 'fox');
    p.accept();
    const f = pick(await after(p));
    f.accept('Attach…'); // the "dialog" is dismissed: the same question again
    const f2 = pick(await after(f));
    assert.equal(f2.title, 'Step for “fox” (2/3): Files');
    f2.accept('Attach…');
    const d = pick(await after(f2));
    assert.deepEqual(
      d.activeItems.map((i) => i.label),
      ['9 s'],
      'the earlier number is pre-selected',
    );
    d.accept();
    assert.deepEqual(await done, { prompt: 'fox', seconds: 9 });
    assert.equal(dialogs, 2);
  });
});
