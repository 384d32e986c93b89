import {
  accountSuspension,
  confirmEnrolment,
  hashRecoveryCode,
  hasSecondFactor,
  newRecoveryCodes,
  sha256,
  startEnrolment,
} from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import { FIXTURE, readRow, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';
import { SIGNUP_INVITATION_LIFETIME_MS } from './accounts.ts';

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

describe('an owner locked out of their second factor', () => {
  it('SEC-1: support removes it given the owner’s sign-in email, the owner is told, and nothing changes on a wrong address', async () => {
    const h = await adminHarness({ dashboardUrl: 'https://chat.example/app' });
    const owner = { kind: 'agent' as const, id: FIXTURE.agents.acmeOwner.id };
    await startEnrolment(h.db, { owner, sealedSecret: 'sealed', now: 1 });
    await confirmEnrolment(h.db, {
      owner,
      step: 1,
      recoveryCodeHashes: newRecoveryCodes().map(hashRecoveryCode),
      now: 1,
    });
    const session = await h.signIn();
    const reset = (email: string) =>
      h.mutate('accounts.resetOwnerSecondFactor', { accountId: acme.id, email }, session);

    for (const wrong of [FIXTURE.agents.acmeAgent.email, FIXTURE.agents.globexOwner.email])
      expect((await reset(wrong)).error?.data.appCode).toBe('not_found');
    expect((await reset('')).error?.data.appCode).toBe('invalid_input');
    expect(await hasSecondFactor(h.db, owner)).toBe(true);

    expect((await reset(FIXTURE.agents.acmeOwner.email.toUpperCase())).data).toEqual({ reset: true });
    expect(await hasSecondFactor(h.db, owner)).toBe(false);
    const [notice] = await readRows(h.db, 'noticeOutbox', { kind: 'account_security' });
    expect(notice).toMatchObject({
      toEmail: FIXTURE.agents.acmeOwner.email,
      subject: 'Your second factor was removed',
    });
    expect(notice?.body).toContain('https://chat.example/app');
    expect((await reset(FIXTURE.agents.acmeOwner.email)).error?.data.appCode).toBe('invalid_state');
  });
});

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
