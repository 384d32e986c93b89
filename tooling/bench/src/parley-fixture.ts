import { join } from 'node:path';
import { closeDatabase, migrate, openDatabase } from '@parley/db';
import { type BenchAccount, createBenchAccounts } from './fill-database.ts';
import { startParley, tempDir } from './servers.ts';

/** A Parley data directory with `accounts` accounts (an owner agent each) written straight into its SQLite file. */
export async function parleyDataWithAccounts(count: number) {
  const dir = tempDir('parley');
  const dbPath = join(dir.path, 'parley.db');
  const db = openDatabase(dbPath);
  await migrate(db);
  const accounts = await createBenchAccounts(db, count);
  await closeDatabase(db);
  return { dir, dbPath, accounts };
}

/** `parleyDataWithAccounts`, and the server started on it. */
export async function startParleyWithAccounts(
  count: number,
  options: { nodeArgs?: string[]; env?: Record<string, string> } = {},
) {
  const data = await parleyDataWithAccounts(count);
  const server = await startParley(data.dir.path, options);
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
