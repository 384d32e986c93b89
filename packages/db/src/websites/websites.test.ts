import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportAccount } from '../account-data.ts';
import { createAccountWithOwner } from '../chat/accounts.ts';
import { closeDatabase, defaultMigrationFolders, migrate, openStore, type ParleyDb } from '../connection.ts';
import {
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRows,
  testDialect,
  updateRows,
} from '../testing/index.ts';
import {
  createWebsite,
  defaultWebsiteSettings,
  deleteWebsite,
  getWebsiteByPublicKey,
  LastWebsiteError,
  listWebsites,
  normalizeOrigin,
  updateWebsite,
  type WebsiteSettings,
  WebsiteSettingsError,
} from './websites.ts';
import { isOpenAt, nextChangeAt } from './working-hours.ts';

const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const shop: WebsiteSettings = {
  ...defaultWebsiteSettings('  Shop  '),
  origins: ['https://Shop.Acme.test:443/cart', 'http://localhost:8080', ''],
  color: '#AA3300',
  position: 'left',
  launcherLabel: '  Talk to us ',
  greeting: 'Willkommen!',
  agentDisplay: 'initials',
  languages: ['de', 'en', 'de'],
  preChatName: 'optional',
  preChatEmail: 'required',
  hours: { timeZone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '17:30' } } },
  transcripts: false,
};

/** The field errors `settings` are refused with. */
async function refusal(db: ParleyDb, settings: WebsiteSettings): Promise<Record<string, string>> {
  try {
    await createWebsite(db, acme, settings);
  } catch (error) {
    if (error instanceof WebsiteSettingsError) return error.fields;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('websites of an account', () => {
  it('stores a website with its settings normalised, and finds it by its public key', async () => {
    const db = await createTestDatabase();
    const created = await createWebsite(db, acme, shop, { now: FIXTURE_NOW });
    expect(created).toMatchObject({
      accountId: acme,
      name: 'Shop',
      origins: ['https://shop.acme.test', 'http://localhost:8080'],
      color: '#aa3300',
      launcherLabel: 'Talk to us',
      languages: ['de', 'en'],
      hours: { timeZone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '17:30' } } },
      transcripts: false,
      ratings: true,
    });
    expect(created.publicKey).toMatch(/^pk_/);
    expect(await getWebsiteByPublicKey(db, created.publicKey)).toEqual(created);
    expect(await listWebsites(db, acme)).toEqual([created]);
    expect(await listWebsites(db, globex)).toEqual([]);
    expect(await getWebsiteByPublicKey(db, 'pk_nobody')).toBeNull();
  });

  it('refuses bad settings field by field, and stores nothing', async () => {
    const db = await createTestDatabase();
    const fields = await refusal(db, {
      ...shop,
      name: ' ',
      origins: ['shop.acme.test'],
      color: 'red',
      launcherLabel: 'x'.repeat(41),
      greeting: 'x'.repeat(501),
      languages: ['en', 'xx' as 'en'],
      hours: {
        timeZone: 'Mars/Olympus',
        days: { tue: { open: '18:00', close: '09:00' }, wed: { open: '9', close: '10:00' } },
      },
    });
    expect(Object.keys(fields).sort()).toEqual(
      [
        'color',
        'greeting',
        'hours.tue',
        'hours.wed',
        'hoursTimeZone',
        'languages',
        'launcherLabel',
        'name',
        'origins',
      ].sort(),
    );
    expect(await refusal(db, { ...shop, languages: [] })).toHaveProperty('languages');
    expect(await readRows(db, 'websites', { accountId: acme })).toEqual([]);
  });

  it('updates a website of its own account only, and keeps its key', async () => {
    const db = await createTestDatabase();
    const created = await createWebsite(db, acme, shop);
    expect(await updateWebsite(db, globex, created.id, { ...shop, color: '#000000' })).toBeNull();
    const updated = await updateWebsite(db, acme, created.id, { ...shop, color: '#00ff00', hours: null });
    expect(updated).toMatchObject({
      id: created.id,
      publicKey: created.publicKey,
      color: '#00ff00',
      hours: null,
    });
    await expect(updateWebsite(db, acme, created.id, { ...shop, color: '#12' })).rejects.toThrow(
      WebsiteSettingsError,
    );
    expect((await listWebsites(db, acme))[0]?.color).toBe('#00ff00');
  });

  it('deletes a website, never the last one, and its conversations stay without it', async () => {
    const db = await createTestDatabase();
    const first = await createWebsite(db, acme, shop);
    const second = await createWebsite(db, acme, defaultWebsiteSettings('Blog'));
    const conversation = FIXTURE.conversations.benActive;
    await updateRows(db, 'conversations', { websiteId: second.id }, { id: conversation });
    expect(await deleteWebsite(db, globex, second.id)).toBe(false);
    expect(await deleteWebsite(db, acme, second.id)).toBe(true);
    expect(await getWebsiteByPublicKey(db, second.publicKey)).toBeNull();
    expect((await readRows(db, 'conversations', { id: conversation }))[0]?.websiteId).toBeNull();
    await expect(deleteWebsite(db, acme, first.id)).rejects.toThrow(LastWebsiteError);
    expect(await listWebsites(db, acme)).toHaveLength(1);
  });

  it('gives a new account a website carrying its public key; the account key stays an alias of its first website', async () => {
    const db = await createTestDatabase();
    const { accountId, publicKey } = await createAccountWithOwner(db, {
      organization: 'Initech',
      region: 'DE',
      owner: { email: 'owner@initech.test', name: 'Olga', passwordHash: 'x' },
    });
    const [first] = await listWebsites(db, accountId);
    expect(first).toMatchObject({
      publicKey,
      name: 'Initech',
      color: '#2a5d9f',
      origins: [],
      languages: ['en'],
    });
    const second = await createWebsite(db, accountId, defaultWebsiteSettings('Second'));
    if (!first) throw new Error('no first website');
    await deleteWebsite(db, accountId, first.id);
    expect((await getWebsiteByPublicKey(db, publicKey))?.id).toBe(second.id);
  });

  it('RET-2: the account export lists its websites', async () => {
    const db = await createTestDatabase();
    const created = await createWebsite(db, acme, shop);
    const document = await exportAccount(db, acme);
    expect(document.websites).toEqual([
      expect.objectContaining({
        id: created.id,
        public_key: created.publicKey,
        origins: created.origins,
        languages: ['de', 'en'],
        pre_chat_email: 'required',
        transcripts: false,
      }),
    ]);
  });
});

