import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { read, write } from '../statements.ts';

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

/**
 * The newest audit entries first, a page at a time: `before` is the id of the last entry of the previous page.
 * `action` filters to one action or, ending in `.`, to a family of actions (`disclosure.`).
 */
export async function auditPage(
  db: ParleyDb,
  input: { limit: number; before?: number; action?: string },
): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const { action } = input;
  const found = await read(db, (o, { auditLog, operatorStaff }) =>
    o
      .select({
        id: auditLog.id,
        actorKind: auditLog.actorKind,
        actorId: auditLog.actorId,
        actorName: operatorStaff.name,
        accountId: auditLog.accountId,
        action: auditLog.action,
        detail: auditLog.detail,
        createdAt: auditLog.createdAt,
      })
      .from(auditLog)
      .leftJoin(operatorStaff, and(eq(auditLog.actorKind, 'staff'), eq(operatorStaff.id, auditLog.actorId)))
      .where(
        and(
          input.before === undefined ? undefined : lt(auditLog.id, input.before),
          action === undefined
            ? undefined
            : action.endsWith('.')
              ? // A prefix compared as text: LIKE would read `_` and `%` in an action's name as wildcards.
                sql`substr(${auditLog.action}, 1, ${action.length}) = ${action}`
              : eq(auditLog.action, action),
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(input.limit + 1),
  );
  const entries = found.slice(0, input.limit);
  return {
    entries,
    nextBefore: found.length > input.limit ? (entries[entries.length - 1]?.id ?? null) : null,
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
  await write(db, (o, { auditLog }) =>
    o.insert(auditLog).values({
      actorKind: 'staff',
      actorId: entry.staffId,
      accountId: entry.accountId ?? null,
      action: entry.action,
      detail: entry.detail ?? null,
      createdAt: entry.now ?? Date.now(),
    }),
  );
}
