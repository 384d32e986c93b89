import { describe, expect, it } from 'vitest';
import { sqliteOf } from './connection.ts';
import { correctVisitor, findVisitors, listRequests, recordRequest } from './requests.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW } from './testing/index.ts';

const acme = FIXTURE.accounts.acme.id;

describe('RET-4: visitor requests', () => {
  it('finds a visitor by email or by the chat id in their cookie, only within the account', async () => {
    const db = await createTestDatabase();
    expect((await findVisitors(db, acme, 'ANNA@example.org')).map((v) => v.id)).toEqual([
      FIXTURE.visitors.anna.id,
    ]);
    expect((await findVisitors(db, acme, FIXTURE.visitors.ben.chatId)).map((v) => v.id)).toEqual([
      FIXTURE.visitors.ben.id,
    ]);
    expect(await findVisitors(db, FIXTURE.accounts.globex.id, 'anna@example.org')).toEqual([]);
  });

  it('records a request with a 30-day deadline and shows overdue ones', async () => {
    const db = await createTestDatabase();
    const request = await recordRequest(db, {
      accountId: acme,
      visitorId: FIXTURE.visitors.anna.id,
      kind: 'export',
      now: FIXTURE_NOW,
    });
    expect(request.deadlineAt - request.receivedAt).toBe(30 * 86_400_000);
    const all = await listRequests(db, acme, FIXTURE_NOW);
    expect(all.filter((r) => r.overdue).map((r) => r.id)).toEqual([FIXTURE.requests.annaAccess]);
  });

  it("uses the account's own deadline when it sets one", async () => {
    const db = await createTestDatabase();
    sqliteOf(db).prepare('UPDATE accounts SET request_deadline_days = 14 WHERE id = ?').run(acme);
    const request = await recordRequest(db, {
      accountId: acme,
      visitorId: FIXTURE.visitors.anna.id,
      kind: 'erasure',
      now: FIXTURE_NOW,
    });
    expect(request.deadlineAt - request.receivedAt).toBe(14 * 86_400_000);
  });

  it("corrects a visitor's name and email, never another account's visitor", async () => {
    const db = await createTestDatabase();
    expect(
      await correctVisitor(db, {
        accountId: acme,
        visitorId: FIXTURE.visitors.anna.id,
        name: 'Anna Korrekt',
        email: 'anna@korrekt.example',
      }),
    ).toBe(true);
    expect((await findVisitors(db, acme, 'anna@korrekt.example'))[0]?.name).toBe('Anna Korrekt');
    expect(
      await correctVisitor(db, {
        accountId: FIXTURE.accounts.globex.id,
        visitorId: FIXTURE.visitors.anna.id,
        name: 'X',
      }),
    ).toBe(false);
  });
});
