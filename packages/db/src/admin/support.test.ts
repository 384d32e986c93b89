import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { closeAccount, exportAccount } from '../account-data.ts';
import { sweepRetention } from '../retention.ts';
import { countRows, createTestDatabase, FIXTURE, FIXTURE_NOW, readRows } from '../testing/index.ts';
import {
  closeSupportThread,
  listAccountSupportThreads,
  listSupportThreads,
  openSupportThread,
  readSupportThread,
  replyToSupportThread,
  SupportThreadNotFoundError,
  unreadSupportThreads,
} from './support.ts';

const { acme, globex } = FIXTURE.accounts;
const owner = FIXTURE.agents.acmeOwner;
const staffId = FIXTURE.staff.operator.id;
const YEAR = 365 * 86_400_000;
const mail = (thread: { subject: string }) => ({
  subject: `Re: ${thread.subject}`,
  body: 'See the dashboard.',
});

async function openedThread() {
  const db = await createTestDatabase();
  const threadId = await openSupportThread(db, {
    accountId: acme.id,
    agentId: owner.id,
    subject: 'Invoices',
    body: 'Where are our invoices?',
    now: FIXTURE_NOW,
  });
  return { db, threadId };
}

describe('support threads (COM-1)', () => {
  it('COM-1: a staff answer is stored in the thread, unread for the account, and mailed to whoever opened it', async () => {
    const { db, threadId } = await openedThread();
    expect(await listSupportThreads(db, { limit: 10, offset: 0 })).toMatchObject({
      threads: [{ id: threadId, organization: 'Acme Gardening GmbH', unread: true, lastAuthor: 'account' }],
      more: false,
    });
    await readSupportThread(db, { threadId, side: 'staff', now: FIXTURE_NOW + 1 });
    await replyToSupportThread(db, { threadId, staffId, body: 'In Settings.', now: FIXTURE_NOW + 2, mail });

    expect(await unreadSupportThreads(db, acme.id)).toBe(1);
    const read = await readSupportThread(db, {
      threadId,
      side: 'account',
      accountId: acme.id,
      now: FIXTURE_NOW + 3,
    });
    expect(read.messages).toEqual([
      expect.objectContaining({ author: 'account', authorName: owner.name, body: 'Where are our invoices?' }),
      expect.objectContaining({ author: 'staff', authorName: 'Oona Operator', body: 'In Settings.' }),
    ]);
    expect(await unreadSupportThreads(db, acme.id)).toBe(0);
    expect(await readRows(db, 'noticeOutbox', { kind: 'support' })).toEqual([
      expect.objectContaining({ toEmail: owner.email, subject: 'Re: Invoices', accountId: acme.id }),
    ]);
  });

  it('COM-1: another account neither lists nor reads the thread', async () => {
    const { db, threadId } = await openedThread();
    expect(await listAccountSupportThreads(db, globex.id)).toEqual([]);
    await expect(
      readSupportThread(db, { threadId, side: 'account', accountId: globex.id, now: FIXTURE_NOW }),
    ).rejects.toBeInstanceOf(SupportThreadNotFoundError);
  });

  it('COM-1: the thread is in the account export and erased when the account closes', async () => {
    const { db, threadId } = await openedThread();
    await replyToSupportThread(db, { threadId, staffId, body: 'In Settings.', now: FIXTURE_NOW + 1, mail });
    const exported = await exportAccount(db, acme.id);
    expect(exported.support).toEqual([
      expect.objectContaining({
        subject: 'Invoices',
        messages: [
          expect.objectContaining({ author: 'account', body: 'Where are our invoices?' }),
          expect.objectContaining({ author: 'staff', body: 'In Settings.' }),
        ],
      }),
    ]);
    await closeAccount(db, { accountId: acme.id, now: FIXTURE_NOW + 2 });
    expect(await countRows(db, 'supportThreads')).toBe(0);
    expect(await countRows(db, 'supportMessages')).toBe(0);
  });

  it('COM-1: the retention sweep erases a thread two years after it closed, and not before', async () => {
    const { db, threadId } = await openedThread();
    expect(await closeSupportThread(db, { threadId, now: FIXTURE_NOW })).toBe(true);
    const policy = contentInForce(parleyPolicy);
    await sweepRetention(db, policy, { now: FIXTURE_NOW + 2 * YEAR - 86_400_000 });
    expect(await countRows(db, 'supportMessages')).toBe(1);
    await sweepRetention(db, policy, { now: FIXTURE_NOW + 2 * YEAR + 86_400_000 });
    expect(await countRows(db, 'supportMessages')).toBe(0);
    expect(await countRows(db, 'supportThreads')).toBe(0);
  });
});
