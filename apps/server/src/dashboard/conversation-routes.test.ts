import { FIXTURE } from '@parley/db/testing';
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
    expect(one.messages).toHaveLength(3);
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
});
