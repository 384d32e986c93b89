import { createHash } from 'node:crypto';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { migratePostgres, openPostgres } from './postgres/connection.ts';
import * as schema from './schema.ts';
import { childTablesFirst } from './table-order.ts';
import { transaction } from './transaction.ts';

/**
 * Moves an installation from its SQLite file into PostgreSQL: every table of the schema, parents before the rows
 * that reference them, each value converted to the PostgreSQL column's type (0/1 to boolean, JSON text to jsonb,
 * integers to bigint, blobs to bytea), then verified: the same number of rows and the same checksum on both sides.
 *
 * The whole copy is one PostgreSQL transaction, verification included. A copy that fails half-way, or whose
 * verification finds a difference, leaves the target exactly as empty as it was, so the operator can run it again;
 * per-table transactions would leave some tables filled, and the next run would be refused as non-empty. The
 * SQLite side is read inside one transaction too, so that the copy is one consistent snapshot of the source.
 */

/** How a column's values are stored in SQLite and converted for PostgreSQL. */
type ColumnKind = 'text' | 'integer' | 'flag' | 'json' | 'bytes';

interface CopiedColumn {
  name: string;
  kind: ColumnKind;
}

interface CopiedTable {
  name: string;
  columns: CopiedColumn[];
  /** The primary key's columns, in the key's order: rows are read and checksummed in this order on both sides. */
  key: string[];
}

function kindOf(table: string, column: { name: string; dataType: string; columnType: string }): ColumnKind {
  if (column.dataType === 'boolean') return 'flag';
  if (column.dataType === 'json') return 'json';
  if (column.columnType === 'SQLiteInteger') return 'integer';
  if (column.columnType === 'SQLiteText') return 'text';
  if (column.columnType === 'SQLiteBlobBuffer') return 'bytes';
  throw new Error(`${table}.${column.name}: copying a ${column.columnType} column is not supported`);
}

const schemaTables: CopiedTable[] = (Object.values(schema) as unknown[])
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .map((table) => {
    const config = getTableConfig(table);
    const composite = config.primaryKeys[0]?.columns.map((c) => c.name);
    return {
      name: config.name,
      columns: config.columns.map((c) => ({ name: c.name, kind: kindOf(config.name, c) })),
      key: composite ?? config.columns.filter((c) => c.primary).map((c) => c.name),
    };
  });

export type StoreCopyErrorCode =
  | 'TARGET_NOT_EMPTY'
  | 'SOURCE_SCHEMA_MISMATCH'
  | 'SOURCE_VALUE_INVALID'
  | 'TARGET_REFUSED_ROWS'
  | 'VERIFICATION_FAILED';

/** Why a copy did not happen; nothing was committed to the target. `table` names the table concerned, if one. */
export class StoreCopyError extends Error {
  constructor(
    readonly code: StoreCopyErrorCode,
    message: string,
    readonly tables: readonly string[] = [],
  ) {
    super(message);
    this.name = 'StoreCopyError';
  }
}

/** One table's result: as many rows on both sides, with this checksum on both. */
export interface CopiedTableReport {
  table: string;
  rows: number;
  /** sha256, hex, over each row's canonical JSON in primary-key order. */
  checksum: string;
}

export type CopyProgress =
  | { step: 'copying'; table: string; copied: number; total: number }
  | ({ step: 'verified' } & CopiedTableReport);

export interface CopyReport {
  tables: CopiedTableReport[];
  rows: number;
}

export interface CopyStoreOptions {
  /** The SQLite installation to copy; it is read, never changed. */
  from: ParleyDb;
  /** The PostgreSQL database to copy into: `postgres://user:password@host:5432/database`. */
  to: string;
  onProgress?: (progress: CopyProgress) => void;
  /** Rows per INSERT; PostgreSQL allows 65,535 parameters per statement, which caps it for wide tables. */
  batchSize?: number;
  /** The PostgreSQL migrations to apply to the target first: the committed ones unless a bundle carries its own. */
  migrations?: string;
}

