import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { closeDatabase, findStaffForSignIn, migrate, openDatabase, verifyPassword } from '@parley/db';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./parley.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

describe('create-staff', () => {
  it('SEC-1: creates a staff member and prints a generated password once; only its hash is stored, the second factor waits for the first sign-in', {
    timeout: 30_000,
  }, async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'parley-staff-')), 'parley.db');
    const db = openDatabase(path);
    await migrate(db);
    await closeDatabase(db);

    const env = { ...process.env, DATABASE_URL: `file:${path}` };
    const { stdout } = await run(
      tsx,
      [script, 'create-staff', '--email', 'Ops@Example.org', '--name', 'Oona Operator'],
      {
        env,
      },
    );
    const password = /Password \(shown once[^:]*\): (\S+)/.exec(stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // SEC-1: enrolment is left to the first sign-in, which requires it.
    expect(stdout).toContain('At their first sign-in to the admin console they set up a second factor');

    const again = await run(
      tsx,
      [script, 'create-staff', '--email', 'ops@example.org', '--name', 'Someone'],
      { env },
    ).catch((e) => e);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    const check = openDatabase(path);
    const staff = await findStaffForSignIn(check, 'ops@example.org');
    expect(staff?.passwordHash).toMatch(/^scrypt\$/);
    expect(staff?.passwordHash).not.toContain(password);
    expect(await verifyPassword(password!, staff?.passwordHash)).toBe(true);
    await closeDatabase(check);
  });

  it('refuses, without creating one, a database that does not exist', { timeout: 30_000 }, async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'parley-staff-')), 'missing.db');
    const result = await run(tsx, [script, 'create-staff', '--email', 'ops@example.org', '--name', 'Oona'], {
      env: { ...process.env, DATABASE_URL: `file:${path}` },
    }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`No database at ${path}. Start Parley once, or set DATABASE_URL.`);
    expect(existsSync(path)).toBe(false);
  });

  it('reads the database from the config file PARLEY_CONFIG names, as the server does', {
    timeout: 30_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-staff-'));
    const path = join(dir, 'parley.db');
    const db = openDatabase(path);
    await migrate(db);
    await closeDatabase(db);
    const config = join(dir, 'parley.json');
    await writeFile(config, JSON.stringify({ DATABASE_URL: `file:${path}` }));
    const { DATABASE_URL: _, DATABASE_PATH: __, ...env } = process.env;
    await run(tsx, [script, 'create-staff', '--email', 'ops@example.org', '--name', 'Oona'], {
      env: { ...env, PARLEY_CONFIG: config },
    });
    const check = openDatabase(path);
    expect(await findStaffForSignIn(check, 'ops@example.org')).toBeTruthy();
    await closeDatabase(check);
  });
});
