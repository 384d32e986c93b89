import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeDatabase,
  isInstallationTokenOpen,
  migrationNames,
  openStore,
  type ParleyDb,
  sha256,
  verifyPassword,
} from '@parley/db';
import { countRows, createTestDatabase, FIXTURE, readRows, testDialect } from '@parley/db/testing';
import { createTestPostgresDatabase } from '@parley/db/testing/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { locateAssets } from '../paths.ts';
import { parleyProcess, splitProgress } from './parley-process.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const parley = parleyProcess;

/** An installation holding the fixture, on the engine of this run: its DATABASE_URL, and a connection to look in. */
async function installation(): Promise<{ url: string; db: ParleyDb }> {
  if (testDialect() === 'postgres') {
    const database = await createTestPostgresDatabase({ seeded: true });
    cleanups.push(database.drop);
    const db = openStore(database.url, { poolSize: 1 });
    cleanups.push(() => closeDatabase(db));
    return { url: database.url, db };
  }
  const path = join(await tempDir(), 'parley.db');
  const db = await createTestDatabase({ path });
  cleanups.push(() => closeDatabase(db));
  return { url: `file:${path}`, db };
}

/** A store that no migration has touched: no SQLite file yet, or an empty PostgreSQL database. */
async function freshStore(): Promise<string> {
  if (testDialect() === 'postgres') {
    const database = await createTestPostgresDatabase({ migrated: false });
    cleanups.push(database.drop);
    return database.url;
  }
  return `file:${join(await tempDir(), 'parley.db')}`;
}

