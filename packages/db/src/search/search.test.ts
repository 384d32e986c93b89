import { contentInForce, parleyPolicy } from '@parley/policy';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDepartment } from '../chat/departments.ts';
import { reportSpam } from '../chat/spam.ts';
import type { ParleyDb } from '../connection.ts';
import { eraseVisitor } from '../erase-visitor.ts';
import { sweepRetention } from '../retention.ts';
import { row, rows, run } from '../statements.ts';
import {
  countRows,
  createTestDatabase,
  deleteRows,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  testDialect,
  updateRows,
} from '../testing/index.ts';
import { type SearchInput, searchConversations } from './search.ts';

const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;
const { annaClosed, benActive, gpcWaiting, gwenWaiting } = FIXTURE.conversations;
const owner = { agentId: FIXTURE.agents.acmeOwner.id, allConversations: true };
/** Adam is a plain agent: he may see waiting chats and his own, not Olivia's chats with Anna and Ben. */
const adam = { agentId: FIXTURE.agents.acmeAgent.id, allConversations: false };
const DAY = 86_400_000;

type Query = Omit<SearchInput, 'accountId' | 'viewer' | 'limit'> & Partial<SearchInput>;

async function search(db: ParleyDb, query: Query) {
  return searchConversations(db, { accountId: acme, viewer: owner, limit: 50, ...query });
}

/** The ids of the conversations a search finds, newest first. */
const found = async (db: ParleyDb, query: Query) =>
  (await search(db, query)).items.map((h) => h.conversation.id);

/** The words a hit's snippet marks. */
const marked = (snippet: { text: string; marks: Array<[number, number]> }) =>
  snippet.marks.map(([a, b]) => snippet.text.slice(a, b));

/** The visitor of each of Acme's fixture conversations. */
const VISITOR_OF: Record<string, string> = {
  [annaClosed]: FIXTURE.visitors.anna.id,
  [benActive]: FIXTURE.visitors.ben.id,
  [gpcWaiting]: FIXTURE.visitors.gpc.id,
};

/** A visitor's message in one of Acme's fixture conversations, stored as chat stores it. */
async function say(db: ParleyDb, conversationId: string, id: string, body: string) {
  const row = { id, conversationId, accountId: acme, visitorId: VISITOR_OF[conversationId]!, body };
  await insertRows(db, 'messages', [
    { ...row, author: 'visitor', clientKey: `key_${id}`, createdAt: FIXTURE_NOW },
  ]);
}

/** Anna asked to be erased. */
const eraseAnna = (db: ParleyDb) =>
  eraseVisitor(db, {
    accountId: acme,
    visitorId: FIXTURE.visitors.anna.id,
    reason: 'request',
    actor: { kind: 'system' },
    now: FIXTURE_NOW,
  });

/** SQLite: how many rows of the FTS index itself hold `word`, apart from any join (PostgreSQL's GIN is its own). */
async function indexed(db: ParleyDb, word: string): Promise<number | null> {
  if (db.dialect !== 'sqlite') return null;
  const counted = await row<{ n: number }>(
    db,
    sql`SELECT count(*) AS n FROM search_index WHERE search_index MATCH ${`"${word}"`}`,
  );
  return Number(counted?.n);
}

