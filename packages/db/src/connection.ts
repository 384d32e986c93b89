import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as runMigrations } from 'drizzle-orm/better-sqlite3/migrator';
import { defaultMigrationFolders, defaultMigrationsFolder, type MigrationFolders } from './bundling.ts';
import {
  defaultPostgresMigrationsFolder,
  migratePostgres,
  openPostgres,
  type PostgresConnection,
} from './postgres/connection.ts';
import type { FileStores } from './row-files.ts';
import * as schema from './schema.ts';
import { sqliteNativeBinding } from './sqlite-driver.ts';
import type { Orm } from './statements.ts';
import { assertNotInterleaved, blockedByTransaction, whenFree } from './transaction.ts';

declare const opened: unique symbol;

/** The two engines a store runs on: one SQLite file (the embedded default), or a PostgreSQL database. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * An open Parley store. Apps hold one and pass it to the functions this package exports; it carries no driver,
 * query builder or SQL, so that either engine can stand behind it. This package's modules run statements through
 * `statements.ts`, which reaches the engine through the handles kept here.
 */
export interface ParleyDb {
  /** The SQLite file, or the PostgreSQL URL without its password: for messages, never for connecting. */
  readonly path: string;
  readonly dialect: Dialect;
  /** Where copies of rows are written as files (see `row-files.ts`); erasure and the retention sweep reach them. */
  readonly files: FileStores;
  /**
   * The erasure ledger file (`erasure-ledger.ts`): every erasure is appended to it as well as kept in the store, so
   * that it outlives the store. Absent: only the store keeps the ledger (tests, one-off commands on a copy).
   */
  readonly erasureLedger?: string;
  /** Only `openDatabase` and `openStore` make one. */
  readonly [opened]: true;
}

export type Handles =
  | { dialect: 'sqlite'; sqlite: Database.Database; orm: Orm }
  | { dialect: 'postgres'; connection: PostgresConnection; onClose: (() => Promise<void>) | undefined };

const handles = new WeakMap<ParleyDb, Handles>();

export function handlesOf(db: ParleyDb): Handles {
  const found = handles.get(db);
  if (!found) throw new Error(`${db.path} was not opened by openDatabase or openStore`);
  return found;
}

function sqliteHandles(db: ParleyDb): Extract<Handles, { dialect: 'sqlite' }> {
  const found = handlesOf(db);
  if (found.dialect !== 'sqlite') throw new Error(`${db.path} is a PostgreSQL store; this needs SQLite`);
  return found;
}

/** The SQLite driver, for this package's SQLite-only modules; refused while another's async transaction is open. */
export function sqliteOf(db: ParleyDb): Database.Database {
  assertNotInterleaved(db);
  return sqliteHandles(db).sqlite;
}

/** The SQLite driver without the guard, for the transaction machinery itself, which must reach it from outside. */
export function driverOf(db: ParleyDb): Database.Database {
  return sqliteHandles(db).sqlite;
}

/**
 * Opens (creating if needed) a SQLite database in WAL mode. `secure_delete` overwrites deleted content with zeros
 * so that an erased visitor cannot be read back from the file (RET-4).
 */
export function openDatabase(
  path: string,
  options: { files?: FileStores; erasureLedger?: string } = {},
): ParleyDb {
  const sqlite = new Database(path, sqliteNativeBinding());
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = {
    path,
    dialect: 'sqlite',
    files: options.files ?? {},
    ...(options.erasureLedger ? { erasureLedger: options.erasureLedger } : {}),
  } as ParleyDb;
  handles.set(db, { dialect: 'sqlite', sqlite, orm: drizzle(sqlite, { schema }) });
  return db;
}

export interface StoreOptions {
  files?: FileStores;
  /** The erasure ledger file, beside the SQLite file or in the data folder. */
  erasureLedger?: string;
  /** PostgreSQL: connections in the pool. */
  poolSize?: number;
  /** PostgreSQL: the connections' `application_name`, `parley` unless given (a restore's own are told apart). */
  applicationName?: string;
  /** PostgreSQL: run after the pool has closed (a test's store drops its database here). */
  onClose?: () => Promise<void>;
}

/** The URL as messages may show it: without a password. */
function displayUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Opens the store a `DATABASE_URL` names: `file:<path>` (or a bare path) for SQLite, `postgres://…` or
 * `postgresql://…` for PostgreSQL. Connecting to PostgreSQL happens on the first statement (`migrate` is the usual
 * one), so a server that is down is reported there.
 */
export function openStore(url: string, options: StoreOptions = {}): ParleyDb {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const connection = openPostgres(url, {
      ...(options.poolSize ? { poolSize: options.poolSize } : {}),
      ...(options.applicationName ? { applicationName: options.applicationName } : {}),
    });
    const db = {
      path: displayUrl(url),
      dialect: 'postgres',
      files: options.files ?? {},
      ...(options.erasureLedger ? { erasureLedger: options.erasureLedger } : {}),
    } as ParleyDb;
    handles.set(db, { dialect: 'postgres', connection, onClose: options.onClose });
    return db;
  }
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return openDatabase(path, {
    ...(options.files ? { files: options.files } : {}),
    ...(options.erasureLedger ? { erasureLedger: options.erasureLedger } : {}),
  });
}

export {
  defaultMigrationFolders,
  defaultMigrationsFolder,
  defaultPostgresMigrationsFolder,
  type MigrationFolders,
};

/**
 * Brings the store up to the migrations of its engine: the committed ones, or those `folders` names (a bundled
 * server carries its own copy; a string is a folder of the store's own engine). On PostgreSQL under an advisory
 * lock, since several nodes may start at once.
 */
export async function migrate(
  db: ParleyDb,
  folders: MigrationFolders | string = defaultMigrationFolders,
): Promise<void> {
  const found = handlesOf(db);
  const folder = typeof folders === 'string' ? folders : folders[found.dialect];
  if (found.dialect === 'postgres') {
    await migratePostgres(found.connection, folder);
    return;
  }
  if (blockedByTransaction(db)) await whenFree(db);
  runMigrations(found.orm, { migrationsFolder: folder });
}

/** How long `checkpoint` keeps trying while another connection (the checkpoint worker) is checkpointing. */
const CHECKPOINT_PATIENCE_MS = 5_000;

/**
 * SQLite: moves everything from the WAL into the main file and truncates the WAL, so no old page images linger
 * there (RET-4: erasure relies on it). While another connection is checkpointing, SQLite refuses at once, busy
 * handler or not, so this tries again until it has truncated the WAL, and throws if it never could.
 *
 * PostgreSQL: nothing. Its server writes checkpoints on its own schedule and only a superuser may force one; what
 * erasure leaves behind there is what the policy's PostgreSQL text describes.
 */
export async function checkpoint(db: ParleyDb, patienceMs = CHECKPOINT_PATIENCE_MS): Promise<void> {
  if (db.dialect === 'postgres') return;
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

/** Closes the store: SQLite checkpoints its WAL into the file first; PostgreSQL ends its pool. Closing twice is safe. */
export async function closeDatabase(db: ParleyDb): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  const found = handlesOf(db);
  if (found.dialect === 'postgres') {
    handles.delete(db);
    await found.connection.close();
    await found.onClose?.();
    return;
  }
  if (!found.sqlite.open) return;
  found.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  found.sqlite.close();
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
