import { marketingChoiceText } from '@parley/dashboard/consent-texts';
import { sha256 } from '@parley/db';
import { countRows, FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, signIn, writeHeaders } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;
const ben = FIXTURE.visitors.ben;
const anna = FIXTURE.visitors.anna;

describe("RET-4: the account answers its visitors' requests", () => {
  it('RET-4: finds a visitor by email, exports, corrects and erases them', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const get = (path: string) => app.request(path, { headers: { cookie: session.cookie } });

    const found = (await (await get(`/app/api/visitors?query=${encodeURIComponent(anna.email)}`)).json()) as {
      visitors: Array<{ id: string; conversations: number }>;
    };
    expect(found.visitors).toMatchObject([{ id: anna.id, conversations: 1 }]);

    const exported = await get(`/app/api/visitors/${anna.id}/export`);
    expect(exported.status).toBe(200);
    const document = (await exported.json()) as Record<string, unknown[]>;
    expect(document.messages).toHaveLength(4);
    // The photo she sent, its bytes as base64.
    expect(document.files).toEqual([
      expect.objectContaining({ name: FIXTURE.files.annaPhoto.name, bytes: FIXTURE.files.annaPhoto.png }),
    ]);
    expect(JSON.stringify(document)).not.toContain('chat_id_hash');

    const corrected = await app.request(`/app/api/visitors/${anna.id}`, {
      method: 'PATCH',
      headers: writeHeaders(session),
      body: JSON.stringify({ name: 'Anna V.' }),
    });
    expect(corrected.status).toBe(200);

    const erased = await app.request(`/app/api/visitors/${anna.id}/erase`, {
      method: 'POST',
      headers: writeHeaders(session),
    });
    expect(erased.status).toBe(200);
    expect(((await erased.json()) as { erased: Record<string, number> }).erased.messages).toBe(4);
    expect((await get(`/app/api/visitors/${anna.id}/export`)).status).toBe(404);
  });

  it("RET-4: records a request with its deadline, and erasing completes the visitor's erasure request", async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const recorded = await app.request('/app/api/requests', {
      method: 'POST',
      headers: writeHeaders(session),
      body: JSON.stringify({ kind: 'access', visitorId: anna.id }),
    });
    expect(recorded.status).toBe(201);
    await app.request(`/app/api/visitors/${ben.id}/erase`, {
      method: 'POST',
      headers: writeHeaders(session),
    });
    const { requests } = (await (
      await app.request('/app/api/requests', { headers: { cookie: session.cookie } })
    ).json()) as {
      requests: Array<{ id: string; kind: string; completedAt: string | null }>;
    };
    expect(requests.find((r) => r.id === FIXTURE.requests.benErasure)?.completedAt).toEqual(
      expect.any(String),
    );
    expect(requests.find((r) => r.kind === 'access')?.completedAt).toBeNull();
  });

  it("SEC-1: cannot reach another account's visitors", async () => {
    const app = await createTestApp();
    const gina = await signIn(app, FIXTURE.agents.globexOwner.email);
    for (const [method, path] of [
      ['GET', `/app/api/visitors/${anna.id}/export`],
      ['PATCH', `/app/api/visitors/${anna.id}`],
      ['POST', `/app/api/visitors/${anna.id}/erase`],
      ['POST', `/app/api/conversations/${FIXTURE.conversations.annaClosed}/flag-child`],
    ] as const) {
      const response = await app.request(path, {
        method,
        headers: writeHeaders(gina),
        ...(method === 'PATCH' ? { body: JSON.stringify({ name: 'x' }) } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const search = (await (
      await app.request(`/app/api/visitors?query=${encodeURIComponent(anna.email)}`, {
        headers: { cookie: gina.cookie },
      })
    ).json()) as { visitors: unknown[] };
    expect(search.visitors).toEqual([]);
    expect(await countRows(app.db, 'visitors', { id: anna.id })).toBe(1);
  });

  it("KID-1: any agent of the account can flag a child's chat, which erases its visitor", async () => {
    const app = await createTestApp();
    const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
    const response = await app.request(
      `/app/api/conversations/${FIXTURE.conversations.gpcWaiting}/flag-child`,
      {
        method: 'POST',
        headers: writeHeaders(adam),
      },
    );
    expect(response.status).toBe(200);
    expect(await countRows(app.db, 'visitors', { id: FIXTURE.visitors.gpc.id })).toBe(0);
    expect(await countRows(app.db, 'auditLog', { action: 'visitor.erased_child' })).toBe(1);
  });
});

describe('the account holder’s own choices', () => {
  it('COM-2: switches product news off and on, recording each choice with the text it stands for', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    expect(
      await (await app.request('/app/api/marketing', { headers: { cookie: session.cookie } })).json(),
    ).toEqual({
      optedIn: true,
    });
    const off = await app.request('/app/api/marketing', {
      method: 'PUT',
      headers: writeHeaders(session),
      body: JSON.stringify({ optedIn: false }),
    });
    expect(await off.json()).toEqual({ optedIn: false });
    const [record] = await readRows(
      app.db,
      'consentRecords',
      { scope: 'marketing' },
      { orderBy: 'createdAt', descending: true, limit: 1 },
    );
    expect({ choice: record?.choice, textHash: record?.textHash, language: record?.language }).toEqual({
      choice: 'withdraw',
      textHash: sha256(marketingChoiceText('en')),
      language: 'en',
    });

    // A dashboard shown in German records the hash of the German words it showed.
    const on = await app.request('/app/api/marketing', {
      method: 'PUT',
      headers: writeHeaders(session),
      body: JSON.stringify({ optedIn: true, language: 'de' }),
    });
    expect(await on.json()).toEqual({ optedIn: true });
    const [german] = await readRows(app.db, 'consentRecords', { scope: 'marketing', language: 'de' });
    expect(german).toMatchObject({
      choice: 'consent',
      textHash: sha256(marketingChoiceText('de')),
      language: 'de',
    });
    expect(marketingChoiceText('de')).toContain('Produktneuigkeiten');
  });

  it('RET-3: closes the account once the organisation name is typed, signing everyone out', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
    const wrong = await app.request('/app/api/account/close', {
      method: 'POST',
      headers: writeHeaders(session),
      body: JSON.stringify({ confirm: 'Acme' }),
    });
    expect(wrong.status).toBe(422);
    const closed = await app.request('/app/api/account/close', {
      method: 'POST',
      headers: writeHeaders(session),
      body: JSON.stringify({ confirm: 'Acme Gardening GmbH' }),
    });
    expect(closed.status).toBe(200);
    expect((await app.request('/app/api/me', { headers: { cookie: session.cookie } })).status).toBe(401);
    expect((await app.request('/app/api/me', { headers: { cookie: adam.cookie } })).status).toBe(401);
  });

  it('LOG-3: suppresses figures computed over too few people', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const { figures } = (await (
      await app.request('/app/api/stats', { headers: { cookie: session.cookie } })
    ).json()) as {
      figures: Array<{ name: string; value: number | null; suppressed: boolean }>;
    };
    expect(figures.map((f) => f.name)).toEqual(['chats_per_day', 'first_response_seconds', 'average_rating']);
    for (const figure of figures) expect(figure).toMatchObject({ suppressed: true, value: null });
    for (const figure of figures) expect(figure).not.toHaveProperty('people');
  });

  it('keeps privacy operations to the owner', async () => {
    const app = await createTestApp();
    const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
    for (const path of [
      '/app/api/visitors?query=x',
      '/app/api/requests',
      '/app/api/stats',
      '/app/api/marketing',
    ])
      expect((await app.request(path, { headers: { cookie: adam.cookie } })).status, path).toBe(403);
  });
});
