import { describe, expect, it } from 'vitest';
import { completeRequest, correctVisitor, findVisitors, listRequests, recordRequest } from './requests.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, readRow, updateRows } from './testing/index.ts';

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
    await updateRows(db, 'accounts', { requestDeadlineDays: 14 }, { id: acme });
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

  it('finds a visitor by id too, and counts their conversations', async () => {
    const db = await createTestDatabase();
    expect(await findVisitors(db, acme, `  ${FIXTURE.visitors.anna.id} `)).toEqual([
      {
        id: FIXTURE.visitors.anna.id,
        name: FIXTURE.visitors.anna.name,
        email: FIXTURE.visitors.anna.email,
        country: 'DE',
        lastSeenAt: FIXTURE_NOW - 2 * 86_400_000,
        conversations: 1,
      },
    ]);
    expect(await findVisitors(db, acme, '   ')).toEqual([]);
  });

  it("lists open requests first, each group by deadline, and every account's with none named", async () => {
    const db = await createTestDatabase();
    const later = await recordRequest(db, {
      accountId: acme,
      visitorId: FIXTURE.visitors.anna.id,
      kind: 'access',
      now: FIXTURE_NOW,
    });
    const globex = await recordRequest(db, {
      accountId: FIXTURE.accounts.globex.id,
      visitorId: FIXTURE.visitors.gwen.id,
      kind: 'export',
      now: FIXTURE_NOW,
    });
    expect(
      await completeRequest(db, {
        accountId: acme,
        requestId: FIXTURE.requests.annaAccess,
        outcome: { rows: 3 },
        now: FIXTURE_NOW,
      }),
    ).toBe(true);
    const listed = await listRequests(db, acme, FIXTURE_NOW);
    expect(listed.map((r) => r.id)).toEqual([
      FIXTURE.requests.benErasure,
      later.id,
      FIXTURE.requests.annaAccess,
    ]);
    expect(listed[2]).toMatchObject({ completedAt: FIXTURE_NOW, outcome: { rows: 3 }, overdue: false });
    expect(listed[0]).toMatchObject({ completedAt: null, outcome: null, overdue: false });
    expect((await listRequests(db, null, FIXTURE_NOW)).map((r) => r.id)).toContain(globex.id);
  });

  it('RET-4: completes a request once, and only for its own account', async () => {
    const db = await createTestDatabase();
    const complete = (accountId: string, outcome: Record<string, unknown>) =>
      completeRequest(db, { accountId, requestId: FIXTURE.requests.benErasure, outcome, now: FIXTURE_NOW });
    expect(await complete(FIXTURE.accounts.globex.id, { by: 'globex' })).toBe(false);
    expect(await complete(acme, { erased: 5 })).toBe(true);
    expect(await complete(acme, { erased: 0 })).toBe(false);
    const stored = await readRow(db, 'dataSubjectRequests', { id: FIXTURE.requests.benErasure });
    expect(JSON.parse(stored.outcome ?? 'null')).toEqual({ erased: 5 });
  });

  it('refuses a request for an account that does not exist', async () => {
    const db = await createTestDatabase();
    await expect(
      recordRequest(db, { accountId: 'acc_nobody', visitorId: FIXTURE.visitors.anna.id, kind: 'access' }),
    ).rejects.toThrow('No account acc_nobody');
  });

  it("with nothing to correct, says only whether the visitor is the account's", async () => {
    const db = await createTestDatabase();
    expect(await correctVisitor(db, { accountId: acme, visitorId: FIXTURE.visitors.ben.id })).toBe(true);
    expect(
      await correctVisitor(db, { accountId: FIXTURE.accounts.globex.id, visitorId: FIXTURE.visitors.ben.id }),
    ).toBe(false);
    expect(
      await correctVisitor(db, { accountId: acme, visitorId: FIXTURE.visitors.anna.id, email: null }),
    ).toBe(true);
    expect(await readRow(db, 'visitors', { id: FIXTURE.visitors.anna.id })).toMatchObject({
      email: null,
      name: FIXTURE.visitors.anna.name,
    });
  });
});
