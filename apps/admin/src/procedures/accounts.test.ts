import { accountSuspension } from '@parley/db';
import { FIXTURE } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

const { acme, globex } = FIXTURE.accounts;

interface Page {
  accounts: Array<{ id: string; suspensionReason: string | null }>;
  more: boolean;
}

describe('accounts in the console', () => {
  it('searches by organisation or owner email and pages through the result', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const found = await h.query<Page>('accounts.search', { text: 'gina@globex' }, session);
    expect(found.data.accounts.map((a) => a.id)).toEqual([globex.id]);
    const first = await h.query<Page>('accounts.search', { limit: 1 }, session);
    const second = await h.query<Page>('accounts.search', { limit: 1, offset: 1 }, session);
    expect(first.data.more).toBe(true);
    expect(second.data.accounts[0]?.id).not.toBe(first.data.accounts[0]?.id);
  });

  it('suspends with a reason, closes the account’s sockets, refuses a second suspension, and reinstates', async () => {
    const closed: string[] = [];
    const h = await adminHarness({
      closeAccountSockets: async (accountId) => {
        closed.push(accountId);
      },
    });
    const session = await h.signIn();
    const refused = await h.mutate('accounts.suspend', { accountId: acme.id, reason: '' }, session);
    expect(refused.error?.data.appCode).toBe('invalid_input');

    const done = await h.mutate(
      'accounts.suspend',
      { accountId: acme.id, reason: 'Unpaid since May' },
      session,
    );
    expect(done.data).toEqual({ suspended: true });
    expect(closed).toEqual([acme.id]);
    const again = await h.mutate('accounts.suspend', { accountId: acme.id, reason: 'Twice' }, session);
    expect(again.error?.data.appCode).toBe('invalid_state');
    expect(closed).toEqual([acme.id]);

    const listed = await h.query<Page>('accounts.search', { status: 'suspended' }, session);
    expect(listed.data.accounts).toEqual([
      expect.objectContaining({ id: acme.id, suspensionReason: 'Unpaid since May' }),
    ]);

    expect((await h.mutate('accounts.reinstate', { accountId: acme.id }, session)).data).toEqual({
      reinstated: true,
    });
    expect(await accountSuspension(h.db, acme.id)).toBeNull();
    const audit = await h.query<{ entries: Array<{ action: string; accountId: string }> }>(
      'audit.list',
      { action: 'account.' },
      session,
    );
    expect(audit.data.entries.map((e) => [e.action, e.accountId])).toEqual([
      ['account.reinstated', acme.id],
      ['account.suspended', acme.id],
    ]);
  });
});
