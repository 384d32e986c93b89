import { join } from 'node:path';
import { closeDatabase, migrate, openStore } from '@parley/db';
import { type BenchAccount, createBenchAccounts } from './fill-database.ts';
import { startParley, tempDir } from './servers.ts';

/**
 * A Parley data directory and store with `accounts` accounts (an owner agent each) written straight into it: the
 * SQLite file `parley.db` in that directory, or the PostgreSQL database `databaseUrl` names.
 */
export async function parleyDataWithAccounts(count: number, databaseUrl?: string) {
  const dir = tempDir('parley');
  const dbPath = join(dir.path, 'parley.db');
  const store = databaseUrl ?? `file:${dbPath}`;
  const db = openStore(store);
  await migrate(db);
  const accounts = await createBenchAccounts(db, count);
  await closeDatabase(db);
  return { dir, dbPath, databaseUrl: store, accounts };
}

/** `parleyDataWithAccounts`, and the server started on it. */
export async function startParleyWithAccounts(
  count: number,
  options: { nodeArgs?: string[]; env?: Record<string, string>; databaseUrl?: string } = {},
) {
  const { databaseUrl, ...start } = options;
  const data = await parleyDataWithAccounts(count, databaseUrl);
  const server = await startParley(data.dir.path, {
    ...start,
    env: { DATABASE_URL: data.databaseUrl, ...start.env },
  });
  return { ...data, server };
}

/** Signs an agent in through `POST /app/api/sign-in` and returns the Cookie header their sockets send. */
export async function signIn(
  baseUrl: string,
  account: Pick<BenchAccount, 'email' | 'password'>,
): Promise<string> {
  const res = await fetch(`${baseUrl}/app/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`sign-in for ${account.email}: HTTP ${res.status} ${body}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (cookies.length === 0) throw new Error('sign-in set no cookie');
  return cookies.join('; ');
}
