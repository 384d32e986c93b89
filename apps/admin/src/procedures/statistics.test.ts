import { FIXTURE, FIXTURE_NOW, insertRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

interface Reply {
  minimumGroupSize: number;
  statistics: Array<{
    name: string;
    value: number | null;
    people: number;
    suppressed: boolean;
    reason?: string;
  }>;
}

const range = { from: '2026-10-01', to: '2026-11-01' };

describe('statistics', () => {
  it('LOG-3: a figure over fewer people than the minimum group size is suppressed, value and all', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.query<Reply>('statistics.installation', range, session);
    expect(r.data.minimumGroupSize).toBe(10);
    const chats = r.data.statistics.find((s) => s.name === 'chats_per_day')!;
    expect(chats).toEqual({
      name: 'chats_per_day',
      value: null,
      people: 4,
      suppressed: true,
      reason: 'computed over fewer than 10 people',
    });
    expect(r.data.statistics.every((s) => s.suppressed && s.value === null)).toBe(true);
  });

  it('LOG-3: a figure over enough people is shown', async () => {
    const h = await adminHarness();
    for (let i = 0; i < 10; i++) {
      await insertRows(h.db, 'visitors', [
        {
          id: `vis_${i}`,
          accountId: FIXTURE.accounts.globex.id,
          persistent: false,
          createdAt: FIXTURE_NOW - i * 3_600_000,
          lastSeenAt: FIXTURE_NOW,
        },
      ]);
      await insertRows(h.db, 'conversations', [
        {
          id: `cnv_${i}`,
          accountId: FIXTURE.accounts.globex.id,
          visitorId: `vis_${i}`,
          status: 'closed',
          startedAt: FIXTURE_NOW - i * 3_600_000 - 1,
          closedAt: FIXTURE_NOW,
        },
      ]);
    }
    const session = await h.signIn();
    const r = await h.query<Reply>('statistics.installation', range, session);
    const chats = r.data.statistics.find((s) => s.name === 'chats_per_day')!;
    expect(chats).toMatchObject({ suppressed: false, people: 14 });
    expect(chats.value).toBeGreaterThan(0);
    // Only four visitors have a first response and one a rating: those stay suppressed.
    expect(r.data.statistics.find((s) => s.name === 'average_rating')).toMatchObject({ suppressed: true });
  });

  it('refuses a period that ends before it starts or spans more than a year', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    expect(
      (await h.query('statistics.installation', { from: '2026-11-01', to: '2026-10-01' }, session)).status,
    ).toBe(400);
    expect(
      (await h.query('statistics.installation', { from: '2024-01-01', to: '2026-10-01' }, session)).status,
    ).toBe(400);
    expect(
      (await h.query('statistics.installation', { from: 'yesterday', to: '2026-10-01' }, session)).status,
    ).toBe(400);
  });
});
