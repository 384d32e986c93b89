import type { ParleyDb } from '../connection.ts';
import { write } from '../statements.ts';

/** SEC-1: who changed what. `detail` holds ids and counts only, never personal data. */
export async function writeAudit(
  db: ParleyDb,
  entry: {
    actorKind: 'agent' | 'staff' | 'system' | 'visitor' | 'api';
    actorId?: string | null;
    accountId?: string | null;
    action: string;
    detail?: Record<string, unknown>;
    now?: number;
  },
): Promise<void> {
  await write(db, (o, { auditLog }) =>
    o.insert(auditLog).values({
      actorKind: entry.actorKind,
      actorId: entry.actorId ?? null,
      accountId: entry.accountId ?? null,
      action: entry.action,
      detail: entry.detail ?? null,
      createdAt: entry.now ?? Date.now(),
    }),
  );
}