const DEFAULT_BATCH_SIZE = 1_000;
const MAX_PARAMETERS = 65_535;
/** Rows per INSERT and per verifying FETCH of a table that holds bytes (files of up to several MB each). */
const BYTES_BATCH_SIZE = 8;

/** Rows to move at once for `table`: a table of files takes a few rows at a time, not a thousand files. */
const rowsPerBatch = (table: CopiedTable, batchSize: number): number =>
  table.columns.some((c) => c.kind === 'bytes') ? Math.min(batchSize, BYTES_BATCH_SIZE) : batchSize;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

type SourceRow = Record<string, unknown>;

/** A stored value, as PostgreSQL's column takes it; throws naming the table, column and row when it cannot. */
function toPostgres(table: CopiedTable, column: CopiedColumn, row: SourceRow): unknown {
  const value = row[column.name];
  if (value === null) return null;
  const fail = (what: string): never => {
    const key = table.key.map((k) => `${k}=${String(row[k])}`).join(', ');
    throw new StoreCopyError(
      'SOURCE_VALUE_INVALID',
      `${table.name}.${column.name} of the row ${key} holds ${what}; fix it in the SQLite file and copy again`,
      [table.name],
    );
  };
  switch (column.kind) {
    case 'flag':
      if (value === 0n || value === 1n) return value === 1n;
      return fail(`${String(value)}, which is not a flag (0 or 1)`);
    case 'integer':
      if (typeof value === 'bigint') return value.toString();
      return fail(`${JSON.stringify(value)}, which is not an integer`);
    case 'json':
      if (typeof value !== 'string') return fail('something other than JSON text');
      try {
        JSON.parse(value);
      } catch {
        return fail('text that is not JSON');
      }
      return value;
    case 'text':
      if (typeof value === 'string') return value;
      return fail(`${String(value)}, which is not text`);
    case 'bytes':
      if (value instanceof Uint8Array) return Buffer.from(value);
      return fail('something other than bytes');
  }
}

/** Sorts object keys, so that the same JSON value has one spelling whatever order it was stored in. */
function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalJson((value as Record<string, unknown>)[key])]),
    );
  return value;
}

/**
 * One row as both sides must agree on it: values in column order, integers as decimal strings (exact beyond 2^53),
 * flags as booleans, JSON parsed with sorted keys. SQLite gives 0/1 and JSON text; PostgreSQL gives booleans,
 * numbers and JSON text too (`postgres/connection.ts`), so each side normalises what its driver returns.
 */
function canonicalRow(table: CopiedTable, row: SourceRow, side: 'sqlite' | 'postgres'): string {
  return JSON.stringify(
    table.columns.map(({ name, kind }) => {
      const value = row[name];
      if (value === null || value === undefined) return null;
      switch (kind) {
        case 'flag':
          return side === 'sqlite' ? value === 1n : value;
        case 'integer':
          return String(value);
        case 'json':
          return canonicalJson(JSON.parse(String(value)));
        case 'bytes':
          return Buffer.from(value as Uint8Array).toString('base64');
        default:
          return value;
      }
    }),
  );
}

function sourceChecksum(db: ParleyDb, table: CopiedTable): { rows: number; checksum: string } {
  const hash = createHash('sha256');
  let rows = 0;
  const statement = sqliteOf(db)
    .prepare(`SELECT * FROM ${quote(table.name)} ORDER BY ${table.key.map(quote).join(', ')}`)
    .safeIntegers(true);
  for (const row of statement.iterate() as Iterable<SourceRow>) {
    hash.update(`${canonicalRow(table, row, 'sqlite')}\n`);
    rows++;
  }
  return { rows, checksum: hash.digest('hex') };
}

/**
 * Read through a cursor in the same order as SQLite reads: text keys compared byte by byte (`COLLATE "C"`, which is
 * SQLite's BINARY order for UTF-8), whatever the database's own collation.
 */
