import { AsyncLocalStorage } from 'node:async_hooks';
import { driverOf, handlesOf, type ParleyDb } from './connection.ts';
import type { Orm } from './statements.ts';

/**
 * Async transactions.
 *
 * SQLite has one connection. A transaction that awaits inside leaves the event loop free, and every statement that
 * any other request runs meanwhile on the same connection would land inside it: committed or rolled back with it,
 * and seeing its uncommitted rows. So one async transaction runs at a time, the others wait in the order they asked,
 * and a statement from outside the open one waits too (`whenFree`) or is refused (`assertNotInterleaved`); it never
 * runs inside.
 *
 * PostgreSQL has a pool. A transaction takes a connection of its own for its whole length, and the statements of
 * `fn` run on it (`statements.ts` asks `transactionOrm`); everything else runs on the pool's other connections, so
 * transactions run side by side, isolated by the server.
 */

interface Gate {
  /** The transaction whose statements may run now, or null when none is open. */
  open: symbol | null;
  /** Settles when the last transaction asked for so far has finished: the next one starts after it. */
  tail: Promise<void>;
  /** Settles when the open transaction finishes. */
  closed: Promise<void>;
}

/** What the caller is inside of, per store: SQLite's gate token, or PostgreSQL's transaction-bound query builder. */
interface Open {
  token: symbol;
  orm?: Orm;
}

const gates = new WeakMap<ParleyDb, Gate>();
const current = new AsyncLocalStorage<ReadonlyMap<ParleyDb, Open>>();

function gateOf(db: ParleyDb): Gate {
  let gate = gates.get(db);
  if (!gate) {
    gate = { open: null, tail: Promise.resolve(), closed: Promise.resolve() };
    gates.set(db, gate);
  }
  return gate;
}

const openIn = (db: ParleyDb): Open | undefined => current.getStore()?.get(db);

/**
 * Async transactions running now, on every store. While an AsyncLocalStorage is enabled, Node runs hooks on every
 * promise, tick and I/O callback of the process, whatever it belongs to; on the chat server's hot path that made
 * each message dearer (BENCHMARKS.md). So `current` is enabled only while a transaction runs, and disabled as soon
 * as none does: outside every transaction there is nothing for it to carry.
 */
let running = 0;

async function inside<T>(db: ParleyDb, open: Open, fn: () => Promise<T>): Promise<T> {
  const map = new Map(current.getStore() ?? []);
  map.set(db, open);
  running++;
  try {
    return await current.run(map, fn);
  } finally {
    running--;
    if (running === 0) current.disable();
  }
}

/** Thrown when a statement would run inside an async transaction it is not part of. */
export class TransactionInterleavingError extends Error {
  readonly code = 'TRANSACTION_INTERLEAVING';
  constructor() {
    super('a statement from outside the open transaction would have run inside it; await whenFree(db) first');
  }
}

/**
 * True while an async transaction is open on a SQLite `db` and the caller is not part of it: a statement run now
 * would land inside it. Never true on PostgreSQL, where a transaction has its own connection.
 */
export function blockedByTransaction(db: ParleyDb): boolean {
  const open = gates.get(db)?.open ?? null;
  return open !== null && openIn(db)?.token !== open;
}

/** Settles once statements may run: no async transaction is open, or the caller is inside the open one. */
export async function whenFree(db: ParleyDb): Promise<void> {
  while (blockedByTransaction(db)) await gateOf(db).closed;
}

/** Throws `TransactionInterleavingError` when a statement run now would land inside another's async transaction. */
export function assertNotInterleaved(db: ParleyDb): void {
  if (blockedByTransaction(db)) throw new TransactionInterleavingError();
}

/** On PostgreSQL, inside `transaction(db, …)`: the query builder bound to the transaction's connection. */
export function transactionOrm(db: ParleyDb): Orm | undefined {
  return openIn(db)?.orm;
}

/** True when the caller runs inside an async transaction on `db`. */
export function inTransaction(db: ParleyDb): boolean {
  return openIn(db) !== undefined;
}

/**
 * Runs `fn` in one transaction that may await: committed when `fn` resolves, rolled back when it throws. Inside
 * `fn`, the functions of this package run inside the transaction; a call from inside that asks for another
 * transaction joins this one. On SQLite transactions run one at a time, in the order they were asked for; on
 * PostgreSQL side by side, at the server's default isolation (read committed): a transaction that must not run
 * beside another on the same thing takes `lockFor` first.
 */
export async function transaction<T>(db: ParleyDb, fn: () => Promise<T>): Promise<T> {
  if (openIn(db)) return fn();
  const found = handlesOf(db);
  if (found.dialect === 'postgres') {
    const client = await found.connection.pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      try {
        const result = await inside(
          db,
          { token: Symbol('transaction'), orm: found.connection.ormOn(client) as unknown as Orm },
          fn,
        );
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackFailed: unknown) => {
          broken = rollbackFailed;
        });
        throw error;
      }
    } finally {
      // A connection whose rollback failed is in an unknown state: the pool closes it rather than lending it again.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
  const gate = gateOf(db);
  const previous = gate.tail;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  gate.tail = previous.then(() => done);
  await previous;
  const token = Symbol('transaction');
  let closed!: () => void;
  gate.closed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const sqlite = driverOf(db);
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    gate.open = token;
    try {
      const result = await inside(db, { token }, fn);
      sqlite.exec('COMMIT');
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  } finally {
    gate.open = null;
    closed();
    finished();
  }
}

/** Runs `fn` as if outside every async transaction: timers it starts do not inherit the caller's. */
export function outsideTransactions<T>(fn: () => T): T {
  return current.exit(fn);
}
