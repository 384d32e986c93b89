import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase, FIXTURE, readRow, updateRows } from '../testing/index.ts';
import { removeAgent } from './agents.ts';
import { acceptInvitation, createInvitation, findOpenInvitation } from './invitations.ts';

const acme = FIXTURE.accounts.acme;
const globex = FIXTURE.accounts.globex;
const NOW = 1_000_000;

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

const invite = (tokenHash: string, input: { accountId?: string; email?: string; expiresAt?: number } = {}) =>
  createInvitation(db, {
    accountId: input.accountId ?? acme.id,
    email: input.email ?? ' New.Agent@Acme.test ',
    name: 'Nina',
    tokenHash,
    invitedBy: FIXTURE.agents.acmeOwner.id,
    expiresAt: input.expiresAt ?? NOW + 60_000,
    now: NOW,
  });

const accept = (tokenHash: string, now = NOW + 1) =>
  acceptInvitation(db, { tokenHash, passwordHash: `hash for ${tokenHash}`, now });

describe('COL-2: agent invitations', () => {
  it('COL-2: an invitation is found by its token hash until it expires', async () => {
    const { id } = await invite('tok_hash_1');
    expect(await findOpenInvitation(db, 'tok_hash_1', NOW)).toEqual({
      id,
      accountId: acme.id,
      organization: 'Acme Gardening GmbH',
      email: 'new.agent@acme.test',
      name: 'Nina',
      expiresAt: NOW + 60_000,
    });
    expect(await findOpenInvitation(db, 'tok_hash_1', NOW + 60_000)).toBeNull();
    expect(await findOpenInvitation(db, 'tok_unknown', NOW)).toBeNull();
    expect(await accept('tok_hash_1', NOW + 60_000)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('COL-2: accepting creates the agent and spends the token, so the link works once', async () => {
    await invite('tok_hash_1');
    const accepted = await accept('tok_hash_1');
    if (!accepted.ok) throw new Error(`not accepted: ${accepted.reason}`);
    expect(accepted.accountId).toBe(acme.id);
    expect(await readRow(db, 'agents', { id: accepted.agentId })).toMatchObject({
      accountId: acme.id,
      email: 'new.agent@acme.test',
      name: 'Nina',
      role: 'agent',
      online: true,
      passwordHash: 'hash for tok_hash_1',
      createdAt: NOW + 1,
      removedAt: null,
    });
    expect(await readRow(db, 'agentInvitations', { tokenHash: 'tok_hash_1' })).toMatchObject({
      acceptedAt: NOW + 1,
    });
    expect(await findOpenInvitation(db, 'tok_hash_1', NOW + 2)).toBeNull();
    expect(await accept('tok_hash_1', NOW + 2)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('COL-2: the same link accepted twice at once makes one agent', async () => {
    await invite('tok_hash_1');
    const results = await atOnce(
      db,
      [1, 2, 3].map(() => () => accept('tok_hash_1')),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([
      { ok: false, reason: 'not_found' },
      { ok: false, reason: 'not_found' },
    ]);
    expect(await countRows(db, 'agents', { email: 'new.agent@acme.test' })).toBe(1);
  });

  it('two invitations to one address accepted at once make one agent; the other is told the address is taken', async () => {
    await invite('tok_acme', { email: 'shared@example.org' });
    await invite('tok_globex', { accountId: globex.id, email: 'shared@example.org' });
    const results = await atOnce(db, [() => accept('tok_acme'), () => accept('tok_globex')]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: 'email_taken' }]);
    expect(await countRows(db, 'agents', { email: 'shared@example.org' })).toBe(1);
  });

  it('an address held by an active agent is refused and the token stays open', async () => {
    await invite('tok_hash_1', { accountId: globex.id, email: FIXTURE.agents.acmeAgent.email });
    expect(await accept('tok_hash_1')).toEqual({ ok: false, reason: 'email_taken' });
    await invite('tok_hash_2', { email: FIXTURE.agents.acmeAgent.email });
    expect(await accept('tok_hash_2')).toEqual({ ok: false, reason: 'email_taken' });
    expect(await findOpenInvitation(db, 'tok_hash_2', NOW + 2)).not.toBeNull();
  });

  it('an agent this account removed comes back under the same row', async () => {
    const adam = FIXTURE.agents.acmeAgent;
    await removeAgent(db, { accountId: acme.id, agentId: adam.id, now: NOW });
    await invite('tok_hash_1', { email: adam.email });
    expect(await accept('tok_hash_1')).toEqual({ ok: true, agentId: adam.id, accountId: acme.id });
    expect(await readRow(db, 'agents', { id: adam.id })).toMatchObject({
      removedAt: null,
      name: 'Nina',
      role: 'agent',
      online: true,
      passwordHash: 'hash for tok_hash_1',
    });
  });

  it("a closed account's invitations can no longer be accepted", async () => {
    await invite('tok_hash_1');
    await updateRows(db, 'accounts', { closedAt: NOW }, { id: acme.id });
    expect(await findOpenInvitation(db, 'tok_hash_1', NOW)).toBeNull();
    expect(await accept('tok_hash_1')).toEqual({ ok: false, reason: 'not_found' });
    expect(await countRows(db, 'agents', { email: 'new.agent@acme.test' })).toBe(0);
  });
});
