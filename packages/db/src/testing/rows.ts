import { and, asc, desc, eq, getTableColumns, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { ParleyDb } from '../connection.ts';
import * as schema from '../schema.ts';
import { read, type Tables as Schema, tablesOf, write } from '../statements.ts';

/**
 * Typed read-back and set-up for tests: rows of one table of the schema, named as the schema names it (`messages`,
 * `noticeOutbox`), filtered by equality on its fields and returned as the schema's row type. Apps' tests check what
 * was stored and prepare what a scenario needs through these, never through SQL, so that they run unchanged on any
 * backend of the store.
 */

const tables = {
  accounts: schema.accounts,
  paymentCards: schema.paymentCards,
  websites: schema.websites,
  agents: schema.agents,
  agentInvitations: schema.agentInvitations,
  personLinks: schema.personLinks,
  sessions: schema.sessions,
  operatorStaff: schema.operatorStaff,
  secondFactors: schema.secondFactors,
  recoveryCodes: schema.recoveryCodes,
  visitors: schema.visitors,
  conversations: schema.conversations,
  messages: schema.messages,
  offlineMessages: schema.offlineMessages,
  consentRecords: schema.consentRecords,
  marketingPreferences: schema.marketingPreferences,
  dataSubjectRequests: schema.dataSubjectRequests,
  disclosures: schema.disclosures,
  processorHandoffs: schema.processorHandoffs,
  auditLog: schema.auditLog,
  accessLog: schema.accessLog,
  policyVersions: schema.policyVersions,
  policyVersionRuns: schema.policyVersionRuns,
  noticeOutbox: schema.noticeOutbox,
  mailLimits: schema.mailLimits,
  installationSecrets: schema.installationSecrets,
  pendingSignups: schema.pendingSignups,
  installationTokens: schema.installationTokens,
  accountSuspensions: schema.accountSuspensions,
  supportThreads: schema.supportThreads,
  supportMessages: schema.supportMessages,
  pageVisits: schema.pageVisits,
  visitorBlocks: schema.visitorBlocks,
  offlineReplies: schema.offlineReplies,
  cannedReplies: schema.cannedReplies,
  tags: schema.tags,
  conversationTags: schema.conversationTags,
  departments: schema.departments,
  departmentAgents: schema.departmentAgents,
  websiteDepartments: schema.websiteDepartments,
  notes: schema.notes,
  files: schema.files,
  erasureLedger: schema.erasureLedger,
} satisfies Record<string, SQLiteTable>;

type Tables = typeof tables;
export type TableName = keyof Tables;
/** A stored row, as the schema types it (camelCase fields, booleans, parsed JSON). */
export type Row<T extends TableName> = Tables[T]['$inferSelect'];
/** Rows whose fields equal these values (`null` matches a missing value); fields left out match anything. */
export type Where<T extends TableName> = Partial<Row<T>>;

export interface ReadOptions<T extends TableName> {
  /** Stored order when left out; otherwise by this field, ascending unless `descending`. */
  orderBy?: keyof Row<T> & string;
  descending?: boolean;
  limit?: number;
}

/** The table `name` of `db`'s engine (the names are the same on both). */
function tableOf<T extends TableName>(name: T, db?: ParleyDb): Tables[T] {
  const table = (db ? (tablesOf(db) as Schema) : tables)[name] as Tables[T] | undefined;
  if (!table)
    throw new Error(
      `no table named ${String(name)} in the schema; use one of ${Object.keys(tables).join(', ')}`,
    );
  return table;
}

function columnOf(name: TableName, field: string, db: ParleyDb): SQLiteColumn {
  const column = (getTableColumns(tableOf(name, db)) as Record<string, SQLiteColumn>)[field];
  if (!column) throw new Error(`the table ${name} has no field named ${field}`);
  return column;
}

function condition<T extends TableName>(name: T, where: Where<T>, db: ParleyDb): SQL | undefined {
  const parts = Object.entries(where)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) =>
      value === null ? isNull(columnOf(name, field, db)) : eq(columnOf(name, field, db), value),
    );
  return and(...parts);
}

/** The rows of `table` that match `where`. */
export async function readRows<T extends TableName>(
  db: ParleyDb,
  table: T,
  where: Where<T> = {},
  options: ReadOptions<T> = {},
): Promise<Array<Row<T>>> {
  const found = await read(db, (o) => {
    const query = o
      .select()
      .from(tableOf(table, db))
      .where(condition(table, where, db))
      .$dynamic();
    if (options.orderBy) {
      const column = columnOf(table, options.orderBy, db);
      query.orderBy(options.descending ? desc(column) : asc(column));
    }
    if (options.limit !== undefined) query.limit(options.limit);
    return query;
  });
  return found as Array<Row<T>>;
}

/** The one row of `table` that matches `where`; throws when none or several do, so a test cannot read the wrong one. */
export async function readRow<T extends TableName>(
  db: ParleyDb,
  table: T,
  where: Where<T> = {},
): Promise<Row<T>> {
  const rows = await readRows(db, table, where);
  if (rows.length !== 1)
    throw new Error(`expected one row of ${table} matching ${JSON.stringify(where)}, found ${rows.length}`);
  return rows[0]!;
}

/** How many rows of `table` match `where`. */
export async function countRows<T extends TableName>(
  db: ParleyDb,
  table: T,
  where: Where<T> = {},
): Promise<number> {
  const [row] = await read(db, (o) =>
    o
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(tableOf(table, db))
      .where(condition(table, where, db)),
  );
  return row?.n ?? 0;
}

/** Sets `values` on the rows of `table` that match `where` (every row when left out); returns how many changed. */
export async function updateRows<T extends TableName>(
  db: ParleyDb,
  table: T,
  values: Where<T>,
  where: Where<T> = {},
): Promise<number> {
  if (Object.keys(values).length === 0) throw new Error(`updateRows(${table}) was given no values to set`);
  // The generic table loses drizzle's per-table type of `set`; `Where<T>` already is that table's row, partly.
  return write(db, (o) =>
    o
      .update(tableOf(table, db) as SQLiteTable)
      .set(values as Record<string, unknown>)
      .where(condition(table, where, db)),
  );
}

/** Deletes the rows of `table` that match `where` (every row when left out); returns how many went. */
export async function deleteRows<T extends TableName>(
  db: ParleyDb,
  table: T,
  where: Where<T> = {},
): Promise<number> {
  return write(db, (o) => o.delete(tableOf(table, db)).where(condition(table, where, db)));
}

/** Stores rows in `table` as a scenario needs them. */
export async function insertRows<T extends TableName>(
  db: ParleyDb,
  table: T,
  rows: Array<Tables[T]['$inferInsert']>,
): Promise<void> {
  if (rows.length === 0) return;
  await write(db, (o) => o.insert(tableOf(table, db)).values(rows));
}
