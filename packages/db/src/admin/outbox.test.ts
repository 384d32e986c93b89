import { describe, expect, it } from 'vitest';
import { MAIL_MAX_ATTEMPTS, markMailFailed, markMailSent, queueMail } from '../notices.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, updateRows } from '../testing/index.ts';
import { outboxStatus } from './outbox.ts';

describe('the outbox as staff see it', () => {
  it('counts pending, sent and failed mail, and shows the latest without bodies or addresses', async () => {
    const db = await createTestDatabase();
    const sent = await queueMail(db, {
      kind: 'invitation',
      to: 'new.agent@acme.test',
      subject: 'Join Acme on Parley',
      body: 'secret invitation link',
      accountId: FIXTURE.accounts.acme.id,
      now: FIXTURE_NOW,
    });
    await markMailSent(db, sent, FIXTURE_NOW + 1);
    const failed = await queueMail(db, {
      kind: 'merger',
      to: 'gina@globex.test',
      subject: 'Parley is joining Example',
      body: 'notice',
      accountId: FIXTURE.accounts.globex.id,
      now: FIXTURE_NOW + 2,
    });
    await markMailFailed(db, failed, '550 no such user');
    await updateRows(db, 'noticeOutbox', { attempts: MAIL_MAX_ATTEMPTS }, { id: failed });
    // What a mail server quotes back reaches the view without the address in it.
    await updateRows(db, 'noticeOutbox', { lastError: '550 gina@globex.test: no such user' }, { id: failed });

    const status = await outboxStatus(db);
    expect(status.counts).toEqual({ pending: 1, sent: 1, failed: 1 });
    expect(status.latest).toEqual([
      {
        id: failed,
        kind: 'merger',
        accountId: FIXTURE.accounts.globex.id,
        toVisitor: false,
        subject: 'Parley is joining Example',
        createdAt: FIXTURE_NOW + 2,
        sentAt: null,
        attempts: MAIL_MAX_ATTEMPTS,
        state: 'failed',
        lastError: '550 [address]: no such user',
      },
      expect.objectContaining({
        id: sent,
        state: 'sent',
        sentAt: FIXTURE_NOW + 1,
        attempts: 1,
        lastError: null,
      }),
      expect.objectContaining({ id: 'out_anna_transcript', state: 'pending', toVisitor: true }),
    ]);
    expect(JSON.stringify(status)).not.toMatch(/secret invitation link|new\.agent@|anna@example/);
  });

  it('shows as many of the latest as asked for', async () => {
    const db = await createTestDatabase();
    for (let i = 0; i < 3; i++)
      await queueMail(db, {
        kind: 'marketing',
        to: `m${i}@example.test`,
        subject: `News ${i}`,
        body: 'b',
        now: i,
      });
    const status = await outboxStatus(db, 2);
    expect(status.latest.map((m) => m.subject)).toEqual(['Your chat with Acme Gardening GmbH', 'News 2']);
    expect(status.counts.pending).toBe(4);
  });
});
