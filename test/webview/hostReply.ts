// Plays the host's side of request/reply (src/webview/messages.ts `answers`) for a page under test.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Reply } from '../../src/webview/protocol';
import { post, sent } from '../support/page';

/** The page's latest request of `type`, once it has sent one. */
export async function request(page: Page, type: string): Promise<{ id: number } & Record<string, unknown>> {
  await page.waitForFunction(
    (t) => (window as unknown as { sent: { type: string }[] }).sent.some((m) => m.type === t),
    type,
    { timeout: 10_000 },
  );
  const req = (await sent(page)).filter((m) => m.type === type).at(-1) as { id?: unknown } | undefined;
  assert.equal(typeof req?.id, 'number', `the page's ${type} request carries an id`);
  return req as { id: number } & Record<string, unknown>;
}

/** Answers the page's latest request of `type`: with `value`, or with an error `{ message, fields }`. */
export async function answer(
  page: Page,
  type: string,
  outcome: { value: unknown } | { message: string; fields?: Record<string, string> },
): Promise<void> {
  const { id } = await request(page, type);
  const reply: Reply =
    'value' in outcome
      ? { type: 'reply', id, ok: true, value: outcome.value }
      : { type: 'reply', id, ok: false, ...outcome };
  await post(page, reply);
}
