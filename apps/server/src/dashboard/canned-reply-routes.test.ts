import { FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, sendAs, signIn, writeHeaders } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;
const agent = FIXTURE.agents.acmeAgent;
const globexOwner = FIXTURE.agents.globexOwner;

interface ReplyBody {
  id: string;
  shortName: string;
  body: string;
}

const send = sendAs;

describe('canned replies in the dashboard', () => {
  it('an owner adds, changes and deletes a reply; every agent reads them; each change is audited', async () => {
    const app = await createTestApp();
    const created = await send(app, owner.email, 'POST', '/canned-replies', {
      shortName: '/Refund',
      body: 'Hello {visitor.name}, your refund is on its way. {agent.name}',
    });
    expect(created.status).toBe(201);
    const reply = (await created.json()) as ReplyBody;
    expect(reply).toMatchObject({ shortName: 'refund' });

    const listed = await send(app, agent.email, 'GET', '/canned-replies');
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { cannedReplies: ReplyBody[] }).cannedReplies).toEqual([
      expect.objectContaining({ id: reply.id, shortName: 'refund', body: reply.body }),
    ]);

    const changed = await send(app, owner.email, 'PUT', `/canned-replies/${reply.id}`, {
      shortName: 'refund',
      body: 'Changed',
    });
    expect(((await changed.json()) as ReplyBody).body).toBe('Changed');
    expect((await send(app, owner.email, 'DELETE', `/canned-replies/${reply.id}`)).status).toBe(204);
    expect(await readRows(app.db, 'cannedReplies', {})).toEqual([]);
    expect(
      (await readRows(app.db, 'auditLog', { accountId: FIXTURE.accounts.acme.id })).map((a) => a.action),
    ).toEqual(
      expect.arrayContaining(['canned_reply.created', 'canned_reply.updated', 'canned_reply.deleted']),
    );
  });

  it('an agent may read replies but not write them', async () => {
    const app = await createTestApp();
    const refused = await send(app, agent.email, 'POST', '/canned-replies', { shortName: 'x', body: 'y' });
    expect(refused.status).toBe(403);
    expect(await readRows(app.db, 'cannedReplies', {})).toEqual([]);
  });

  it('refuses a wrong short name, a long text and a taken name field by field, in the reader’s language', async () => {
    const app = await createTestApp();
    const wrong = await send(app, owner.email, 'POST', '/canned-replies', {
      shortName: 'two words',
      body: 'x'.repeat(4001),
    });
    expect(wrong.status).toBe(422);
    const { error } = (await wrong.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(error.code).toBe('invalid_input');
    expect(Object.keys(error.fields).sort()).toEqual(['body', 'shortName']);

    await send(app, owner.email, 'POST', '/canned-replies', { shortName: 'hours', body: 'At 9' });
    const session = await signIn(app, owner.email);
    const taken = await app.request('/app/api/canned-replies', {
      method: 'POST',
      headers: { ...writeHeaders(session), 'accept-language': 'de' },
      body: JSON.stringify({ shortName: 'HOURS', body: 'Um 9' }),
    });
    expect(taken.status).toBe(422);
    expect(((await taken.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      shortName: 'Das Konto hat bereits eine Vorlage namens /hours.',
    });
    const unknownField = await send(app, owner.email, 'POST', '/canned-replies', {
      shortName: 'x',
      body: 'y',
      extra: 1,
    });
    expect(unknownField.status).toBe(422);
  });

  it("never shows, changes or deletes another account's replies", async () => {
    const app = await createTestApp();
    const reply = (await (
      await send(app, owner.email, 'POST', '/canned-replies', { shortName: 'refund', body: 'Acme' })
    ).json()) as ReplyBody;
    const listed = await send(app, globexOwner.email, 'GET', '/canned-replies');
    expect(((await listed.json()) as { cannedReplies: unknown[] }).cannedReplies).toEqual([]);
    const changed = await send(app, globexOwner.email, 'PUT', `/canned-replies/${reply.id}`, {
      shortName: 'refund',
      body: 'Globex',
    });
    expect(changed.status).toBe(404);
    expect((await send(app, globexOwner.email, 'DELETE', `/canned-replies/${reply.id}`)).status).toBe(404);
    expect((await readRows(app.db, 'cannedReplies', { id: reply.id }))[0]?.body).toBe('Acme');
  });
});
