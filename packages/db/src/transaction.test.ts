import { describe, expect, it } from 'vitest';
import { writeAudit } from './chat/audit.ts';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { createTestDatabase } from './testing/index.ts';
import { TransactionInterleavingError, transaction } from './transaction.ts';

const audit = (db: ParleyDb, action: string) => writeAudit(db, { actorKind: 'system', action, now: 1 });

/** The audit actions this test wrote, in the order they were stored. */
const stored = (db: ParleyDb) =>
  sqliteOf(db)
    .prepare("SELECT action FROM audit_log WHERE action LIKE 'test.%' ORDER BY rowid")
    .pluck()
    .all() as string[];

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
  expect(() => stored(db)).toThrow(TransactionInterleavingError);
  held.open();
  const outcomes = await Promise.allSettled([first, second, plain]);
  return { outcomes, actions: stored(db) };
}

describe('transaction', () => {
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
    expect(stored(db)).toEqual(['test.1', 'test.2', 'test.3']);
  });

  it('joins the open transaction when asked from inside it, and keeps synchronous transactions working inside', async () => {
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
        throw new Error('everything above goes');
      }),
    ).rejects.toThrow('everything above goes');
    expect(stored(db)).toEqual([]);
  });
});
