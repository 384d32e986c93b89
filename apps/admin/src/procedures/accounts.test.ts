import { sha256 } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import { readRow, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';
import { SIGNUP_INVITATION_LIFETIME_MS } from './accounts.ts';

describe('the demo account', () => {
  it('is removed from the console like a closed account: audited, its sockets closed, its data on the way out', async () => {
    const closedSockets: string[] = [];
    const h = await adminHarness({
      onAccountClosed: async (accountId) => {
        closedSockets.push(accountId);
      },
    });
    const { accountId } = await createAccountWithOwner(h.db, {
      organization: 'Demo Shop',
      region: 'DE',
      publicKey: `${DEMO_PUBLIC_KEY_PREFIX}test`,
      owner: { email: 'owner@example.com', name: 'Demo Owner', passwordHash: 'x' },
    });
    const session = await h.signIn();
    expect((await h.query('accounts.demo', undefined, session)).data).toEqual({
      id: accountId,
      organization: 'Demo Shop',
    });

    const removed = await h.mutate('accounts.removeDemo', undefined, session);
    expect(removed.status).toBe(200);
    expect((await readRow(h.db, 'accounts', { id: accountId })).closedAt).not.toBeNull();
    expect((await readRow(h.db, 'agents', { accountId })).removedAt).not.toBeNull();
    expect(closedSockets).toEqual([accountId]);
    const audit = await readRows(h.db, 'auditLog', { action: 'account.demo_removed' });
    expect(audit).toMatchObject([{ actorKind: 'staff', accountId }]);
    expect((await h.query('accounts.demo', undefined, session)).data).toBeNull();

    const again = await h.mutate('accounts.removeDemo', undefined, session);
    expect(again.status).toBe(404);
  });
});

describe('COL-1: sign-up invitation codes', () => {
  it('COL-1: staff make a single-use code, shown once and kept only as a hash', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const made = await h.mutate<{ code: string; expiresAt: number }>(
      'accounts.createSignupInvitation',
      undefined,
      session,
    );
    expect(made.status).toBe(200);
    const stored = await readRow(h.db, 'installationTokens', { kind: 'signup_invitation' });
    expect(stored.tokenHash).toBe(sha256(made.data.code));
    expect(JSON.stringify(stored)).not.toContain(made.data.code);
    expect(stored.expiresAt - stored.createdAt).toBe(SIGNUP_INVITATION_LIFETIME_MS);
    expect(await readRows(h.db, 'auditLog', { action: 'signup.invitation_created' })).toHaveLength(1);
  });
});
