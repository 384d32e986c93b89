import { AsyncLocalStorage } from 'node:async_hooks';
import { driverOf, type ParleyDb } from './connection.ts';

/**
 * Async transactions on one connection. A transaction that awaits inside leaves the event loop free, and every
 * statement that any other request runs meanwhile on the same connection would land inside it: committed or rolled
 * back with it, and seeing its uncommitted rows. So one async transaction runs at a time, the others wait in the
 * order they asked, and a statement from outside the open one waits too (`whenFree`) or is refused
 * (`assertNotInterleaved`); it never runs inside.
 */

interface Gate {
  /** The transaction whose statements may run now, or null when none is open. */
  open: symbol | null;
  /** Settles when the last transaction asked for so far has finished: the next one starts after it. */
  tail: Promise<void>;
  /** Settles when the open transaction finishes. */
  closed: Promise<void>;
}

const gates = new WeakMap<ParleyDb, Gate>();
const current = new AsyncLocalStorage<symbol>();

function gateOf(db: ParleyDb): Gate {
  let gate = gates.get(db);
  if (!gate) {
    gate = { open: null, tail: Promise.resolve(), closed: Promise.resolve() };
    gates.set(db, gate);
  }
  return gate;
}

/** Thrown when a statement would run inside an async transaction it is not part of. */
export class TransactionInterleavingError extends Error {
  readonly code = 'TRANSACTION_INTERLEAVING';
  constructor() {
    super('a statement from outside the open transaction would have run inside it; await whenFree(db) first');
  }
}

/**
 * True while an async transaction is open on `db` and the caller is not part of it: a statement run now would land
 * inside it. The package's async functions start with `if (blockedByTransaction(db)) await whenFree(db);`, which
 * keeps their timing when the connection is free.
 */
export function blockedByTransaction(db: ParleyDb): boolean {
  const open = gates.get(db)?.open ?? null;
  return open !== null && current.getStore() !== open;
}

/** Settles once statements may run: no async transaction is open, or the caller is inside the open one. */
export async function whenFree(db: ParleyDb): Promise<void> {
  while (blockedByTransaction(db)) await gateOf(db).closed;
}

/** Throws `TransactionInterleavingError` when a statement run now would land inside another's async transaction. */
export function assertNotInterleaved(db: ParleyDb): void {
  if (blockedByTransaction(db)) throw new TransactionInterleavingError();
}

/**
 * Runs `fn` in one transaction that may await: committed when `fn` resolves, rolled back when it throws. Transactions
 * on the same database run one at a time, in the order they were asked for. Inside `fn`, the functions of this
 * package run inside the transaction (a synchronous transaction there becomes a savepoint); a call from inside that
 * asks for another async transaction joins this one.
 */
export async function transaction<T>(db: ParleyDb, fn: () => Promise<T>): Promise<T> {
  const gate = gateOf(db);
  if (gate.open !== null && current.getStore() === gate.open) return fn();
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
      const result = await current.run(token, fn);
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
