import { classification } from './classification.ts';
import { checkpoint, type ParleyDb, sqliteOf } from './connection.ts';
import { removeRowFiles } from './row-files.ts';
import { childTablesFirst } from './table-order.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';
import { type VisitorDataLocation, visitorDataLocations, visitorRowsCondition } from './visitor-data.ts';

export type ErasureReason = 'request' | 'child' | 'retention';

export interface ErasureResult {
  /** Rows deleted or cleared per table. No personal data: this is what the erasure record keeps. */
  counts: Record<string, number>;
}

function emailsOf(db: ParleyDb, accountId: string, visitorId: string): string[] {
  const rows = sqliteOf(db)
    .prepare(
      `SELECT email FROM visitors WHERE id = ? AND account_id = ? AND email IS NOT NULL
       UNION SELECT email FROM offline_messages WHERE visitor_id = ? AND account_id = ?`,
    )
    .all(visitorId, accountId, visitorId, accountId) as Array<{ email: string }>;
  return rows.map((r) => r.email);
}

/** Tables without an account column are only touched once the visitor is known to belong to the account. */
const belongsToAccount = (db: ParleyDb, accountId: string, visitorId: string): boolean =>
  sqliteOf(db).prepare('SELECT 1 FROM visitors WHERE id = ? AND account_id = ?').get(visitorId, accountId) !==
  undefined;

/**
 * Erases the rows of `location` that `value` finds. Returns how many, and, for a table whose rows are copied to
 * files, their ids, so that the files can go too.
 */
function apply(
  db: ParleyDb,
  location: VisitorDataLocation,
  accountId: string,
  value: string,
): { changed: number; ids: string[] } {
  const rows = visitorRowsCondition(location, accountId, value);
  const sql =
    location.onErase === 'delete_row'
      ? `DELETE FROM "${location.table}" WHERE ${rows.sql}`
      : `UPDATE "${location.table}" SET "${location.column}" = NULL WHERE ${rows.sql}`;
  if (!classification[location.table]?.files)
    return {
      changed: sqliteOf(db)
        .prepare(sql)
        .run(...rows.args).changes,
      ids: [],
    };
  const ids = sqliteOf(db)
    .prepare(`${sql} RETURNING id`)
    .pluck()
    .all(...rows.args)
    .map(String);
  return { changed: ids.length, ids };
}

/**
 * RET-4, KID-1: erases everything held about one visitor of one account, in every table the classification links to
 * visitors, then checkpoints the WAL. With `secure_delete` on, the freed pages are overwritten, so nothing can be
 * read back from the database files. The files those rows were copied to (`TableClass.files`) are deleted after.
 * Other visitors' rows are untouched. The erasure is recorded with counts only.
 */
export async function eraseVisitor(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId: string;
    reason: ErasureReason;
    actor: { kind: 'agent' | 'staff' | 'system'; id?: string };
    requestId?: string;
    now?: number;
  },
): Promise<ErasureResult> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  const locations = visitorDataLocations();
  const order = childTablesFirst([...new Set(locations.map((l) => l.table))]);
  const counts: Record<string, number> = {};
  const erasedIds: Record<string, string[]> = {};
  sqliteOf(db).transaction(() => {
    const emails = emailsOf(db, input.accountId, input.visitorId);
    const owned = belongsToAccount(db, input.accountId, input.visitorId);
    for (const table of order) {
      for (const location of locations.filter((l) => l.table === table && (l.scoped || owned))) {
        const values = location.match === 'link' ? [input.visitorId] : emails;
        for (const value of values) {
          const { changed, ids } = apply(db, location, input.accountId, value);
          if (changed > 0) counts[table] = (counts[table] ?? 0) + changed;
          if (ids.length > 0) erasedIds[table] = [...(erasedIds[table] ?? []), ...ids];
        }
      }
    }
    if (input.requestId) {
      sqliteOf(db)
        .prepare(
          'UPDATE data_subject_requests SET completed_at = ?, outcome = ? WHERE id = ? AND account_id = ?',
        )
        .run(now, JSON.stringify({ erased: counts }), input.requestId, input.accountId);
    }
    sqliteOf(db)
      .prepare(
        'INSERT INTO audit_log (actor_kind, actor_id, account_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        input.actor.kind,
        input.actor.id ?? null,
        input.accountId,
        input.reason === 'child' ? 'visitor.erased_child' : 'visitor.erased',
        JSON.stringify({ reason: input.reason, counts }),
        now,
      );
  })();
  await checkpoint(db);
  // The rows are gone; now their copies in files (mail written without SMTP).
  for (const [table, ids] of Object.entries(erasedIds)) await removeRowFiles(db, table, ids);
  return { counts };
}

/** RET-4: everything held about one visitor, as one JSON-ready document, found the same way erasure finds it. */
export async function exportVisitor(
  db: ParleyDb,
  input: { accountId: string; visitorId: string },
): Promise<Record<string, unknown[]>> {
  if (blockedByTransaction(db)) await whenFree(db);
  const emails = emailsOf(db, input.accountId, input.visitorId);
  const owned = belongsToAccount(db, input.accountId, input.visitorId);
  const document: Record<string, unknown[]> = {};
  for (const location of visitorDataLocations().filter((l) => l.scoped || owned)) {
    const values = location.match === 'link' ? [input.visitorId] : emails;
    for (const value of values) {
      const condition = visitorRowsCondition(location, input.accountId, value);
      const rows = sqliteOf(db)
        .prepare(`SELECT * FROM "${location.table}" WHERE ${condition.sql}`)
        .all(...condition.args);
      const list = document[location.table] ?? [];
      document[location.table] = list;
      for (const row of rows)
        if (!list.some((r) => JSON.stringify(r) === JSON.stringify(row))) list.push(row);
    }
  }
  // Secrets are not the visitor's data and say nothing about them.
  for (const row of (document.visitors ?? []) as Array<Record<string, unknown>>) delete row.chat_id_hash;
  return document;
}
