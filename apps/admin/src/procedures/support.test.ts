import { openSupportThread } from '@parley/db';
import { FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

const { acme } = FIXTURE.accounts;

async function withThread() {
  const h = await adminHarness({ dashboardUrl: 'https://chat.example.test/dashboard' });
  const threadId = await openSupportThread(h.db, {
    accountId: acme.id,
    agentId: FIXTURE.agents.acmeOwner.id,
    subject: 'Invoices',
    body: 'Where are our invoices?',
    now: h.clock.now,
  });
  return { h, threadId, session: await h.signIn() };
}

interface Thread {
  thread: { id: string; unread: boolean; status: string; organization: string };
  messages: Array<{ author: string; body: string }>;
}

describe('support requests in the console (COM-1)', () => {
  it('COM-1: staff see a new request unread, read it, answer it by mail, and close it', async () => {
    const { h, threadId, session } = await withThread();
    const inbox = await h.query<{ threads: Array<{ id: string; unread: boolean }> }>(
      'support.list',
      {},
      session,
    );
    expect(inbox.data.threads).toEqual([expect.objectContaining({ id: threadId, unread: true })]);

    const opened = await h.query<Thread>('support.thread', { threadId }, session);
    expect(opened.data.thread).toMatchObject({ organization: 'Acme Gardening GmbH', unread: false });
    expect(opened.data.messages.map((m) => m.body)).toEqual(['Where are our invoices?']);

    h.clock.now += 60_000;
    const replied = await h.mutate('support.reply', { threadId, body: 'Under Settings, Billing.' }, session);
    expect(replied.data).toEqual({ replied: true });
    const [mail] = await readRows(h.db, 'noticeOutbox', { kind: 'support' });
    expect(mail).toMatchObject({
      toEmail: FIXTURE.agents.acmeOwner.email,
      subject: 'Support answered: Invoices',
    });
    expect(mail?.body).toContain('https://chat.example.test/dashboard#/support');
    expect(mail?.body).not.toContain('Under Settings');

    expect((await h.mutate('support.close', { threadId }, session)).data).toEqual({ closed: true });
    const reclose = await h.mutate('support.close', { threadId }, session);
    expect(reclose.error?.data.appCode).toBe('invalid_state');
    const audit = await h.query<{ entries: Array<{ action: string }> }>(
      'audit.list',
      { action: 'support.' },
      session,
    );
    expect(audit.data.entries.map((e) => e.action)).toEqual([
      'support.closed',
      'support.replied',
      'support.read',
    ]);
  });

  it('COM-1: an unknown request is not found, and an empty answer is refused', async () => {
    const { h, threadId, session } = await withThread();
    const missing = await h.query('support.thread', { threadId: 'sup_nope' }, session);
    expect(missing.error?.data.appCode).toBe('not_found');
    const empty = await h.mutate('support.reply', { threadId, body: '   ' }, session);
    expect(empty.error?.data.appCode).toBe('invalid_input');
  });
});
