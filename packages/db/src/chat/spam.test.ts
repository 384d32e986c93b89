import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { read } from '../statements.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, readRow } from '../testing/index.ts';
import { findConversationTarget, listConversations, listOpenConversations } from './conversations.ts';
import { clearSpam, reportSpam } from './spam.ts';

const { acme, globex } = FIXTURE.accounts;
const C = FIXTURE.conversations;
const reporter = FIXTURE.agents.acmeAgent;
const now = FIXTURE_NOW;

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

const report = (db: Db, conversationId: string, accountId: string = acme.id) =>
  reportSpam(db, { accountId, conversationId, agentId: reporter.id, now });
const clear = (db: Db, conversationId: string, accountId: string = acme.id) =>
  clearSpam(db, { accountId, conversationId, agentId: FIXTURE.agents.acmeOwner.id, now: now + 1 });

const listed = async (db: Db, spam?: boolean) =>
  (await listConversations(db, acme.id, { limit: 50, ...(spam === undefined ? {} : { spam }) })).items.map(
    (c) => c.id,
  );

const auditActions = (db: Db) =>
  read(db, (o, { auditLog }) =>
    o
      .select({ action: auditLog.action, actorId: auditLog.actorId, detail: auditLog.detail })
      .from(auditLog)
      .where(eq(auditLog.accountId, acme.id)),
  );

describe('SEC-1: reporting a conversation as spam', () => {
  it('flags and closes an open conversation, which leaves the inbox and the history but not the spam list', async () => {
    const db = await createTestDatabase();
    expect(await report(db, C.gpcWaiting)).toEqual({ closed: true });
    expect(await readRow(db, 'conversations', { id: C.gpcWaiting })).toMatchObject({
      status: 'closed',
      closedAt: now,
      spamAt: now,
      spamReportedBy: reporter.id,
    });
    expect((await listOpenConversations(db, acme.id)).map((c) => c.id)).not.toContain(C.gpcWaiting);
    expect(await listed(db)).not.toContain(C.gpcWaiting);
    expect(await listed(db)).toContain(C.annaClosed);
    expect(await listed(db, true)).toEqual([C.gpcWaiting]);
    expect(await findConversationTarget(db, acme.id, C.gpcWaiting)).toMatchObject({
      spamAt: now,
      spamReportedBy: reporter.id,
    });
    expect(await auditActions(db)).toContainEqual({
      action: 'conversation.spam_reported',
      actorId: reporter.id,
      detail: { conversationId: C.gpcWaiting, closed: true },
    });
  });

  it('flags a closed conversation without closing it again, and only once', async () => {
    const db = await createTestDatabase();
    const closedAt = (await readRow(db, 'conversations', { id: C.annaClosed }))?.closedAt;
    expect(await report(db, C.annaClosed)).toEqual({ closed: false });
    expect(await readRow(db, 'conversations', { id: C.annaClosed })).toMatchObject({ closedAt, spamAt: now });
    expect(await report(db, C.annaClosed)).toBeNull();
  });

  it('clears the flag: the conversation is back in the history, still closed, and the clearing is audited', async () => {
    const db = await createTestDatabase();
    await report(db, C.gpcWaiting);
    expect(await clear(db, C.gpcWaiting)).toBe(true);
    expect(await readRow(db, 'conversations', { id: C.gpcWaiting })).toMatchObject({
      status: 'closed',
      spamAt: null,
      spamReportedBy: null,
    });
    expect(await listed(db)).toContain(C.gpcWaiting);
    expect(await listed(db, true)).toEqual([]);
    expect(await clear(db, C.gpcWaiting)).toBe(false);
    expect(await auditActions(db)).toContainEqual({
      action: 'conversation.spam_cleared',
      actorId: FIXTURE.agents.acmeOwner.id,
      detail: { conversationId: C.gpcWaiting },
    });
  });

  it("never touches another account's conversation", async () => {
    const db = await createTestDatabase();
    expect(await report(db, C.gpcWaiting, globex.id)).toBeNull();
    expect(await readRow(db, 'conversations', { id: C.gpcWaiting })).toMatchObject({ spamAt: null });
    await report(db, C.gpcWaiting);
    expect(await clear(db, C.gpcWaiting, globex.id)).toBe(false);
    expect(await readRow(db, 'conversations', { id: C.gpcWaiting })).toMatchObject({ spamAt: now });
  });
});
