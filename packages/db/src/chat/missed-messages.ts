import { type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { row } from '../statements.ts';
import { MESSAGE_SELECT, type MessageRecord, messageRows, messageWriteOrder } from './messages.ts';

/**
 * How far apart two server nodes' clocks may be, in milliseconds, plus the time a message may wait in its node's
 * writer between being timed and being committed. A message's `created_at` is the clock of the node that wrote it,
 * so a client that holds a message timed T by one node may still miss one another node timed a little before T:
 * a resume therefore reads back from T minus this margin and leaves out, by id, what the client already has. Nodes
 * kept in step by NTP differ by milliseconds; a larger skew than this can lose a message on a resume.
 */
export const MAX_CLOCK_SKEW_MS = 5_000;

/**
 * When the message `after` was written, if it is the account's (and, with `conversationId`, that conversation's);
 * null for an id that was never one of them, or whose message has been erased.
 */
async function anchorTime(
  db: ParleyDb,
  input: { accountId: string; after: string; conversationId?: string },
): Promise<number | null> {
  const found = await row<{ createdAt: number }>(
    db,
    sql`SELECT m.created_at AS "createdAt" FROM messages m WHERE m.id = ${input.after}
      AND m.account_id = ${input.accountId}
      ${input.conversationId === undefined ? sql`` : sql`AND m.conversation_id = ${input.conversationId}`}`,
  );
  return found ? Number(found.createdAt) : null;
}

/**
 * The messages of a conversation that a client holding the message `after` may not have: those written at or after
 * `after`'s time less `MAX_CLOCK_SKEW_MS`, `after` itself left out, in the order they were written. Null when
 * `after` is not a message of this conversation of this account (erased, or of another conversation): the client
 * then needs the whole conversation.
 */
export async function listMissedMessages(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; after: string },
): Promise<MessageRecord[] | null> {
  const anchor = await anchorTime(db, input);
  if (anchor === null) return null;
  return messageRows(
    db,
    sql`${sql.raw(MESSAGE_SELECT)} WHERE m.conversation_id = ${input.conversationId}
      AND m.account_id = ${input.accountId} AND m.created_at >= ${anchor - MAX_CLOCK_SKEW_MS} AND m.id <> ${input.after}
      ORDER BY m.created_at, ${messageWriteOrder(db)}`,
  );
}

/** What an agent's dashboard missed across the account: at most `limit` messages, and whether that was all. */
export interface MissedAccountMessages {
  messages: MessageRecord[];
  /** False when more than `limit` were missed: the dashboard should reload what it shows instead. */
  complete: boolean;
}

/**
 * The messages of the account's conversations that a dashboard holding the message `after` may not have, by the
 * same rule as `listMissedMessages`, oldest first. With `seenBy`, only those of the conversations that agent may
 * see: waiting ones and the ones they hold or held. Null when `after` is not one of the account's messages.
 *
 * Conversations are looked up first, through the account's index: a message is only ever written into an open
 * conversation, so one that closed before the cut (allowing once more for the skew of the clock that timed the
 * close) holds none that is new. The messages table keeps a single index, on the conversation.
 */
export async function listMissedAccountMessages(
  db: ParleyDb,
  input: { accountId: string; after: string; limit: number; seenBy?: string },
): Promise<MissedAccountMessages | null> {
  const anchor = await anchorTime(db, input);
  if (anchor === null) return null;
  const since = anchor - MAX_CLOCK_SKEW_MS;
  const where: SQL[] = [
    sql`c.account_id = ${input.accountId}`,
    sql`(c.status IN ('waiting', 'active') OR c.closed_at >= ${since - MAX_CLOCK_SKEW_MS})`,
    sql`m.created_at >= ${since}`,
    sql`m.id <> ${input.after}`,
  ];
  if (input.seenBy !== undefined) where.push(sql`(c.status = 'waiting' OR c.agent_id = ${input.seenBy})`);
  const found = await messageRows(
    db,
    sql`${sql.raw(MESSAGE_SELECT)} JOIN conversations c ON c.id = m.conversation_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY m.created_at, ${messageWriteOrder(db)} LIMIT ${input.limit + 1}`,
  );
  return { messages: found.slice(0, input.limit), complete: found.length <= input.limit };
}
