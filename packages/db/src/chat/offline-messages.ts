import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { MAIL_LIMITS, MailLimitError, recipientKey, takeMailAllowance } from '../mail-limits.ts';
import { queueMail } from '../notices.ts';
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

/** An agent's answer to an offline message, as it was mailed. Its id is its mail's, which threads later replies. */
export interface OfflineReply {
  id: string;
  offlineMessageId: string;
  agentId: string | null;
  body: string;
  createdAt: number;
}

const replyColumns = ({ offlineReplies: r }: Tables) => ({
  id: r.id,
  offlineMessageId: r.offlineMessageId,
  agentId: r.agentId,
  body: r.body,
  createdAt: r.createdAt,
});

/** The replies to the account's offline messages `ids`, oldest first. */
export async function listOfflineReplies(
  db: ParleyDb,
  accountId: string,
  ids: readonly string[],
): Promise<OfflineReply[]> {
  if (ids.length === 0) return [];
  return read(db, (o, t) =>
    o
      .select(replyColumns(t))
      .from(t.offlineReplies)
      .where(
        and(eq(t.offlineReplies.accountId, accountId), inArray(t.offlineReplies.offlineMessageId, [...ids])),
      )
      .orderBy(asc(t.offlineReplies.createdAt), asc(t.offlineReplies.id)),
  );
}

/**
 * The mail a reply goes out as, written from the message, the replies before it (for the thread's headers) and the
 * locale the visitor's browser asked the widget for, if the message came from a known visitor.
 */
export type OfflineReplyMail = (
  message: OfflineMessage,
  earlier: readonly OfflineReply[],
  locale: string | null,
) => { subject: string; body: string; headers: Record<string, string> };

/**
 * Answers an offline message: queues the mail to the address the visitor gave, stores the reply and marks the
 * message handled, in one transaction, within the limit on mail to one address (past it nothing happens and
 * `MailLimitError` says so). Null when the account has no such message.
 */
export async function replyToOfflineMessage(
  db: ParleyDb,
  input: {
    accountId: string;
    offlineMessageId: string;
    agentId: string;
    body: string;
    /** The installation's key for `recipientKey`; without it mail to the address is not counted (see `queueTranscript`). */
    recipientSecret?: Buffer | undefined;
    mail: OfflineReplyMail;
    now?: number;
  },
): Promise<OfflineReply | null> {
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    const message = await readOne(db, (o, t) =>
      o
        .select(columns(t))
        .from(t.offlineMessages)
        .where(
          and(
            eq(t.offlineMessages.id, input.offlineMessageId),
            eq(t.offlineMessages.accountId, input.accountId),
          ),
        )
        .limit(1),
    );
    if (!message) return null;
    const visitor = message.visitorId
      ? await readOne(db, (o, { visitors: v }) =>
          o
            .select({ locale: v.locale })
            .from(v)
            .where(and(eq(v.id, message.visitorId ?? ''), eq(v.accountId, input.accountId)))
            .limit(1),
        )
      : null;
    const allowed =
      input.recipientSecret === undefined ||
      (await takeMailAllowance(db, {
        scope: 'recipient',
        key: recipientKey(input.recipientSecret, message.email),
        limit: MAIL_LIMITS.recipient,
        now,
      }));
    if (!allowed)
      throw new MailLimitError(
        'recipient_limit',
        `this address has been sent ${MAIL_LIMITS.recipient.max} mails today; try again tomorrow`,
      );
    const earlier = await listOfflineReplies(db, input.accountId, [message.id]);
    const mail = input.mail(message, earlier, visitor?.locale ?? null);
    const id = await queueMail(db, {
      kind: 'offline_reply',
      to: message.email,
      accountId: input.accountId,
      visitorId: message.visitorId,
      ...mail,
      now,
    });
    const reply: OfflineReply = {
      id,
      offlineMessageId: message.id,
      agentId: input.agentId,
      body: input.body,
      createdAt: now,
    };
    await write(db, (o, { offlineReplies }) =>
      o.insert(offlineReplies).values({
        ...reply,
        accountId: input.accountId,
        visitorId: message.visitorId,
        email: message.email,
      }),
    );
    await markOfflineMessageHandled(db, { accountId: input.accountId, id: message.id, now });
    return reply;
  });
}
