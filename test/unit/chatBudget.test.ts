// The per-chat-session caps of the language-model tools (agents/chatBudget.ts): what a session may still spend per
// provider and how many jobs it may start, each session (and the sandbox) counted apart, a job's reported cost
// replacing its estimate, and the session read from what the editor hands a tool.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChatBudget,
  NO_CHAT_SESSION,
  SessionCapExceeded,
  sessionOf,
  type SessionCaps,
} from '../../src/agents/chatBudget';
import { newJob, type Job } from '../../src/core/jobs/job';
import { COST_UNITS, PROVIDER_LABELS } from '../../src/core/providers/index';

function budget(caps: Partial<SessionCaps> = {}) {
  const jobs = new Map<string, Job>();
  const b = new ChatBudget({
    caps: () => ({ spend: { seedancee2: 50, seele: 100, seisoai: 1, seekapi: 20 }, jobs: 5, ...caps }),
    unit: (id) => (id === 'seisoai' ? 'USD' : COST_UNITS[id]),
    label: (id) => PROVIDER_LABELS[id],
    job: (key) => jobs.get(key),
  });
  const finish = (key: string, cost: Job['cost']) => {
    const [provider, id] = key.split(':');
    jobs.set(
      key,
      newJob({ provider: provider as Job['provider'], id, title: 't', kind: 'x', status: 'succeeded', cost }),
    );
  };
  return { b, finish };
}

const credits = (amount: number) => ({ amount, unit: 'credits' });

