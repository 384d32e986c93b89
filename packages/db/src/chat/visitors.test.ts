import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { hashChatId } from '../ids.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase, FIXTURE, readRow } from '../testing/index.ts';
import {
  ensureVisitor,
  findVisitor,
  forgetChatId,
  touchVisitor,
  updateVisitorProfile,
  visitorChatIdHash,
} from './visitors.ts';

const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;
const anna = FIXTURE.visitors.anna;
const newcomer = { chatIdHash: hashChatId('chat_newcomer_000000000') };

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

describe('finding and creating visitors', () => {
  it('CK-3: creates a visitor on first use, keyed by the chat-id hash, and finds the same row afterwards', async () => {
    expect(await findVisitor(db, acme, newcomer)).toBeNull();
    const created = await ensureVisitor(db, {
      accountId: acme,
      key: newcomer,
      details: { persistent: true, country: 'DE', locale: 'de-DE', currentPage: 'https://acme.test/' },
      now: 1_000,
    });
    expect(created).toMatchObject({ accountId: acme, persistent: true, country: 'DE', lastSeenAt: 1_000 });
    expect(await readRow(db, 'visitors', { id: created.id })).toMatchObject({
      chatIdHash: newcomer.chatIdHash,
      createdAt: 1_000,
      currentPage: 'https://acme.test/',
    });

    const again = await ensureVisitor(db, {
      accountId: acme,
      key: newcomer,
      details: { persistent: true, country: 'FR', currentPage: 'https://acme.test/roses' },
      now: 2_000,
    });
    // The context follows the latest visit: an item the website stopped showing would be cleared the same way.
    expect(again).toMatchObject({ id: created.id, country: 'FR', lastSeenAt: 2_000 });
    expect(again.currentPage).toBe('https://acme.test/roses');
    expect(await findVisitor(db, acme, newcomer)).toEqual(again);
    expect(await readRow(db, 'visitors', { id: created.id })).toMatchObject({ createdAt: 1_000 });
  });

  it('SEC-1: a chat-id hash known to one account finds nothing in another, which gets a visitor of its own', async () => {
    const key = { chatIdHash: hashChatId(anna.chatId) };
    expect(await findVisitor(db, globex, key)).toBeNull();
    const theirs = await ensureVisitor(db, { accountId: globex, key, details: { persistent: true } });
    expect(theirs.id).not.toBe(anna.id);
    expect(await findVisitor(db, acme, key)).toMatchObject({ id: anna.id, name: anna.name });
  });

  it('ends up with one row when the first two uses of a chat id arrive at once', async () => {
    const first = (now: number) =>
      ensureVisitor(db, { accountId: acme, key: newcomer, details: { persistent: true }, now });
    const visitors = await atOnce(
      db,
      [1_000, 1_001, 1_002].map((now) => () => first(now)),
    );
    expect(new Set(visitors.map((visitor) => visitor.id)).size).toBe(1);
    expect(await countRows(db, 'visitors', { chatIdHash: newcomer.chatIdHash })).toBe(1);
  });

  it('SIG-1: a visitor under a privacy signal is stored by id with no chat-id hash, once even when asked twice at once', async () => {
    const key = { visitorId: 'vis_signal_0001' };
    const visitors = await atOnce(
      db,
      [1, 2].map(() => () => ensureVisitor(db, { accountId: acme, key, details: { persistent: false } })),
    );
    expect(visitors.map((visitor) => visitor.id)).toEqual([key.visitorId, key.visitorId]);
    expect(await readRow(db, 'visitors', { id: key.visitorId })).toMatchObject({
      accountId: acme,
      chatIdHash: null,
      persistent: false,
    });
    expect(await visitorChatIdHash(db, acme, key.visitorId)).toBe(key.visitorId);
  });

  it('refuses a visitor id that belongs to another account', async () => {
    await expect(
      ensureVisitor(db, { accountId: globex, key: { visitorId: anna.id }, details: { persistent: false } }),
    ).rejects.toThrow();
    expect(await readRow(db, 'visitors', { id: anna.id })).toMatchObject({
      accountId: acme,
      persistent: true,
    });
  });

  it('SIG-1: a privacy signal on any later visit makes the visitor not persistent for good', async () => {
    const key = { chatIdHash: hashChatId(anna.chatId) };
    expect(await ensureVisitor(db, { accountId: acme, key, details: { persistent: false } })).toMatchObject({
      id: anna.id,
      persistent: false,
    });
    expect(await ensureVisitor(db, { accountId: acme, key, details: { persistent: true } })).toMatchObject({
      persistent: false,
    });
  });
});

describe('updating visitors', () => {
  it('touchVisitor records the visit, the page and a privacy signal, only for the right account', async () => {
    await touchVisitor(db, {
      accountId: acme,
      visitorId: anna.id,
      currentPage: null,
      persistent: true,
      now: 5,
    });
    expect(await readRow(db, 'visitors', { id: anna.id })).toMatchObject({
      lastSeenAt: 5,
      currentPage: null,
      persistent: true,
    });
    await touchVisitor(db, { accountId: acme, visitorId: anna.id, persistent: false, now: 6 });
    expect(await readRow(db, 'visitors', { id: anna.id })).toMatchObject({
      lastSeenAt: 6,
      persistent: false,
    });
    await touchVisitor(db, { accountId: globex, visitorId: anna.id, persistent: true, now: 7 });
    expect(await readRow(db, 'visitors', { id: anna.id })).toMatchObject({ lastSeenAt: 6 });
  });

  it('updateVisitorProfile changes only the fields given', async () => {
    const updated = await updateVisitorProfile(db, { accountId: acme, visitorId: anna.id, name: 'Anna B.' });
    expect(updated).toMatchObject({ name: 'Anna B.', email: anna.email });
    expect(await updateVisitorProfile(db, { accountId: acme, visitorId: anna.id })).toEqual(updated);
  });

  it('CK-4: after forgetChatId the chat id finds nothing and no socket key is left', async () => {
    const key = { chatIdHash: hashChatId(anna.chatId) };
    expect(await visitorChatIdHash(db, acme, anna.id)).toBe(key.chatIdHash);
    await forgetChatId(db, acme, anna.id);
    expect(await findVisitor(db, acme, key)).toBeNull();
    expect(await visitorChatIdHash(db, acme, anna.id)).toBeNull();
    expect(await visitorChatIdHash(db, globex, FIXTURE.visitors.ben.id)).toBeNull();
  });
});
