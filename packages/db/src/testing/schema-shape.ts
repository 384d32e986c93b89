import type Database from 'better-sqlite3';
import type pg from 'pg';

/** A column as a migrated database declares it, with its type as that database names it. */
export interface ColumnShape {
  table: string;
  column: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

export interface IndexShape {
  table: string;
  name: string;
  unique: boolean;
  columns: string[];
}

export interface ForeignKeyShape {
  table: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
}

/**
 * What a migrated database holds, read from its own catalog, in one form for both backends so that tests can
 * compare them and check each against the classification. Indexes include those behind UNIQUE constraints, but not
 * those behind primary keys; names are sorted so that two databases compare equal when they hold the same things.
 */
export interface SchemaShape {
  tables: string[];
  columns: ColumnShape[];
  primaryKeys: Record<string, string[]>;
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
  checks: Array<{ table: string; name: string }>;
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));
const sortShape = (shape: SchemaShape): SchemaShape => ({
  tables: [...shape.tables].sort(),
  columns: [...shape.columns].sort(byKey((c) => `${c.table}.${c.column}`)),
  primaryKeys: Object.fromEntries(Object.entries(shape.primaryKeys).sort(byKey(([t]) => t))),
  indexes: [...shape.indexes].sort(byKey((i) => `${i.table}.${i.name}`)),
  foreignKeys: [...shape.foreignKeys].sort(byKey((f) => `${f.table}.${f.columns.join()}`)),
  checks: [...shape.checks].sort(byKey((c) => `${c.table}.${c.name}`)),
});

/**
 * The tables of a migrated SQLite database, without SQLite's own and drizzle's migration journal. A virtual table
 * (the search's FTS5 table) is read as the table it presents; its shadow tables, where it keeps its data in a form
 * of its own, are left out with it.
 */
export function sqliteSchemaShape(sqlite: Database.Database): SchemaShape {
  const all = <T>(query: string) => sqlite.prepare(query).all() as T[];
  const shadows = new Set(
    all<{ name: string; type: string }>("SELECT name, type FROM pragma_table_list WHERE schema = 'main'")
      .filter((t) => t.type === 'shadow')
      .map((t) => t.name),
  );
  const tables = all<{ name: string; sql: string }>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'",
  ).filter((t) => !shadows.has(t.name));
  const shape: SchemaShape = {
    tables: [],
    columns: [],
    primaryKeys: {},
    indexes: [],
    foreignKeys: [],
    checks: [],
  };
  for (const { name: table, sql } of tables) {
    shape.tables.push(table);
    const columns = all<{ name: string; type: string; notnull: number; dflt_value: unknown; pk: number }>(
      `PRAGMA table_info("${table}")`,
    );
    // An INTEGER PRIMARY KEY alone is the rowid: SQLite numbers it, as an identity column does in PostgreSQL.
    const rowid =
      columns.filter((c) => c.pk > 0).length === 1
        ? columns.find((c) => c.pk === 1 && c.type === 'INTEGER')
        : undefined;
    for (const c of columns)
      shape.columns.push({
        table,
        column: c.name,
        type: c.type.toLowerCase(),
        // SQLite does not mark a primary key NOT NULL unless it says so; PostgreSQL always does.
        notNull: c.notnull === 1 || c.pk > 0,
        hasDefault: c.dflt_value !== null || c === rowid,
      });
    shape.primaryKeys[table] = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    for (const index of all<{ name: string; unique: number; origin: string }>(
      `PRAGMA index_list("${table}")`,
    )) {
      if (index.origin === 'pk') continue;
      const columns = all<{ seqno: number; name: string }>(`PRAGMA index_info("${index.name}")`)
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => c.name);
      shape.indexes.push({ table, name: index.name, unique: index.unique === 1, columns });
    }
    const keys = all<{ id: number; seq: number; table: string; from: string; to: string; on_delete: string }>(
      `PRAGMA foreign_key_list("${table}")`,
    );
    for (const id of new Set(keys.map((k) => k.id))) {
      const parts = keys.filter((k) => k.id === id).sort((a, b) => a.seq - b.seq);
      shape.foreignKeys.push({
        table,
        columns: parts.map((k) => k.from),
        references: parts[0]?.table ?? '',
        referencedColumns: parts.map((k) => k.to),
        onDelete: parts[0]?.on_delete.toLowerCase() ?? '',
      });
    }
    // SQLite keeps no catalog of CHECK constraints: their names are in the table's own SQL.
    for (const [, name] of sql.matchAll(/CONSTRAINT\s+"([^"]+)"\s+CHECK/gi))
      if (name) shape.checks.push({ table, name });
  }
  return sortShape(shape);
}

const ON_DELETE: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

/** The tables of a migrated PostgreSQL database's `public` schema (drizzle's journal lives in its own schema). */
export async function postgresSchemaShape(pool: pg.Pool | pg.Client): Promise<SchemaShape> {
  const rows = async <T extends pg.QueryResultRow>(query: string) => (await pool.query<T>(query)).rows;
  const tables = await rows<{ table: string }>(
    `SELECT table_name AS table FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const columns = await rows<{
    table: string;
    column: string;
    type: string;
    nullable: string;
    dflt: string | null;
    identity: string;
  }>(
    `SELECT table_name AS table, column_name AS column, data_type AS type, is_nullable AS nullable,
            column_default AS dflt, is_identity AS identity
       FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  // Every index of a table, with its columns in key order; constraints' own indexes carry the constraint's name.
  const indexes = await rows<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
  }>(
    `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
            array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
       FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = 'public'`,
  );
  const constraints = await rows<{
    table: string;
    name: string;
    type: string;
    references: string | null;
    columns: string[];
    referencedColumns: string[];
    onDelete: string;
  }>(
    `SELECT t.relname AS table, c.conname AS name, c.contype AS type, r.relname AS references, c.confdeltype AS "onDelete",
            array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns,
            array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n)::text[]
              AS "referencedColumns"
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = 'public' AND c.contype IN ('f', 'c')`,
  );
  return sortShape({
    tables: tables.map((t) => t.table),
    columns: columns.map((c) => ({
      table: c.table,
      column: c.column,
      type: c.type,
      notNull: c.nullable === 'NO',
      hasDefault: c.dflt !== null || c.identity === 'YES',
    })),
    primaryKeys: Object.fromEntries(
      tables.map(({ table }) => [table, indexes.find((i) => i.table === table && i.primary)?.columns ?? []]),
    ),
    indexes: indexes
      .filter((i) => !i.primary)
      .map(({ table, name, unique, columns }) => ({ table, name, unique, columns })),
    foreignKeys: constraints
      .filter((c) => c.type === 'f')
      .map((c) => ({
        table: c.table,
        columns: c.columns,
        references: c.references ?? '',
        referencedColumns: c.referencedColumns,
        onDelete: ON_DELETE[c.onDelete] ?? c.onDelete,
      })),
    checks: constraints.filter((c) => c.type === 'c').map(({ table, name }) => ({ table, name })),
  });
}
