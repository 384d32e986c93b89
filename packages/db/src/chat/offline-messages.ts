import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { MAIL_LIMITS, takeMailAllowance } from '../mail-limits.ts';
import { read, readOne, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

export interface OfflineMessage {
  id: string;
  accountId: string;
  visitorId: string | null;
  name: string | null;
  email: string;
  body: string;
  createdAt: number;
  handledAt: number | null;
  /** Past the account's hourly limit on offline-message mail: not mailed, waiting for an agent in the dashboard. */
  mailHeld: boolean;
}

const columns = ({ offlineMessages: t }: Tables) => ({
  id: t.id,
  accountId: t.accountId,
  visitorId: t.visitorId,
  name: t.name,
  email: t.email,
  body: t.body,
  createdAt: t.createdAt,
  handledAt: t.handledAt,
  mailHeld: t.mailHeld,
});

/**
 * A message left while no agent was online. A resend with the same key returns the stored one. A new message is
 * counted against the account's hourly limit on offline-message mail in the same transaction; past it, the message
 * is kept with `mailHeld` set, for the caller not to mail it.
 */
export async function saveOfflineMessage(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId: string | null;
    name?: string | null;
    email: string;
    body: string;
    clientKey: string;
    now?: number;
  },
): Promise<{ message: OfflineMessage; created: boolean }> {
  const now = input.now ?? Date.now();
  const stored = (t: Tables) =>
    and(eq(t.offlineMessages.accountId, input.accountId), eq(t.offlineMessages.clientKey, input.clientKey));
  return transaction(db, async () => {
    // A resend racing the first send waits here for it to commit, then stores nothing: the key is unique.
    const inserted = await write(db, (o, { offlineMessages: m }) =>
      o
        .insert(m)
        .values({
          id: newId('off'),
          accountId: input.accountId,
          visitorId: input.visitorId,
          name: input.name ?? null,
          email: input.email,
          body: input.body,
          clientKey: input.clientKey,
          createdAt: now,
        })
        .onConflictDoNothing({ target: [m.accountId, m.clientKey] }),
    );
    const created = inserted === 1;
    const held =
      created &&
      !(await takeMailAllowance(db, {
        scope: 'offline_messages',
        key: input.accountId,
        limit: MAIL_LIMITS.offlineMessages,
        now,
      }));
    if (held) await write(db, (o, t) => o.update(t.offlineMessages).set({ mailHeld: true }).where(stored(t)));
    const message = await readOne(db, (o, t) =>
      o.select(columns(t)).from(t.offlineMessages).where(stored(t)),
    );
    if (!message) throw new Error(`the offline message ${input.clientKey} was neither stored nor found`);
    return { message, created };
  });
}

/** The account's offline messages, newest first; unhandled only unless asked otherwise. */
export async function listOfflineMessages(
  db: ParleyDb,
  accountId: string,
  options: { includeHandled?: boolean; limit?: number } = {},
): Promise<OfflineMessage[]> {
  return read(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.offlineMessages)
      .where(
        and(
          eq(t.offlineMessages.accountId, accountId),
          options.includeHandled ? undefined : isNull(t.offlineMessages.handledAt),
        ),
      )
      .orderBy(desc(t.offlineMessages.createdAt), desc(t.offlineMessages.id))
      .limit(options.limit ?? 200),
  );
}

/** Marks an offline message as answered. False if it is not the account's. */
export async function markOfflineMessageHandled(
  db: ParleyDb,
  input: { accountId: string; id: string; now?: number },
): Promise<boolean> {
  const marked = await write(db, (o, { offlineMessages: m }) =>
    o
      .update(m)
      .set({ handledAt: sql`coalesce(${m.handledAt}, ${input.now ?? Date.now()})` })
      .where(and(eq(m.id, input.id), eq(m.accountId, input.accountId))),
  );
  return marked === 1;
}
