import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId, sha256 } from '../ids.ts';
import { read, readOne, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { createWebsite, defaultWebsiteSettings } from '../websites/websites.ts';
import { normalizeEmail } from './agents.ts';

/** An account as the dashboard and the API see it: never the API key's hash. */
export interface Account {
  id: string;
  publicKey: string;
  organization: string;
  contactName: string | null;
  contactEmail: string | null;
  phone: string | null;
  imHandle: string | null;
  region: string;
  preChatForm: boolean;
  requestDeadlineDays: number;
  hasApiKey: boolean;
  createdAt: number;
}

/** RET-2: the fields an account holder may correct. `undefined` leaves a field as it is; `null` clears it. */
export interface AccountChanges {
  organization?: string;
  contactName?: string | null;
  contactEmail?: string | null;
  phone?: string | null;
  imHandle?: string | null;
  preChatForm?: boolean;
}

const columns = ({ accounts }: Tables) => ({
  id: accounts.id,
  publicKey: accounts.publicKey,
  organization: accounts.organization,
  contactName: accounts.contactName,
  contactEmail: accounts.contactEmail,
  phone: accounts.phone,
  imHandle: accounts.imHandle,
  region: accounts.region,
  preChatForm: accounts.preChatForm,
  requestDeadlineDays: accounts.requestDeadlineDays,
  apiKeyHash: accounts.apiKeyHash,
  createdAt: accounts.createdAt,
});

type AccountRow = Omit<Account, 'hasApiKey'> & { apiKeyHash: string | null };

function toAccount(row: AccountRow): Account {
  const { apiKeyHash, ...rest } = row;
  return { ...rest, hasApiKey: apiKeyHash !== null };
}

/** An open account by id; closed accounts are gone for every chat and dashboard purpose. */
export async function getAccount(db: ParleyDb, accountId: string): Promise<Account | null> {
  const row = await readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.accounts)
      .where(and(eq(t.accounts.id, accountId), isNull(t.accounts.closedAt))),
  );
  return row ? toAccount(row) : null;
}

/** The account a widget belongs to, from the public key in its script tag. */
export async function getAccountByPublicKey(db: ParleyDb, publicKey: string): Promise<Account | null> {
  const row = await readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.accounts)
      .where(and(eq(t.accounts.publicKey, publicKey), isNull(t.accounts.closedAt))),
  );
  return row ? toAccount(row) : null;
}

/**
 * The account a customer's API key belongs to; only the key's SHA-256 is stored, so that is what is compared. A
 * closed account is reported as such, so the API can say why the key stopped working.
 */
export async function findApiKeyAccount(
  db: ParleyDb,
  apiKey: string,
): Promise<{ account: Account; closed: boolean } | null> {
  const row = await readOne(db, (o, t) =>
    o
      .select({ ...columns(t), closedAt: t.accounts.closedAt })
      .from(t.accounts)
      .where(eq(t.accounts.apiKeyHash, sha256(apiKey))),
  );
  if (!row) return null;
  const { closedAt, ...rest } = row;
  return { account: toAccount(rest), closed: closedAt !== null };
}

/** RET-2: applies an account holder's corrections and returns the account as it now is. */
export async function updateAccount(
  db: ParleyDb,
  accountId: string,
  changes: AccountChanges,
): Promise<Account | null> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(set).length > 0)
    await write(db, (o, { accounts }) =>
      o
        .update(accounts)
        .set(set)
        .where(and(eq(accounts.id, accountId), isNull(accounts.closedAt))),
    );
  return getAccount(db, accountId);
}

/** Stores the hash of a new API key, which replaces the old one at once. */
export async function setApiKeyHash(db: ParleyDb, accountId: string, apiKeyHash: string): Promise<boolean> {
  const changed = await write(db, (o, { accounts }) =>
    o
      .update(accounts)
      .set({ apiKeyHash })
      .where(and(eq(accounts.id, accountId), isNull(accounts.closedAt))),
  );
  return changed === 1;
}

/** Public keys of demo accounts start with this, so the server can find the one its `/demo` page shows. */
export const DEMO_PUBLIC_KEY_PREFIX = 'pk_demo_';

/** The installation's demo account, if it has one. */
export async function getDemoAccount(db: ParleyDb): Promise<Account | null> {
  // The prefix is matched here rather than with LIKE, where `_` is a wildcard that each engine escapes its own way.
  const open = await read(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.accounts)
      .where(isNull(t.accounts.closedAt))
      .orderBy(asc(t.accounts.createdAt), asc(t.accounts.id)),
  );
  const demo = open.find((row) => row.publicKey.startsWith(DEMO_PUBLIC_KEY_PREFIX));
  return demo ? toAccount(demo) : null;
}

export async function countAccounts(db: ParleyDb): Promise<number> {
  const [row] = await read(db, (o, { accounts }) => o.select({ n: count() }).from(accounts));
  return row?.n ?? 0;
}

/** A new account with its owner, in one transaction. The owner's password arrives already hashed. */
export async function createAccountWithOwner(
  db: ParleyDb,
  input: {
    organization: string;
    region: string;
    publicKey?: string;
    owner: { email: string; name: string; passwordHash: string };
    /** COL-1: the optional contact details given at sign-up. */
    contact?: { phone: string | null; imHandle: string | null };
    now?: number;
  },
): Promise<{ accountId: string; agentId: string; publicKey: string }> {
  const now = input.now ?? Date.now();
  const accountId = newId('acc');
  const agentId = newId('agt');
  const publicKey = input.publicKey ?? `pk_${newId('x').slice(2)}`;
  await transaction(db, async () => {
    await write(db, (o, { accounts }) =>
      o.insert(accounts).values({
        id: accountId,
        publicKey,
        organization: input.organization,
        contactName: input.owner.name,
        contactEmail: input.owner.email,
        phone: input.contact?.phone ?? null,
        imHandle: input.contact?.imHandle ?? null,
        region: input.region,
        createdAt: now,
      }),
    );
    await write(db, (o, { agents }) =>
      o.insert(agents).values({
        id: agentId,
        accountId,
        email: normalizeEmail(input.owner.email),
        name: input.owner.name,
        passwordHash: input.owner.passwordHash,
        role: 'owner',
        online: true,
        createdAt: now,
      }),
    );
    // The account's first website carries the account's key, so the snippet shown at sign-up works at once.
    await createWebsite(db, accountId, defaultWebsiteSettings(input.organization), { publicKey, now });
  });
  return { accountId, agentId, publicKey };
}
