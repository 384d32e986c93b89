import { describe, expect, it } from 'vitest';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { lockFor } from './statements.ts';
import { countRows, createTestDatabase, insertRows, readRows, testDialect } from './testing/index.ts';
import { assertNotInterleaved, TransactionInterleavingError, transaction } from './transaction.ts';

const audit = (db: ParleyDb, action: string) =>
  insertRows(db, 'auditLog', [{ actorKind: 'system', action, createdAt: 1 }]);

/** The audit actions this test wrote, in the order they were stored (ids count up as rows are written). */
const stored = async (db: ParleyDb) =>
  (await readRows(db, 'auditLog', {}, { orderBy: 'id' }))
    .map((row) => row.action)
    .filter((action) => action.startsWith('test.'));

/** A promise the test settles itself, so that a transaction awaits exactly as long as the test wants. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Lets every queued callback run, so that whatever could slip in while a transaction awaits has had its chance. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts a transaction that writes, says so, and then awaits `held` before it ends, rolled back when `fails`.
 * Resolves once the row is written, with the transaction's own promise.
 */
async function openTransaction(db: ParleyDb, action: string, held: Promise<void>, fails = false) {
  const written = gate();
  const done = transaction(db, async () => {
    await audit(db, action);
    written.open();
    await held;
    if (fails) throw new Error(`${action} fails`);
  });
  await Promise.race([written.opened, done]);
  return { done };
}

describe('transaction', () => {
  it('commits the statements of fn together, and a call from inside joins it', async () => {
    const db = await createTestDatabase({ seed: false });
    await transaction(db, async () => {
      await audit(db, 'test.outer');
      await transaction(db, () => audit(db, 'test.inner'));
    });
    expect(await stored(db)).toEqual(['test.outer', 'test.inner']);
  });

  it('rolls back every statement of fn when it throws, those of a call it joined too', async () => {
    const db = await createTestDatabase({ seed: false });
    await expect(
      transaction(db, async () => {
        await audit(db, 'test.outer');
        await transaction(db, () => audit(db, 'test.inner'));
        throw new Error('everything above goes');
      }),
    ).rejects.toThrow('everything above goes');
    expect(await stored(db)).toEqual([]);
  });

  it('a reader outside never sees the rows of a transaction that is rolled back', async () => {
    const db = await createTestDatabase({ seed: false });
    const held = gate();
    const { done } = await openTransaction(db, 'test.uncommitted', held.opened, true);
    // On PostgreSQL the reader runs at once on another connection; on SQLite it waits for the transaction to end.
    const outside = countRows(db, 'auditLog', { action: 'test.uncommitted' });
    await settle();
    held.open();
    await expect(done).rejects.toThrow('test.uncommitted fails');
    expect(await outside).toBe(0);
    expect(await stored(db)).toEqual([]);
  });
});

describe.skipIf(testDialect() !== 'postgres')(
  'transaction on PostgreSQL: each transaction has a connection of its own, and they run side by side',
  () => {
    it('a reader outside sees none of the rows of an open transaction, and all of them once it commits', async () => {
      const db = await createTestDatabase({ seed: false });
      const held = gate();
      const { done } = await openTransaction(db, 'test.pending', held.opened);
      expect(await countRows(db, 'auditLog', { action: 'test.pending' })).toBe(0);
      held.open();
      await done;
      expect(await stored(db)).toEqual(['test.pending']);
    });

    it('a second transaction runs and commits while the first awaits', async () => {
      const db = await createTestDatabase({ seed: false });
      const held = gate();
      const first = await openTransaction(db, 'test.first', held.opened);
      await transaction(db, () => audit(db, 'test.second'));
      held.open();
      await first.done;
      expect(await stored(db)).toEqual(['test.first', 'test.second']);
    });

    it('lockFor: two read-then-write transactions on one key act as if one ran after the other', async () => {
      const db = await createTestDatabase({ seed: false });
      // Both transactions are open before either asks for the lock (SQLite, which takes them in turn, never allows
      // that); each then counts what is stored, lets the other run, and stores the next number. Without the lock,
      // both would count 0.
      const begun = [gate(), gate()];
      const next = (me: number) =>
        transaction(db, async () => {
          begun[me]?.open();
          await Promise.all(begun.map((g) => g.opened));
          await lockFor(db, 'test:counter');
          const n = await countRows(db, 'auditLog');
          await settle();
          await audit(db, `test.${n}`);
        });
      await Promise.all([next(0), next(1)]);
      expect(await stored(db)).toEqual(['test.0', 'test.1']);
    });

    it('lockFor holds back only transactions that ask for the same key', async () => {
      const db = await createTestDatabase({ seed: false });
      const held = gate();
      const locked = gate();
      const first = transaction(db, async () => {
        await lockFor(db, 'test:a');
        locked.open();
        await held.opened;
        await audit(db, 'test.a');
      });
      await locked.opened;
      await transaction(db, async () => {
        await lockFor(db, 'test:b');
        await audit(db, 'test.b');
      });
      held.open();
      await first;
      expect(await stored(db)).toEqual(['test.b', 'test.a']);
    });
  },
);

