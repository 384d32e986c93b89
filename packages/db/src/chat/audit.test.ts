import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { createTestDatabase, FIXTURE, readRow } from '../testing/index.ts';
import { writeAudit } from './audit.ts';

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

describe('SEC-1: the audit log', () => {
  it('SEC-1: records who did what to which account, with its detail as given', async () => {
    await writeAudit(db, {
      actorKind: 'agent',
      actorId: FIXTURE.agents.acmeOwner.id,
      accountId: FIXTURE.accounts.acme.id,
      action: 'agent.invited',
      detail: { invitationId: 'inv_1', seats: 3, resent: false },
      now: 1_234,
    });
    expect(await readRow(db, 'auditLog', { action: 'agent.invited' })).toMatchObject({
      actorKind: 'agent',
      actorId: FIXTURE.agents.acmeOwner.id,
      accountId: FIXTURE.accounts.acme.id,
      detail: { invitationId: 'inv_1', seats: 3, resent: false },
      createdAt: 1_234,
    });
  });

  it('records a system action with no actor, account or detail', async () => {
    await writeAudit(db, { actorKind: 'system', action: 'retention.swept', now: 5 });
    expect(await readRow(db, 'auditLog', { action: 'retention.swept' })).toMatchObject({
      actorId: null,
      accountId: null,
      detail: null,
      createdAt: 5,
    });
  });
});
