import { FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, signIn, writeHeaders } from '../testing/test-app.ts';

describe('conversation history and offline messages', () => {
  it('lists closed conversations for history, and opens one with its messages', async () => {
    const app = await createTestApp();
    const olivia = await signIn(app, FIXTURE.agents.acmeOwner.email);
    const list = (await (
      await app.request('/app/api/conversations?status=closed', { headers: { cookie: olivia.cookie } })
    ).json()) as { conversations: Array<Record<string, unknown>>; nextCursor: string | null };
    expect(list.conversations).toHaveLength(1);
    expect(list.conversations[0]).toMatchObject({
      id: FIXTURE.conversations.annaClosed,
      status: 'closed',
      rating: 5,
      ratingComment: 'Very helpful, thank you',
      visitor: { name: 'Anna Visitor', country: 'DE' },
    });
    expect(list.nextCursor).toBeNull();
    const one = (await (
      await app.request(`/app/api/conversations/${FIXTURE.conversations.annaClosed}`, {
        headers: { cookie: olivia.cookie },
      })
    ).json()) as { messages: unknown[] };
    expect(one.messages).toHaveLength(4);
  });

  it('lists offline messages and marks one handled', async () => {
    const app = await createTestApp();
    const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
    const list = (await (
      await app.request('/app/api/offline-messages', { headers: { cookie: adam.cookie } })
    ).json()) as {
      offlineMessages: Array<{ id: string; email: string }>;
    };
    expect(list.offlineMessages).toMatchObject([{ id: 'off_anna', email: 'anna@example.org' }]);
    const handled = await app.request('/app/api/offline-messages/off_anna/handled', {
      method: 'POST',
      headers: writeHeaders(adam),
    });
    expect(handled.status).toBe(200);
    const after = (await (
      await app.request('/app/api/offline-messages', { headers: { cookie: adam.cookie } })
    ).json()) as {
      offlineMessages: unknown[];
    };
    expect(after.offlineMessages).toEqual([]);
  });

  describe('replies to offline messages', () => {
    const replyTo = (
      app: Awaited<ReturnType<typeof createTestApp>>,
      who: Awaited<ReturnType<typeof signIn>>,
      id: string,
      body: unknown,
    ) =>
      app.request(`/app/api/offline-messages/${id}/replies`, {
        method: 'POST',
        headers: { ...writeHeaders(who), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('mails the answer to the visitor as a reply in one thread, and lists it with the message', async () => {
      const app = await createTestApp();
      const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
      const first = await replyTo(app, adam, 'off_anna', { text: 'We open at nine.' });
      expect(first.status).toBe(201);
      const { reply } = (await first.json()) as { reply: { id: string; text: string } };
      expect(reply.text).toBe('We open at nine.');
      expect((await replyTo(app, adam, 'off_anna', { text: 'And close at six.' })).status).toBe(201);

      const mails = await readRows(
        app.db,
        'noticeOutbox',
        { kind: 'offline_reply' },
        { orderBy: 'createdAt' },
      );
      expect(mails.map((mail) => mail.toEmail)).toEqual(['anna@example.org', 'anna@example.org']);
      const [one, two] = mails;
      expect(one?.subject).toMatch(/^Re: /);
      expect(two?.subject).toBe(one?.subject);
      expect(one?.body).toContain('We open at nine.');
      expect(one?.body).toMatch(/^> /m);
      // The fixture already holds one answer to Anna (`ofr_anna`): each new one follows the last in the thread.
      expect(one?.headers).toEqual({
        'In-Reply-To': '<ofr_anna@parley.local>',
        References: '<off_anna@parley.local> <ofr_anna@parley.local>',
      });
      expect(two?.headers).toEqual({
        'In-Reply-To': `<${reply.id}@parley.local>`,
        References: `<off_anna@parley.local> <ofr_anna@parley.local> <${reply.id}@parley.local>`,
      });

      const list = (await (
        await app.request('/app/api/offline-messages?all=1', { headers: { cookie: adam.cookie } })
      ).json()) as {
        offlineMessages: Array<{ id: string; handledAt: string | null; replies: Array<{ text: string }> }>;
      };
      const anna = list.offlineMessages.find((message) => message.id === 'off_anna');
      expect(anna?.handledAt).not.toBeNull();
      expect(anna?.replies.map((r) => r.text)).toEqual([
        'We will call you this afternoon.',
        'We open at nine.',
        'And close at six.',
      ]);
    });

    it('refuses an empty answer, and a message of another account', async () => {
      const app = await createTestApp();
      const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
      expect((await replyTo(app, adam, 'off_anna', { text: '   ' })).status).toBe(422);
      expect((await replyTo(app, adam, 'off_anna', {})).status).toBe(422);
      const gina = await signIn(app, FIXTURE.agents.globexOwner.email);
      const foreign = await replyTo(app, gina, 'off_anna', { text: 'Hello' });
      expect(foreign.status).toBe(404);
      expect(await readRows(app.db, 'noticeOutbox', { kind: 'offline_reply' })).toEqual([]);
    });
  });
});