describe('ChatBudget', () => {
  it('lets jobs through up to the cap, refuses the one that would pass it, and says why', () => {
    const { b } = budget();
    b.reserve('s1', false, 'seedancee2', credits(20)).commit('seedancee2:a');
    b.reserve('s1', false, 'seedancee2', credits(30)).commit('seedancee2:b');
    const refused = b.refusal('s1', false, 'seedancee2', credits(1));
    assert.ok(refused instanceof SessionCapExceeded);
    assert.match(refused.message, /~1 credits.*past its 50 credits with Seedancee2: 50 spent so far/);
    assert.match(refused.message, /gendeck\.agents\.maxSpendPerChatSession\.seedancee2/);
    assert.throws(() => b.reserve('s1', false, 'seedancee2', credits(1)), SessionCapExceeded);
    assert.equal(b.jobs('s1', false), 2, 'a refused job holds no place');
  });

  it('counts each chat session, and the sandbox, apart', () => {
    const { b } = budget();
    b.reserve('s1', false, 'seedancee2', credits(50)).commit('seedancee2:a');
    assert.ok(b.refusal('s1', false, 'seedancee2', credits(5)));
    assert.equal(b.refusal('s2', false, 'seedancee2', credits(5)), undefined);
    assert.equal(b.refusal('s1', true, 'seedancee2', credits(5)), undefined);
    assert.equal(b.refusal('s1', false, 'seekapi', credits(5)), undefined, 'another provider has its own cap');
  });

  it("a job's reported cost replaces its estimate; a refund gives room back", () => {
    const { b, finish } = budget();
    b.reserve('s', false, 'seedancee2', credits(40)).commit('seedancee2:a');
    assert.deepEqual(b.spent('s', false, 'seedancee2'), { amount: 40, estimated: 40, unknown: 0 });
    finish('seedancee2:a', { amount: 20, unit: 'credits' });
    assert.deepEqual(b.spent('s', false, 'seedancee2'), { amount: 20, estimated: 0, unknown: 0 });
    assert.equal(b.refusal('s', false, 'seedancee2', credits(30)), undefined);
    finish('seedancee2:a', { amount: 20, unit: 'credits', refunded: 20 });
    assert.equal(b.spent('s', false, 'seedancee2').amount, 0);
  });

  it('a job of unknown cost may start while the session is under its cap, and counts once it reports', () => {
    const { b, finish } = budget();
    b.reserve('s', false, 'seele').commit('seele:g1');
    assert.deepEqual(b.spent('s', false, 'seele'), { amount: 0, estimated: 0, unknown: 1 });
    assert.match(b.line('s', false, 'seele'), /1 job\(s\) whose cost is not reported yet/);
    finish('seele:g1', { amount: 100, unit: 'koin' });
    const refused = b.refusal('s', false, 'seele');
    assert.match(String(refused?.message), /spent 100 of its 100 koin with Seele .*not known before it runs/);
  });

  it('Seisoai: dollars in USD or USDC count against the dollar cap; a price only in credits is of unknown cost', () => {
    const { b } = budget();
    b.reserve('s', false, 'seisoai', { amount: 0.6, unit: 'USD' }).commit('seisoai:a');
    assert.ok(b.refusal('s', false, 'seisoai', { amount: 0.5, unit: 'USDC' }));
    assert.equal(b.refusal('s', false, 'seisoai', { amount: 500, unit: 'credits' }), undefined);
    assert.equal(b.spent('s', false, 'seisoai').amount, 0.6);
  });

  it('caps the number of jobs, every provider together; 0 lets none start; a release frees the place', () => {
    const { b } = budget({ jobs: 2 });
    b.reserve('s', false, 'seekapi', credits(1)).commit('seekapi:a');
    const hold = b.reserve('s', false, 'seedancee2', credits(1));
    assert.match(String(b.refusal('s', false, 'seele')?.message), /started 2 GenDeck jobs.*maxJobsPerChatSession/);
    hold.release();
    assert.equal(b.refusal('s', false, 'seele'), undefined);
    const none = budget({ jobs: 0 }).b;
    assert.match(String(none.refusal('s', false, 'seele')?.message), /may not start jobs/);
  });

  it('a cap of 0 lets no agent spend with that provider', () => {
    const { b } = budget({ spend: { seedancee2: 0 } });
    const refused = b.refusal('s', false, 'seedancee2', credits(1));
    assert.match(
      String(refused?.message),
      /may not spend with Seedancee2: gendeck\.agents\.maxSpendPerChatSession\.seedancee2 is 0/,
    );
  });

  it('the confirmation line says what the session spent of its cap and how many jobs it started', () => {
    const { b } = budget();
    b.reserve('chat:x', false, 'seedancee2', credits(20)).commit('seedancee2:a');
    assert.equal(
      b.line('chat:x', false, 'seedancee2'),
      'This chat session: ~20 of 50 credits with Seedancee2, 1 of 5 jobs (gendeck.agents.maxSpendPerChatSession).',
    );
    assert.match(b.line(NO_CHAT_SESSION, false, 'seedancee2'), /^Outside a chat: ~?0 of 50 credits/);
  });
});

describe('sessionOf', () => {
  it('reads the chat session id or resource from the options or the invocation token; the window otherwise', () => {
    assert.equal(sessionOf({ input: {}, chatSessionId: 'abc' }), 'chat:abc');
    const resource = { scheme: 'vscode-chat-session', authority: 'local', path: '/s1' };
    assert.equal(sessionOf({ input: {}, chatSessionResource: resource }), 'chat:vscode-chat-session://local/s1');
    // The prepare options carry the resource, the invocation its token: both name the same session.
    assert.equal(
      sessionOf({ input: {}, toolInvocationToken: Object.freeze({ sessionResource: { ...resource, $mid: 1 } }) }),
      sessionOf({ input: {}, chatSessionResource: resource }),
    );
    assert.equal(sessionOf({ input: {}, toolInvocationToken: { sessionId: 'old' } }), 'chat:old');
    assert.equal(sessionOf({ input: {}, toolInvocationToken: undefined }), NO_CHAT_SESSION);
    assert.equal(sessionOf({ input: {}, toolInvocationToken: { sessionResource: 42 } }), NO_CHAT_SESSION);
    assert.equal(sessionOf(undefined), NO_CHAT_SESSION);
  });
});