/**
 * Starts the first transaction, which writes, then awaits `held`, then writes again (or throws). While it awaits, a
 * second transaction and a plain write start; both must wait for it.
 */
async function interleave(db: ParleyDb, { firstFails }: { firstFails: boolean }) {
  const held = gate();
  const started: string[] = [];
  const first = transaction(db, async () => {
    await audit(db, 'test.first.1');
    await held.opened;
    await audit(db, 'test.first.2');
    if (firstFails) throw new Error('the first transaction fails');
  });
  await settle();
  const second = transaction(db, async () => {
    started.push('second');
    await audit(db, 'test.second.1');
    await settle();
    await audit(db, 'test.second.2');
  });
  const plain = audit(db, 'test.plain').then(() => started.push('plain'));
  await settle();
  // Both are waiting while the first is open; a statement that does not wait is refused, not run inside it.
  expect(started).toEqual([]);
  expect(() => assertNotInterleaved(db)).toThrow(TransactionInterleavingError);
  held.open();
  const outcomes = await Promise.allSettled([first, second, plain]);
  return { outcomes, actions: await stored(db) };
}

describe.skipIf(testDialect() !== 'sqlite')(
  'transaction on SQLite: one connection, so transactions take turns and nothing runs inside another',
  () => {
    it('runs one transaction at a time: a second one and a plain write that start while the first awaits wait for it', async () => {
      const db = await createTestDatabase({ seed: false });
      const { outcomes, actions } = await interleave(db, { firstFails: false });
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(actions.slice(0, 2)).toEqual(['test.first.1', 'test.first.2']);
      expect(actions).toHaveLength(5);
      // The plain write lands before or after the second transaction, never between its two statements.
      const second = actions.indexOf('test.second.1');
      expect(actions[second + 1]).toBe('test.second.2');
      expect(actions).toContain('test.plain');
    });

    it('rolls back only its own writes when it fails, not those of whoever waited for it', async () => {
      const db = await createTestDatabase({ seed: false });
      const { outcomes, actions } = await interleave(db, { firstFails: true });
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
      expect(actions).not.toContain('test.first.1');
      expect(actions).not.toContain('test.first.2');
      expect([...actions].sort()).toEqual(['test.plain', 'test.second.1', 'test.second.2']);
      expect(actions.indexOf('test.second.2')).toBe(actions.indexOf('test.second.1') + 1);
    });

    it('starts queued transactions in the order they were asked for', async () => {
      const db = await createTestDatabase({ seed: false });
      const held = gate();
      const order: number[] = [];
      const first = transaction(db, async () => {
        await held.opened;
        order.push(0);
      });
      const rest = [1, 2, 3].map((n) =>
        transaction(db, async () => {
          order.push(n);
          await audit(db, `test.${n}`);
        }),
      );
      await settle();
      expect(order).toEqual([]);
      held.open();
      await Promise.all([first, ...rest]);
      expect(order).toEqual([0, 1, 2, 3]);
      expect(await stored(db)).toEqual(['test.1', 'test.2', 'test.3']);
    });

    // better-sqlite3's own synchronous transactions (the bench's bulk insert) become savepoints inside an async one.
    it('keeps synchronous transactions working inside, rolled back with the async one', async () => {
      const db = await createTestDatabase({ seed: false });
      await expect(
        transaction(db, async () => {
          await transaction(db, () => audit(db, 'test.inner'));
          sqliteOf(db).transaction(() => {
            sqliteOf(db)
              .prepare(
                "INSERT INTO audit_log (actor_kind, action, created_at) VALUES ('system', 'test.sync', 1)",
              )
              .run();
          })();
          expect(await stored(db)).toEqual(['test.inner', 'test.sync']);
          throw new Error('everything above goes');
        }),
      ).rejects.toThrow('everything above goes');
      expect(await stored(db)).toEqual([]);
    });
  },
);
