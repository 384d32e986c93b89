import { type SQL, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { type Dialect, handlesOf, type ParleyDb } from './connection.ts';
import * as postgresSchema from './postgres/schema.ts';
import * as schema from './schema.ts';
import { blockedByTransaction, transaction, transactionOrm, whenFree } from './transaction.ts';

/**
 * The one way this package's modules run a statement, on either engine.
 *
 * A statement is built with drizzle from `o` (the query builder) and `t` (the tables), the way one writes it for
 * SQLite; on PostgreSQL the same code runs with PostgreSQL's builder and tables, which have the same names, fields
 * and JavaScript types (`postgres/schema.ts`, `schema-conformance.test.ts`). Statements are awaited, never run with
 * SQLite's synchronous `.get()`, `.all()` or `.run()`, which PostgreSQL's builder lacks.
 *
 * Each entry point waits while another's SQLite transaction is open and then runs its statement at once, in the
 * same turn of the event loop, so no statement lands inside a transaction it is not part of (`transaction.ts`).
 * Inside `transaction(db, …)` on PostgreSQL, statements run on the transaction's connection.
 */

/** The query builder as modules write statements with it. */
export type Orm = BetterSQLite3Database<typeof schema>;

/** The tables, as `schema.ts` names and types them; on PostgreSQL, `postgres/schema.ts`'s tables of the same names. */
export type Tables = typeof schema;

const postgresTables = postgresSchema as unknown as Tables;

/** A statement drizzle built, not yet run. */
interface Built<R> {
  execute(): Promise<R>;
}

export const dialectOf = (db: ParleyDb): Dialect => db.dialect;

/** The tables of `db`'s engine, for statements built outside `read`/`write` (a subquery, a raw statement's names). */
export const tablesOf = (db: ParleyDb): Tables => (db.dialect === 'postgres' ? postgresTables : schema);

async function builder(db: ParleyDb): Promise<Orm> {
  const found = handlesOf(db);
  if (found.dialect === 'postgres') return transactionOrm(db) ?? (found.connection.orm as unknown as Orm);
  if (blockedByTransaction(db)) await whenFree(db);
  return found.orm;
}

/** Runs a select (or a write with `.returning()`) and returns its rows. */
export async function read<R>(db: ParleyDb, build: (o: Orm, t: Tables) => Built<R[]>): Promise<R[]> {
  const o = await builder(db);
  return build(o, tablesOf(db)).execute();
}

/** The first row `build` returns, or null; add `.limit(1)` when more could match. */
export async function readOne<R>(db: ParleyDb, build: (o: Orm, t: Tables) => Built<R[]>): Promise<R | null> {
  return (await read(db, build))[0] ?? null;
}

/** How many rows a write reported: SQLite says `changes`, node-postgres `rowCount`. */
function changed(result: unknown): number {
  const { changes, rowCount } = result as { changes?: number; rowCount?: number | null };
  return changes ?? rowCount ?? 0;
}

/** Runs an insert, update or delete without `.returning()`; returns how many rows it changed. */
export async function write(db: ParleyDb, build: (o: Orm, t: Tables) => Built<unknown>): Promise<number> {
  const o = await builder(db);
  return changed(await build(o, tablesOf(db)).execute());
}

type Statement = SQL | ((t: Tables) => SQL);

const statementOf = (db: ParleyDb, statement: Statement): SQL =>
  typeof statement === 'function' ? statement(tablesOf(db)) : statement;

/**
 * Runs a statement written with drizzle's `sql` template and returns its rows as the engine gives them: column
 * names as written (alias them in double quotes for camelCase), numbers as numbers, JSON as text, and flags as 0/1
 * on SQLite but booleans on PostgreSQL (read them with `Boolean(…)` or select them through a table's column).
 */
export async function rows<R>(db: ParleyDb, statement: Statement): Promise<R[]> {
  const o = await builder(db);
  const query = statementOf(db, statement);
  if (db.dialect === 'postgres') {
    const result = (await (o as unknown as { execute(q: SQL): Promise<{ rows: R[] }> }).execute(query)) as {
      rows: R[];
    };
    return result.rows;
  }
  return o.all<R>(query);
}

/** The first row of a `sql` statement, or null. */
export async function row<R>(db: ParleyDb, statement: Statement): Promise<R | null> {
  return (await rows<R>(db, statement))[0] ?? null;
}

/** Runs a `sql` statement that returns no rows; returns how many rows it changed. */
export async function run(db: ParleyDb, statement: Statement): Promise<number> {
  const o = await builder(db);
  const query = statementOf(db, statement);
  if (db.dialect === 'postgres')
    return changed(await (o as unknown as { execute(q: SQL): Promise<unknown> }).execute(query));
  return changed(o.run(query));
}

/**
 * Inside a transaction: keeps every other transaction that asks for the same `key` waiting until this one ends, so
 * that a read-then-write on one thing (one visitor's open conversation, one mail allowance) cannot run twice side by
 * side. SQLite's transactions already run one at a time; PostgreSQL takes a transaction-scoped advisory lock.
 */
export async function lockFor(db: ParleyDb, key: string): Promise<void> {
  if (db.dialect !== 'postgres') return;
  if (!transactionOrm(db)) throw new Error(`lockFor(${key}) must run inside transaction(db, …)`);
  await run(db, sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/**
 * `lockFor` on every key of `keys` in one statement, where a lock each would cost a round trip each (the message
 * writer locks every visitor of a batch). The locks are taken in the order of their hashes, the same order in every
 * transaction, so two transactions that lock overlapping sets (two server nodes' batches) never each hold a lock the
 * other waits for. A key given twice is locked once.
 */
export async function lockAll(db: ParleyDb, keys: readonly string[]): Promise<void> {
  if (db.dialect !== 'postgres' || keys.length === 0) return;
  if (!transactionOrm(db)) throw new Error(`lockAll(${keys.join(', ')}) must run inside transaction(db, …)`);
  const list = sql.join(
    keys.map((key) => sql`${key}`),
    sql`, `,
  );
  await run(
    db,
    sql`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(key, 0) AS k
      FROM unnest(ARRAY[${list}]::text[]) AS key ORDER BY k) AS ordered`,
  );
}

/** The jobs this process is running now, per store: on SQLite, the one process that has the file is the cluster. */
const running = new WeakMap<ParleyDb, Set<string>>();

/**
 * Runs the background job `name` (the outbox drain, the retention sweep, the notices) unless it is already
 * running: in this process, or on PostgreSQL in any process on the same database, which several nodes share. The
 * claim on PostgreSQL is a session advisory lock held by one pooled connection for the job's length; the server
 * releases it if that node dies. Returns whether the job ran, and its result when it did.
 */
export async function exclusively<T>(
  db: ParleyDb,
  name: string,
  job: () => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  let names = running.get(db);
  if (!names) {
    names = new Set();
    running.set(db, names);
  }
  if (names.has(name)) return { ran: false };
  names.add(name);
  try {
    const found = handlesOf(db);
    if (found.dialect === 'sqlite') return { ran: true, result: await job() };
    const client = await found.connection.pool.connect();
    const key = `parley-job:${name}`;
    try {
      const claimed = await client.query<{ claimed: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS claimed',
        [key],
      );
      if (!claimed.rows[0]?.claimed) return { ran: false };
      try {
        return { ran: true, result: await job() };
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      client.release();
    }
  } finally {
    names.delete(name);
  }
}

/**
 * Runs `fn` in one transaction that no other `inTurn(db, key, …)` of the same key runs beside, in this process or,
 * on PostgreSQL, in any other on the same database: the way nodes starting at once set an installation up one after
 * the other, the first creating what the others then find.
 */
export async function inTurn<T>(db: ParleyDb, key: string, fn: () => Promise<T>): Promise<T> {
  return transaction(db, async () => {
    await lockFor(db, key);
    return fn();
  });
}
