import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, chmod, readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { closeAccount } from './account-data.ts';
import { initInstallationSecrets, listInstallationSecrets } from './chat/installation-secrets.ts';
import type { ParleyDb } from './connection.ts';
import { eraseVisitor } from './erase-visitor.ts';
import { newId } from './ids.ts';
import { read, rows, write } from './statements.ts';

/**
 * RET-4: the erasure ledger. Each erasure of a visitor, and each closing of an account, leaves one entry, written in
 * the erasure's own transaction, so that restoring a backup taken before it, or copying a store, erases again what
 * was erased since (`replayErasureLedger`). An entry must find the erased rows without being personal data itself,
 * so it holds keyed hashes: HMAC-SHA256 under the installation's ledger key of the visitor's (or account's) id, of
 * their conversations' ids and of the addresses they gave.
 *
 * Why keyed, and why this key: a visitor id is random and its plain hash could not be reversed either, but an
 * address could be guessed and checked against a plain hash. Under a secret key nobody without it can check a guess.
 * The key is 32 random bytes made the first time an erasure needs it and kept among the installation's secrets in
 * the store, so every backup taken after it holds it and a restored store can match the entries made since. A backup
 * older than the key lacks it, so the key is also written to a file beside the ledger file (`erasure-ledger.key`),
 * from which a restore brings it back. Each entry names its key (`keyId`, a hash of the key), so a store can know
 * several.
 *
 * Every entry is also appended to a JSON-lines file beside the database (`erasure-ledger.jsonl`): when the store
 * itself is lost and an older backup is restored, the file still knows the erasures made since.
 */

const SECRET_NAME = 'erasure_ledger';

/** One erasure, as kept in the store's `erasure_ledger` table and as one line of the ledger file. */
export interface ErasureLedgerEntry {
  id: string;
  kind: 'visitor' | 'account';
  keyId: string;
  subjectHash: string;
  chatHashes: string[];
  emailHashes: string[];
  erasedAt: number;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isTexts = (value: unknown): value is string[] => Array.isArray(value) && value.every(isText);

/** A line of a ledger file, if it is an entry (the file is read back from disk, so it is checked like any input). */
function asEntry(value: unknown): ErasureLedgerEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const valid =
    isText(v.id) &&
    (v.kind === 'visitor' || v.kind === 'account') &&
    isText(v.keyId) &&
    isText(v.subjectHash) &&
    isTexts(v.chatHashes) &&
    isTexts(v.emailHashes) &&
    Number.isInteger(v.erasedAt);
  return valid
    ? {
        id: v.id as string,
        kind: v.kind as ErasureLedgerEntry['kind'],
        keyId: v.keyId as string,
        subjectHash: v.subjectHash as string,
        chatHashes: v.chatHashes as string[],
        emailHashes: v.emailHashes as string[],
        erasedAt: v.erasedAt as number,
      }
    : null;
}

/** `items` by the key `keyOf` gives each, in their order (Map.groupBy, which Node 20 lacks). */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}

/** A ledger key and its id. */
export interface LedgerKey {
  keyId: string;
  key: Buffer;
}

const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** The key file that belongs to a ledger file: `erasure-ledger.jsonl` → `erasure-ledger.key`. */
export const ledgerKeyFileOf = (ledgerFile: string): string => ledgerFile.replace(/(\.jsonl)?$/, '.key');

/** The keyed hash of one value; `what` keeps an id and an address that happened to be equal apart. */
export const ledgerHash = (key: LedgerKey, what: 'visitor' | 'account' | 'chat' | 'email', value: string) =>
  createHmac('sha256', key.key).update(`${what}:${value}`).digest('hex');

/** Addresses are compared as people mean them: trimmed, in lower case. */
const normalEmail = (email: string): string => email.trim().toLowerCase();

/** The ledger keys the store knows, newest last. */
export async function storedLedgerKeys(db: ParleyDb): Promise<LedgerKey[]> {
  return (await listInstallationSecrets(db, SECRET_NAME)).map((s) => ({
    keyId: s.keyId,
    key: Buffer.from(s.value, 'base64url'),
  }));
}

/**
 * The key new entries are made with: the store's newest, made now if it has none. Made in a transaction of its own,
 * before any erasure's, so that the key file never names a key the store rolled back.
 */
export async function ledgerKey(db: ParleyDb): Promise<LedgerKey> {
  const known = await storedLedgerKeys(db);
  const newest = known.at(-1);
  if (newest) return newest;
  const key = randomBytes(32);
  const offered = { keyId: keyIdOf(key), value: key.toString('base64url'), createdAt: Date.now() };
  const [stored] = await initInstallationSecrets(db, SECRET_NAME, [offered]);
  if (!stored) throw new Error('the erasure ledger key was not stored');
  const made = { keyId: stored.keyId, key: Buffer.from(stored.value, 'base64url') };
  if (db.erasureLedger) await rememberKeys(ledgerKeyFileOf(db.erasureLedger), [made]);
  return made;
}

