import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from './schema.ts';

/**
 * What the sweep and erasure need to know of a table, read from the schema rather than from the database's own
 * catalogue (`PRAGMA table_info` on SQLite, `information_schema` on PostgreSQL): both dialects' schemas declare the
 * same tables, which `schema-conformance.test.ts` checks against the migrated databases.
 */
export interface TableShape {
  /** The primary key's columns, in the key's order. */
  key: string[];
  /** Columns declared NOT NULL. */
  notNull: Set<string>;
  /** Tables this table's foreign keys point to. */
  references: string[];
}

function shapeOf(table: SQLiteTable): [string, TableShape] {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0];
  const key = composite
    ? composite.columns.map((c) => c.name)
    : config.columns.filter((c) => c.primary).map((c) => c.name);
  return [
    config.name,
    {
      key,
      notNull: new Set(config.columns.filter((c) => c.notNull).map((c) => c.name)),
      references: [
        ...new Set(config.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name)),
      ],
    },
  ];
}

const shapes = new Map(
  (Object.values(schema) as unknown[])
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .map(shapeOf),
);

/** The shape of the table named `table` in SQL; a name the schema does not declare is an error. */
export function tableShape(table: string): TableShape {
  const shape = shapes.get(table);
  if (!shape) throw new Error(`no table named "${table}" in the schema`);
  return shape;
}
