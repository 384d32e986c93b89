import { FIXTURE, FIXTURE_NOW, insertRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, sendAs, type TestApp } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;
const agent = FIXTURE.agents.acmeAgent;
const { annaClosed, benActive, gpcWaiting } = FIXTURE.conversations;

interface SearchBody {
  results: Array<{
    conversation: { id: string; status: string; tags?: string[]; closedAt: string | null };
    match: {
      kind: 'message' | 'note';
      id: string;
      author?: string;
      at: string;
      snippet: { text: string; marks: Array<[number, number]> };
    } | null;
  }>;
  nextCursor: string | null;
}

async function search(app: TestApp, email: string, query: string) {
  const response = await sendAs(app, email, 'GET', `/search${query}`);
  return {
    status: response.status,
    body: (await response.json()) as SearchBody & { error?: { code: string; message: string } },
  };
}

const ids = (body: SearchBody) => body.results.map((r) => r.conversation.id);

describe('GET /app/api/search', () => {
  it('finds conversations by the words of their messages and notes, with the matched words marked', async () => {
    const app = await createTestApp();
    const roses = await search(app, owner.email, '?q=roses');
    expect(roses.status).toBe(200);
    expect(roses.body.results).toEqual([
      {
        conversation: expect.objectContaining({ id: annaClosed, status: 'closed', tags: ['Roses'] }),
        match: {
          kind: 'message',
          id: 'msg_anna_1',
          author: 'visitor',
          at: expect.any(String),
          snippet: { text: 'Do you ship roses to Austria?', marks: [[12, 17]] },
        },
      },
    ]);
    expect(roses.body.nextCursor).toBeNull();
    const note = await search(app, owner.email, '?q=VIENNA');
    expect(note.body.results.map((r) => r.match?.kind)).toEqual(['note']);
    expect(note.body.results[0]!.match).not.toHaveProperty('author');
  });

  it('filters without words, and pages with the cursor', async () => {
    const app = await createTestApp();
    const rated = await search(app, owner.email, `?rating=5&tag=${FIXTURE.tags.acmeRoses}`);
    expect(rated.body.results).toEqual([
      expect.objectContaining({ conversation: expect.objectContaining({ id: annaClosed }), match: null }),
    ]);
    const first = await search(app, owner.email, '?limit=2');
    expect(ids(first.body)).toEqual([gpcWaiting, benActive]);
    const second = await search(app, owner.email, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second.body)).toEqual([annaClosed]);
    const hourAgo = encodeURIComponent(new Date(FIXTURE_NOW - 3_600_000).toISOString());
    expect(ids((await search(app, owner.email, `?from=${hourAgo}`)).body)).toEqual([gpcWaiting, benActive]);
    expect(ids((await search(app, owner.email, `?to=${hourAgo}&q=ship`)).body)).toEqual([annaClosed]);
    const empty = await search(app, owner.email, '?q=&tag=&agent=&rating=');
    expect(ids(empty.body)).toEqual([gpcWaiting, benActive, annaClosed]);
  });

  it('finds for a plain agent only the conversations the history lists for them', async () => {
    const app = await createTestApp();
    await insertRows(app.db, 'messages', [
      {
        id: 'msg_gpc_roses',
        conversationId: gpcWaiting,
        accountId: FIXTURE.accounts.acme.id,
        visitorId: FIXTURE.visitors.gpc.id,
        author: 'visitor',
        body: 'Any roses left?',
        clientKey: 'key_msg_gpc_roses',
        createdAt: Date.now(),
      },
    ]);
    expect(ids((await search(app, owner.email, '?q=roses')).body)).toEqual([gpcWaiting, annaClosed]);
    expect(ids((await search(app, agent.email, '?q=roses')).body)).toEqual([gpcWaiting]);
    expect(ids((await search(app, agent.email, '?q=vienna')).body)).toEqual([]);
  });

  it("never finds another account's conversations", async () => {
    const app = await createTestApp();
    expect(ids((await search(app, FIXTURE.agents.globexOwner.email, '?q=roses')).body)).toEqual([]);
    expect(ids((await search(app, FIXTURE.agents.globexOwner.email, '?q=seats')).body)).toEqual([
      FIXTURE.conversations.gwenWaiting,
    ]);
  });

  it('takes any text as words: query syntax and SQL find nothing and break nothing', async () => {
    const app = await createTestApp();
    for (const q of ['"', '*', 'NEAR(', '&|!', "'; DROP TABLE messages; --", 'roses) OR (1=1', ':-'])
      expect(await search(app, owner.email, `?q=${encodeURIComponent(q)}`), q).toEqual({
        status: 200,
        body: { results: [], nextCursor: null },
      });
    expect(ids((await search(app, owner.email, `?q=${encodeURIComponent('"roses"*')}`)).body)).toEqual([
      annaClosed,
    ]);
  });

  it.each([
    ['a rating of 6', 'rating=6', 'rating: rating must be a whole number from 1 to 5'],
    [
      'a date without a time',
      'from=2026-12-01',
      'from: from must be a date and time with its offset, e.g. 2026-12-01T00:00:00+01:00',
    ],
    ['from after to', 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'from: from must be before to'],
    ['a limit of 0', 'limit=0', 'limit: limit must be a whole number from 1 to 100'],
    ['a made-up cursor', 'cursor=nonsense', 'cursor: cursor is not one this API returned'],
    ['201 characters to search', `q=${'x'.repeat(201)}`, 'q: the search may have at most 200 characters'],
    ['a tag id of 65 characters', `tag=${'t'.repeat(65)}`, 'tag: this is not an id the dashboard was given'],
  ])('refuses %s with a 400 that says what is wrong', async (_name, query, message) => {
    const app = await createTestApp();
    const refused = await search(app, owner.email, `?${query}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({ code: 'invalid_request', message });
  });

  it('answers only a signed-in agent', async () => {
    const app = await createTestApp();
    expect((await app.request('/app/api/search?q=roses')).status).toBe(401);
  });
});
