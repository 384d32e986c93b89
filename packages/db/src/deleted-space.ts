import { sql } from 'drizzle-orm';
import { checkpoint, type ParleyDb } from './connection.ts';
import { run } from './statements.ts';
import { inTransaction } from './transaction.ts';

/**
 * What each engine does, after personal data was deleted, about the copies of it that the deletion itself leaves in
 * the store's files (RET-3, RET-4). Runs after the deleting transaction has committed.
 *
 * SQLite runs with `secure_delete` (`openDatabase`), so the pages the deletion wrote have the old rows overwritten
 * with zeros; the WAL still holds those pages, and older images of them, until a checkpoint has copied them into
 * the file and truncated it, which `checkpoint` does. After that the rows cannot be read back from any file.
 *
 * PostgreSQL never overwrites a row when it is deleted or changed: the old version stays in its page, and its index
 * entries in theirs, marked dead. `VACUUM` on the tables the deletion touched marks that space free at once, rather
 * than when autovacuum next gets to the table (after a fifth of it has changed, by default), so the next rows
 * written there overwrite it. It does not zero anything: until that happens, the dead versions can be read from the
 * data files with file access. The WAL segments written meanwhile hold the rows as they were inserted (and, after
 * each checkpoint, whole-page images) until checkpoints have recycled them, and a recycled segment keeps its bytes
 * until it is written over; base backups, WAL archives and replicas keep whatever they copied. Only the server's
 * administrator can shorten that, so the policy's PostgreSQL text says it as it is (RET-4). `VACUUM` cannot run in
 * a transaction, and takes no lock that chat's reads and writes wait for. The search's GIN indexes keep an erased
 * word as a key even after `VACUUM`; the retention sweep rebuilds them (`search/search-index.ts`).
 */
export async function reclaimDeletedSpace(db: ParleyDb, tables: readonly string[]): Promise<void> {
  if (inTransaction(db))
    throw new Error('deleted space is reclaimed after the deletion has committed, outside any transaction');
  if (db.dialect === 'sqlite') {
    await checkpoint(db);
    return;
  }
  if (tables.length === 0) return;
  await run(
    db,
    sql`VACUUM ${sql.join(
      [...new Set(tables)].map((table) => sql.identifier(table)),
      sql`, `,
    )}`,
  );
}
