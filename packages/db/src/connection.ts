import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as runMigrations } from 'drizzle-orm/better-sqlite3/migrator';
import type { FileStores } from './row-files.ts';
import * as schema from './schema.ts';
import { assertNotInterleaved, blockedByTransaction, whenFree } from './transaction.ts';

export type Orm = BetterSQLite3Database<typeof schema>;

/**
 * An open Parley database. Apps hold one and pass it to the functions this package exports; they never reach the
 * SQL driver themselves, so that another backend can take its place.
 */
export interface ParleyDb {
  /** Refuses to hand out the handle while another's async transaction is open (see `transaction.ts`). */
  readonly orm: Orm;
  /** The driver handle, for this package's own modules only; guarded like `orm`. */
  readonly sqlite: Database.Database;
  readonly path: string;
  /** Where copies of rows are written as files (see `row-files.ts`); erasure and the retention sweep reach them. */
  readonly files: FileStores;
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
  const orm = drizzle(sqlite, { schema });
  const db: ParleyDb = {
    get orm() {
      assertNotInterleaved(db);
      return orm;
    },
    get sqlite() {
      assertNotInterleaved(db);
      return sqlite;
    },
    path,
    files: options.files ?? {},
  };
  drivers.set(db, sqlite);
  return db;
}

const drivers = new WeakMap<ParleyDb, Database.Database>();

/** The driver without the guard, for the transaction machinery itself, which must reach it from outside `fn`. */
export function driverOf(db: ParleyDb): Database.Database {
  const sqlite = drivers.get(db);
  if (!sqlite) throw new Error(`${db.path} was not opened by openDatabase`);
  return sqlite;
}

/** The committed migrations; the production bundle copies them beside itself and passes their folder. */
export const defaultMigrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

export async function migrate(db: ParleyDb, migrationsFolder = defaultMigrationsFolder): Promise<void> {
  runMigrations(db.orm, { migrationsFolder });
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
    const [result] = db.sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (!result || result.busy === 0) return;
    if (Date.now() >= giveUpAt)
      throw new Error(`the WAL of ${db.path} could not be checkpointed: another connection kept it busy`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function closeDatabase(db: ParleyDb): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  if (!db.sqlite.open) return;
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  db.sqlite.close();
}
