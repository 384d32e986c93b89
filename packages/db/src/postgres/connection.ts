import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as runMigrations } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { defaultMigrationFolders } from '../bundling.ts';
import * as schema from './schema.ts';

export type PostgresOrm = NodePgDatabase<typeof schema>;

/**
 * What PostgreSQL's numeric types read as. node-postgres reads `bigint` and `numeric` as strings, since not every
 * 64-bit integer or decimal fits a JavaScript number. Parley's are milliseconds since the epoch, counts and sums of
 * counts, which fit with room to spare, and SQLite reads the same values as numbers: so numbers they are here too.
 * JSON is read as its text, as SQLite returns it: drizzle's `jsonb` columns parse text themselves, and raw
 * statements see the same string on both engines. node-postgres keeps these parsers per process; only this package
 * opens PostgreSQL connections.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));
pg.types.setTypeParser(pg.types.builtins.JSONB, (value: string) => value);
pg.types.setTypeParser(pg.types.builtins.JSON, (value: string) => value);

/** A pool of connections to one PostgreSQL database, with drizzle over it. For this package's own modules only. */
export interface PostgresConnection {
  readonly orm: PostgresOrm;
  readonly pool: pg.Pool;
  /** Drizzle over one connection taken from the pool, for a transaction's statements. */
  ormOn(client: pg.PoolClient): PostgresOrm;
  close(): Promise<void>;
}

export const DEFAULT_POOL_SIZE = 10;

/**
 * The name Parley's connections give PostgreSQL (`pg_stat_activity.application_name`), unless the URL names one:
 * `parley restore` finds a running installation's connections by it.
 */
export const PARLEY_APPLICATION_NAME = 'parley';

export function openPostgres(
  url: string,
  options: { poolSize?: number; applicationName?: string } = {},
): PostgresConnection {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // An application_name in the URL wins over this one.
    application_name: options.applicationName ?? PARLEY_APPLICATION_NAME,
  });
  // An idle connection that the server ends (a restart, a failover) is dropped by the pool and the next query opens
  // another; unhandled, the error would end the process.
  pool.on('error', () => {});
  let closed: Promise<void> | undefined;
  return {
    orm: drizzle(pool, { schema }),
    pool,
    ormOn: (client) => drizzle(client, { schema }),
    close: () => {
      closed ??= pool.end();
      return closed;
    },
  };
}

/** The committed PostgreSQL migrations, generated from `schema.ts` by `drizzle.postgres.config.ts`. */
export const defaultPostgresMigrationsFolder = defaultMigrationFolders.postgres;

/**
 * The key of the session advisory lock that migration holds. Any fixed 64-bit number works so long as nothing
 * else in the database takes it; this one spells "parley" in ASCII.
 */
export const MIGRATION_LOCK_KEY = 0x706172_6c6579n;

/**
 * Brings the database up to the committed migrations. Several nodes may start at once: each takes the same
 * advisory lock on one connection first, so one migrates while the others wait, and then find nothing left to do.
 * The lock belongs to the connection's session: released here even if a migration fails, and by the server if the
 * connection is lost.
 */
export async function migratePostgres(
  connection: PostgresConnection,
  migrationsFolder = defaultPostgresMigrationsFolder,
): Promise<void> {
  const client = await connection.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await runMigrations(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}
