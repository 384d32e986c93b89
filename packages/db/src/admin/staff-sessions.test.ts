import { describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRows,
  updateRows,
} from '../testing/index.ts';
import { createStaffSession, endStaffSession, liveStaffSession } from './staff-sessions.ts';

const operator = FIXTURE.staff.operator;
const HOUR = 3_600_000;

const session = (id: string) => ({
  id,
  staffId: operator.id,
  csrfTokenHash: `csrf-${id}`,
  createdAt: FIXTURE_NOW,
  expiresAt: FIXTURE_NOW + HOUR,
});

describe('CK-1: staff sessions', () => {
  it('finds a live session with the staff member it belongs to, until it expires', async () => {
    const db = await createTestDatabase();
    await createStaffSession(db, session('ses_staff'));
    expect(await liveStaffSession(db, 'ses_staff', FIXTURE_NOW + HOUR - 1)).toEqual({
      id: 'ses_staff',
      csrfTokenHash: 'csrf-ses_staff',
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + HOUR,
      staff: {
        id: operator.id,
        email: operator.email,
        name: operator.name,
        role: 'admin',
        createdAt: expect.any(Number),
      },
    });
    expect(await liveStaffSession(db, 'ses_staff', FIXTURE_NOW + HOUR)).toBeNull();
  });

  it("never takes an agent's session for a staff one, nor one of staff since removed", async () => {
    const db = await createTestDatabase();
    await insertRows(db, 'sessions', [
      {
        id: 'ses_agent',
        userKind: 'agent',
        // An agent whose id is a staff member's must not pass as them.
        userId: operator.id,
        csrfTokenHash: 'csrf',
        createdAt: FIXTURE_NOW,
        expiresAt: FIXTURE_NOW + HOUR,
      },
    ]);
    expect(await liveStaffSession(db, 'ses_agent', FIXTURE_NOW)).toBeNull();
    await createStaffSession(db, session('ses_staff'));
    await updateRows(db, 'operatorStaff', { removedAt: FIXTURE_NOW }, { id: operator.id });
    expect(await liveStaffSession(db, 'ses_staff', FIXTURE_NOW)).toBeNull();
  });

  it('signs out one staff session and leaves the others, and agents’ sessions, alone', async () => {
    const db = await createTestDatabase();
    await createStaffSession(db, session('ses_one'));
    await createStaffSession(db, session('ses_two'));
    await insertRows(db, 'sessions', [
      {
        id: 'ses_agent',
        userKind: 'agent',
        userId: FIXTURE.agents.acmeOwner.id,
        csrfTokenHash: 'csrf',
        createdAt: FIXTURE_NOW,
        expiresAt: FIXTURE_NOW + HOUR,
      },
    ]);
    await endStaffSession(db, 'ses_one');
    await endStaffSession(db, 'ses_agent');
    expect(await liveStaffSession(db, 'ses_one', FIXTURE_NOW)).toBeNull();
    expect(await liveStaffSession(db, 'ses_two', FIXTURE_NOW)).not.toBeNull();
    expect((await readRows(db, 'sessions', {}, { orderBy: 'id' })).map((s) => s.id)).toEqual([
      'ses_agent',
      'ses_two',
    ]);
  });
});
