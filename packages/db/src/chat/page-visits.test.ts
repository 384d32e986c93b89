import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { eraseVisitor, exportVisitor } from '../erase-visitor.ts';
import { run } from '../statements.ts';
import { countRows, createTestDatabase, FIXTURE } from '../testing/index.ts';
import { createWebsite, defaultWebsiteSettings } from '../websites/websites.ts';
import {
  closeConversation,
  getConversation,
  listConversations,
  openConversationInTransaction,
} from './conversations.ts';
import { listPageVisits, PAGE_TRAIL_MAX, recordPageVisit } from './page-visits.ts';
import { touchVisitor } from './visitors.ts';

const acme = FIXTURE.accounts.acme;
const globex = FIXTURE.accounts.globex.id;
const anna = FIXTURE.visitors.anna;
const ben = FIXTURE.visitors.ben;
const gpc = FIXTURE.visitors.gpc;
const { annaClosed, benActive, gpcWaiting } = FIXTURE.conversations;

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

/** Gives Acme's conversations a website that shows every context item. */
async function showContext(): Promise<string> {
  const context = { pages: true, localTime: true, country: true, browser: true, history: true };
  const website = await createWebsite(db, acme.id, { ...defaultWebsiteSettings('Acme'), context });
  await run(db, sql`UPDATE conversations SET website_id = ${website.id} WHERE account_id = ${acme.id}`);
  return website.id;
}

const visit = (path: string, now: number, conversationId: string = benActive, visitorId: string = ben.id) =>
  recordPageVisit(db, { accountId: acme.id, conversationId, visitorId, path, now });

describe('the page trail of a conversation', () => {
  it('keeps the pages in order, skips a page that repeats the last one, and stops at the limit', async () => {
    expect(await visit('/a', 1)).toBe(true);
    expect(await visit('/a', 2)).toBe(false);
    expect(await visit('/b', 3)).toBe(true);
    expect(await visit('/a', 4)).toBe(true);
    expect((await listPageVisits(db, acme.id, [benActive])).get(benActive)).toEqual([
      { path: '/a', at: 1 },
      { path: '/b', at: 3 },
      { path: '/a', at: 4 },
    ]);
    for (let i = 0; i < PAGE_TRAIL_MAX; i += 1) await visit(`/page-${i}`, 10 + i);
    expect(await countRows(db, 'pageVisits', { conversationId: benActive })).toBe(PAGE_TRAIL_MAX);
  });

  it("adds nothing to another account's conversation, nor for a visitor the conversation is not about", async () => {
    expect(
      await recordPageVisit(db, {
        accountId: globex,
        conversationId: benActive,
        visitorId: ben.id,
        path: '/x',
      }),
    ).toBe(false);
    expect(await visit('/x', 1, benActive, anna.id)).toBe(false);
    expect(await listPageVisits(db, globex, [annaClosed])).toEqual(new Map());
  });

  it('goes with its conversation when that is deleted, and with its visitor on erasure', async () => {
    await visit('/a', 1);
    await eraseVisitor(db, {
      accountId: acme.id,
      visitorId: ben.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(await countRows(db, 'pageVisits', { conversationId: benActive })).toBe(0);
    await eraseVisitor(db, {
      accountId: acme.id,
      visitorId: anna.id,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(await countRows(db, 'pageVisits', { visitorId: anna.id })).toBe(0);
  });

  it("is part of the visitor's access export", async () => {
    const exported = JSON.stringify(await exportVisitor(db, { accountId: acme.id, visitorId: anna.id }));
    expect(exported).toContain('/shipping/austria');
  });
});

describe('what a conversation shows of its visitor', () => {
  it('shows no pages and no earlier conversations while the website keeps them off', async () => {
    await visit('/a', 1);
    const conversation = await getConversation(db, acme.id, benActive);
    expect(conversation?.visitor).toMatchObject({ pages: [], earlier: [] });
  });

  it('shows the trail and the earlier conversations of a recognised visitor once the website turns them on', async () => {
    await showContext();
    await visit('/a', 1);
    await touchVisitor(db, {
      accountId: acme.id,
      visitorId: ben.id,
      persistent: true,
      timeZone: 'Europe/Vienna',
      browser: 'Firefox',
      system: 'Linux',
    });
    const conversation = await getConversation(db, acme.id, benActive);
    expect(conversation?.visitor).toMatchObject({
      pages: [{ path: '/a', at: 1 }],
      earlier: [],
      timeZone: 'Europe/Vienna',
      browser: 'Firefox',
      system: 'Linux',
    });
    const { items } = await listConversations(db, acme.id, { limit: 10 });
    const annas = items.find((item) => item.id === annaClosed);
    expect(annas?.visitor.pages.map((page) => page.path)).toEqual(['/roses', '/shipping/austria']);
  });

  it("lists a visitor's earlier conversations, newest first, but never for a visitor under a privacy signal", async () => {
    const websiteId = await showContext();
    await closeConversation(db, { accountId: acme.id, conversationId: benActive });
    const later = await openConversationInTransaction(db, {
      accountId: acme.id,
      visitorId: ben.id,
      websiteId,
    });
    const conversation = await getConversation(db, acme.id, later.conversationId);
    expect(conversation?.visitor.earlier.map((earlier) => earlier.id)).toEqual([benActive]);
    const signalled = await getConversation(db, acme.id, gpcWaiting);
    expect(signalled?.visitor.earlier).toEqual([]);
    expect(gpc.id).toBe(signalled?.visitorId);
  });
});
