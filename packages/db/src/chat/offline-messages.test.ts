import { describe, expect, it } from 'vitest';
import type { ParleyDb } from '../connection.ts';
import { eraseVisitor, exportVisitor } from '../erase-visitor.ts';
import { MAIL_LIMITS, MailLimitError } from '../mail-limits.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase, FIXTURE, FIXTURE_NOW } from '../testing/index.ts';
import { readRows } from '../testing/rows.ts';
import {
  listOfflineMessages,
  listOfflineReplies,
  markOfflineMessageHandled,
  type OfflineReplyMail,
  replyToOfflineMessage,
  saveOfflineMessage,
} from './offline-messages.ts';

const acme = FIXTURE.accounts.acme.id;

const leave = (db: ParleyDb, clientKey: string, body = `text ${clientKey}`, now = FIXTURE_NOW) =>
  saveOfflineMessage(db, {
    accountId: acme,
    visitorId: FIXTURE.visitors.ben.id,
    name: 'Ben',
    email: 'ben@example.org',
    body,
    clientKey,
    now,
  });

describe('offline messages', () => {
  it('stores a message once, and answers a resend with the stored one', async () => {
    const db = await createTestDatabase();
    const first = await leave(db, 'k_offline');
    expect(first).toEqual({
      created: true,
      message: {
        id: expect.stringMatching(/^off_/),
        accountId: acme,
        visitorId: FIXTURE.visitors.ben.id,
        name: 'Ben',
        email: 'ben@example.org',
        body: 'text k_offline',
        createdAt: FIXTURE_NOW,
        handledAt: null,
        mailHeld: false,
      },
    });
    const again = await leave(db, 'k_offline', 'changed text', FIXTURE_NOW + 1);
    expect(again).toEqual({ created: false, message: first.message });
  });

  it('stores one message when a resend arrives while the first is being stored', async () => {
    const db = await createTestDatabase();
    const saved = await atOnce(db, [() => leave(db, 'k_offline_twice'), () => leave(db, 'k_offline_twice')]);
    expect(saved.filter((s) => s.created)).toHaveLength(1);
    expect(new Set(saved.map((s) => s.message.id)).size).toBe(1);
    expect(await countRows(db, 'offlineMessages', { accountId: acme, body: 'text k_offline_twice' })).toBe(1);
  });

  it("holds the mail of messages past the account's hourly limit, and keeps the messages", async () => {
    const db = await createTestDatabase();
    const { max } = MAIL_LIMITS.offlineMessages;
    for (let i = 0; i < max; i++) expect((await leave(db, `k_limit_${i}`)).message.mailHeld).toBe(false);
    const past = await leave(db, 'k_limit_past');
    expect(past).toMatchObject({ created: true, message: { mailHeld: true } });
    // A resend is not counted again.
    expect(await leave(db, `k_limit_0`)).toMatchObject({ created: false, message: { mailHeld: false } });
  });

  it('lists unhandled messages newest first, and all of them when asked', async () => {
    const db = await createTestDatabase();
    await leave(db, 'k_older', 'older', FIXTURE_NOW - 1000);
    await leave(db, 'k_newer', 'newer', FIXTURE_NOW);
    const unhandled = await listOfflineMessages(db, acme);
    expect(unhandled.map((m) => m.body)).toEqual([
      'newer',
      'older',
      'Please call me back about the rose order.',
    ]);
    expect((await listOfflineMessages(db, acme, { limit: 1 })).map((m) => m.body)).toEqual(['newer']);

    expect(await markOfflineMessageHandled(db, { accountId: acme, id: 'off_anna', now: FIXTURE_NOW })).toBe(
      true,
    );
    expect((await listOfflineMessages(db, acme)).map((m) => m.body)).toEqual(['newer', 'older']);
    const all = await listOfflineMessages(db, acme, { includeHandled: true });
    expect(all.find((m) => m.id === 'off_anna')).toMatchObject({ handledAt: FIXTURE_NOW });
  });

  it('keeps the time a message was first marked handled', async () => {
    const db = await createTestDatabase();
    const mark = (now: number) => markOfflineMessageHandled(db, { accountId: acme, id: 'off_anna', now });
    expect(await mark(FIXTURE_NOW)).toBe(true);
    expect(await mark(FIXTURE_NOW + 5000)).toBe(true);
    const [stored] = (await listOfflineMessages(db, acme, { includeHandled: true })).filter(
      (m) => m.id === 'off_anna',
    );
    expect(stored?.handledAt).toBe(FIXTURE_NOW);
  });
});

