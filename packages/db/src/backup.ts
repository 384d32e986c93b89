import { existsSync } from 'node:fs';
import type { ParleyDb } from './connection.ts';
import { sqliteOf } from './connection.ts';

/** A backup that would overwrite a file, or one asked of a store this module cannot back up itself. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * Writes a consistent copy of an SQLite store to `file` while it serves: `VACUUM INTO` reads one snapshot in one
 * read transaction, so writes go on meanwhile and none of them is half in the copy (the online backup API starts
 * over whenever another connection writes, and under a burst of chat may never finish). The copy is compact and
 * holds no free pages, so nothing erased before the backup lingers in it. PostgreSQL is backed up with `pg_dump`.
 */
export function backupSqlite(db: ParleyDb, file: string): void {
  if (db.dialect !== 'sqlite')
    throw new BackupError('backupSqlite backs up an SQLite store; use pg_dump for PostgreSQL');
  if (existsSync(file)) throw new BackupError(`${file} exists; name a new file for the backup`);
  sqliteOf(db).prepare('VACUUM INTO ?').run(file);
}

/**
 * About how large a backup of an SQLite store will be: its pages in use. `VACUUM INTO` leaves free pages out, so the
 * copy comes out at most this large.
 */
export function sqliteUsedBytes(db: ParleyDb): number {
  const sqlite = sqliteOf(db);
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  const free = sqlite.pragma('freelist_count', { simple: true }) as number;
  const size = sqlite.pragma('page_size', { simple: true }) as number;
  return (pages - free) * size;
}

/** SQLite's own check of a database file: every page and index consistent. Returns its findings; ['ok'] if sound. */
export function integrityCheck(db: ParleyDb): string[] {
  return (sqliteOf(db).prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>).map(
    (r) => r.integrity_check,
  );
}
