import { describe, expect, it } from 'vitest';
import { closeAccount, exportAccount } from './account-data.ts';
import { createDepartment, setDepartmentAgents, setWebsiteDepartments } from './chat/departments.ts';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRow,
  readRows,
} from './testing/index.ts';
import { createWebsite, defaultWebsiteSettings } from './websites/websites.ts';

const acme = FIXTURE.accounts.acme.id;
const DAY = 86_400_000;

describe('RET-2: account holders export their data and close their account', () => {
  it('exports the account without secrets', async () => {
    const db = await createTestDatabase();
    const doc = await exportAccount(db, acme);
    const text = JSON.stringify(doc);
    expect(text).toContain('Acme Gardening GmbH');
    expect(text).toContain('4242');
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain('api_key_hash');
    expect(text).not.toContain('tok_visa_acme');
  });

  it('RET-2: exports the same document on either engine: flags as booleans, times as numbers, rows in the order they were made', async () => {
    const db = await createTestDatabase();
    await insertRows(db, 'agentInvitations', [
      {
        id: 'inv_later',
        accountId: acme,
        email: 'paula@acme.test',
        name: 'Paula',
        tokenHash: 'hash_later',
        invitedBy: FIXTURE.agents.acmeOwner.id,
        createdAt: FIXTURE_NOW,
        expiresAt: FIXTURE_NOW + DAY,
      },
      {
        id: 'inv_earlier',
        accountId: acme,
        email: 'emil@acme.test',
        name: 'Emil',
        tokenHash: 'hash_earlier',
        invitedBy: FIXTURE.agents.acmeOwner.id,
        createdAt: FIXTURE_NOW - DAY,
        expiresAt: FIXTURE_NOW,
      },
    ]);
    const doc = await exportAccount(db, acme);
    expect(doc).toMatchObject({
      account: {
        id: acme,
        organization: 'Acme Gardening GmbH',
        pre_chat_form: false,
        request_deadline_days: 30,
      },
      paymentCard: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2029 },
      marketing: { opted_in: true, source: 'signup', changed_at: FIXTURE_NOW - 200 * DAY },
      consents: [{ scope: 'marketing', choice: 'consent', policy_version: '1.2.0' }],
      mail: [],
    });
    expect((doc.agents as Array<{ id: string }>).map((a) => a.id)).toEqual([
      FIXTURE.agents.acmeOwner.id,
      FIXTURE.agents.acmeAgent.id,
    ]);
    expect((doc.invitations as Array<{ id: string }>).map((i) => i.id)).toEqual(['inv_earlier', 'inv_later']);
    expect(doc.departments).toEqual([]);
    expect(doc.agents).toEqual([
      expect.objectContaining({ capacity: 3 }),
      expect.objectContaining({ capacity: 3 }),
    ]);
    expect((await exportAccount(db, FIXTURE.accounts.globex.id)).account).toMatchObject({
      pre_chat_form: true,
    });
  });

  it("holds the account's departments, who belongs to them and which websites offer them", async () => {
    const db = await createTestDatabase();
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales', now: FIXTURE_NOW });
    await setDepartmentAgents(db, {
      accountId: acme,
      departmentId: sales.id,
      agentIds: [FIXTURE.agents.acmeAgent.id],
    });
    const website = await createWebsite(db, acme, defaultWebsiteSettings('Shop'));
    await setWebsiteDepartments(db, { accountId: acme, websiteId: website.id, departmentIds: [sales.id] });
    const doc = await exportAccount(db, acme);
    expect(doc.departments).toEqual([
      { id: sales.id, name: 'Sales', created_at: FIXTURE_NOW, agent_ids: [FIXTURE.agents.acmeAgent.id] },
    ]);
    expect(doc.websites).toContainEqual(expect.objectContaining({ id: website.id, departments: [sales.id] }));
    expect((await exportAccount(db, FIXTURE.accounts.globex.id)).departments).toEqual([]);
  });

  it('refuses to export an account that does not exist', async () => {
    const db = await createTestDatabase();
    await expect(exportAccount(db, 'acc_nobody')).rejects.toThrow('No account acc_nobody');
  });

  it('closing signs everyone out, stops sign-in and starts the retention clock', async () => {
    const db = await createTestDatabase();
    await insertRows(db, 'sessions', [
      {
        id: 'ses_1',
        userKind: 'agent',
        userId: FIXTURE.agents.acmeOwner.id,
        csrfTokenHash: 'h',
        createdAt: 1,
        expiresAt: 9_999_999_999_999,
      },
      {
        id: 'ses_globex',
        userKind: 'agent',
        userId: FIXTURE.agents.globexOwner.id,
        csrfTokenHash: 'h',
        createdAt: 1,
        expiresAt: 9_999_999_999_999,
      },
    ]);
    expect(await closeAccount(db, { accountId: acme, now: FIXTURE_NOW })).toBe(true);
    expect(await readRow(db, 'accounts', { id: acme })).toMatchObject({
      closedAt: FIXTURE_NOW,
      apiKeyHash: null,
    });
    expect((await readRows(db, 'sessions')).map((s) => s.id)).toEqual(['ses_globex']);
    expect(await countRows(db, 'agents', { accountId: acme, removedAt: null })).toBe(0);
    expect(await countRows(db, 'agents', { accountId: acme, online: true })).toBe(0);
    expect(await countRows(db, 'agents', { accountId: FIXTURE.accounts.globex.id, removedAt: null })).toBe(1);
    expect(
      await readRow(db, 'auditLog', { accountId: acme, action: 'account.closed', actorKind: 'system' }),
    ).toMatchObject({ actorId: null, createdAt: FIXTURE_NOW });
    expect(await closeAccount(db, { accountId: acme })).toBe(false);
  });

  it('RET-2: closing drops invitations nobody accepted, and names the agent who closed it', async () => {
    const db = await createTestDatabase();
    await insertRows(db, 'agentInvitations', [
      {
        id: 'inv_open',
        accountId: acme,
        email: 'paula@acme.test',
        name: 'Paula',
        tokenHash: 'hash_open',
        invitedBy: FIXTURE.agents.acmeOwner.id,
        createdAt: FIXTURE_NOW,
        expiresAt: FIXTURE_NOW + DAY,
      },
    ]);
    const actorId = FIXTURE.agents.acmeOwner.id;
    expect(await closeAccount(db, { accountId: acme, actorId, now: FIXTURE_NOW })).toBe(true);
    expect(await countRows(db, 'agentInvitations', { accountId: acme })).toBe(0);
    expect(await readRow(db, 'auditLog', { action: 'account.closed' })).toMatchObject({
      actorKind: 'agent',
      actorId,
    });
  });

  it('RET-2: two requests closing the account at once close it once', async () => {
    const db = await createTestDatabase();
    const results = await Promise.all([
      closeAccount(db, { accountId: acme, now: FIXTURE_NOW }),
      closeAccount(db, { accountId: acme, now: FIXTURE_NOW + 1 }),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await countRows(db, 'auditLog', { action: 'account.closed' })).toBe(1);
    const { closedAt } = await readRow(db, 'accounts', { id: acme });
    expect(await readRow(db, 'auditLog', { action: 'account.closed' })).toMatchObject({
      createdAt: closedAt,
    });
  });
});
