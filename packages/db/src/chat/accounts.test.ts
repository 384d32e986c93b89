import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { sha256 } from '../ids.ts';
import { countRows, createTestDatabase, FIXTURE, readRow, updateRows } from '../testing/index.ts';
import {
  countAccounts,
  createAccountWithOwner,
  findApiKeyAccount,
  getAccount,
  getAccountByPublicKey,
  getDemoAccount,
  updateAccount,
} from './accounts.ts';
import { findAgentForSignIn } from './agents.ts';
import { API_KEY_PREFIX, rotateApiKey } from './api-keys.ts';

const acme = FIXTURE.accounts.acme;
const globex = FIXTURE.accounts.globex;

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

const close = (accountId: string) => updateRows(db, 'accounts', { closedAt: 1 }, { id: accountId });

describe('finding accounts', () => {
  it('finds an open account by id and by the public key of its widget, never with the API key hash', async () => {
    const account = await getAccountByPublicKey(db, acme.publicKey);
    expect(account).toEqual({
      id: acme.id,
      publicKey: acme.publicKey,
      organization: 'Acme Gardening GmbH',
      contactName: 'Olivia Owner',
      contactEmail: 'olivia@acme.test',
      phone: '+49 30 1234567',
      imHandle: '@olivia:acme.test',
      region: 'DE',
      preChatForm: false,
      requestDeadlineDays: expect.any(Number),
      hasApiKey: true,
      createdAt: expect.any(Number),
    });
    expect(await getAccount(db, acme.id)).toEqual(account);
    expect(await getAccountByPublicKey(db, 'pk_unknown')).toBeNull();
  });

  it('a closed account is gone for the widget and the dashboard', async () => {
    await close(acme.id);
    expect(await getAccount(db, acme.id)).toBeNull();
    expect(await getAccountByPublicKey(db, acme.publicKey)).toBeNull();
  });

  it('finds the account of an API key by its hash, and says when that account is closed', async () => {
    expect(await findApiKeyAccount(db, globex.apiKey)).toMatchObject({
      account: { id: globex.id, hasApiKey: true },
      closed: false,
    });
    expect(await findApiKeyAccount(db, 'sk_unknown')).toBeNull();
    await close(globex.id);
    expect(await findApiKeyAccount(db, globex.apiKey)).toMatchObject({
      account: { id: globex.id },
      closed: true,
    });
  });

  it('counts accounts and finds the oldest open demo account', async () => {
    expect(await countAccounts(db)).toBe(3);
    expect(await getDemoAccount(db)).toBeNull();
    await updateRows(db, 'accounts', { publicKey: 'pk_demo_newer', createdAt: 20 }, { id: acme.id });
    await updateRows(db, 'accounts', { publicKey: 'pk_demo_older', createdAt: 10 }, { id: globex.id });
    expect(await getDemoAccount(db)).toMatchObject({ id: globex.id });
    await close(globex.id);
    expect(await getDemoAccount(db)).toMatchObject({ id: acme.id });
  });
});

describe('changing accounts', () => {
  it('RET-2: applies corrections, clears fields given null and leaves the rest', async () => {
    const updated = await updateAccount(db, acme.id, {
      organization: 'Acme Roses',
      phone: null,
      preChatForm: true,
    });
    expect(updated).toMatchObject({
      organization: 'Acme Roses',
      phone: null,
      preChatForm: true,
      contactName: 'Olivia Owner',
    });
    expect(await updateAccount(db, acme.id, {})).toEqual(updated);
    await close(globex.id);
    expect(await updateAccount(db, globex.id, { organization: 'Reopened?' })).toBeNull();
    expect(await readRow(db, 'accounts', { id: globex.id })).toMatchObject({ organization: 'Globex Inc.' });
  });

  it('a rotated API key replaces the old one at once and only its hash is stored', async () => {
    const key = await rotateApiKey(db, acme.id);
    expect(key?.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(await readRow(db, 'accounts', { id: acme.id })).toMatchObject({ apiKeyHash: sha256(key ?? '') });
    expect(await findApiKeyAccount(db, acme.apiKey)).toBeNull();
    expect(await findApiKeyAccount(db, key ?? '')).toMatchObject({ account: { id: acme.id } });
    await close(globex.id);
    expect(await rotateApiKey(db, globex.id)).toBeNull();
    expect(await rotateApiKey(db, 'acc_unknown')).toBeNull();
  });

  it('creates an account with its owner, who can sign in by the email however it was typed', async () => {
    const created = await createAccountWithOwner(db, {
      organization: 'Hooli',
      region: 'US',
      owner: { email: ' Hank@Hooli.test ', name: 'Hank', passwordHash: 'hash' },
      now: 42,
    });
    expect(created.publicKey.startsWith('pk_')).toBe(true);
    expect(await getAccountByPublicKey(db, created.publicKey)).toMatchObject({
      id: created.accountId,
      organization: 'Hooli',
      contactName: 'Hank',
      hasApiKey: false,
      createdAt: 42,
    });
    expect(await findAgentForSignIn(db, 'hank@hooli.test')).toMatchObject({
      id: created.agentId,
      accountId: created.accountId,
      role: 'owner',
      online: true,
      passwordHash: 'hash',
    });
  });

  it('stores neither the account nor its owner when the owner cannot be stored', async () => {
    await expect(
      createAccountWithOwner(db, {
        organization: 'Copycat',
        region: 'DE',
        publicKey: 'pk_copycat',
        owner: { email: FIXTURE.agents.acmeOwner.email, name: 'Copy', passwordHash: 'hash' },
      }),
    ).rejects.toThrow();
    expect(await countRows(db, 'accounts', { publicKey: 'pk_copycat' })).toBe(0);
    expect(await countAccounts(db)).toBe(3);
  });
});
