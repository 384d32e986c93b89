import { is } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParleyDb, sqliteOf } from './connection.ts';
import * as postgresSchema from './postgres/schema.ts';
import { POSTGRES_ONLY_COLUMNS } from './postgres/schema.ts';
import * as sqliteSchema from './schema.ts';
import { SEARCH_STRUCTURES } from './search/search-index.ts';
import { createTestDatabase } from './testing/index.ts';
import { createTestPostgres } from './testing/postgres.ts';
import { postgresSchemaShape, type SchemaShape, sqliteSchemaShape } from './testing/schema-shape.ts';

/** What drizzle's SQLite schema makes of each column (a flag or JSON is stored as an integer or text there). */
const sqliteDataTypes = new Map(
  Object.values(sqliteSchema)
    .filter((t) => is(t, SQLiteTable))
    .flatMap((t) => {
      const { name, columns } = getTableConfig(t);
      return columns.map((c) => [`${name}.${c.name}`, c.dataType] as const);
    }),
);

/** Drizzle straight over a SQLite store's driver: these tests compare what each engine's driver gives. */
const sqliteOrm = (db: ParleyDb) => drizzle(sqliteOf(db), { schema: sqliteSchema });

/** The PostgreSQL types that hold what a SQLite column holds, as `postgres/schema.ts` explains. */
function postgresTypesFor(table: string, column: string, sqliteType: string): string[] {
  const dataType = sqliteDataTypes.get(`${table}.${column}`);
  if (dataType === 'boolean') return ['boolean'];
  if (dataType === 'json') return ['jsonb'];
  if (sqliteType === 'integer') return ['integer', 'bigint'];
  if (sqliteType === 'text') return ['text'];
  if (sqliteType === 'blob') return ['bytea'];
  throw new Error(`${table}.${column}: no PostgreSQL equivalent of SQLite's ${sqliteType}`);
}

let sqlite: SchemaShape;
let postgres: SchemaShape;
/** PostgreSQL's shape with its columns of its own (`POSTGRES_ONLY_COLUMNS`) and its search indexes. */
let postgresWhole: SchemaShape;
/** SQLite's shape with its search tables. */
let sqliteWhole: SchemaShape;
let sqliteDb: ParleyDb;
let postgresDb: Awaited<ReturnType<typeof createTestPostgres>>;
/** How PostgreSQL stores each `bytea` column (`attstorage`: `e` external, `x` extended, …). */
let byteStorage: Array<{ column: string; storage: string }>;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  sqliteDb = await createTestDatabase({ seed: false });
  cleanups.push(() => void sqliteOf(sqliteDb).close());
  sqliteWhole = sqliteSchemaShape(sqliteOf(sqliteDb));
  sqlite = withoutSearchStructures(sqliteWhole);
  postgresDb = await createTestPostgres();
  cleanups.push(postgresDb.close);
  postgresWhole = await postgresSchemaShape(postgresDb.pool);
  postgres = withoutSearchStructures(withoutPostgresOnlyColumns(postgresWhole));
  byteStorage = (
    await postgresDb.pool.query<{ column: string; storage: string }>(
      `SELECT c.relname || '.' || a.attname AS column, a.attstorage AS storage
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.atttypid = 'bytea'::regtype AND NOT a.attisdropped
       ORDER BY 1`,
    )
  ).rows;
});

const SEARCH_TABLES: readonly string[] = Object.keys(SEARCH_STRUCTURES.sqlite.tables);
const SEARCH_INDEXES: readonly string[] = Object.keys(SEARCH_STRUCTURES.postgres.indexes);

/**
 * The shape to compare with the other engine's: without the structures of the full-text search, which each engine
 * builds its own way and which exist outside the Drizzle schema (`SEARCH_STRUCTURES`): SQLite's FTS5 table and the
 * table numbering its rows, PostgreSQL's GIN indexes on an expression. A test below checks that exactly these are
 * there, as they must be.
 */
function withoutSearchStructures(shape: SchemaShape): SchemaShape {
  const kept = <T extends { table: string }>(list: T[]) =>
    list.filter((x) => !SEARCH_TABLES.includes(x.table));
  return {
    tables: shape.tables.filter((table) => !SEARCH_TABLES.includes(table)),
    columns: kept(shape.columns),
    primaryKeys: Object.fromEntries(
      Object.entries(shape.primaryKeys).filter(([table]) => !SEARCH_TABLES.includes(table)),
    ),
    indexes: kept(shape.indexes).filter((index) => !SEARCH_INDEXES.includes(index.name)),
    foreignKeys: kept(shape.foreignKeys),
    checks: kept(shape.checks),
  };
}

/**
 * The shape to compare with SQLite's: without the columns PostgreSQL needs for what SQLite keeps without a column
 * (`POSTGRES_ONLY_COLUMNS`: the order messages were written in, which is SQLite's rowid). The first test checks that
 * exactly these are there, as the columns they must be.
 */
