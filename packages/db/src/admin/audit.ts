import { type ParleyDb, sqliteOf } from '../connection.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

export interface AuditEntry {
  id: number;
  actorKind: 'agent' | 'staff' | 'system' | 'visitor' | 'api';
  actorId: string | null;
  /** The staff member's name when the actor is staff still on record. */
  actorName: string | null;
  accountId: string | null;
  action: string;
  /** Ids and counts only, never personal data. */
  detail: Record<string, unknown> | null;
  createdAt: number;
}

interface AuditRow {
  id: number;
  actor_kind: AuditEntry['actorKind'];
  actor_id: string | null;
  actor_name: string | null;
  account_id: string | null;
  action: string;
  detail: string | null;
  created_at: number;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  actorKind: row.actor_kind,
  actorId: row.actor_id,
  actorName: row.actor_name,
  accountId: row.account_id,
  action: row.action,
  detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  createdAt: row.created_at,
});

const SELECT = `SELECT l.id, l.actor_kind, l.actor_id, s.name AS actor_name, l.account_id, l.action, l.detail, l.created_at
  FROM audit_log l LEFT JOIN operator_staff s ON l.actor_kind = 'staff' AND s.id = l.actor_id`;

/**
 * The newest audit entries first, a page at a time: `before` is the id of the last entry of the previous page.
 * `action` filters to one action or, ending in `.`, to a family of actions (`disclosure.`).
 */
export async function auditPage(
  db: ParleyDb,
  input: { limit: number; before?: number; action?: string },
): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  if (blockedByTransaction(db)) await whenFree(db);
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: input.limit + 1 };
  if (input.before !== undefined) {
    where.push('l.id < @before');
    params.before = input.before;
  }
  if (input.action !== undefined) {
    if (input.action.endsWith('.')) {
      where.push('substr(l.action, 1, length(@action)) = @action');
    } else where.push('l.action = @action');
    params.action = input.action;
  }
  const rows = sqliteOf(db)
    .prepare(
      `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id DESC LIMIT @limit`,
    )
    .all(params) as AuditRow[];
  const page = rows.slice(0, input.limit).map(toEntry);
  return {
    entries: page,
    nextBefore: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Records what a staff member did. `detail` must hold ids and counts only. */
export async function recordStaffAction(
  db: ParleyDb,
  entry: {
    staffId: string;
    action: string;
    accountId?: string | null;
    detail?: Record<string, unknown>;
    now?: number;
  },
): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  sqliteOf(db)
    .prepare(
      'INSERT INTO audit_log (actor_kind, actor_id, account_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      'staff',
      entry.staffId,
      entry.accountId ?? null,
      entry.action,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
      entry.now ?? Date.now(),
    );
}
