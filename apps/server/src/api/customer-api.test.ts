import { closeAccount, createWebsite, defaultWebsiteSettings } from '@parley/db';
import { FIXTURE, updateRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/test-app.ts';

const acmeKey = FIXTURE.accounts.acme.apiKey;
const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe('the customer API', () => {
  it.each([
    ['no Authorization header', {}],
    ['a key that is not one', bearer('sk_not_a_real_key_00000000')],
    ['another scheme', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }],
  ])('answers 401 for %s', async (_title, init) => {
    const app = await createTestApp();
    const response = await app.request('/api/v1/conversations', init);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it("lists only the key's own account's conversations, newest first", async () => {
    const app = await createTestApp();
    const response = await app.request('/api/v1/conversations', bearer(acmeKey));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ id: string; visitor: Record<string, unknown> }> };
    const ids = body.data.map((c) => c.id);
    expect(ids).toEqual([
      FIXTURE.conversations.gpcWaiting,
      FIXTURE.conversations.benActive,
      FIXTURE.conversations.annaClosed,
    ]);
    expect(ids).not.toContain(FIXTURE.conversations.gwenWaiting);
    expect(JSON.stringify(body)).not.toMatch(/chatIdHash|chat_id_hash|"ip/i);
  });

  it('names the website each conversation came from', async () => {
    const app = await createTestApp();
    const shop = await createWebsite(app.db, FIXTURE.accounts.acme.id, defaultWebsiteSettings('Shop'));
    await updateRows(
      app.db,
      'conversations',
      { websiteId: shop.id },
      { id: FIXTURE.conversations.benActive },
    );
    const response = await app.request('/api/v1/conversations', bearer(acmeKey));
    const body = (await response.json()) as { data: Array<{ id: string; website: unknown }> };
    expect(body.data.map((c) => [c.id, c.website])).toEqual([
      [FIXTURE.conversations.gpcWaiting, null],
      [FIXTURE.conversations.benActive, { id: shop.id, name: 'Shop' }],
      [FIXTURE.conversations.annaClosed, null],
    ]);
  });

  it('filters by status and pages with a cursor', async () => {
    const app = await createTestApp();
    const closed = (await (
      await app.request('/api/v1/conversations?status=closed', bearer(acmeKey))
    ).json()) as {
      data: Array<{ id: string; rating: number }>;
    };
    expect(closed.data).toHaveLength(1);
    expect(closed.data[0]).toMatchObject({ id: FIXTURE.conversations.annaClosed, rating: 5 });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (
        await app.request(
          `/api/v1/conversations?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          bearer(acmeKey),
        )
      ).json()) as { data: Array<{ id: string }>; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
  });

  it.each([
    ['an unknown status', '?status=archived'],
    ['a limit above 100', '?limit=1000'],
    ['a limit that is not a number', '?limit=many'],
    ['a forged cursor', '?cursor=bm90LWEtY3Vyc29y'],
  ])('answers 422 for %s', async (_title, query) => {
    const app = await createTestApp();
    const response = await app.request(`/api/v1/conversations${query}`, bearer(acmeKey));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('gives a transcript as JSON or as plain text', async () => {
    const app = await createTestApp();
    const path = `/api/v1/conversations/${FIXTURE.conversations.annaClosed}/transcript`;
    const json = (await (await app.request(path, bearer(acmeKey))).json()) as {
      messages: Array<{ author: string; text: string; authorName?: string; file?: { url: string } }>;
    };
    expect(json.messages.map((m) => m.text)).toEqual([
      'Do you ship roses to Austria?',
      'We do, within three days.',
      'Wonderful, thanks!',
      FIXTURE.files.annaPhoto.name,
    ]);
    expect(json.messages[1]).toMatchObject({ author: 'agent', authorName: 'Olivia' });
    // A file message carries a short-lived link to its file.
    expect(json.messages[3]?.file).toMatchObject({
      type: 'image/png',
      url: expect.stringMatching(/^\/files\//),
    });
    const text = await (await app.request(`${path}?format=text`, bearer(acmeKey))).text();
    expect(text).toContain('Anna Visitor: Do you ship roses to Austria?');
    expect(text).toContain('Olivia: We do, within three days.');
    // The transcript names a file; the file itself is not in it.
    expect(text).toContain(`Anna Visitor: [File: ${FIXTURE.files.annaPhoto.name}]`);
  });

  it("answers 404 for another account's conversation, exactly as for one that does not exist", async () => {
    const app = await createTestApp();
    const foreign = await app.request(
      `/api/v1/conversations/${FIXTURE.conversations.gwenWaiting}/transcript`,
      bearer(acmeKey),
    );
    const missing = await app.request('/api/v1/conversations/cnv_missing/transcript', bearer(acmeKey));
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
  });

  it('stops serving a closed account', async () => {
    const app = await createTestApp();
    await closeAccount(app.db, { accountId: FIXTURE.accounts.acme.id });
    const response = await app.request('/api/v1/conversations', bearer(acmeKey));
    expect([401, 403]).toContain(response.status);
  });
});
