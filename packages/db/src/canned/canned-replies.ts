import { and, asc, eq, ne } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { lockFor, read, readOne, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/**
 * A reply an account's agents insert by its short name. Its text may hold `{visitor.name}` and `{agent.name}`,
 * which the dashboard fills in when an agent inserts it; the store keeps the text as written.
 */
export interface CannedReply {
  id: string;
  accountId: string;
  /** Without the `/` agents type before it. */
  shortName: string;
  body: string;
  createdAt: number;
  updatedAt: number;
  /** The owner or admin who last wrote it; null once they are erased. */
  updatedBy: string | null;
}

export interface CannedReplyInput {
  shortName: string;
  body: string;
}

export const CANNED_REPLY_BODY_MAX = 4000;
export const CANNED_REPLY_SHORT_NAME_MAX = 32;
/** Lower-case letters, digits and dashes, starting with a letter or digit: what can follow `/` in the reply box. */
const SHORT_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** A canned reply refused, by field name: each message a sentence an owner can act on. */
export class CannedReplyError extends Error {
  constructor(readonly fields: Partial<Record<keyof CannedReplyInput, string>>) {
    super(Object.values(fields).join(' '));
    this.name = 'CannedReplyError';
  }
}

/**
 * The reply as it will be stored, or the fields that are wrong. A short name may be typed with its `/` and in any
 * case (`/Refund` is `refund`); the text is trimmed.
 */
export function checkCannedReply(input: CannedReplyInput): CannedReplyInput {
  const fields: Partial<Record<keyof CannedReplyInput, string>> = {};
  const shortName = input.shortName.trim().replace(/^\//, '').toLowerCase();
  if (shortName.length === 0) fields.shortName = 'Give the reply a short name, e.g. refund.';
  else if (shortName.length > CANNED_REPLY_SHORT_NAME_MAX)
    fields.shortName = `A short name may have at most ${CANNED_REPLY_SHORT_NAME_MAX} characters.`;
  else if (!SHORT_NAME.test(shortName))
    fields.shortName = 'A short name has only letters a–z, digits and dashes, e.g. refund-policy.';
  const body = input.body.trim();
  if (body.length === 0) fields.body = 'Write the text of the reply.';
  else if (body.length > CANNED_REPLY_BODY_MAX)
    fields.body = `The text may have at most ${CANNED_REPLY_BODY_MAX} characters.`;
  if (Object.keys(fields).length > 0) throw new CannedReplyError(fields);
  return { shortName, body };
}

const TAKEN = (shortName: string) =>
  new CannedReplyError({ shortName: `The account already has a reply called /${shortName}.` });

const columns = ({ cannedReplies }: Tables) => ({
  id: cannedReplies.id,
  accountId: cannedReplies.accountId,
  shortName: cannedReplies.shortName,
  body: cannedReplies.body,
  createdAt: cannedReplies.createdAt,
  updatedAt: cannedReplies.updatedAt,
  updatedBy: cannedReplies.updatedBy,
});

/** The account's canned replies, by short name. */
export async function listCannedReplies(db: ParleyDb, accountId: string): Promise<CannedReply[]> {
  return read(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.cannedReplies)
      .where(eq(t.cannedReplies.accountId, accountId))
      .orderBy(asc(t.cannedReplies.shortName)),
  );
}

export async function getCannedReply(
  db: ParleyDb,
  accountId: string,
  id: string,
): Promise<CannedReply | null> {
  return readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.cannedReplies)
      .where(and(eq(t.cannedReplies.id, id), eq(t.cannedReplies.accountId, accountId))),
  );
}

/** Whether another reply of the account (not `exceptId`) has `shortName`. */
async function shortNameTaken(
  db: ParleyDb,
  accountId: string,
  shortName: string,
  exceptId?: string,
): Promise<boolean> {
  const found = await readOne(db, (o, { cannedReplies }) =>
    o
      .select({ id: cannedReplies.id })
      .from(cannedReplies)
      .where(
        and(
          eq(cannedReplies.accountId, accountId),
          eq(cannedReplies.shortName, shortName),
          exceptId === undefined ? undefined : ne(cannedReplies.id, exceptId),
        ),
      ),
  );
  return found !== null;
}

/** Adds a reply; `CannedReplyError` when a field is wrong or the short name is the account's already. */
export async function createCannedReply(
  db: ParleyDb,
  accountId: string,
  input: CannedReplyInput,
  by: { agentId: string; now?: number },
): Promise<CannedReply> {
  const checked = checkCannedReply(input);
  const now = by.now ?? Date.now();
  const reply: CannedReply = {
    id: newId('cnr'),
    accountId,
    ...checked,
    createdAt: now,
    updatedAt: now,
    updatedBy: by.agentId,
  };
  const added = await write(db, (o, { cannedReplies }) =>
    o
      .insert(cannedReplies)
      .values(reply)
      .onConflictDoNothing({ target: [cannedReplies.accountId, cannedReplies.shortName] }),
  );
  if (added !== 1) throw TAKEN(checked.shortName);
  return reply;
}

/**
 * Rewrites a reply. Null when the account has no such reply; `CannedReplyError` when a field is wrong or another
 * reply has the short name. The account's replies are locked while the name is checked, so two owners renaming at
 * once get an answer each rather than a database error.
 */
export async function updateCannedReply(
  db: ParleyDb,
  accountId: string,
  id: string,
  input: CannedReplyInput,
  by: { agentId: string; now?: number },
): Promise<CannedReply | null> {
  const checked = checkCannedReply(input);
  return transaction(db, async () => {
    await lockFor(db, `canned-replies:${accountId}`);
    if (await shortNameTaken(db, accountId, checked.shortName, id)) throw TAKEN(checked.shortName);
    const changed = await write(db, (o, { cannedReplies }) =>
      o
        .update(cannedReplies)
        .set({ ...checked, updatedAt: by.now ?? Date.now(), updatedBy: by.agentId })
        .where(and(eq(cannedReplies.id, id), eq(cannedReplies.accountId, accountId))),
    );
    return changed === 1 ? getCannedReply(db, accountId, id) : null;
  });
}

/** False when the account has no such reply. */
export async function deleteCannedReply(db: ParleyDb, accountId: string, id: string): Promise<boolean> {
  const deleted = await write(db, (o, { cannedReplies }) =>
    o.delete(cannedReplies).where(and(eq(cannedReplies.id, id), eq(cannedReplies.accountId, accountId))),
  );
  return deleted === 1;
}
