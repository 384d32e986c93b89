import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAccount } from './account-data.ts';
import { closeDatabase, type ParleyDb } from './connection.ts';
import { eraseVisitor } from './erase-visitor.ts';
import {
  ledgerEntries,
  ledgerHash,
  ledgerKeyFileOf,
  readKeyFile,
  readLedgerFile,
  replayErasureLedger,
} from './erasure-ledger.ts';
import { countRows, createTestDatabase, FIXTURE, readRow } from './testing/index.ts';

const anna = FIXTURE.visitors.anna;
const acme = FIXTURE.accounts.acme.id;
const globex = FIXTURE.accounts.globex.id;

let dir: string;
let ledgerFile: string;
/** The installation where the erasures happen. */
let live: ParleyDb;
/** The same installation as a backup taken before them holds it. */
let restored: ParleyDb;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-ledger-'));
  ledgerFile = join(dir, 'erasure-ledger.jsonl');
  live = await createTestDatabase({ erasureLedger: ledgerFile });
  restored = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(live);
  await closeDatabase(restored);
  rmSync(dir, { recursive: true, force: true });
});

const eraseAnna = () =>
  eraseVisitor(live, { accountId: acme, visitorId: anna.id, reason: 'request', actor: { kind: 'system' } });
const annaRows = (db: ParleyDb) => countRows(db, 'visitors', { id: anna.id });

describe('erasure ledger', () => {
  it('RET-4: an erasure leaves one entry of keyed hashes, in the store and in the ledger file, and no personal data', async () => {
    await eraseAnna();
    const entries = await ledgerEntries(live);
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    const [key] = await readKeyFile(ledgerKeyFileOf(ledgerFile));
    expect(entry?.keyId).toBe(key?.keyId);
    expect(entry?.kind).toBe('visitor');
    expect(entry?.subjectHash).toBe(ledgerHash(key!, 'visitor', anna.id));
    // Her address as she typed it in another case is the same address.
    expect(entry?.emailHashes).toEqual([ledgerHash(key!, 'email', anna.email.toLowerCase())]);
    expect(entry?.chatHashes.length).toBeGreaterThan(0);
    expect(await readLedgerFile(ledgerFile)).toEqual(entries);
    const written = readFileSync(ledgerFile, 'utf8');
    for (const text of [anna.id, anna.email, anna.name]) expect(written).not.toContain(text);
    expect(statSync(ledgerKeyFileOf(ledgerFile)).mode & 0o077).toBe(0);
  });

  it('RET-4: replaying the ledger on a store restored from before the erasure erases the visitor again, once', async () => {
    await eraseAnna();
    expect(await annaRows(restored)).toBe(1);
    const keys = await readKeyFile(ledgerKeyFileOf(ledgerFile));
    const report = await replayErasureLedger(restored, await readLedgerFile(ledgerFile), { keys });
    expect(report).toMatchObject({ entries: 1, added: 1, visitors: 1, unmatchable: 0 });
    expect(await annaRows(restored)).toBe(0);
    expect(await countRows(restored, 'conversations', { visitorId: anna.id })).toBe(0);
    // Everyone else is still there.
    expect(await countRows(restored, 'visitors', { id: FIXTURE.visitors.ben.id })).toBe(1);
    // The restored store now holds the entry, so its own backups carry it; a second replay finds nothing to do.
    expect(await ledgerEntries(restored)).toEqual(await ledgerEntries(live));
    expect(await replayErasureLedger(restored, await ledgerEntries(live))).toMatchObject({
      added: 0,
      visitors: 0,
    });
  });

  it('RET-4: without the key an entry cannot be matched, and is counted as such', async () => {
    await eraseAnna();
    const report = await replayErasureLedger(restored, await ledgerEntries(live));
    expect(report).toMatchObject({ entries: 1, visitors: 0, unmatchable: 1 });
    expect(await annaRows(restored)).toBe(1);
  });

  it('RET-4: a visitor who first came after the erasure is not erased by it', async () => {
    await eraseAnna();
    const [entry] = await ledgerEntries(live);
    const keys = await readKeyFile(ledgerKeyFileOf(ledgerFile));
    const report = await replayErasureLedger(restored, [{ ...entry!, erasedAt: 0 }], { keys });
    expect(report.visitors).toBe(0);
    expect(await annaRows(restored)).toBe(1);
  });

  it('RET-4: closing an account is in the ledger, and a restored store closes it again as of then', async () => {
    const closedAt = Date.now();
    expect(await closeAccount(live, { accountId: globex, now: closedAt })).toBe(true);
    const keys = await readKeyFile(ledgerKeyFileOf(ledgerFile));
    const report = await replayErasureLedger(restored, await readLedgerFile(ledgerFile), { keys });
    expect(report).toMatchObject({ accounts: 1, visitors: 0 });
    expect((await readRow(restored, 'accounts', { id: globex }))?.closedAt).toBe(closedAt);
    expect((await readRow(restored, 'accounts', { id: acme }))?.closedAt).toBeNull();
  });
});
