import { contentInForce, durationSeconds, isFidesUse, parleyPolicy } from '@parley/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classification } from './classification.ts';
import { columnRetention } from './column-retention.ts';
import { sqliteOf } from './connection.ts';
import { POSTGRES_ONLY_COLUMNS } from './postgres/schema.ts';
import { SEARCH_SOURCES, SEARCH_STRUCTURES } from './search/search-index.ts';
import { createTestDatabase } from './testing/index.ts';
import { createTestPostgres } from './testing/postgres.ts';
import { postgresSchemaShape, type SchemaShape, sqliteSchemaShape } from './testing/schema-shape.ts';

const policy = contentInForce(parleyPolicy);

/** A card as the processor hands it over, in column names; each case below overrides one column. */
const card = {
  account_id: 'acc_globex',
  processor_token: 'tok_x',
  brand: 'visa',
  last4: '4242',
  exp_month: 1,
  exp_year: 2030,
  updated_at: 0,
};
type Card = typeof card;

/**
 * Each backend's migrated schema, and a way to insert a card into a database that holds the fixture's account. The
 * classification is one for both, so both are checked against it.
 */
interface Backend {
  name: string;
  schema(): Promise<{ shape: SchemaShape; close(): Promise<void> | void }>;
  insertCard(values: Card): Promise<void>;
  refusal: RegExp;
  /** Classified columns this backend keeps without a column (SQLite's rowid is PostgreSQL's `write_order`). */
  withoutColumn: readonly string[];
  /** The tables of the full-text search this backend has, classified in `SEARCH_STRUCTURES` (SQLite's). */
  searchTables: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async schema() {
      const db = await createTestDatabase({ seed: false });
      return { shape: sqliteSchemaShape(sqliteOf(db)), close: () => void sqliteOf(db).close() };
    },
    async insertCard(values) {
      const seeded = await createTestDatabase();
      try {
        sqliteOf(seeded)
          .prepare(
            'INSERT INTO payment_cards (account_id, processor_token, brand, last4, exp_month, exp_year, updated_at) VALUES (@account_id, @processor_token, @brand, @last4, @exp_month, @exp_year, @updated_at)',
          )
          .run(values);
      } finally {
        sqliteOf(seeded).close();
      }
    },
    refusal: /CHECK constraint failed/,
    withoutColumn: POSTGRES_ONLY_COLUMNS,
    searchTables: SEARCH_STRUCTURES.sqlite.tables,
  },
  {
    name: 'PostgreSQL',
    async schema() {
      const db = await createTestPostgres();
      return { shape: await postgresSchemaShape(db.pool), close: db.close };
    },
    async insertCard(values) {
      const db = await createTestPostgres({ poolSize: 1 });
      try {
        await db.pool.query(
          `INSERT INTO accounts (id, public_key, organization, region, created_at) VALUES ($1, 'pk_globex', 'Globex', 'DE', 0)`,
          [values.account_id],
        );
        await db.pool.query(
          'INSERT INTO payment_cards (account_id, processor_token, brand, last4, exp_month, exp_year, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [
            values.account_id,
            values.processor_token,
            values.brand,
            values.last4,
            values.exp_month,
            values.exp_year,
            values.updated_at,
          ],
        );
      } finally {
        await db.close();
      }
    },
    refusal: /violates check constraint/,
    withoutColumn: [],
    // Its search is GIN indexes on an expression: no column of their own.
    searchTables: {},
  },
];