/** A mail that says which message and how many replies came before, so a test can read what the writer was given. */
const threadMail: OfflineReplyMail = (message, earlier) => ({
  subject: `Re: ${message.id}`,
  body: `reply after ${earlier.length}`,
  headers: { 'In-Reply-To': `<${earlier.at(-1)?.id ?? message.id}@test>` },
});

const reply = (
  db: ParleyDb,
  offlineMessageId: string,
  body: string,
  extra: { accountId?: string; now?: number } = {},
) =>
  replyToOfflineMessage(db, {
    accountId: extra.accountId ?? acme,
    offlineMessageId,
    agentId: FIXTURE.agents.acmeAgent.id,
    body,
    mail: threadMail,
    now: extra.now ?? FIXTURE_NOW,
  });

describe('replies to offline messages', () => {
  it('mails a reply to the address the visitor gave, threaded after the earlier ones, and marks the message handled', async () => {
    const db = await createTestDatabase();
    const { message } = await leave(db, 'k_reply');
    const first = await reply(db, message.id, 'We open at nine.');
    const second = await reply(db, message.id, 'And close at six.', { now: FIXTURE_NOW + 1 });
    expect(await listOfflineReplies(db, acme, [message.id])).toEqual([first, second]);
    expect(first).toMatchObject({
      offlineMessageId: message.id,
      body: 'We open at nine.',
      createdAt: FIXTURE_NOW,
    });
    const mails = await readRows(db, 'noticeOutbox', { kind: 'offline_reply' }, { orderBy: 'createdAt' });
    expect(mails.map((m) => [m.id, m.toEmail, m.body, m.headers['In-Reply-To']])).toEqual([
      [first?.id, 'ben@example.org', 'reply after 0', `<${message.id}@test>`],
      [second?.id, 'ben@example.org', 'reply after 1', `<${first?.id}@test>`],
    ]);
    expect((await listOfflineMessages(db, acme)).map((m) => m.id)).not.toContain(message.id);
  });

  it("answers nothing of another account's", async () => {
    const db = await createTestDatabase();
    const { message } = await leave(db, 'k_reply_foreign');
    expect(await reply(db, message.id, 'Hello', { accountId: FIXTURE.accounts.globex.id })).toBeNull();
    expect(await listOfflineReplies(db, FIXTURE.accounts.globex.id, [message.id])).toEqual([]);
    expect(await countRows(db, 'noticeOutbox', { kind: 'offline_reply' })).toBe(0);
  });

  it('past the limit on mail to one address, stores and mails nothing', async () => {
    const db = await createTestDatabase();
    const { message } = await leave(db, 'k_reply_limit');
    const limited = (body: string) =>
      replyToOfflineMessage(db, {
        accountId: acme,
        offlineMessageId: message.id,
        agentId: FIXTURE.agents.acmeAgent.id,
        body,
        recipientSecret: Buffer.from('a test key for mail limits'),
        mail: threadMail,
        now: FIXTURE_NOW,
      });
    for (let i = 0; i < MAIL_LIMITS.recipient.max; i++) await limited(`reply ${i}`);
    await expect(limited('one too many')).rejects.toBeInstanceOf(MailLimitError);
    expect(await listOfflineReplies(db, acme, [message.id])).toHaveLength(MAIL_LIMITS.recipient.max);
  });

  it("RET-4: a reply is in the visitor's export and goes with them on erasure", async () => {
    const db = await createTestDatabase();
    const { message } = await leave(db, 'k_reply_erase');
    const sent = await reply(db, message.id, 'Thanks for asking.');
    const visitorId = FIXTURE.visitors.ben.id;
    const exported = await exportVisitor(db, { accountId: acme, visitorId });
    expect(exported.offline_replies).toEqual([
      expect.objectContaining({ id: sent?.id, body: 'Thanks for asking.' }),
    ]);
    await eraseVisitor(db, { accountId: acme, visitorId, reason: 'request', actor: { kind: 'system' } });
    // Ben's reply goes; the fixture's reply to Anna stays.
    expect(await countRows(db, 'offlineReplies', { accountId: acme, visitorId })).toBe(0);
    expect(await countRows(db, 'offlineReplies', { accountId: acme })).toBe(1);
  });
});
