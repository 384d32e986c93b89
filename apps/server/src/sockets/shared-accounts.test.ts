import type { Account } from '@parley/db/chat';
import { describe, expect, it } from 'vitest';
import { SharedAccounts } from './shared-accounts.ts';

const account = (changes: Partial<Account> = {}): Account => ({
  id: 'acc_acme',
  publicKey: 'pk_acme_0000000000000000',
  organization: 'Acme Gardening GmbH',
  contactName: null,
  contactEmail: 'olivia@acme.test',
  phone: null,
  imHandle: null,
  region: 'eu',
  preChatForm: false,
  requestDeadlineDays: 30,
  hasApiKey: true,
  createdAt: 1_700_000_000_000,
  ...changes,
});

describe('shared accounts', () => {
  it('hands out the first object while the fields stay the same', () => {
    const accounts = new SharedAccounts();
    const first = accounts.share(account());
    expect(accounts.share(account())).toBe(first);
  });

  it('hands out a changed account as it is, and shares that one from then on', () => {
    const accounts = new SharedAccounts();
    const before = accounts.share(account());
    const changed = account({ preChatForm: true });
    expect(accounts.share(changed)).toBe(changed);
    expect(accounts.share(account({ preChatForm: true }))).toBe(changed);
    expect(before.preChatForm).toBe(false);
  });

  it('keeps accounts apart by id', () => {
    const accounts = new SharedAccounts();
    const acme = accounts.share(account());
    const globex = account({ id: 'acc_globex' });
    expect(accounts.share(globex)).toBe(globex);
    expect(accounts.share(account())).toBe(acme);
  });
});
