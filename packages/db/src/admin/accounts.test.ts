import { describe, expect, it } from 'vitest';
import { createTestDatabase, FIXTURE, insertRows, updateRows } from '../testing/index.ts';
import { accountExists, listAccountSummaries } from './accounts.ts';

const { acme, globex, initech } = FIXTURE.accounts;

describe('accounts as operator staff see them', () => {
  it('lists open accounts by organization, closed ones after them, with their active agents counted', async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'accounts', { closedAt: 5 }, { id: acme.id });
    await updateRows(db, 'agents', { removedAt: 1 }, { id: FIXTURE.agents.acmeAgent.id });
    await insertRows(db, 'accounts', [
      {
        id: 'acc_aardvark',
        publicKey: 'pk_aardvark_0000000000000',
        organization: 'aardvark ltd',
        region: 'DE',
        createdAt: 10,
      },
    ]);
    expect(await listAccountSummaries(db)).toEqual([
      {
        id: 'acc_aardvark',
        organization: 'aardvark ltd',
        region: 'DE',
        createdAt: 10,
        closedAt: null,
        agents: 0,
      },
      {
        id: globex.id,
        organization: 'Globex Inc.',
        region: 'US',
        createdAt: expect.any(Number),
        closedAt: null,
        agents: 1,
      },
      {
        id: initech.id,
        organization: 'Initech Pte. Ltd.',
        region: 'SG',
        createdAt: expect.any(Number),
        closedAt: null,
        agents: 1,
      },
      {
        id: acme.id,
        organization: 'Acme Gardening GmbH',
        region: 'DE',
        createdAt: expect.any(Number),
        closedAt: 5,
        agents: 1,
      },
    ]);
  });

  it('knows which accounts exist, closed or not', async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'accounts', { closedAt: 5 }, { id: acme.id });
    expect(await accountExists(db, acme.id)).toBe(true);
    expect(await accountExists(db, 'acc_nobody')).toBe(false);
  });
});
