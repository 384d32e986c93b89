import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { closeDatabase, openStore } from '../connection.ts';
import { migratePostgres, openPostgres, type PostgresConnection } from '../postgres/connection.ts';
import { seedFixtures } from './seed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's PostgreSQL server and the migrated template each test file's database is cloned from. */
    parleyPostgres: { url: string; template: string; seeded: string; run: string };
  }
}

/** `url` with its database replaced by `database`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const TEMPLATE_PREFIX = 'parley_template_';
const SEEDED_PREFIX = 'parley_seeded_';
const DATABASE_PREFIX = 'parley_test_';

async function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the server `serverUrl` reaches; returns the URL of the new database. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${quote(name)}`));
  return databaseUrl(serverUrl, name);
}

/** Creates the run's template database and migrates it; returns its name. */
export async function migrateTemplate(serverUrl: string, run: string): Promise<string> {
  const template = `${TEMPLATE_PREFIX}${run}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${quote(template)}`));
  const connection = openPostgres(databaseUrl(serverUrl, template), { poolSize: 1 });
  try {
    await migratePostgres(connection);
  } finally {
    await connection.close();
  }
  return template;
}

/** Creates the run's seeded template from the migrated one and fills it with the fixtures; returns its name. */
export async function seedTemplate(serverUrl: string, run: string, template: string): Promise<string> {
  const seeded = `${SEEDED_PREFIX}${run}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${quote(seeded)} TEMPLATE ${quote(template)}`));
  const db = openStore(databaseUrl(serverUrl, seeded), { poolSize: 1 });
  try {
    await seedFixtures(db);
  } finally {
    await closeDatabase(db);
  }
  return seeded;
}

/** Drops the run's template and every database cloned from it, even those whose test file crashed. */
export async function dropDatabases(serverUrl: string, run: string): Promise<void> {
  await onServer(serverUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1) OR datname LIKE $2',
      [[`${TEMPLATE_PREFIX}${run}`, `${SEEDED_PREFIX}${run}`], `${DATABASE_PREFIX}${run}\\_%`],
    );
    // Clones first: a template cannot be dropped while it is being copied.
    rows.sort(
      (a, b) => Number(b.datname.startsWith(DATABASE_PREFIX)) - Number(a.datname.startsWith(DATABASE_PREFIX)),
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${quote(datname)} WITH (FORCE)`);
  });
}

/** A test file's own PostgreSQL database, migrated; `drop()` removes it. */
export interface TestPostgresDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A fresh PostgreSQL database with every committed migration applied, cloned from the run's template (a file copy,
 * much faster than migrating). `seeded` clones the template that also holds the fixtures (`seed.ts`); `migrated:
 * false` gives an empty database instead, for tests of migration itself.
 * Needs the `globalSetup` of `@parley/db/testing/postgres-setup` in the package's vitest config.
 */
export async function createTestPostgresDatabase(
  options: { migrated?: boolean; seeded?: boolean } = {},
): Promise<TestPostgresDatabase> {
  const { url: serverUrl, template, seeded, run } = inject('parleyPostgres');
  const name = `${DATABASE_PREFIX}${run}_${randomBytes(6).toString('hex')}`;
  const from = options.migrated === false ? '' : ` TEMPLATE ${quote(options.seeded ? seeded : template)}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${quote(name)}${from}`));
  return {
    name,
    url: databaseUrl(serverUrl, name),
    drop: () =>
      onServer(
        serverUrl,
        async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`)),
      ),
  };
}

/** A test file's own migrated database, opened with a pool; `close()` closes the pool and drops the database. */
export async function createTestPostgres(
  options: { migrated?: boolean; poolSize?: number } = {},
): Promise<PostgresConnection & { readonly database: TestPostgresDatabase }> {
  const database = await createTestPostgresDatabase(options);
  const connection = openPostgres(database.url, options.poolSize ? { poolSize: options.poolSize } : {});
  return {
    ...connection,
    database,
    close: async () => {
      await connection.close();
      await database.drop();
    },
  };
}
