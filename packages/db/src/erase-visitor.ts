import { and, eq, getTableColumns, getTableName, is, type SQL, sql, Table } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { classification } from './classification.ts';
import type { ParleyDb } from './connection.ts';
import { reclaimDeletedSpace } from './deleted-space.ts';
import { appendToLedgerFile, type ErasureLedgerEntry, ledgerKey, recordErasure } from './erasure-ledger.ts';
import { removeRowFiles } from './row-files.ts';
import { lockFor, read, row, rows, run, tablesOf, write } from './statements.ts';
import { childTablesFirst } from './table-order.ts';
import { tableShape } from './table-shape.ts';
import { transaction } from './transaction.ts';
import { type VisitorDataLocation, visitorDataLocations, visitorRowsCondition } from './visitor-data.ts';

/** `replay`: erased again after a restore or a store copy, because the ledger says it was erased before. */
export type ErasureReason = 'request' | 'child' | 'retention' | 'replay';

/** The audit log's actions for an erasure: of a visitor who asked (or whose data expired), or of a child. */
export const ERASURE_ACTIONS = ['visitor.erased', 'visitor.erased_child'] as const;

export interface ErasureResult {
  /** Rows deleted or cleared per table. No personal data: this is what the erasure record keeps. */
  counts: Record<string, number>;
}

/** The addresses the visitor gave, on their visitor row or with an offline message sent before one existed. */
async function emailsOf(db: ParleyDb, accountId: string, visitorId: string): Promise<string[]> {
  const found = await rows<{ email: string }>(
    db,
    sql`SELECT email FROM visitors WHERE id = ${visitorId} AND account_id = ${accountId} AND email IS NOT NULL
        UNION SELECT email FROM offline_messages WHERE visitor_id = ${visitorId} AND account_id = ${accountId}
        AND email IS NOT NULL`,
  );
  return found.map((r) => r.email);
}

/** Tables without an account column are only touched once the visitor is known to belong to the account. */
const belongsToAccount = async (db: ParleyDb, accountId: string, visitorId: string): Promise<boolean> =>
  (await row(
    db,
    sql`SELECT 1 AS found FROM visitors WHERE id = ${visitorId} AND account_id = ${accountId}`,
  )) !== null;

/**
 * Erases the rows of `location` that `value` finds. Returns how many, and, for a table whose rows are copied to
 * files, their ids, so that the files can go too.
 */
async function apply(
  db: ParleyDb,
  location: VisitorDataLocation,
  accountId: string,
  value: string,
): Promise<{ changed: number; ids: string[] }> {
  const table = sql.identifier(location.table);
  const rowsOf = visitorRowsCondition(location, accountId, value);
  const statement =
    location.onErase === 'delete_row'
      ? sql`DELETE FROM ${table} WHERE ${rowsOf}`
      : sql`UPDATE ${table} SET ${sql.identifier(location.column)} = NULL WHERE ${rowsOf}`;
  if (!classification[location.table]?.files) return { changed: await run(db, statement), ids: [] };
  const ids = (await rows<{ id: string }>(db, sql`${statement} RETURNING id`)).map((r) => String(r.id));
  return { changed: ids.length, ids };
}

