import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAccount, exportAccount } from '../account-data.ts';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase, FIXTURE, readRow } from '../testing/index.ts';
import { removeAgent } from './agents.ts';
import {
  confirmEmailChange,
  createPersonLink,
  deleteExpiredPersonLinks,
  emailBelongsToAnother,
  findPersonLink,
  getPasswordHash,
  getProfile,
  listLiveSessionsOf,
  pendingEmailOf,
  resetPassword,
  setPasswordHash,
  updateProfile,
} from './self-service.ts';
import { createSession } from './sessions.ts';

const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;
const adam = FIXTURE.agents.acmeAgent;
const NOW = 1_000_000;
const LATER = NOW + 30 * 60_000;

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

const link = (tokenHash: string, purpose: 'email_change' | 'password_reset', newEmail?: string) =>
  createPersonLink(db, {
    agentId: adam.id,
    purpose,
    tokenHash,
    ...(newEmail === undefined ? {} : { newEmail }),
    expiresAt: LATER,
    now: NOW,
  });

describe('RET-2: people correct their own data', () => {
  it('RET-2: an agent changes their own profile, and only within their account', async () => {
    expect(await getProfile(db, adam.id)).toEqual({
      name: 'Adam',
      displayName: null,
      initials: null,
      notifySound: true,
      notifyDesktop: false,
      notifyMissedMail: true,
      language: null,
    });
    const changes = {
      name: 'Adam Smith',
      displayName: 'Adam S.',
      initials: 'AS',
      notifySound: false,
      language: 'de' as const,
    };
    expect(await updateProfile(db, { accountId: globex, agentId: adam.id, changes })).toBe(false);
    expect(await updateProfile(db, { accountId: acme, agentId: adam.id, changes })).toBe(true);
    expect(await getProfile(db, adam.id)).toMatchObject({ ...changes, notifyMissedMail: true });
  });

  it('RET-2: a new password replaces the hash and spends any open reset link', async () => {
    await link('reset_hash', 'password_reset');
    await link('email_hash', 'email_change', 'adam.new@acme.test');
    expect(await setPasswordHash(db, { agentId: adam.id, passwordHash: 'new hash' })).toBe(true);
    expect(await getPasswordHash(db, adam.id)).toBe('new hash');
    expect(
      await findPersonLink(db, { tokenHash: 'reset_hash', purpose: 'password_reset', now: NOW }),
    ).toBeNull();
    expect(await pendingEmailOf(db, adam.id, NOW)).toBe('adam.new@acme.test');
  });

  it('RET-2: only the newest link of a purpose works, and not past its expiry', async () => {
    await link('first', 'password_reset');
    await link('second', 'password_reset');
    expect(await findPersonLink(db, { tokenHash: 'first', purpose: 'password_reset', now: NOW })).toBeNull();
    expect(await findPersonLink(db, { tokenHash: 'second', purpose: 'email_change', now: NOW })).toBeNull();
    expect(
      await findPersonLink(db, { tokenHash: 'second', purpose: 'password_reset', now: NOW }),
    ).toMatchObject({ agentId: adam.id, accountId: acme, email: adam.email });
    expect(
      await findPersonLink(db, { tokenHash: 'second', purpose: 'password_reset', now: LATER }),
    ).toBeNull();
    expect(await deleteExpiredPersonLinks(db, LATER)).toBe(1);
    expect(await countRows(db, 'personLinks')).toBe(0);
  });

  it('RET-2: a reset link sets the password once, also when used twice at once', async () => {
    await link('reset_hash', 'password_reset');
    const results = await atOnce(db, [
      () => resetPassword(db, { tokenHash: 'reset_hash', passwordHash: 'first', now: NOW + 1 }),
      () => resetPassword(db, { tokenHash: 'reset_hash', passwordHash: 'second', now: NOW + 1 }),
    ]);
    expect(results.filter((r) => r !== null)).toEqual([{ agentId: adam.id, accountId: acme }]);
    expect(['first', 'second']).toContain(await getPasswordHash(db, adam.id));
    expect(await countRows(db, 'personLinks')).toBe(0);
  });

  it('RET-2: confirming a new email changes it once; an address someone else took meanwhile is refused', async () => {
    await link('email_hash', 'email_change', ' Adam.New@Acme.test ');
    expect(await pendingEmailOf(db, adam.id, NOW)).toBe('adam.new@acme.test');
    expect(await emailBelongsToAnother(db, 'OLIVIA@acme.test', adam.id)).toBe(true);
    expect(await emailBelongsToAnother(db, adam.email, adam.id)).toBe(false);
    expect(await confirmEmailChange(db, { tokenHash: 'email_hash', now: NOW + 1 })).toEqual({
      ok: true,
      agentId: adam.id,
      accountId: acme,
      oldEmail: adam.email,
      newEmail: 'adam.new@acme.test',
      name: 'Adam',
    });
    expect(await readRow(db, 'agents', { id: adam.id })).toMatchObject({ email: 'adam.new@acme.test' });
    expect(await confirmEmailChange(db, { tokenHash: 'email_hash', now: NOW + 2 })).toEqual({
      ok: false,
      reason: 'not_found',
    });

    await link('taken_hash', 'email_change', FIXTURE.agents.globexOwner.email);
    expect(await confirmEmailChange(db, { tokenHash: 'taken_hash', now: NOW + 3 })).toEqual({
      ok: false,
      reason: 'email_taken',
    });
    expect(await readRow(db, 'agents', { id: adam.id })).toMatchObject({ email: 'adam.new@acme.test' });
  });

  it('RET-2: the links and the pending email go with the agent, and with the account', async () => {
    await link('email_hash', 'email_change', 'adam.new@acme.test');
    await createPersonLink(db, {
      agentId: FIXTURE.agents.acmeOwner.id,
      purpose: 'password_reset',
      tokenHash: 'owner_reset',
      expiresAt: LATER,
      now: NOW,
    });
    expect(await removeAgent(db, { accountId: acme, agentId: adam.id, now: NOW })).not.toBeNull();
    expect(await pendingEmailOf(db, adam.id, NOW)).toBeNull();
    expect(await countRows(db, 'personLinks')).toBe(1);
    expect(await closeAccount(db, { accountId: acme, now: NOW })).toBe(true);
    expect(await countRows(db, 'personLinks')).toBe(0);
  });

  it('RET-2: the account export holds the profile and the pending email, never a link’s hash', async () => {
    await updateProfile(db, { accountId: acme, agentId: adam.id, changes: { displayName: 'Adam S.' } });
    await link('secret_email_hash', 'email_change', 'adam.new@acme.test');
    const doc = await exportAccount(db, acme);
    expect(doc.agents).toContainEqual(
      expect.objectContaining({ id: adam.id, display_name: 'Adam S.', notify_sound: true }),
    );
    expect(doc.links).toEqual([
      {
        agent_id: adam.id,
        purpose: 'email_change',
        new_email: 'adam.new@acme.test',
        created_at: NOW,
        expires_at: LATER,
      },
    ]);
    expect(JSON.stringify(doc)).not.toContain('secret_email_hash');
  });

  it('RET-2: a person’s live sign-ins are listed newest first, without expired ones or anyone else’s', async () => {
    const session = (id: string, userId: string, createdAt: number, expiresAt: number) =>
      createSession(db, { id, userKind: 'agent', userId, csrfTokenHash: `h_${id}`, createdAt, expiresAt });
    await session('ses_old', adam.id, NOW - 10, NOW + 100);
    await session('ses_new', adam.id, NOW, NOW + 200);
    await session('ses_gone', adam.id, NOW - 20, NOW);
    await session('ses_other', FIXTURE.agents.acmeOwner.id, NOW, NOW + 100);
    expect(await listLiveSessionsOf(db, 'agent', adam.id, NOW)).toEqual([
      { id: 'ses_new', createdAt: NOW, expiresAt: NOW + 200 },
      { id: 'ses_old', createdAt: NOW - 10, expiresAt: NOW + 100 },
    ]);
  });
});
