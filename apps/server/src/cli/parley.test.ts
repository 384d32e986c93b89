import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, migrationNames, openStore, type ParleyDb } from '@parley/db';
import { countRows, createTestDatabase, FIXTURE, readRows, testDialect } from '@parley/db/testing';
import { createTestPostgresDatabase } from '@parley/db/testing/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { locateAssets } from '../paths.ts';
import { parleyProcess } from './parley-process.ts';

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
    expect(result.stderr).toContain('Wrote the data of 1 visitor(s)');
    expect(result.code).toBe(0);
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
    expect(await countRows(db, 'accessLog')).toBe(before);
    expect(await countRows(db, 'auditLog', { action: 'retention.sweep' })).toBe(0);
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