describe('origins and working hours', () => {
  it.each([
    ['https://Shop.Example.com', 'https://shop.example.com'],
    ['https://shop.example.com:443/path?q=1', 'https://shop.example.com'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['shop.example.com', null],
    ['ftp://shop.example.com', null],
    ['https://user:pw@shop.example.com', null],
  ])('%s is the origin %s', (given, expected) => {
    expect(normalizeOrigin(given)).toBe(expected);
  });

  it('is open inside a day’s hours in the website’s time zone, and closed outside them', () => {
    const hours = { timeZone: 'America/New_York', days: { mon: { open: '09:00', close: '17:00' } } };
    // Monday 2026-12-07 14:00 UTC is 09:00 in New York; 22:00 UTC is 17:00 there.
    expect(isOpenAt(hours, Date.UTC(2026, 11, 7, 14, 0))).toBe(true);
    expect(isOpenAt(hours, Date.UTC(2026, 11, 7, 13, 59))).toBe(false);
    expect(isOpenAt(hours, Date.UTC(2026, 11, 7, 22, 0))).toBe(false);
    expect(isOpenAt(hours, Date.UTC(2026, 11, 8, 15, 0))).toBe(false);
    expect(isOpenAt(null, Date.UTC(2026, 11, 8, 15, 0))).toBe(true);
  });

  it('knows when a website next opens or closes', () => {
    const hours = {
      timeZone: 'America/New_York',
      days: { mon: { open: '09:00', close: '17:00' }, wed: { open: '10:30', close: '12:00' } },
    };
    // Monday 08:59:30 in New York: opens at 09:00; at 09:00 sharp it next closes at 17:00.
    expect(nextChangeAt(hours, Date.UTC(2026, 11, 7, 13, 59, 30))).toBe(Date.UTC(2026, 11, 7, 14, 0));
    expect(nextChangeAt(hours, Date.UTC(2026, 11, 7, 14, 0))).toBe(Date.UTC(2026, 11, 7, 22, 0));
    // After Monday's closing, Wednesday's opening; after Wednesday's closing, next Monday's.
    expect(nextChangeAt(hours, Date.UTC(2026, 11, 7, 23, 0))).toBe(Date.UTC(2026, 11, 9, 15, 30));
    expect(nextChangeAt(hours, Date.UTC(2026, 11, 9, 18, 0))).toBe(Date.UTC(2026, 11, 14, 14, 0));
    expect(nextChangeAt(null, Date.UTC(2026, 11, 7, 14, 0))).toBeNull();
    expect(nextChangeAt({ timeZone: 'UTC', days: {} }, Date.UTC(2026, 11, 7, 14, 0))).toBeNull();
  });
});

describe('the migration that brings websites', () => {
  it('gives every existing account one website with its public key and pre-chat choice', async () => {
    const dialect = testDialect();
    const full = defaultMigrationFolders[dialect];
    const before = mkdtempSync(join(tmpdir(), 'parley-migrations-'));
    cleanups.push(() => rmSync(before, { recursive: true, force: true }));
    cpSync(full, before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    const at = journal.entries.findIndex((entry) => entry.tag.endsWith('_websites'));
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(journalPath, JSON.stringify(journal));

    let db: ParleyDb;
    if (dialect === 'postgres') {
      const { createTestPostgresDatabase } = await import('../testing/postgres.ts');
      const database = await createTestPostgresDatabase({ migrated: false });
      db = openStore(database.url, { poolSize: 1, onClose: database.drop });
    } else {
      db = openStore(':memory:');
    }
    cleanups.push(() => closeDatabase(db));
    await migrate(db, before);
    await insertRows(db, 'accounts', [
      { id: 'acc_a', publicKey: 'pk_a', organization: 'A', region: 'DE', preChatForm: true, createdAt: 5 },
      { id: 'acc_b', publicKey: 'pk_b', organization: 'B', region: 'DE', createdAt: 6 },
    ]);
    await migrate(db, full);
    const a = await getWebsiteByPublicKey(db, 'pk_a');
    expect(a).toMatchObject({
      accountId: 'acc_a',
      name: 'A',
      origins: [],
      color: '#2a5d9f',
      languages: ['en'],
      preChatName: 'optional',
      preChatEmail: 'required',
      hours: null,
      transcripts: true,
      ratings: true,
      createdAt: 5,
    });
    expect(await getWebsiteByPublicKey(db, 'pk_b')).toMatchObject({
      accountId: 'acc_b',
      preChatEmail: 'off',
    });
  });
});