/** Appends keys the key file does not hold yet; readable by the server's user only. */
async function rememberKeys(file: string, keys: LedgerKey[]): Promise<void> {
  const held = new Set((await readKeyFile(file)).map((k) => k.keyId));
  const lines = keys
    .filter((k) => !held.has(k.keyId))
    .map((k) => `${k.keyId} ${k.key.toString('base64url')}\n`);
  if (lines.length === 0) return;
  await appendFile(file, lines.join(''), { mode: 0o600 });
  await chmod(file, 0o600);
}

/** A file's text; empty when there is no file. */
const textOf = (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });

/** The keys of a key file; none when there is no file. */
export async function readKeyFile(file: string): Promise<LedgerKey[]> {
  const text = await textOf(file);
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] !== '')
    .map(([keyId, value]) => ({ keyId, key: Buffer.from(value, 'base64url') }));
}

/**
 * Records an erasure in the store's ledger; called inside the erasure's transaction, so that the entry is there
 * exactly when the erasure is. The caller appends the returned entry to the ledger file once it has committed.
 */
export async function recordErasure(
  db: ParleyDb,
  key: LedgerKey,
  input: {
    kind: 'visitor' | 'account';
    subjectId: string;
    chatIds?: readonly string[];
    emails?: readonly string[];
    erasedAt: number;
  },
): Promise<ErasureLedgerEntry> {
  const entry: ErasureLedgerEntry = {
    id: newId('erl'),
    kind: input.kind,
    keyId: key.keyId,
    subjectHash: ledgerHash(key, input.kind, input.subjectId),
    chatHashes: [...new Set(input.chatIds ?? [])].map((id) => ledgerHash(key, 'chat', id)),
    emailHashes: [...new Set((input.emails ?? []).map(normalEmail))].map((e) => ledgerHash(key, 'email', e)),
    erasedAt: input.erasedAt,
  };
  await write(db, (o, { erasureLedger }) => o.insert(erasureLedger).values(entry));
  return entry;
}

/** Appends entries to the ledger file, one JSON line each; nothing when the store has no ledger file. */
export async function appendToLedgerFile(
  db: ParleyDb,
  entries: readonly ErasureLedgerEntry[],
): Promise<void> {
  if (!db.erasureLedger || entries.length === 0) return;
  await appendFile(db.erasureLedger, entries.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
}

/** The entries of a ledger file; none when there is no file. A line that is not an entry is an error: it is named. */
export async function readLedgerFile(file: string): Promise<ErasureLedgerEntry[]> {
  const text = await textOf(file);
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    let entry: ErasureLedgerEntry | null = null;
    try {
      entry = asEntry(JSON.parse(line));
    } catch {}
    if (!entry) throw new Error(`${file}, line ${index + 1}: not an erasure ledger entry`);
    return [entry];
  });
}

/** Every entry of the store's ledger, oldest first. */
export async function ledgerEntries(db: ParleyDb): Promise<ErasureLedgerEntry[]> {
  return read(db, (o, { erasureLedger }) => o.select().from(erasureLedger).orderBy(erasureLedger.erasedAt));
}

/** What a replay did. */
export interface ReplayReport {
  /** Entries given, and those the store's ledger did not hold yet (now added). */
  entries: number;
  added: number;
  /** Visitors erased again, and accounts closed again. */
  visitors: number;
  accounts: number;
  /** Entries made under a key neither the store nor `keys` holds: they cannot be matched. */
  unmatchable: number;
}

/**
 * RET-4: erases again, in `db`, everything the ledger `entries` say was erased: each visitor whose id, one of whose
 * conversations' ids, or one of whose addresses hashes to an entry's, with `eraseVisitor` itself (so files, the
 * search index and every table go as in any erasure), and each account whose id does, closed again with
 * `closeAccount` as of its first closing (the retention sweep then deletes its data when the policy says). Only rows
 * made before the erasure are matched: a visitor who came back with the same address later is someone the
 * erasure did not cover. The entries are added to the store's own ledger, so that the next backup holds them too.
 * `keys` are keys from a key file, for entries made under a key this store has never seen; they are stored.
 */