describe('full-text search over the conversations an agent may see', () => {
  it('finds a conversation by a word of a message, with a snippet of that message marking the word', async () => {
    const db = await createTestDatabase();
    const { items } = await search(db, { text: 'tulip' });
    expect(items.map((h) => h.conversation.id)).toEqual([benActive]);
    const [hit] = items;
    expect(hit!.match).toMatchObject({ kind: 'message', id: 'msg_ben_1', author: 'visitor' });
    expect(hit!.match!.snippet.text).toBe('Are your tulip bulbs organic?');
    expect(marked(hit!.match!.snippet)).toEqual(['tulip']);
    // The conversation comes as the history lists it, with its tags and last message.
    expect(hit!.conversation).toMatchObject({ status: 'active', tags: [], lastMessage: { id: 'msg_ben_2' } });
  });

  it('finds a conversation by a word of an internal note, and says it was a note', async () => {
    const db = await createTestDatabase();
    const { items } = await search(db, { text: 'vienna' });
    expect(items.map((h) => h.conversation.id)).toEqual([annaClosed]);
    expect(items[0]!.match).toMatchObject({ kind: 'note', id: 'not_anna', author: null });
    expect(marked(items[0]!.match!.snippet)).toEqual(['Vienna']);
  });

  it('needs every word, finds words whatever their case and diacritics, and the words the last one begins', async () => {
    const db = await createTestDatabase();
    await say(db, benActive, 'msg_ben_creme', 'Crème brûlée für Zoë, bitte');
    await say(db, gpcWaiting, 'msg_gpc_plain', 'Zoe wants creme too');
    expect(await found(db, { text: 'CREME BRULEE' })).toEqual([benActive]);
    expect(await found(db, { text: 'zoë' })).toEqual([gpcWaiting, benActive]);
    expect(await found(db, { text: 'Fur zoe' })).toEqual([benActive]);
    expect(await found(db, { text: 'tulip austria' })).toEqual([]);
    // Typing: the last word is a prefix from three letters on.
    expect(await found(db, { text: 'tuli' })).toEqual([benActive]);
    expect(await found(db, { text: 'organic bul' })).toEqual([benActive]);
    expect(await found(db, { text: 'tu' })).toEqual([]);
    const [hit] = (await search(db, { text: 'brul' })).items;
    expect(marked(hit!.match!.snippet)).toEqual(['brûlée']);
  });

  it('reads the words of a phrase in order, as an address or an order number is written', async () => {
    const db = await createTestDatabase();
    await say(db, benActive, 'msg_ben_order', 'Order A-1234 to ben@example.net');
    expect(await found(db, { text: 'a-1234' })).toEqual([benActive]);
    expect(await found(db, { text: 'ben@example.net' })).toEqual([benActive]);
    expect(await found(db, { text: '1234-a' })).toEqual([]);
  });

  it('shows the newest match of a conversation, and pages newest conversation first', async () => {
    const db = await createTestDatabase();
    await say(db, annaClosed, 'msg_anna_later', 'More roses, please');
    await say(db, benActive, 'msg_ben_roses', 'And roses?');
    await say(db, gpcWaiting, 'msg_gpc_roses', 'Roses!');
    const first = await search(db, { text: 'roses', limit: 2 });
    expect(first.items.map((h) => h.conversation.id)).toEqual([gpcWaiting, benActive]);
    expect(first.next).not.toBeNull();
    const second = await search(db, { text: 'roses', limit: 2, before: first.next! });
    expect(second.items.map((h) => h.conversation.id)).toEqual([annaClosed]);
    expect(second.items[0]!.match!.id).toBe('msg_anna_later');
    expect(second.next).toBeNull();
  });

  it('finds only what the agent may see: waiting chats and their own, as the history lists them', async () => {
    const db = await createTestDatabase();
    await say(db, gpcWaiting, 'msg_gpc_roses', 'Roses for me too');
    expect(await found(db, { text: 'roses' })).toEqual([gpcWaiting, annaClosed]);
    expect(await found(db, { text: 'roses', viewer: adam })).toEqual([gpcWaiting]);
    expect(await found(db, { text: 'vienna', viewer: adam })).toEqual([]);
    expect(await found(db, { viewer: adam })).toEqual([gpcWaiting]);
  });

  it('leaves spam out, as the history does, or searches it alone', async () => {
    const db = await createTestDatabase();
    await reportSpam(db, {
      accountId: acme,
      conversationId: benActive,
      agentId: owner.agentId,
      now: FIXTURE_NOW,
    });
    expect(await found(db, { text: 'tulip' })).toEqual([]);
    expect(await found(db, { text: 'tulip', spam: true })).toEqual([benActive]);
    expect(await found(db, {})).toEqual([gpcWaiting, annaClosed]);
  });

  it('filters by start, tag, agent, department, rating and website, with words and without', async () => {
    const db = await createTestDatabase();
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales', now: FIXTURE_NOW });
    await updateRows(
      db,
      'conversations',
      { departmentId: sales.id, websiteId: 'web_acme_shop' },
      { id: benActive },
    );
    await say(db, gpcWaiting, 'msg_gpc_organic', 'Organic roses?');
    const cases: Array<[string, Query, string[]]> = [
      ['all', {}, [gpcWaiting, benActive, annaClosed]],
      ['from', { from: FIXTURE_NOW - 60 * 60_000 }, [gpcWaiting, benActive]],
      ['to', { to: FIXTURE_NOW - 60 * 60_000 }, [annaClosed]],
      ['from and to', { from: FIXTURE_NOW - 31 * 60_000, to: FIXTURE_NOW - 6 * 60_000 }, [benActive]],
      ['tag', { tagId: FIXTURE.tags.acmeRoses }, [annaClosed]],
      ['agent', { agentId: owner.agentId }, [benActive, annaClosed]],
      ['department', { departmentId: sales.id }, [benActive]],
      ['rating', { rating: 5 }, [annaClosed]],
      ['another rating', { rating: 4 }, []],
      ['website', { websiteId: 'web_acme_shop' }, [benActive]],
    ];
    for (const [name, query, expected] of cases) expect(await found(db, query), name).toEqual(expected);
    expect(await found(db, { text: 'organic' })).toEqual([gpcWaiting, benActive]);
    expect(await found(db, { text: 'organic', departmentId: sales.id })).toEqual([benActive]);
    expect(await found(db, { text: 'roses', rating: 5 })).toEqual([annaClosed]);
    expect(await found(db, { text: 'roses', to: FIXTURE_NOW - DAY })).toEqual([annaClosed]);
    expect(await found(db, { text: 'organic', agentId: 'agt_nobody' })).toEqual([]);
  });

  it("never finds another account's conversations (tenant isolation)", async () => {
    const db = await createTestDatabase();
    const globexOwner = { agentId: FIXTURE.agents.globexOwner.id, allConversations: true };
    expect(await found(db, { text: 'seats' })).toEqual([]);
    expect(await found(db, { text: 'seats', accountId: globex, viewer: globexOwner })).toEqual([gwenWaiting]);
    expect(await found(db, { text: 'roses', accountId: globex, viewer: globexOwner })).toEqual([]);
    expect(await found(db, { text: 'vienna', accountId: globex, viewer: globexOwner })).toEqual([]);
    // A tag, agent or department of Acme named in Globex's search finds nothing of Acme's.
    expect(
      await found(db, { accountId: globex, viewer: globexOwner, tagId: FIXTURE.tags.acmeRoses }),
    ).toEqual([]);
    expect(await found(db, { accountId: globex, viewer: globexOwner, agentId: owner.agentId })).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['"', []],
    ['*', []],
    ['NEAR(', []],
    ['-', []],
    [':', []],
    ['&|!', []],
    ["'", []],
    ['\\', []],
    ['()', []],
    ["'; DROP TABLE messages; --", []],
    ['roses" OR "tulip', []],
    ['"roses" "austria"', [annaClosed]],
    ['roses*', [annaClosed]],
    ['NEAR(roses austria)', []],
    ['body:roses', []],
    ['-austria roses', [annaClosed]],
    ["roses & !austria | 'ship':*", [annaClosed]],
    ['roses) OR (1=1', []],
  ])('treats %j as words, never as query syntax', async (text, expected) => {
    const db = await createTestDatabase();
    expect(await found(db, { text })).toEqual(expected);
    expect(await countRows(db, 'messages')).toBe(8);
  });

  it('follows a message whose text changes, and a conversation deleted with its messages', async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'messages', { body: 'Do you ship lilies to Austria?' }, { id: 'msg_anna_1' });
    expect(await found(db, { text: 'lilies' })).toEqual([annaClosed]);
    expect(await found(db, { text: 'roses' })).toEqual([]);
    expect(await indexed(db, 'roses')).toBe(db.dialect === 'sqlite' ? 0 : null);
    await deleteRows(db, 'conversations', { id: benActive });
    expect(await found(db, { text: 'tulip' })).toEqual([]);
    expect(await indexed(db, 'tulip')).toBe(db.dialect === 'sqlite' ? 0 : null);
  });

  it('RET-4: a message or note erased with its visitor is found no more, and its words leave the index', async () => {
    const db = await createTestDatabase();
    expect(await indexed(db, 'vienna')).toBe(db.dialect === 'sqlite' ? 1 : null);
    await eraseAnna(db);
    expect(await found(db, { text: 'roses' })).toEqual([]);
    expect(await found(db, { text: 'vienna' })).toEqual([]);
    expect(await found(db, { tagId: FIXTURE.tags.acmeRoses })).toEqual([]);
    expect(await indexed(db, 'roses')).toBe(db.dialect === 'sqlite' ? 0 : null);
    expect(await indexed(db, 'vienna')).toBe(db.dialect === 'sqlite' ? 0 : null);
    if (db.dialect === 'sqlite')
      expect(
        await rows(db, sql`SELECT source_id FROM search_documents WHERE conversation_id = ${annaClosed}`),
      ).toEqual([]);
    // Other visitors' messages are still found.
    expect(await found(db, { text: 'tulip' })).toEqual([benActive]);
  });

  it('RET-3: messages and notes the retention sweep removes are found no more; PostgreSQL rebuilds its index', async () => {
    const db = await createTestDatabase();
    const report = await sweepRetention(db, contentInForce(parleyPolicy), {
      now: FIXTURE_NOW + 3 * 365 * DAY,
    });
    expect(report?.byTable.messages?.deleted).toBeGreaterThan(0);
    expect(await found(db, { text: 'roses' })).toEqual([]);
    expect(await found(db, { text: 'vienna' })).toEqual([]);
    expect(await indexed(db, 'roses')).toBe(db.dialect === 'sqlite' ? 0 : null);
    expect(report?.searchIndexRebuilt).toBe(db.dialect === 'postgres');
  });

  it('RET-4: on PostgreSQL the sweep rebuilds the search indexes after an erasure, and otherwise leaves them', async () => {
    const db = await createTestDatabase();
    const policy = contentInForce(parleyPolicy);
    const rebuilt = async (now: number) => (await sweepRetention(db, policy, { now }))?.searchIndexRebuilt;
    const rebuilds = () => countRows(db, 'auditLog', { action: 'search.rebuilt' });
    expect(await rebuilt(FIXTURE_NOW)).toBe(false);
    await eraseAnna(db);
    // An erasure less than an hour before a rebuild may have committed after it began: it is covered twice.
    expect(await rebuilt(FIXTURE_NOW + 60_000)).toBe(db.dialect === 'postgres');
    expect(await rebuilt(FIXTURE_NOW + 2 * 3_600_000)).toBe(db.dialect === 'postgres');
    expect(await rebuilt(FIXTURE_NOW + 3 * 3_600_000)).toBe(false);
    expect(await rebuilds()).toBe(db.dialect === 'postgres' ? 2 : 0);
    expect(await found(db, { text: 'tulip' })).toEqual([benActive]);
  });

  it.skipIf(testDialect() !== 'sqlite')(
    'RET-4 on SQLite: the index keeps its rows through VACUUM, so an erasure after one still takes the words out',
    async () => {
      const db = await createTestDatabase();
      await say(db, annaClosed, 'msg_anna_vacuum', 'Lavender too, please');
      // VACUUM may renumber the rows of a table without an INTEGER PRIMARY KEY, as messages is; the index's are not.
      await run(db, sql`DELETE FROM messages WHERE id = 'msg_ben_2'`);
      await run(db, sql`VACUUM`);
      expect(await found(db, { text: 'lavender' })).toEqual([annaClosed]);
      await eraseAnna(db);
      expect(await indexed(db, 'lavender')).toBe(0);
      expect(await indexed(db, 'vienna')).toBe(0);
      expect(await found(db, { text: 'tulip' })).toEqual([benActive]);
      await run(db, sql`INSERT INTO search_index (search_index) VALUES ('integrity-check')`);
    },
  );
});
