import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { countRows, createTestDatabase, FIXTURE } from '../testing/index.ts';
import {
  createSession,
  deleteExpiredSessions,
  getLiveSession,
  revokeSession,
  revokeSessionsOf,
  type Session,
} from './sessions.ts';

const owner = FIXTURE.agents.acmeOwner.id;

const session = (id: string, overrides: Partial<Session> = {}): Session => ({
  id,
  userKind: 'agent',
  userId: owner,
  csrfTokenHash: `csrf_${id}`,
  createdAt: 1_000,
  expiresAt: 10_000,
  ...overrides,
});

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

describe('CK-1: sessions', () => {
  it('CK-1: a created session is live until it expires', async () => {
    await createSession(db, session('ses_1'));
    expect(await getLiveSession(db, 'ses_1', 9_999)).toEqual(session('ses_1'));
    expect(await getLiveSession(db, 'ses_1', 10_000)).toBeNull();
    expect(await getLiveSession(db, 'ses_unknown', 5_000)).toBeNull();
  });

  it('CK-1: signing out revokes that session only', async () => {
    await createSession(db, session('ses_1'));
    await createSession(db, session('ses_2'));
    await revokeSession(db, 'ses_1');
    expect(await getLiveSession(db, 'ses_1', 5_000)).toBeNull();
    expect(await getLiveSession(db, 'ses_2', 5_000)).not.toBeNull();
  });

  it('CK-1: revoking a person signs them out everywhere and leaves everyone else signed in', async () => {
    await createSession(db, session('ses_1'));
    await createSession(db, session('ses_2'));
    await createSession(db, session('ses_other', { userId: FIXTURE.agents.acmeAgent.id }));
    await createSession(db, session('ses_staff', { userKind: 'staff', userId: owner }));
    await revokeSessionsOf(db, 'agent', owner);
    expect(await countRows(db, 'sessions', { userId: owner, userKind: 'agent' })).toBe(0);
    expect(await getLiveSession(db, 'ses_other', 5_000)).not.toBeNull();
    expect(await getLiveSession(db, 'ses_staff', 5_000)).not.toBeNull();
  });

  it('deletes expired sessions and says how many', async () => {
    await createSession(db, session('ses_old', { expiresAt: 2_000 }));
    await createSession(db, session('ses_edge', { expiresAt: 3_000 }));
    await createSession(db, session('ses_new', { expiresAt: 3_001 }));
    expect(await deleteExpiredSessions(db, 3_000)).toBe(2);
    expect(await countRows(db, 'sessions')).toBe(1);
    expect(await getLiveSession(db, 'ses_new', 3_000)).not.toBeNull();
  });
});