function withoutPostgresOnlyColumns(shape: SchemaShape): SchemaShape {
  return {
    ...shape,
    columns: shape.columns.filter((c) => !POSTGRES_ONLY_COLUMNS.includes(`${c.table}.${c.column}`)),
  };
}
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('the SQLite and PostgreSQL migrations build the same schema', () => {
  it('adds on PostgreSQL only the write order of messages, which SQLite keeps as the rowid', () => {
    const own = postgresWhole.columns.filter((c) => POSTGRES_ONLY_COLUMNS.includes(`${c.table}.${c.column}`));
    expect(own).toEqual([
      { table: 'messages', column: 'write_order', type: 'bigint', notNull: true, hasDefault: true },
    ]);
  });

  it('builds the search its own way: on SQLite an FTS5 table that triggers keep, on PostgreSQL GIN indexes', async () => {
    // SQLite: exactly the declared tables and columns besides the shared schema.
    expect(sqliteWhole.tables.filter((t) => !sqlite.tables.includes(t))).toEqual([...SEARCH_TABLES].sort());
    const declared = Object.entries(SEARCH_STRUCTURES.sqlite.tables).flatMap(([table, columns]) =>
      Object.keys(columns).map((column) => `${table}.${column}`),
    );
    expect(
      sqliteWhole.columns.filter((c) => SEARCH_TABLES.includes(c.table)).map((c) => `${c.table}.${c.column}`),
    ).toEqual(declared.sort());
    const s = sqliteOf(sqliteDb);
    const fts = s.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_index'").get() as {
      sql: string;
    };
    expect(fts.sql).toMatch(/USING fts5\(`body`, content='', tokenize='unicode61 remove_diacritics 2'\)/);
    expect(s.prepare("SELECT v FROM search_index_config WHERE k = 'secure-delete'").get()).toEqual({ v: 1 });
    const triggers = s.prepare(
      'SELECT name, tbl_name AS "on" FROM sqlite_master WHERE type = \'trigger\' ORDER BY name',
    );
    expect(triggers.all()).toEqual(
      ['messages', 'notes'].flatMap((on) =>
        ['delete', 'insert', 'update'].map((what) => ({ name: `${on}_search_${what}`, on })),
      ),
    );
    // PostgreSQL: exactly the declared indexes besides the shared schema, GIN over the text's search vector.
    expect(
      postgresWhole.indexes.filter((i) => SEARCH_INDEXES.includes(i.name)).map((i) => [i.name, i.table]),
    ).toEqual(Object.entries(SEARCH_STRUCTURES.postgres.indexes));
    const definitions = await postgresDb.pool.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'public'
       AND indexname = ANY($1) ORDER BY indexname`,
      [SEARCH_INDEXES],
    );
    expect(definitions.rows).toEqual(
      Object.entries(SEARCH_STRUCTURES.postgres.indexes).map(([name, table]) => ({
        name,
        definition: `CREATE INDEX ${name} ON public.${table} USING gin (search_vector(body))`,
      })),
    );
  });

  it('has the same tables', () => {
    expect(sqlite.tables.length).toBeGreaterThan(0);
    expect(postgres.tables).toEqual(sqlite.tables);
  });

  it('has the same columns, nullability and defaults', () => {
    const plain = (s: SchemaShape) => s.columns.map(({ type: _type, ...rest }) => rest);
    expect(plain(postgres)).toEqual(plain(sqlite));
  });

  it('gives every column an equivalent type', () => {
    const mismatched = postgres.columns.flatMap((c) => {
      const fromSqlite = sqlite.columns.find((s) => s.table === c.table && s.column === c.column);
      const allowed = fromSqlite ? postgresTypesFor(c.table, c.column, fromSqlite.type) : [];
      return allowed.includes(c.type)
        ? []
        : [`${c.table}.${c.column}: ${c.type}, not ${allowed.join(' or ')}`];
    });
    expect(mismatched).toEqual([]);
  });

  it('keeps bytes uncompressed and out of line, as they were written, so that residue searches find them', () => {
    expect(byteStorage).toEqual([
      { column: 'files.bytes', storage: 'e' },
      { column: 'files.thumbnail', storage: 'e' },
    ]);
  });

  it('keeps times as 64-bit milliseconds, which an integer column would overflow', () => {
    const times = postgres.columns.filter((c) => /(^at|_at|^window_start)$/.test(c.column));
    expect(times.length).toBeGreaterThan(20);
    expect(times.filter((c) => c.type !== 'bigint').map((c) => `${c.table}.${c.column}`)).toEqual([]);
  });

  it('has the same primary keys', () => {
    expect(postgres.primaryKeys).toEqual(sqlite.primaryKeys);
  });

  it('has the same indexes and unique constraints, by name, uniqueness and columns in order', () => {
    expect(postgres.indexes).toEqual(sqlite.indexes);
  });

  it('has the same foreign keys, with the same action on delete', () => {
    expect(postgres.foreignKeys).toEqual(sqlite.foreignKeys);
  });

  it('has the same CHECK constraints', () => {
    expect(postgres.checks).toEqual(sqlite.checks);
  });
});

describe('drizzle reads and writes the same values on both backends', () => {
  /** Rows that use a flag, JSON, a time past 2038 in milliseconds and a generated key. */
  const account = {
    id: 'acc_values',
    publicKey: 'pk_values',
    organization: 'Values Ltd',
    region: 'DE',
    preChatForm: true,
    createdAt: Date.UTC(2040, 0, 1),
  };
  const disclosure = {
    id: 'dsc_values',
    requester: 'A court',
    legalBasis: 'Order 1',
    categories: ['chat_transcripts', 'contact'],
    accountId: 'acc_values',
    receivedAt: Date.UTC(2040, 0, 2),
    status: 'received' as const,
  };
  const audit = {
    actorKind: 'system' as const,
    action: 'values.checked',
    detail: { rows: 2, nested: { ok: true } },
  };

  it('a flag, JSON, a 64-bit time and a generated key come back as the same JavaScript values', async () => {
    const sqliteDb = await createTestDatabase({ seed: false });
    try {
      const orm = sqliteOrm(sqliteDb);
      await orm.insert(sqliteSchema.accounts).values(account);
      await orm.insert(sqliteSchema.disclosures).values(disclosure);
      await orm.insert(sqliteSchema.auditLog).values({ ...audit, createdAt: account.createdAt });
      await orm.insert(sqliteSchema.auditLog).values({ ...audit, createdAt: account.createdAt });
      const postgresDb = await createTestPostgres({ poolSize: 1 });
      try {
        const pgOrm = postgresDb.orm;
        await pgOrm.insert(postgresSchema.accounts).values(account);
        await pgOrm.insert(postgresSchema.disclosures).values(disclosure);
        await pgOrm.insert(postgresSchema.auditLog).values({ ...audit, createdAt: account.createdAt });
        await pgOrm.insert(postgresSchema.auditLog).values({ ...audit, createdAt: account.createdAt });

        const fromSqlite = {
          accounts: await orm.select().from(sqliteSchema.accounts),
          disclosures: await orm.select().from(sqliteSchema.disclosures),
          audit: await orm.select().from(sqliteSchema.auditLog).orderBy(sqliteSchema.auditLog.id),
        };
        const fromPostgres = {
          accounts: await pgOrm.select().from(postgresSchema.accounts),
          disclosures: await pgOrm.select().from(postgresSchema.disclosures),
          audit: await pgOrm.select().from(postgresSchema.auditLog).orderBy(postgresSchema.auditLog.id),
        };
        expect(fromSqlite.accounts[0]).toMatchObject(account);
        expect(fromSqlite.disclosures[0]).toMatchObject(disclosure);
        expect(fromSqlite.audit.map((a) => a.id)).toEqual([1, 2]);
        expect(fromPostgres).toEqual(fromSqlite);
      } finally {
        await postgresDb.close();
      }
    } finally {
      sqliteOf(sqliteDb).close();
    }
  });

  it('SQL that tests a flag as a bare predicate or against TRUE and FALSE means the same on both', async () => {
    const queries = [
      'SELECT count(*) AS n FROM accounts WHERE pre_chat_form',
      'SELECT count(*) AS n FROM accounts WHERE NOT pre_chat_form',
      'SELECT count(*) AS n FROM accounts WHERE pre_chat_form = TRUE',
      'SELECT count(*) AS n FROM accounts WHERE pre_chat_form = FALSE',
    ];
    const rows = [
      { ...account, id: 'acc_on', publicKey: 'pk_on', preChatForm: true },
      { ...account, id: 'acc_off', publicKey: 'pk_off', preChatForm: false },
      { ...account, id: 'acc_off2', publicKey: 'pk_off2', preChatForm: false },
    ];
    const sqliteDb = await createTestDatabase({ seed: false });
    const postgresDb = await createTestPostgres({ poolSize: 1 });
    try {
      await sqliteOrm(sqliteDb).insert(sqliteSchema.accounts).values(rows);
      await postgresDb.orm.insert(postgresSchema.accounts).values(rows);
      const onSqlite = queries.map((q) => Number((sqliteOf(sqliteDb).prepare(q).get() as { n: number }).n));
      const onPostgres = [];
      for (const q of queries)
        onPostgres.push(Number((await postgresDb.pool.query<{ n: string }>(q)).rows[0]?.n));
      expect(onSqlite).toEqual([1, 2, 1, 2]);
      expect(onPostgres).toEqual(onSqlite);
    } finally {
      sqliteOf(sqliteDb).close();
      await postgresDb.close();
    }
  });
});