export async function replayErasureLedger(
  db: ParleyDb,
  entries: readonly ErasureLedgerEntry[],
  options: {
    keys?: readonly LedgerKey[];
    /** After each visitor erased again, with how many the ledger matched: for a long replay's progress. */
    onVisitorErased?: (done: number, total: number) => void;
  } = {},
): Promise<ReplayReport> {
  const unique = [...new Map(entries.map((e) => [e.id, e])).values()];
  const report: ReplayReport = { entries: unique.length, added: 0, visitors: 0, accounts: 0, unmatchable: 0 };
  const keys = new Map((await storedLedgerKeys(db)).map((k) => [k.keyId, k]));
  const imported = (options.keys ?? []).filter((k) => !keys.has(k.keyId));
  if (imported.length > 0)
    await write(db, (o, { installationSecrets }) =>
      o.insert(installationSecrets).values(
        imported.map((k) => ({
          name: SECRET_NAME,
          keyId: k.keyId,
          value: k.key.toString('base64url'),
          // Older than any key made here, so that new entries keep being made under this store's own newest.
          createdAt: 0,
        })),
      ),
    );
  for (const k of imported) keys.set(k.keyId, k);

  const held = new Set((await ledgerEntries(db)).map((e) => e.id));
  const missing = unique.filter((e) => !held.has(e.id));
  for (const entry of missing)
    await write(db, (o, { erasureLedger }) => o.insert(erasureLedger).values(entry));
  report.added = missing.length;

  const usable = unique.filter((e) => keys.has(e.keyId));
  report.unmatchable = unique.length - usable.length;
  const visitorEntries = usable.filter((e) => e.kind === 'visitor');
  const matched = await visitorsMatching(db, visitorEntries, keys);
  for (const [visitor] of matched) {
    await eraseVisitor(db, {
      accountId: visitor.accountId,
      visitorId: visitor.id,
      reason: 'replay',
      actor: { kind: 'system' },
    });
    report.visitors += 1;
    options.onVisitorErased?.(report.visitors, matched.size);
  }
  for (const entry of usable.filter((e) => e.kind === 'account')) {
    const key = keys.get(entry.keyId)!;
    const open = await rows<{ id: string; created_at: number }>(
      db,
      sql`SELECT id, created_at FROM accounts WHERE closed_at IS NULL`,
    );
    for (const account of open)
      if (
        account.created_at <= entry.erasedAt &&
        ledgerHash(key, 'account', account.id) === entry.subjectHash
      )
        if (await closeAccount(db, { accountId: account.id, now: entry.erasedAt, replay: true }))
          report.accounts += 1;
  }
  return report;
}

/**
 * The visitors of `db` an entry covers, each with the erasure's time: by their id, their conversations' ids or
 * their addresses, hashed under each entry's key. Each visitor once.
 */
async function visitorsMatching(
  db: ParleyDb,
  entries: readonly ErasureLedgerEntry[],
  keys: ReadonlyMap<string, LedgerKey>,
): Promise<Map<{ id: string; accountId: string }, number>> {
  const found = new Map<string, { visitor: { id: string; accountId: string }; erasedAt: number }>();
  if (entries.length === 0) return new Map();
  const visitors = await rows<{ id: string; account_id: string; email: string | null; created_at: number }>(
    db,
    sql`SELECT id, account_id, email, created_at FROM visitors`,
  );
  const chats = await rows<{ id: string; visitor_id: string }>(
    db,
    sql`SELECT id, visitor_id FROM conversations`,
  );
  const offline = await rows<{ email: string; visitor_id: string }>(
    db,
    sql`SELECT email, visitor_id FROM offline_messages WHERE visitor_id IS NOT NULL`,
  );
  const chatsOf = groupBy(chats, (c) => c.visitor_id);
  const emailsOf = groupBy(offline, (m) => m.visitor_id);
  for (const [keyId, ofKey] of groupBy(entries, (e) => e.keyId)) {
    const key = keys.get(keyId)!;
    const hashes = new Map<string, number>();
    for (const entry of ofKey)
      for (const hash of [entry.subjectHash, ...entry.chatHashes, ...entry.emailHashes])
        hashes.set(hash, Math.max(hashes.get(hash) ?? 0, entry.erasedAt));
    for (const visitor of visitors) {
      const emails = [visitor.email, ...(emailsOf.get(visitor.id) ?? []).map((m) => m.email)].filter(
        (e): e is string => e !== null,
      );
      const candidates = [
        ledgerHash(key, 'visitor', visitor.id),
        ...(chatsOf.get(visitor.id) ?? []).map((c) => ledgerHash(key, 'chat', c.id)),
        ...emails.map((e) => ledgerHash(key, 'email', normalEmail(e))),
      ];
      const erasedAt = Math.max(...candidates.map((h) => hashes.get(h) ?? -1));
      // Someone who first came after the erasure is not who was erased, even with the same address.
      if (erasedAt >= 0 && Number(visitor.created_at) <= erasedAt && !found.has(visitor.id))
        found.set(visitor.id, { visitor: { id: visitor.id, accountId: visitor.account_id }, erasedAt });
    }
  }
  return new Map([...found.values()].map((f) => [f.visitor, f.erasedAt]));
}
