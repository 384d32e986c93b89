import { type ParleyDb, sqliteOf } from './connection.ts';
import { hashChatId, newId } from './ids.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

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

/** RET-4: a visitor's request, received through the account, with its deadline (the account's setting, 30 days by default). */
export async function recordRequest(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; kind: RequestKind; now?: number },
): Promise<SubjectRequest> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  const account = sqliteOf(db)
    .prepare('SELECT request_deadline_days AS days FROM accounts WHERE id = ?')
    .get(input.accountId) as { days: number } | undefined;
  if (!account) throw new Error(`No account ${input.accountId}`);
  const id = newId('dsr');
  sqliteOf(db)
    .prepare(
      'INSERT INTO data_subject_requests (id, account_id, visitor_id, kind, received_at, deadline_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(id, input.accountId, input.visitorId, input.kind, now, now + account.days * DAY);
  return (await listRequests(db, input.accountId, now)).find((r) => r.id === id)!;
}

export async function completeRequest(
  db: ParleyDb,
  input: { accountId: string; requestId: string; outcome: Record<string, unknown>; now?: number },
): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db)
      .prepare(
        'UPDATE data_subject_requests SET completed_at = ?, outcome = ? WHERE id = ? AND account_id = ? AND completed_at IS NULL',
      )
      .run(input.now ?? Date.now(), JSON.stringify(input.outcome), input.requestId, input.accountId)
      .changes === 1
  );
}

export async function listRequests(
  db: ParleyDb,
  accountId: string | null,
  now = Date.now(),
): Promise<Array<SubjectRequest & { accountId: string }>> {
  if (blockedByTransaction(db)) await whenFree(db);
  const rows = sqliteOf(db)
    .prepare(
      `SELECT * FROM data_subject_requests ${accountId === null ? '' : 'WHERE account_id = ?'} ORDER BY completed_at IS NOT NULL, deadline_at`,
    )
    .all(...(accountId === null ? [] : [accountId])) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: r.id as string,
    accountId: r.account_id as string,
    kind: r.kind as RequestKind,
    visitorId: (r.visitor_id as string | null) ?? null,
    receivedAt: r.received_at as number,
    deadlineAt: r.deadline_at as number,
    completedAt: (r.completed_at as number | null) ?? null,
    outcome: r.outcome ? JSON.parse(r.outcome as string) : null,
    overdue: r.completed_at === null && (r.deadline_at as number) < now,
  }));
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
  if (blockedByTransaction(db)) await whenFree(db);
  const q = query.trim();
  if (q.length === 0) return [];
  return sqliteOf(db)
    .prepare(
      `SELECT v.id, v.name, v.email, v.country, v.last_seen_at AS "lastSeenAt",
              (SELECT count(*) FROM conversations c WHERE c.visitor_id = v.id) AS conversations
       FROM visitors v WHERE v.account_id = @accountId AND (lower(v.email) = lower(@q) OR v.chat_id_hash = @hash OR v.id = @q)
       ORDER BY v.last_seen_at DESC LIMIT 50`,
    )
    .all({ accountId, q, hash: hashChatId(q) }) as VisitorMatch[];
}

/** RET-4: corrects a visitor's name or email on request. Returns false when the visitor is not the account's. */
export async function correctVisitor(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; name?: string | null; email?: string | null },
): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  const sets: string[] = [];
  const args: Record<string, unknown> = { id: input.visitorId, accountId: input.accountId };
  if (input.name !== undefined) {
    sets.push('name = @name');
    args.name = input.name;
  }
  if (input.email !== undefined) {
    sets.push('email = @email');
    args.email = input.email;
  }
  if (sets.length === 0)
    return (
      sqliteOf(db).prepare('SELECT 1 FROM visitors WHERE id = @id AND account_id = @accountId').get(args) !==
      undefined
    );
  return (
    sqliteOf(db)
      .prepare(`UPDATE visitors SET ${sets.join(', ')} WHERE id = @id AND account_id = @accountId`)
      .run(args).changes === 1
  );
}