describe.each(backends)('$name', (backend) => {
  let columns: SchemaShape['columns'];
  let foreignKeys: SchemaShape['foreignKeys'];
  let close: () => Promise<void> | void = () => {};

  beforeAll(async () => {
    const schema = await backend.schema();
    ({ columns, foreignKeys } = schema.shape);
    close = schema.close;
  });
  afterAll(() => close());

  describe('RET-1: every column of the migrated database is classified against the policy', () => {
    it('has no unclassified column', () => {
      const unclassified = columns
        .filter(
          (c) => !classification[c.table]?.columns[c.column] && !backend.searchTables[c.table]?.[c.column],
        )
        .map((c) => `${c.table}.${c.column}`);
      expect(unclassified).toEqual([]);
    });

    it('RET-4: the search index holds copies of personal columns only, kept in step with them by the database', () => {
      for (const source of SEARCH_SOURCES) {
        const [table, column] = source.split('.') as [string, string];
        expect(classification[table]?.columns[column], source).toMatchObject({ kind: 'personal' });
      }
      const declared = Object.entries(backend.searchTables).flatMap(([table, cs]) =>
        Object.keys(cs).map((column) => `${table}.${column}`),
      );
      const present = columns
        .filter((c) => c.table in backend.searchTables)
        .map((c) => `${c.table}.${c.column}`);
      expect(present.sort()).toEqual(declared.sort());
      // None of its tables is one the classification walks: erasure and the sweep reach it through its sources.
      expect(Object.keys(backend.searchTables).filter((table) => table in classification)).toEqual([]);
    });

    it('RET-4: names the files a table copies its rows to by an id column, so erasure and retention find them', () => {
      for (const [table, t] of Object.entries(classification))
        if (t.files)
          expect(
            columns.some((c) => c.table === table && c.column === 'id' && c.notNull),
            table,
          ).toBe(true);
    });

    it('classifies no column that does not exist', () => {
      const real = new Set(columns.map((c) => `${c.table}.${c.column}`));
      const ghosts = Object.entries(classification)
        .flatMap(([table, t]) => Object.keys(t.columns).map((c) => `${table}.${c}`))
        .filter((k) => !real.has(k) && !backend.withoutColumn.includes(k));
      expect(ghosts).toEqual([]);
    });

    it('routes a link only through a foreign key to a table that holds the same link', () => {
      for (const [table, t] of Object.entries(classification)) {
        for (const [column, c] of Object.entries(t.columns)) {
          if (c.kind !== 'link' || !c.via) continue;
          const where = `${table}.${column} via ${c.via.table}`;
          const parentLink = classification[c.via.table]?.columns[column];
          expect(parentLink, where).toMatchObject({ kind: 'link', subject: c.subject });
          expect(foreignKeys, where).toContainEqual(
            expect.objectContaining({
              table,
              columns: [c.via.column],
              references: c.via.table,
              referencedColumns: ['id'],
            }),
          );
        }
      }
    });

    it('uses only categories the policy declares as stored, and fideslang data uses', () => {
      const stored = new Set(policy.categories.filter((c) => c.storage === 'stored').map((c) => c.key));
      for (const [table, t] of Object.entries(classification)) {
        for (const [column, c] of Object.entries(t.columns)) {
          expect(isFidesUse(c.use), `${table}.${column} use ${c.use}`).toBe(true);
          if (c.kind === 'personal')
            expect(stored.has(c.category), `${table}.${column}: ${c.category}`).toBe(true);
        }
      }
    });

    it('gives every personal column a retention from the policy, with a clock in its table', () => {
      const problems: string[] = [];
      for (const [table, t] of Object.entries(classification)) {
        for (const [column, c] of Object.entries(t.columns)) {
          if (c.kind !== 'personal') continue;
          try {
            columnRetention(policy, table, column);
          } catch (error) {
            problems.push((error as Error).message);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('has a column for every category the policy says is stored (reverse check)', () => {
      const held = new Set(
        Object.values(classification).flatMap((t) =>
          Object.values(t.columns).flatMap((c) => (c.kind === 'personal' ? [c.category] : [])),
        ),
      );
      const missing = policy.categories
        .filter((c) => c.storage === 'stored' && !held.has(c.key))
        .map((c) => c.key);
      expect(missing).toEqual([]);
    });

    it('KID-1: holds no column for a category the policy says is never stored', () => {
      const never = new Set(policy.categories.filter((c) => c.storage === 'never_stored').map((c) => c.key));
      const held = Object.values(classification).flatMap((t) =>
        Object.values(t.columns).flatMap((c) =>
          c.kind === 'personal' && never.has(c.category) ? [c.category] : [],
        ),
      );
      expect(held).toEqual([]);
    });

    it('RET-3: NOT NULL personal columns share one retention, and no nullable column on that clock outlives them', () => {
      const problems: string[] = [];
      for (const [table, t] of Object.entries(classification)) {
        const expiries = Object.entries(t.columns)
          .filter(([, c]) => c.kind === 'personal')
          .map(([column]) => ({
            column,
            notNull: columns.find((c) => c.table === table && c.column === column)?.notNull ?? false,
            ...columnRetention(policy, table, column),
          }));
        const required = expiries.filter((e) => e.notNull);
        const first = required[0];
        if (!first) continue;
        for (const e of required) {
          if (e.clock !== first.clock || e.retention.keep !== first.retention.keep)
            problems.push(
              `${table}.${e.column} and ${table}.${first.column} are NOT NULL but expire differently`,
            );
        }
        for (const e of expiries) {
          if (
            !e.notNull &&
            e.clock === first.clock &&
            durationSeconds(e.retention.keep) > durationSeconds(first.retention.keep)
          ) {
            problems.push(`${table}.${e.column} outlives the NOT NULL column ${first.column} of its row`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('COL-3: no column can hold a full card number', () => {
    it('has no column named like a card number', () => {
      expect(columns.filter((c) => /(^|_)(pan|card_number|cc_number|number)$/.test(c.column))).toEqual([]);
    });

    it.each([
      ['a sixteen-digit last4', { last4: '4242424242424242' }],
      ['a card number as the token', { processor_token: '4242424242424242' }],
      ['letters in last4', { last4: '42a2' }],
    ])('the database refuses %s', async (_title, override) => {
      await expect(backend.insertCard({ ...card, ...override })).rejects.toThrow(backend.refusal);
    });

    it('the database takes a card that shows only its last four digits', async () => {
      await expect(backend.insertCard(card)).resolves.toBeUndefined();
    });
  });
});
