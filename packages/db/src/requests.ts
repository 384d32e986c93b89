import { and, asc, count, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { exportVisitor } from './erase-visitor.ts';
import { hashChatId, newId } from './ids.ts';
import { read, readOne, type Tables, write } from './statements.ts';

export type RequestKind = 'access' | 'export' | 'rectification' | 'erasure';

export interface SubjectRequest {
  id: string;
  kind: RequestKind;
  visitorId: string | null;
  receivedAt: number;
  deadlineAt: number;
  completedAt: number | null;
  outcome: unknown;
  overdue: boolean;
}

const DAY = 86_400_000;

type RequestRow = Tables['dataSubjectRequests']['$inferSelect'];

const toRequest = (r: RequestRow, now: number): SubjectRequest & { accountId: string } => ({
  id: r.id,
  accountId: r.accountId,
  kind: r.kind,
  visitorId: r.visitorId,
  receivedAt: r.receivedAt,
  deadlineAt: r.deadlineAt,
  completedAt: r.completedAt,
  outcome: r.outcome ? JSON.parse(r.outcome) : null,
  overdue: r.completedAt === null && r.deadlineAt < now,
});

/** RET-4: a visitor's request, received through the account, with its deadline (the account's setting, 30 days by default). */
export async function recordRequest(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; kind: RequestKind; now?: number },
): Promise<SubjectRequest> {
  const now = input.now ?? Date.now();
  const account = await readOne(db, (o, { accounts }) =>
    o.select({ days: accounts.requestDeadlineDays }).from(accounts).where(eq(accounts.id, input.accountId)),
  );
  if (!account) throw new Error(`No account ${input.accountId}`);
  const [stored] = await read(db, (o, { dataSubjectRequests }) =>
    o
      .insert(dataSubjectRequests)
      .values({
        id: newId('dsr'),
        accountId: input.accountId,
        visitorId: input.visitorId,
        kind: input.kind,
        receivedAt: now,
        deadlineAt: now + account.days * DAY,
      })
      .returning(),
  );
  return toRequest(stored!, now);
}

export async function completeRequest(
  db: ParleyDb,
  input: { accountId: string; requestId: string; outcome: Record<string, unknown>; now?: number },
): Promise<boolean> {
  const changed = await write(db, (o, { dataSubjectRequests }) =>
    o
      .update(dataSubjectRequests)
      .set({ completedAt: input.now ?? Date.now(), outcome: JSON.stringify(input.outcome) })
      .where(
        and(
          eq(dataSubjectRequests.id, input.requestId),
          eq(dataSubjectRequests.accountId, input.accountId),
          isNull(dataSubjectRequests.completedAt),
        ),
      ),
  );
  return changed === 1;
}

/** An account's requests (every account's with `accountId` null): open ones first, each group by deadline. */
export async function listRequests(
  db: ParleyDb,
  accountId: string | null,
  now = Date.now(),
): Promise<Array<SubjectRequest & { accountId: string }>> {
  const rows = await read(db, (o, { dataSubjectRequests }) =>
    o
      .select()
      .from(dataSubjectRequests)
      .where(accountId === null ? undefined : eq(dataSubjectRequests.accountId, accountId))
      .orderBy(
        sql`${dataSubjectRequests.completedAt} IS NOT NULL`,
        asc(dataSubjectRequests.deadlineAt),
        asc(dataSubjectRequests.id),
      ),
  );
  return rows.map((r) => toRequest(r, now));
}

export interface VisitorMatch {
  id: string;
  name: string | null;
  email: string | null;
  country: string | null;
  lastSeenAt: number;
  conversations: number;
}

/** Finds an account's visitors by email address (case-insensitive) or by the chat id from their cookie. */
export async function findVisitors(db: ParleyDb, accountId: string, query: string): Promise<VisitorMatch[]> {
  const q = query.trim();
  if (q.length === 0) return [];
  return read(db, (o, { conversations, visitors }) => {
    const found = {
      id: visitors.id,
      name: visitors.name,
      email: visitors.email,
      country: visitors.country,
      lastSeenAt: visitors.lastSeenAt,
    };
    return o
      .select({ ...found, conversations: count(conversations.id) })
      .from(visitors)
      .leftJoin(conversations, eq(conversations.visitorId, visitors.id))
      .where(
        and(
          eq(visitors.accountId, accountId),
          or(
            sql`lower(${visitors.email}) = lower(${q})`,
            eq(visitors.chatIdHash, hashChatId(q)),
            eq(visitors.id, q),
          ),
        ),
      )
      .groupBy(...Object.values(found))
      .orderBy(desc(visitors.lastSeenAt), asc(visitors.id))
      .limit(50);
  });
}

/** RET-4: corrects a visitor's name or email on request. Returns false when the visitor is not the account's. */
export async function correctVisitor(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; name?: string | null; email?: string | null },
): Promise<boolean> {
  const changes: { name?: string | null; email?: string | null } = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.email !== undefined) changes.email = input.email;
  if (Object.keys(changes).length === 0) {
    const found = await readOne(db, (o, { visitors }) =>
      o
        .select({ id: visitors.id })
        .from(visitors)
        .where(and(eq(visitors.id, input.visitorId), eq(visitors.accountId, input.accountId))),
    );
    return found !== null;
  }
  const changed = await write(db, (o, { visitors }) =>
    o
      .update(visitors)
      .set(changes)
      .where(and(eq(visitors.id, input.visitorId), eq(visitors.accountId, input.accountId))),
  );
  return changed === 1;
}

/**
 * RET-4: answers an export request made outside the dashboard (the operator's `parley export-visitor`): records it,
 * completes it with the number of rows handed over per table, and writes the audit entry. Returns the document.
 */
export async function answerExportRequest(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId: string;
    actor: { kind: 'staff' | 'system'; id?: string };
    now?: number;
  },
): Promise<{ request: SubjectRequest; document: Record<string, unknown[]> }> {
  const now = input.now ?? Date.now();
  const request = await recordRequest(db, {
    accountId: input.accountId,
    visitorId: input.visitorId,
    kind: 'export',
    now,
  });
  const document = await exportVisitor(db, { accountId: input.accountId, visitorId: input.visitorId });
  const counts = Object.fromEntries(Object.entries(document).map(([table, found]) => [table, found.length]));
  await completeRequest(db, {
    accountId: input.accountId,
    requestId: request.id,
    outcome: { exported: counts },
    now,
  });
  await write(db, (o, { auditLog }) =>
    o.insert(auditLog).values({
      actorKind: input.actor.kind,
      actorId: input.actor.id ?? null,
      accountId: input.accountId,
      action: 'visitor.exported',
      detail: { requestId: request.id, counts },
      createdAt: now,
    }),
  );
  return { request: { ...request, completedAt: now }, document };
}
