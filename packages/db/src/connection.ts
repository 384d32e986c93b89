import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as runMigrations } from 'drizzle-orm/better-sqlite3/migrator';
import { defaultMigrationsFolder } from './bundling.ts';
import type { FileStores } from './row-files.ts';
import * as schema from './schema.ts';
import { assertNotInterleaved, blockedByTransaction, whenFree } from './transaction.ts';

export type Orm = BetterSQLite3Database<typeof schema>;

declare const opened: unique symbol;

/**
 * An open Parley database. Apps hold one and pass it to the functions this package exports; it carries no driver,
 * query builder or SQL, so that another backend can take its place. This package's modules reach the driver through
 * `sqliteOf` and `ormOf`, which the package does not export.
 */
export interface ParleyDb {
  readonly path: string;
  /** Where copies of rows are written as files (see `row-files.ts`); erasure and the retention sweep reach them. */
  readonly files: FileStores;
  /** Only `openDatabase` makes one. */
  readonly [opened]: true;
}

interface Handles {
  sqlite: Database.Database;
  orm: Orm;
}

const handles = new WeakMap<ParleyDb, Handles>();

function handlesOf(db: ParleyDb): Handles {
  const found = handles.get(db);
  if (!found) throw new Error(`${db.path} was not opened by openDatabase`);
  return found;
}

/** The driver, for this package's modules; refused while another's async transaction is open (`transaction.ts`). */
export function sqliteOf(db: ParleyDb): Database.Database {
  assertNotInterleaved(db);
  return handlesOf(db).sqlite;
}

/** The query builder over the schema, for this package's modules; guarded like `sqliteOf`. */
export function ormOf(db: ParleyDb): Orm {
  assertNotInterleaved(db);
  return handlesOf(db).orm;
}

/** The driver without the guard, for the transaction machinery itself, which must reach it from outside `fn`. */
export function driverOf(db: ParleyDb): Database.Database {
  return handlesOf(db).sqlite;
}

/**
 * Opens (creating if needed) a SQLite database in WAL mode. `secure_delete` overwrites deleted content with zeros
 * so that an erased visitor cannot be read back from the file (RET-4).
 */
export function openDatabase(path: string, options: { files?: FileStores } = {}): ParleyDb {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = { path, files: options.files ?? {} } as ParleyDb;
  handles.set(db, { sqlite, orm: drizzle(sqlite, { schema }) });
  return db;
}

export { defaultMigrationsFolder };

export async function migrate(db: ParleyDb, migrationsFolder = defaultMigrationsFolder): Promise<void> {
  runMigrations(ormOf(db), { migrationsFolder });
}

/** How long `checkpoint` keeps trying while another connection (the checkpoint worker) is checkpointing. */
const CHECKPOINT_PATIENCE_MS = 5_000;

/**
 * Moves everything from the WAL into the main file and truncates the WAL, so no old page images linger there
 * (RET-4: erasure relies on it). While another connection is checkpointing, SQLite refuses at once, busy handler or
 * not, so this tries again until it has truncated the WAL, and throws if it never could.
 */
export async function checkpoint(db: ParleyDb, patienceMs = CHECKPOINT_PATIENCE_MS): Promise<void> {
  const giveUpAt = Date.now() + patienceMs;
  for (;;) {
    if (blockedByTransaction(db)) await whenFree(db);
    const [result] = sqliteOf(db).pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (!result || result.busy === 0) return;
    if (Date.now() >= giveUpAt)
      throw new Error(`the WAL of ${db.path} could not be checkpointed: another connection kept it busy`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function closeDatabase(db: ParleyDb): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  if (!sqliteOf(db).open) return;
  sqliteOf(db).pragma('wal_checkpoint(TRUNCATE)');
  sqliteOf(db).close();
}

/** Thrown by `holdExclusively` while another connection, such as a running server's, has the file open. */
export class StoreInUseError extends Error {
  readonly code = 'STORE_IN_USE';
  constructor(path: string) {
    super(`${path} is open in another process (is Parley running?); stop it first`);
    this.name = 'StoreInUseError';
  }
}

/**
 * Keeps the SQLite file to this connection alone until it is closed, for commands that must not run beside a
 * server. In WAL mode every open connection holds a shared lock on the file; exclusive locking mode makes the next
 * transaction take an exclusive one and keep it, which SQLite refuses at once (no busy wait) while any other
 * connection has the file open, and which makes a server started meanwhile fail to open it.
 */
export function holdExclusively(db: ParleyDb): void {
  const sqlite = sqliteOf(db);
  const patience = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma('busy_timeout = 0');
  try {
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.exec('BEGIN EXCLUSIVE');
    sqlite.exec('COMMIT');
  } catch (error) {
    sqlite.pragma('locking_mode = NORMAL');
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new StoreInUseError(db.path);
    throw error;
  } finally {
    sqlite.pragma(`busy_timeout = ${patience}`);
  }
}