/**
 * RET-4, KID-1: erases everything held about one visitor of one account, in every table the classification links to
 * visitors, in one transaction. Other visitors' rows are untouched. The erasure is recorded with counts only. Then
 * the space the rows took is reclaimed as each engine allows (`reclaimDeletedSpace`): on SQLite, with
 * `secure_delete` on and the WAL checkpointed, nothing can be read back from the database files; on PostgreSQL the
 * tables are vacuumed, and what may linger is what the policy's PostgreSQL text says. The files those rows were
 * copied to (`TableClass.files`) are deleted last.
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
  const now = input.now ?? Date.now();
  const locations = visitorDataLocations();
  const order = childTablesFirst([...new Set(locations.map((l) => l.table))]);
  const counts: Record<string, number> = {};
  const erasedIds: Record<string, string[]> = {};
  // A replay erases what the ledger already holds; any other erasure is recorded there (its key made first, in a
  // transaction of its own, so that the key file never names a key the store rolled back).
  const key = input.reason === 'replay' ? null : await ledgerKey(db);
  let recorded: ErasureLedgerEntry | null = null;
  await transaction(db, async () => {
    // Opening a conversation for the visitor takes the same lock: no chat starts half-way through their erasure.
    await lockFor(db, `visitor:${input.visitorId}`);
    const emails = await emailsOf(db, input.accountId, input.visitorId);
    const owned = await belongsToAccount(db, input.accountId, input.visitorId);
    if (key) {
      const chats = await rows<{ id: string }>(
        db,
        sql`SELECT id FROM conversations WHERE visitor_id = ${input.visitorId} AND account_id = ${input.accountId}`,
      );
      recorded = await recordErasure(db, key, {
        kind: 'visitor',
        subjectId: input.visitorId,
        chatIds: chats.map((c) => c.id),
        emails,
        erasedAt: now,
      });
    }
    for (const table of order) {
      for (const location of locations.filter((l) => l.table === table && (l.scoped || owned))) {
        const values = location.match === 'link' ? [input.visitorId] : emails;
        for (const value of values) {
          const { changed, ids } = await apply(db, location, input.accountId, value);
          if (changed > 0) counts[table] = (counts[table] ?? 0) + changed;
          if (ids.length > 0) erasedIds[table] = [...(erasedIds[table] ?? []), ...ids];
        }
      }
    }
    const { requestId } = input;
    if (requestId)
      await write(db, (o, { dataSubjectRequests }) =>
        o
          .update(dataSubjectRequests)
          .set({ completedAt: now, outcome: JSON.stringify({ erased: counts }) })
          .where(
            and(eq(dataSubjectRequests.id, requestId), eq(dataSubjectRequests.accountId, input.accountId)),
          ),
      );
    await write(db, (o, { auditLog }) =>
      o.insert(auditLog).values({
        actorKind: input.actor.kind,
        actorId: input.actor.id ?? null,
        accountId: input.accountId,
        action: input.reason === 'child' ? ERASURE_ACTIONS[1] : ERASURE_ACTIONS[0],
        detail: { reason: input.reason, counts },
        createdAt: now,
      }),
    );
  });
  // Completing a request rewrote its row, whose old version still named the visitor.
  await reclaimDeletedSpace(db, [
    ...Object.keys(counts),
    ...(input.requestId ? ['data_subject_requests'] : []),
  ]);
  // The rows are gone; now their copies in files (mail written without SMTP).
  for (const [table, ids] of Object.entries(erasedIds)) await removeRowFiles(db, table, ids);
  // Committed; now the copy of the entry that outlives the store.
  if (recorded) await appendToLedgerFile(db, [recorded]);
  return { counts };
}

/** The table of `db`'s engine that SQL calls `name`. */
function tableNamed(db: ParleyDb, name: string): SQLiteTable {
  const table = (Object.values(tablesOf(db)) as unknown[]).find(
    (value): value is SQLiteTable => is(value, Table) && getTableName(value) === name,
  );
  if (!table) throw new Error(`no table named "${name}" in the schema`);
  return table;
}

/**
 * The rows of `name` that `condition` finds, in key order, read through the schema so that both engines give the
 * same values (flags as booleans, JSON parsed), and keyed by their SQL column names as the data map names them.
 */
async function rowsWhere(
  db: ParleyDb,
  name: string,
  condition: SQL,
): Promise<Array<Record<string, unknown>>> {
  const table = tableNamed(db, name);
  const columns = Object.entries(getTableColumns(table));
  const byName = new Map(columns.map(([, column]) => [column.name, column]));
  const key = tableShape(name).key.map((column) => byName.get(column)!);
  const found = await read(db, (o) =>
    o
      .select()
      .from(table)
      .where(condition)
      .orderBy(...key),
  );
  return found.map((r) =>
    Object.fromEntries(
      columns.map(([field, column]) => [column.name, jsonReady((r as Record<string, unknown>)[field])]),
    ),
  );
}

/** Bytes (a file sent in a chat, its thumbnail) as base64 text, which a JSON document carries as they were. */
const jsonReady = (value: unknown): unknown =>
  value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;

/**
 * RET-4: everything held about one visitor, as one JSON-ready document, found the same way erasure finds it. The
 * bytes of files they sent or were sent are in it as base64.
 */
export async function exportVisitor(
  db: ParleyDb,
  input: { accountId: string; visitorId: string },
): Promise<Record<string, unknown[]>> {
  const emails = await emailsOf(db, input.accountId, input.visitorId);
  const owned = await belongsToAccount(db, input.accountId, input.visitorId);
  const document: Record<string, unknown[]> = {};
  for (const location of visitorDataLocations().filter((l) => l.scoped || owned)) {
    const values = location.match === 'link' ? [input.visitorId] : emails;
    for (const value of values) {
      const found = await rowsWhere(
        db,
        location.table,
        visitorRowsCondition(location, input.accountId, value),
      );
      const list = document[location.table] ?? [];
      document[location.table] = list;
      for (const row of found)
        if (!list.some((r) => JSON.stringify(r) === JSON.stringify(row))) list.push(row);
    }
  }
  // Secrets are not the visitor's data and say nothing about them.
  for (const row of [...(document.visitors ?? []), ...(document.visitor_blocks ?? [])])
    delete (row as Record<string, unknown>).chat_id_hash;
  return document;
}
