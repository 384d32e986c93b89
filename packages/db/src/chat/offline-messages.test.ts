import { describe, expect, it } from 'vitest';
import type { ParleyDb } from '../connection.ts';
import { MAIL_LIMITS } from '../mail-limits.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase, FIXTURE, FIXTURE_NOW } from '../testing/index.ts';
import { listOfflineMessages, markOfflineMessageHandled, saveOfflineMessage } from './offline-messages.ts';

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
