import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { queueMail } from '../notices.ts';
import { read, readOne, rows, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/**
 * COM-1: account holders (owners and admins) write to the installation's operator, and support staff answer in the
 * console. A thread per request; each side has its own read marker, so each sees what the other wrote since.
 */

export interface SupportThread {
  id: string;
  accountId: string;
  subject: string;
  status: 'open' | 'closed';
  createdAt: number;
  lastMessageAt: number;
  lastAuthor: 'account' | 'staff';
  closedAt: number | null;
  /** The other side wrote last and this side has not opened the thread since. */
  unread: boolean;
}

export interface SupportMessage {
  id: string;
  author: 'account' | 'staff';
  /** The agent's or staff member's name while they are on record. */
  authorName: string | null;
  body: string;
  createdAt: number;
}

export class SupportThreadNotFoundError extends Error {
  readonly code = 'SUPPORT_THREAD_NOT_FOUND';
  constructor() {
    super('There is no such support request.');
    this.name = 'SupportThreadNotFoundError';
  }
}

type Side = 'account' | 'staff';

const unreadFor = (side: Side): SQL =>
  side === 'account'
    ? sql`(t.last_author = 'staff' AND (t.account_read_at IS NULL OR t.account_read_at < t.last_message_at))`
    : sql`(t.last_author = 'account' AND (t.staff_read_at IS NULL OR t.staff_read_at < t.last_message_at))`;

const threadColumns = (side: Side): SQL =>
  sql`t.id, t.account_id AS "accountId", t.subject, t.status, t.created_at AS "createdAt",
      t.last_message_at AS "lastMessageAt", t.last_author AS "lastAuthor", t.closed_at AS "closedAt",
      CASE WHEN ${unreadFor(side)} THEN 1 ELSE 0 END AS unread`;

const toThread = <T extends { unread: unknown }>(found: T): T & { unread: boolean } => ({
  ...found,
  unread: Number(found.unread) === 1,
});

/** COM-1: an owner or admin opens a request with its first message. */
export async function openSupportThread(
  db: ParleyDb,
  input: { accountId: string; agentId: string; subject: string; body: string; now: number },
): Promise<string> {
  const id = newId('sup');
  await transaction(db, async () => {
    await write(db, (o, { supportThreads }) =>
      o.insert(supportThreads).values({
        id,
        accountId: input.accountId,
        agentId: input.agentId,
        subject: input.subject,
        status: 'open',
        createdAt: input.now,
        lastMessageAt: input.now,
        lastAuthor: 'account',
        accountReadAt: input.now,
      }),
    );
    await addMessage(db, { ...input, threadId: id, author: 'account' });
  });
  return id;
}

async function addMessage(
  db: ParleyDb,
  input: {
    threadId: string;
    accountId: string;
    author: Side;
    agentId?: string;
    staffId?: string;
    body: string;
    now: number;
  },
): Promise<void> {
  await write(db, (o, { supportMessages }) =>
    o.insert(supportMessages).values({
      id: newId('spm'),
      threadId: input.threadId,
      accountId: input.accountId,
      author: input.author,
      agentId: input.agentId ?? null,
      staffId: input.staffId ?? null,
      body: input.body,
      createdAt: input.now,
    }),
  );
  // Writing to a closed thread opens it again: the retention clock stops until it is closed anew.
  await write(db, (o, { supportThreads }) =>
    o
      .update(supportThreads)
      .set({
        lastMessageAt: input.now,
        lastAuthor: input.author,
        status: 'open',
        closedAt: null,
        ...(input.author === 'account' ? { accountReadAt: input.now } : { staffReadAt: input.now }),
      })
      .where(eq(supportThreads.id, input.threadId)),
  );
}

/** COM-1: the account's side writes again in one of its own threads. */
export async function addAccountSupportMessage(
  db: ParleyDb,
  input: { accountId: string; threadId: string; agentId: string; body: string; now: number },
): Promise<void> {
  await transaction(db, async () => {
    await threadOf(db, input.threadId, input.accountId);
    await addMessage(db, { ...input, author: 'account' });
  });
}

async function threadOf(
  db: ParleyDb,
  threadId: string,
  accountId?: string,
): Promise<{ id: string; accountId: string; agentId: string | null; subject: string }> {
  const found = await readOne(db, (o, { supportThreads }) =>
    o
      .select({
        id: supportThreads.id,
        accountId: supportThreads.accountId,
        agentId: supportThreads.agentId,
        subject: supportThreads.subject,
      })
      .from(supportThreads)
      .where(
        and(
          eq(supportThreads.id, threadId),
          accountId === undefined ? undefined : eq(supportThreads.accountId, accountId),
        ),
      ),
  );
  if (!found) throw new SupportThreadNotFoundError();
  return found;
}

/** The account's threads, newest activity first, each saying whether support has answered since it was opened. */
export async function listAccountSupportThreads(db: ParleyDb, accountId: string): Promise<SupportThread[]> {
  const found = await rows<SupportThread>(
    db,
    sql`SELECT ${threadColumns('account')} FROM support_threads t WHERE t.account_id = ${accountId}
        ORDER BY t.last_message_at DESC, t.id`,
  );
  return found.map(toThread);
}

/** How many of the account's threads hold an answer it has not read, for the dashboard's menu. */
export async function unreadSupportThreads(db: ParleyDb, accountId: string): Promise<number> {
  return (await listAccountSupportThreads(db, accountId)).filter((t) => t.unread).length;
}

async function messagesOf(db: ParleyDb, threadId: string): Promise<SupportMessage[]> {
  return read(db, (o, { supportMessages, agents, operatorStaff }) =>
    o
      .select({
        id: supportMessages.id,
        author: supportMessages.author,
        authorName: sql<string | null>`coalesce(${agents.name}, ${operatorStaff.name})`,
        body: supportMessages.body,
        createdAt: supportMessages.createdAt,
      })
      .from(supportMessages)
      .leftJoin(agents, and(eq(agents.id, supportMessages.agentId), isNull(agents.removedAt)))
      .leftJoin(operatorStaff, eq(operatorStaff.id, supportMessages.staffId))
      .where(eq(supportMessages.threadId, threadId))
      .orderBy(asc(supportMessages.createdAt), asc(supportMessages.id)),
  );
}

/** One thread with its messages, read by `side`: opening it marks everything in it read for that side. */
export async function readSupportThread(
  db: ParleyDb,
  input: { threadId: string; side: Side; accountId?: string; now: number },
): Promise<{ thread: SupportThread & { organization: string }; messages: SupportMessage[] }> {
  const found = await rows<SupportThread & { organization: string }>(
    db,
    sql`SELECT ${threadColumns(input.side)}, a.organization FROM support_threads t
        JOIN accounts a ON a.id = t.account_id
        WHERE t.id = ${input.threadId} ${input.accountId === undefined ? sql`` : sql`AND t.account_id = ${input.accountId}`}`,
  );
  const thread = found[0];
  if (!thread) throw new SupportThreadNotFoundError();
  await write(db, (o, { supportThreads }) =>
    o
      .update(supportThreads)
      .set(input.side === 'account' ? { accountReadAt: input.now } : { staffReadAt: input.now })
      .where(eq(supportThreads.id, input.threadId)),
  );
  // Read now, by this side.
  return { thread: { ...toThread(thread), unread: false }, messages: await messagesOf(db, input.threadId) };
}

export interface StaffSupportThread extends SupportThread {
  organization: string;
}

/** The console's inbox: open threads first, newest activity first, a page at a time (offset paging). */
export async function listSupportThreads(
  db: ParleyDb,
  input: { status?: 'open' | 'closed'; limit: number; offset: number },
): Promise<{ threads: StaffSupportThread[]; more: boolean }> {
  const found = await rows<StaffSupportThread>(
    db,
    sql`SELECT ${threadColumns('staff')}, a.organization FROM support_threads t
        JOIN accounts a ON a.id = t.account_id
        ${input.status ? sql`WHERE t.status = ${input.status}` : sql``}
        ORDER BY t.status = 'closed', t.last_message_at DESC, t.id
        LIMIT ${input.limit + 1} OFFSET ${input.offset}`,
  );
  return { threads: found.slice(0, input.limit).map(toThread), more: found.length > input.limit };
}

/**
 * COM-1: support staff answer. The answer is stored in the thread (the dashboard shows it, unread) and mailed,
 * through the outbox, to the person who opened the thread, or to the account's contact if they have left.
 */
export async function replyToSupportThread(
  db: ParleyDb,
  input: {
    threadId: string;
    staffId: string;
    body: string;
    now: number;
    /** The mail's text; the caller words it and links to the dashboard. */
    mail: (thread: { subject: string }) => { subject: string; body: string };
  },
): Promise<void> {
  await transaction(db, async () => {
    const thread = await threadOf(db, input.threadId);
    await addMessage(db, { ...input, accountId: thread.accountId, author: 'staff' });
    const recipient = await readOne(db, (o, { accounts, agents }) =>
      o
        .select({ agentEmail: agents.email, contactEmail: accounts.contactEmail })
        .from(accounts)
        .leftJoin(
          agents,
          and(
            eq(agents.id, thread.agentId ?? ''),
            eq(agents.accountId, accounts.id),
            isNull(agents.removedAt),
          ),
        )
        .where(and(eq(accounts.id, thread.accountId), isNull(accounts.closedAt))),
    );
    const to = recipient?.agentEmail ?? recipient?.contactEmail;
    if (!to) return;
    const mail = input.mail(thread);
    await queueMail(db, { kind: 'support', to, accountId: thread.accountId, now: input.now, ...mail });
  });
}

/** Closing a thread starts its retention clock (COM-1); a new message from either side opens it again. */
export async function closeSupportThread(
  db: ParleyDb,
  input: { threadId: string; now: number },
): Promise<boolean> {
  const closed = await write(db, (o, { supportThreads }) =>
    o
      .update(supportThreads)
      .set({ status: 'closed', closedAt: input.now })
      .where(and(eq(supportThreads.id, input.threadId), eq(supportThreads.status, 'open'))),
  );
  return closed === 1;
}

/** RET-2: the account's support threads and messages, for its export. */
export async function exportSupportThreads(
  db: ParleyDb,
  accountId: string,
): Promise<Record<string, unknown>[]> {
  const threads = await read(db, (o, { supportThreads }) =>
    o
      .select({
        id: supportThreads.id,
        subject: supportThreads.subject,
        status: supportThreads.status,
        created_at: supportThreads.createdAt,
        closed_at: supportThreads.closedAt,
      })
      .from(supportThreads)
      .where(eq(supportThreads.accountId, accountId))
      .orderBy(asc(supportThreads.createdAt), asc(supportThreads.id)),
  );
  return Promise.all(
    threads.map(async (thread) => ({
      ...thread,
      messages: (await messagesOf(db, thread.id)).map((m) => ({
        author: m.author,
        body: m.body,
        created_at: m.createdAt,
      })),
    })),
  );
}

/** RET-3: closing the account erases its support threads with their messages. */
export async function eraseSupportThreads(db: ParleyDb, accountId: string): Promise<number> {
  return write(db, (o, { supportThreads }) =>
    o.delete(supportThreads).where(eq(supportThreads.accountId, accountId)),
  );
}