async function targetChecksum(
  client: pg.PoolClient,
  table: CopiedTable,
  batchSize: number,
): Promise<{ rows: number; checksum: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  const order = table.key
    .map((k) => {
      const text = table.columns.find((c) => c.name === k)?.kind === 'text';
      return text ? `${quote(k)} COLLATE "C"` : quote(k);
    })
    .join(', ');
  const columns = table.columns.map((c) => quote(c.name)).join(', ');
  await client.query(
    `DECLARE parley_verify NO SCROLL CURSOR FOR SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${order}`,
  );
  try {
    for (;;) {
      const { rows: batch } = await client.query<SourceRow>(`FETCH ${batchSize} FROM parley_verify`);
      for (const row of batch) hash.update(`${canonicalRow(table, row, 'postgres')}\n`);
      rows += batch.length;
      if (batch.length < batchSize) break;
    }
  } finally {
    await client.query('CLOSE parley_verify');
  }
  return { rows, checksum: hash.digest('hex') };
}

/**
 * The source must have exactly the schema's columns, as the migrated target does: a file from an older version is
 * migrated first (starting the server, or `migrate`, does it), not copied with columns missing.
 */
function assertSourceSchema(db: ParleyDb, tables: readonly CopiedTable[]): void {
  const differing = tables.filter((table) => {
    const columns = (
      sqliteOf(db)
        .prepare(`PRAGMA table_info(${quote(table.name)})`)
        .all() as Array<{ name: string }>
    )
      .map((c) => c.name)
      .sort();
    return (
      columns.join() !==
      table.columns
        .map((c) => c.name)
        .sort()
        .join()
    );
  });
  if (differing.length > 0)
    throw new StoreCopyError(
      'SOURCE_SCHEMA_MISMATCH',
      `the SQLite database's tables ${differing.map((t) => t.name).join(', ')} do not have this version's columns; migrate it first`,
      differing.map((t) => t.name),
    );
}

/** The Parley tables of the target that hold rows. */
async function tablesWithRows(client: pg.PoolClient, tables: readonly CopiedTable[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of tables) {
    const { rows } = await client.query(`SELECT 1 FROM ${quote(table.name)} LIMIT 1`);
    if (rows.length > 0) found.push(table.name);
  }
  return found;
}

