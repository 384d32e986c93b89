import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteOf } from './connection.ts';
import { SEARCH_STRUCTURES } from './search/search-index.ts';
import { tableShape } from './table-shape.ts';
import { createTestDatabase } from './testing/index.ts';
import { type SchemaShape, sqliteSchemaShape } from './testing/schema-shape.ts';

// The sweep pages by `key`, keeps rows whose NOT NULL data has not expired and orders tables by `references`:
// read from the schema, they must be what the migrated database enforces (the PostgreSQL database's shape is
// compared with SQLite's in schema-conformance.test.ts).
let migrated: SchemaShape;
let close: () => void;

beforeAll(async () => {
  const db = await createTestDatabase({ seed: false });
  close = () => sqliteOf(db).close();
  migrated = sqliteSchemaShape(sqliteOf(db));
});
afterAll(() => close());

describe('tableShape', () => {
  it('gives every migrated table its primary key, NOT NULL columns and referenced tables', () => {
    expect(migrated.tables.length).toBeGreaterThan(0);
    // The search's tables are the database's own, kept by triggers and outside the schema the sweep walks.
    const search: readonly string[] = Object.keys(SEARCH_STRUCTURES.sqlite.tables);
    for (const table of migrated.tables.filter((name) => !search.includes(name))) {
      const shape = tableShape(table);
      expect({ table, key: shape.key }).toEqual({ table, key: migrated.primaryKeys[table] });
      expect({ table, notNull: [...shape.notNull].sort() }).toEqual({
        table,
        notNull: migrated.columns
          .filter((c) => c.table === table && c.notNull)
          .map((c) => c.column)
          .sort(),
      });
      expect({ table, references: [...shape.references].sort() }).toEqual({
        table,
        references: [
          ...new Set(migrated.foreignKeys.filter((f) => f.table === table).map((f) => f.references)),
        ].sort(),
      });
    }
  });

  it('refuses a table the schema does not declare', () => {
    expect(() => tableShape('no_such_table')).toThrow('no table named "no_such_table" in the schema');
  });
});