describe('parley', { timeout: 60_000 }, () => {
  it.each([
    ['serve', 'the admin console on ADMIN_PORT'],
    ['migrate', '--check'],
    ['sweep', '--dry-run'],
    ['export-visitor', '--chat-id <id>'],
    ['erase-visitor', '--yes'],
    ['create-staff', '--email <address>'],
    ['store-copy', '--to <url>'],
    ['policy diff', '<from>'],
    ['doctor', 'what to fix'],
    ['backup', 'VACUUM INTO'],
    ['setup', '--password-stdin'],
    ['restore', 'Erasure survives a restore'],
  ])('%s --help says what it does and takes', async (command, says) => {
    const result = await parley([...command.split(' '), '--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: parley ${command}`));
    expect(result.stdout).toContain(says);
  });

  it('--help lists every command', async () => {
    const result = await parley(['--help'], {});
    expect(result.code).toBe(0);
    for (const command of [
      'serve',
      'setup',
      'migrate',
      'sweep',
      'export-visitor',
      'erase-visitor',
      'doctor',
      'policy',
      'backup',
      'restore',
    ])
      expect(result.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  });

  it('migrate --check names every pending migration of a fresh store and applies none; a migrated one passes', async () => {
    const url = await freshStore();
    const names = migrationNames(locateAssets().assets.migrations[testDialect()]);
    const pending = await parley(['migrate', '--check'], { DATABASE_URL: url });
    expect(pending.code).toBe(1);
    expect(pending.stderr.trim()).toBe(
      `${names.length} migrations are pending: ${names.join(', ')}; run \`parley migrate\` (or start Parley) to apply them`,
    );
    if (url.startsWith('file:')) expect(existsSync(url.slice('file:'.length))).toBe(false);
    expect((await parley(['migrate', '--check'], { DATABASE_URL: url })).code).toBe(1);

    const migrated = await parley(['migrate'], { DATABASE_URL: url });
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain(`Applied ${names.length}: 0000_initial`);
    const check = await parley(['migrate', '--check'], { DATABASE_URL: url });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('no migration is pending');
  });

  it('doctor names a broken setting, its value and what is allowed, and fails', async () => {
    const { url } = await installation();
    const broken = await parley(['doctor'], { DATABASE_URL: url, PORT: 'eighty' });
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim()).toBe(
      'FAIL  settings: PORT="eighty" must be a port number from 0 to 65535 (0: any free port)',
    );

    const healthy = await parley(['doctor'], { DATABASE_URL: url, PARLEY_MAIL_DIR: await tempDir() });
    expect(healthy.stdout).toContain('ok    settings: valid');
    expect(healthy.stdout).toContain('ok    store: migrated to this version');
    // The PostgreSQL server's own settings (autovacuum) are the machine's, and may fail on their own.
    expect(healthy.stdout).not.toMatch(/^FAIL {2}(settings|store|disk|clock):/m);
  });

  it('doctor fails on a store that is not migrated, saying what to run', async () => {
    const url = await freshStore();
    const result = await parley(['doctor'], { DATABASE_URL: url, PARLEY_MAIL_DIR: await tempDir() });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}store: .*`parley migrate`/m);
  });

  it("RET-4: export-visitor hands over Anna's data and records the request, answered, with the operator as actor", async () => {
    const { url, db } = await installation();
    const out = join(await tempDir(), 'anna.json');
    const anna = FIXTURE.visitors.anna;
    const result = await parley(
      ['export-visitor', '--account', FIXTURE.accounts.acme.id, '--email', 'ANNA@example.org', '--out', out],
      { DATABASE_URL: url },
    );
    const { progress, rest } = splitProgress(result.stderr);
    expect(rest).toContain('Wrote the data of 1 visitor(s)');
    expect(result.code).toBe(0);
    expect(progress.at(-1)).toMatchObject({ job: 'export-visitor', unit: 'visitors', done: 1, total: 1 });
    const document = JSON.parse(await readFile(out, 'utf8'));
    expect(document.visitors[anna.id].visitors[0]).toMatchObject({ id: anna.id, email: anna.email });
    expect(document.visitors[anna.id].messages.length).toBeGreaterThan(0);

    const requests = await readRows(db, 'dataSubjectRequests', { visitorId: anna.id, kind: 'export' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.completedAt).not.toBeNull();
    const audit = await readRows(db, 'auditLog', { action: 'visitor.exported' });
    expect(audit).toMatchObject([{ actorKind: 'staff', accountId: FIXTURE.accounts.acme.id }]);
    expect(JSON.stringify(audit[0]!.detail)).not.toContain(anna.email);
  });

  it('RET-4: erase-visitor asks first; with --yes it erases Anna, found by her chat id, as a completed request', async () => {
    const { url, db } = await installation();
    const anna = FIXTURE.visitors.anna;
    const args = ['erase-visitor', '--account', FIXTURE.accounts.acme.id, '--chat-id', anna.chatId];

    const completed = async () =>
      (
        await readRows(db, 'dataSubjectRequests', { kind: 'erasure', accountId: FIXTURE.accounts.acme.id })
      ).filter((r) => r.completedAt !== null).length;
    const completedBefore = await completed();
    const unconfirmed = await parley(args, { DATABASE_URL: url });
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr.trim()).toBe('Nothing was erased: confirm on a terminal, or pass --yes.');
    expect(await countRows(db, 'visitors', { id: anna.id })).toBe(1);

    const erased = await parley([...args, '--yes'], { DATABASE_URL: url });
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(new RegExp(`^Erased ${anna.id}: \\d+ rows in \\d+ tables \\(request dsr_`));
    expect(await countRows(db, 'visitors', { id: anna.id })).toBe(0);
    expect(await countRows(db, 'conversations', { visitorId: anna.id })).toBe(0);
    expect(await completed()).toBe(completedBefore + 1);
    expect(await readRows(db, 'auditLog', { action: 'visitor.erased' })).toMatchObject([
      { actorKind: 'staff' },
    ]);

    const again = await parley([...args, '--yes'], { DATABASE_URL: url });
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`Account ${FIXTURE.accounts.acme.id} has no visitor with that chat id.`);
  });

  it('--email and --chat-id together are refused', async () => {
    const result = await parley(
      ['erase-visitor', '--account', 'acc_x', '--email', 'a@example.org', '--chat-id', 'c', '--yes'],
      {},
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("option '--email <address>' cannot be used with option '--chat-id <id>'");
  });

  it('RET-3: sweep --dry-run counts what would go and changes nothing', async () => {
    const { url, db } = await installation();
    const before = await countRows(db, 'accessLog');
    const result = await parley(['sweep', '--dry-run'], { DATABASE_URL: url });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).not.toBe('');
    const { progress, rest } = splitProgress(result.stderr);
    expect(rest.trim()).toBe('');
    const last = progress.at(-1);
    expect(last).toMatchObject({ job: 'sweep --dry-run', unit: 'tables' });
    expect(last?.done).toBe(last?.total);
    expect(last?.total).toBeGreaterThan(0);
    expect(await countRows(db, 'accessLog')).toBe(before);
    expect(await countRows(db, 'auditLog', { action: 'retention.sweep' })).toBe(0);
  });

  describe('setup', () => {
    const ALREADY =
      'This installation is set up already: add staff members with `parley create-staff --email <address> --name <name>`.';
    const storeOf = (url: string): ParleyDb => {
      const db = openStore(url, { poolSize: 1 });
      cleanups.push(() => closeDatabase(db));
      return db;
    };

    it('with no options prints a fresh one-time link to the setup page at PARLEY_PUBLIC_URL', async () => {
      const url = await freshStore();
      const result = await parley(['setup'], {
        DATABASE_URL: url,
        PARLEY_DEMO: '0',
        PARLEY_PUBLIC_URL: 'https://chat.example.com',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const token = /^Set up this installation: https:\/\/chat\.example\.com\/setup#([\w-]{20,})$/m.exec(
        result.stdout,
      )?.[1];
      expect(token).toBeDefined();
      expect(result.stdout).not.toContain('PARLEY_PUBLIC_URL is not set');
      const db = storeOf(url);
      expect(await isInstallationTokenOpen(db, 'setup', sha256(token!), Date.now())).toBe(true);

      // A second link replaces the first, as a restart's does.
      const again = await parley(['setup'], { DATABASE_URL: url, HOST: '0.0.0.0', PORT: '8899' });
      expect(again.stdout).toMatch(/^Set up this installation: http:\/\/localhost:8899\/setup#[\w-]{20,}$/m);
      expect(again.stdout).toContain(
        "PARLEY_PUBLIC_URL is not set, so the link uses the chat server's own address, http://localhost:8899",
      );
      expect(await isInstallationTokenOpen(db, 'setup', sha256(token!), Date.now())).toBe(false);
    });

    it('creates the first staff member and business with passwords from stdin, once; then refuses in one line', async () => {
      const url = await freshStore();
      const args = [
        'setup',
        '--email',
        'Olga@Example.org',
        '--name',
        'Olga',
        '--password-stdin',
        '--business',
        'Example Shop',
        '--owner-name',
        'Otto',
        '--owner-email',
        'otto@example.org',
      ];
      const result = await parley(
        args,
        { DATABASE_URL: url },
        { stdin: 'staff password 1\nowner password 2\n' },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Parley is set up. Staff member: Olga <olga@example.org>.');
      // Passwords given on stdin are never echoed.
      expect(result.stdout).not.toContain('password 1');

      const db = storeOf(url);
      const [staff] = await readRows(db, 'operatorStaff');
      expect(staff).toMatchObject({ email: 'olga@example.org', name: 'Olga', role: 'admin' });
      expect(await verifyPassword('staff password 1', staff!.passwordHash)).toBe(true);
      const [account] = await readRows(db, 'accounts');
      expect(account).toMatchObject({ organization: 'Example Shop' });
      const [owner] = await readRows(db, 'agents', { accountId: account!.id });
      expect(owner).toMatchObject({ email: 'otto@example.org', name: 'Otto' });
      expect(await verifyPassword('owner password 2', owner!.passwordHash)).toBe(true);
      expect(await readRows(db, 'auditLog', { action: 'installation.set_up' })).toMatchObject([
        { actorKind: 'staff', actorId: staff!.id, accountId: account!.id },
      ]);

      for (const again of [['setup'], ['setup', '--email', 'eve@example.org', '--name', 'Eve']]) {
        const refused = await parley(again, { DATABASE_URL: url });
        expect(refused.code).toBe(1);
        expect(refused.stderr.trim()).toBe(ALREADY);
      }
      expect(await countRows(db, 'operatorStaff')).toBe(1);
    });

    it('without --password-stdin generates the password and shows it once', async () => {
      const url = await freshStore();
      const result = await parley(['setup', '--email', 'olga@example.org', '--name', 'Olga'], {
        DATABASE_URL: url,
      });
      expect(result.code).toBe(0);
      const password = /^Password of olga@example\.org \(shown once, .*\): (\S+)$/m.exec(result.stdout)?.[1];
      const [staff] = await readRows(storeOf(url), 'operatorStaff');
      expect(await verifyPassword(password!, staff!.passwordHash)).toBe(true);
    });

    it('refuses a short password in one line and leaves a new installation untouched', async () => {
      const url = await freshStore();
      const result = await parley(
        ['setup', '--email', 'olga@example.org', '--name', 'Olga', '--password-stdin'],
        { DATABASE_URL: url },
        { stdin: 'short\n' },
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe('the password on stdin: the password needs at least 10 characters');
      if (url.startsWith('file:')) expect(existsSync(url.slice('file:'.length))).toBe(false);
      // Not even migrated.
      expect((await parley(['migrate', '--check'], { DATABASE_URL: url })).code).toBe(1);
    });
  });

  it('CHG-1: policy diff prints the changes between two versions, significant ones marked', async () => {
    const result = await parley(['policy', 'diff', '1.0.0', '1.1.0'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^From 1\.0\.0 \(\d{4}-\d{2}-\d{2}\) to 1\.1\.0/);
    const unknown = await parley(['policy', 'diff', '1.0.0', '9.9.9'], {});
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no policy version 9.9.9; the versions are 1.0.0');
  });
});
