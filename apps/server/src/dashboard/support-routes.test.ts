import { replyToSupportThread } from '@parley/db';
import { FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp, writeHeaders } from '../testing/test-app.ts';

const OLIVIA = FIXTURE.agents.acmeOwner;
const ADAM = FIXTURE.agents.acmeAgent;

const as = async (app: TestApp, email: string) => {
  const session = await signIn(app, email);
  return {
    get: (path: string) => app.request(`/app/api${path}`, { headers: { cookie: session.cookie } }),
    post: (path: string, body: unknown) =>
      app.request(`/app/api${path}`, {
        method: 'POST',
        headers: writeHeaders(session),
        body: JSON.stringify(body),
      }),
  };
};

interface Listing {
  threads: Array<{ id: string; subject: string; unread: boolean; status: string }>;
  unread: number;
}

describe('COM-1: support requests from the dashboard', () => {
  it('COM-1: the owner writes to support, reads the answer marked unread until opened, and writes again', async () => {
    const app = await createTestApp();
    const olivia = await as(app, OLIVIA.email);
    const opened = await olivia.post('/support', { subject: 'Invoices', body: 'Where are our invoices?' });
    expect(opened.status).toBe(201);
    const { id } = (await opened.json()) as { id: string };
    expect(
      await readRows(app.db, 'auditLog', {
        action: 'support.requested',
        accountId: FIXTURE.accounts.acme.id,
      }),
    ).toHaveLength(1);

    await replyToSupportThread(app.db, {
      threadId: id,
      staffId: FIXTURE.staff.operator.id,
      body: 'Under Settings, Billing.',
      now: app.parley.services.clock.now() + 1,
      mail: () => ({ subject: 'Support answered', body: 'See the dashboard.' }),
    });
    const listed = (await (await olivia.get('/support')).json()) as Listing;
    expect(listed).toMatchObject({
      unread: 1,
      threads: [{ id, subject: 'Invoices', unread: true, status: 'open' }],
    });

    const thread = (await (await olivia.get(`/support/${id}`)).json()) as {
      messages: Array<{ author: string; authorName: string; body: string }>;
    };
    expect(thread.messages.map((m) => [m.author, m.authorName, m.body])).toEqual([
      ['account', OLIVIA.name, 'Where are our invoices?'],
      ['staff', 'Support', 'Under Settings, Billing.'],
    ]);
    expect(((await (await olivia.get('/support')).json()) as Listing).unread).toBe(0);

    expect((await olivia.post(`/support/${id}`, { body: 'Found them, thanks.' })).status).toBe(200);
    expect(await readRows(app.db, 'supportMessages', { threadId: id })).toHaveLength(3);
  });

  it('COM-1: an agent may not write to support, and another account cannot read the thread', async () => {
    const app = await createTestApp();
    const olivia = await as(app, OLIVIA.email);
    const { id } = (await (await olivia.post('/support', { subject: 'Q', body: 'Hello' })).json()) as {
      id: string;
    };
    const adam = await as(app, ADAM.email);
    expect((await adam.get('/support')).status).toBe(403);
    expect((await adam.post('/support', { subject: 'Q', body: 'Hi' })).status).toBe(403);
    const gina = await as(app, FIXTURE.agents.globexOwner.email);
    expect((await gina.get(`/support/${id}`)).status).toBe(404);
    expect((await gina.post(`/support/${id}`, { body: 'Mine?' })).status).toBe(404);
    expect(((await (await gina.get('/support')).json()) as Listing).threads).toEqual([]);
  });

  it('COM-1: an empty message is refused', async () => {
    const app = await createTestApp();
    const olivia = await as(app, OLIVIA.email);
    expect((await olivia.post('/support', { subject: 'Q', body: '  ' })).status).toBe(422);
  });
});