async function copyTable(
  db: ParleyDb,
  client: pg.PoolClient,
  table: CopiedTable,
  options: { batchSize: number; onProgress: (progress: CopyProgress) => void },
): Promise<void> {
  const sqlite = sqliteOf(db);
  const name = quote(table.name);
  const keyList = table.key.map(quote).join(', ');
  const total = Number((sqlite.prepare(`SELECT count(*) AS n FROM ${name}`).get() as { n: number }).n);
  const perBatch = Math.max(
    1,
    Math.min(rowsPerBatch(table, options.batchSize), Math.floor(MAX_PARAMETERS / table.columns.length)),
  );
  const first = sqlite.prepare(`SELECT * FROM ${name} ORDER BY ${keyList} LIMIT ?`).safeIntegers(true);
  const next = sqlite
    .prepare(
      `SELECT * FROM ${name} WHERE (${keyList}) > (${table.key.map(() => '?').join(', ')}) ORDER BY ${keyList} LIMIT ?`,
    )
    .safeIntegers(true);
  const columns = table.columns.map((c) => quote(c.name)).join(', ');
  let copied = 0;
  let last: SourceRow | undefined;
  options.onProgress({ step: 'copying', table: table.name, copied, total });
  for (;;) {
    const batch = (
      last ? next.all(...table.key.map((k) => last?.[k]), perBatch) : first.all(perBatch)
    ) as SourceRow[];
    if (batch.length === 0) break;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = table.columns.map((column) => {
        values.push(toPostgres(table, column, row));
        return `$${values.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    try {
      await client.query(
        `INSERT INTO ${name} (${columns}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`,
        values,
      );
    } catch (error) {
      throw new StoreCopyError(
        'TARGET_REFUSED_ROWS',
        `PostgreSQL refused rows of ${table.name}: ${error instanceof Error ? error.message : String(error)}`,
        [table.name],
      );
    }
    copied += batch.length;
    last = batch[batch.length - 1];
    options.onProgress({ step: 'copying', table: table.name, copied, total });
  }
}

/**
 * Identity columns (`audit_log.id`, `access_log.id`) were given explicit ids: their sequences continue after the
 * highest, or after SQLite's AUTOINCREMENT counter where that is higher (rows deleted at the end), so that no id is
 * ever handed out twice.
 */
async function resetIdentities(
  db: ParleyDb,
  client: pg.PoolClient,
  tables: readonly CopiedTable[],
): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES' AND table_name = ANY($1)`,
    [tables.map((t) => t.name)],
  );
  const hasSequences = sqliteOf(db)
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`)
    .get();
  for (const { table_name: table, column_name: column } of rows) {
    const counter = hasSequences
      ? ((
          sqliteOf(db).prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as
            | { seq: number }
            | undefined
        )?.seq ?? 0)
      : 0;
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), greatest(coalesce(max(${quote(column)}), 0), $3::bigint, 1),
         greatest(coalesce(max(${quote(column)}), 0), $3::bigint) > 0)
       FROM ${quote(table)}`,
      [quote(table), column, counter],
    );
  }
}

/**
 * Copies every table of the SQLite installation `from` into the PostgreSQL database `to` and verifies each one.
 * Migrates the target first; refuses (`StoreCopyError` `TARGET_NOT_EMPTY`) when any Parley table there has rows.
 */
export async function copyStore(options: CopyStoreOptions): Promise<CopyReport> {
  const { from, to } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  const onProgress = options.onProgress ?? (() => {});
  const target = openPostgres(to, { poolSize: 1 });
  try {
    await migratePostgres(target, options.migrations);
    const client = await target.pool.connect();
    try {
      return await transaction(from, async () => {
        const order = childTablesFirst(schemaTables.map((t) => t.name)).reverse();
        const tables = order.map((name) => schemaTables.find((t) => t.name === name)!);
        assertSourceSchema(from, tables);
        await client.query('BEGIN');
        try {
          // Two copies started at once into one database: the second waits here, then finds rows and stops.
          await client.query(
            `LOCK TABLE ${tables.map((t) => quote(t.name)).join(', ')} IN SHARE ROW EXCLUSIVE MODE`,
          );
          const occupied = await tablesWithRows(client, tables);
          if (occupied.length > 0)
            throw new StoreCopyError(
              'TARGET_NOT_EMPTY',
              `the target database already holds Parley data (rows in ${occupied.join(', ')}); copy only into an empty database, such as one just made with CREATE DATABASE`,
              occupied,
            );
          for (const table of tables) await copyTable(from, client, table, { batchSize, onProgress });
          await resetIdentities(from, client, tables);
          const reports: CopiedTableReport[] = [];
          for (const table of tables) {
            const source = sourceChecksum(from, table);
            const copied = await targetChecksum(client, table, rowsPerBatch(table, batchSize));
            if (copied.rows !== source.rows || copied.checksum !== source.checksum)
              throw new StoreCopyError(
                'VERIFICATION_FAILED',
                `${table.name} differs after copying: ${source.rows} rows with checksum ${source.checksum} in SQLite, ${copied.rows} rows with checksum ${copied.checksum} in PostgreSQL; nothing was committed`,
                [table.name],
              );
            const report = { table: table.name, ...source };
            reports.push(report);
            onProgress({ step: 'verified', ...report });
          }
          await client.query('COMMIT');
          return { tables: reports, rows: reports.reduce((sum, t) => sum + t.rows, 0) };
        } catch (error) {
          // A lost connection rolls back by itself; its error must not hide why the copy stopped.
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    } finally {
      client.release();
    }
  } finally {
    await target.close();
  }
}
