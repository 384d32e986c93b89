import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@parley/config';
import { testDialect } from '@parley/db/testing';
import { type Addresses, bootstrap, type Parley } from '../bootstrap.ts';
import { type Logger, silentLogger } from '../logger.ts';

// The whole of Parley in the test's process, built by `bootstrap` exactly as `main.ts` builds it: its own data
// folder, any free port for the chat server and the admin console, and nothing read from the environment.

export interface TestParley {
  parley: Parley;
  addresses: Addresses;
  /** The temporary folder holding the mail folder (`mail/`) and, on SQLite, the database (`parley.db`). */
  dataDir: string;
  /** The store's DATABASE_URL: `file:<dataDir>/parley.db`, or a PostgreSQL database of its own. */
  databaseUrl: string;
  /** On SQLite, the database file; null on PostgreSQL. */
  databasePath: string | null;
  /** Stops Parley (see `Parley.stop`); the data folder stays for the test to inspect. */
  stop(): Promise<void>;
  /** Stops Parley if it still runs and deletes its data folder. */
  remove(): Promise<void>;
}

/** A new, empty store for one test Parley, of the test run's engine (`testDialect`), and how to remove it. */
export async function emptyTestStore(
  dataDir: string,
): Promise<{ url: string; path: string | null; drop: () => Promise<void> }> {
  if (testDialect() === 'postgres') {
    const { createTestPostgresDatabase } = await import('@parley/db/testing/postgres');
    const database = await createTestPostgresDatabase({ migrated: false });
    return { url: database.url, path: null, drop: database.drop };
  }
  const path = join(dataDir, 'parley.db');
  return { url: `file:${path}`, path, drop: async () => {} };
}

/**
 * Bootstraps and starts Parley on port 0, on a new store of the run's engine (or the one `store` names, which a
 * second Parley shares with the first); `settings` are setting names and values, as in the environment. It logs
 * nothing unless given a `log`.
 */
export async function startTestParley(
  settings: Record<string, string> = {},
  store?: { url: string; path: string | null },
  options: { log?: Logger } = {},
): Promise<TestParley> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bootstrap-'));
  const own = store ? null : await emptyTestStore(dataDir);
  const { url: databaseUrl, path: databasePath } = store ?? own!;
  const removeData = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await own?.drop();
  };
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    ADMIN_PORT: '0',
    DATABASE_URL: databaseUrl,
    PARLEY_MAIL_DIR: join(dataDir, 'mail'),
    PARLEY_OPERATOR_NAME: 'Parley Tests Ltd',
    PARLEY_PRIVACY_CONTACT: 'privacy@parley.test',
    ...settings,
  });
  const parley = await bootstrap(config, { log: options.log ?? silentLogger }).catch(
    async (error: unknown) => {
      await removeData();
      throw error;
    },
  );
  const addresses = await parley.start().catch(async (error: unknown) => {
    await parley.stop();
    await removeData();
    throw error;
  });
  return {
    parley,
    addresses,
    dataDir,
    databaseUrl,
    databasePath,
    stop: () => parley.stop(),
    async remove() {
      await parley.stop();
      await removeData();
    },
  };
}

/** Signs an agent in to the dashboard of the Parley at `base`; answers the session's Cookie header. */
export async function signInCookie(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/app/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}
