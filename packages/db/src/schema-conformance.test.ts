import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sqliteSchema from './schema.ts';
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

/** The PostgreSQL types that hold what a SQLite column holds, as `postgres/schema.ts` explains. */
function postgresTypesFor(table: string, column: string, sqliteType: string): string[] {
  const dataType = sqliteDataTypes.get(`${table}.${column}`);
  if (dataType === 'boolean') return ['boolean'];
  if (dataType === 'json') return ['jsonb'];
  if (sqliteType === 'integer') return ['integer', 'bigint'];
  if (sqliteType === 'text') return ['text'];
  throw new Error(`${table}.${column}: no PostgreSQL equivalent of SQLite's ${sqliteType}`);
}

let sqlite: SchemaShape;
let postgres: SchemaShape;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  const sqliteDb = await createTestDatabase({ seed: false });
  cleanups.push(() => void sqliteDb.sqlite.close());
  sqlite = sqliteSchemaShape(sqliteDb.sqlite);
  const postgresDb = await createTestPostgres();
  cleanups.push(postgresDb.close);
  postgres = await postgresSchemaShape(postgresDb.pool);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('the SQLite and PostgreSQL migrations build the same schema', () => {
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
