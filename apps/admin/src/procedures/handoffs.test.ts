import { handOffToProcessor } from '@parley/db';
import { FIXTURE, FIXTURE_NOW } from '@parley/db/testing';
import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

describe('processor hand-offs', () => {
  it('SHR-1: the register shows each hand-off by category, what was sent and what was held back, never values', async () => {
    const h = await adminHarness();
    const content = contentInForce(parleyPolicy);
    const activity = content.activities.find((a) => a.processors.includes('payments'))!;
    await handOffToProcessor(
      h.db,
      content,
      {
        processorId: 'payments',
        activity: activity.id,
        accountId: FIXTURE.accounts.acme.id,
        fields: { 'user.contact.email': 'olivia@acme.test', 'user.content.private': 'a chat' },
        now: FIXTURE_NOW,
      },
      async () => 'ok',
    );
    const session = await h.signIn();
    const r = await h.query<Array<Record<string, unknown>>>('handoffs.list', undefined, session);
    expect(r.data).toHaveLength(1);
    expect(r.data[0]).toMatchObject({
      processorId: 'payments',
      processorName: 'Card payment processor',
      accountId: FIXTURE.accounts.acme.id,
      sent: [{ key: 'user.contact.email', name: 'Email address' }],
      dropped: [{ key: 'user.content.private', name: 'Chat content' }],
      createdAt: FIXTURE_NOW,
    });
    expect(JSON.stringify(r.data)).not.toContain('olivia@acme.test');
  });
});
