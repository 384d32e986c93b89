import type { Statement } from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { type ParleyDb, sqliteOf } from '../connection.ts';
import { newId, newOrderedId } from '../ids.ts';
import { read } from '../statements.ts';
import { blockedByTransaction, outsideTransactions, transaction, whenFree } from '../transaction.ts';
import { openConversationsInTransaction } from './conversations.ts';
import {
  MESSAGE_SELECT,
  type MessageAuthor,
  type MessageRecord,
  type MessageRow,
  messageRows,
  toMessageRecord,
} from './messages.ts';

/** In place of a conversation id: the visitor's open conversation, started if they have none. */
export const OPEN_CONVERSATION: unique symbol = Symbol('the visitor’s open conversation');

export interface NewMessage {
  /**
   * Where the message goes. A visitor's message goes to `OPEN_CONVERSATION`: it is looked up (or started) in the
   * transaction that stores the message, which spares a read of its own per message and cannot race a close.
   */
  conversationId: string | typeof OPEN_CONVERSATION;
  accountId: string;
  visitorId: string;
  author: MessageAuthor;
  agentId?: string | null;
  body: string;
  /** The client's idempotency key: the same key from the same author in the same conversation is one message. */
  clientKey: string;
  createdAt?: number;
  /** The website a visitor's message came from: a conversation it starts remembers it. */
  websiteId?: string | null;
  /** The department the visitor chose: a conversation it starts is routed to its agents. */
  departmentId?: string | null;
}

export interface AppendResult {
  message: MessageRecord;
  /** False when the message was already stored under this key: a resend, to be acknowledged but not delivered. */
  created: boolean;
  /** True when this message started the visitor's conversation (`OPEN_CONVERSATION`). */
  conversationStarted: boolean;
}

/**
 * Appends chat messages in batches. Messages appended during one turn of the event loop are written in one
 * transaction on the next (`setImmediate`), so a busy server commits once for many messages instead of once each.
 * Under load, commits are also spaced at least `commitIntervalMs` apart, and whatever arrives meanwhile joins the
 * next one. On PostgreSQL, where a commit is a round trip, a batch also waits for the one before it to commit, so
 * batches commit in the order their messages were appended. Each caller's promise resolves only after its row is
 * committed, which is what lets the server acknowledge a message only once it is safe.
 */
export interface MessageWriter {
  append(message: NewMessage): Promise<AppendResult>;
  /** Writes whatever is queued now, after the batch being committed, if one is. */
  flush(): Promise<void>;
  /** Writes whatever is queued and refuses further appends (graceful shutdown). */
  close(): Promise<void>;
  /** Messages queued for a commit that has not started yet (on PostgreSQL, a batch may be committing meanwhile). */
  readonly pending: number;
}

/** The row a new message becomes in `conversationId`, under a fresh time-ordered id. */
export function newMessageRecord(
  message: NewMessage,
  conversationId: string,
  createdAt: number,
): MessageRecord {
  return {
    id: newOrderedId('msg'),
    conversationId,
    accountId: message.accountId,
    visitorId: message.visitorId,
    author: message.author,
    agentId: message.agentId ?? null,
    agentName: null,
    body: message.body,
    clientKey: message.clientKey,
    createdAt,
    file: null,
  };
}

export class MessageWriterClosedError extends Error {
  readonly code = 'message_writer_closed';
  constructor() {
    super('the message writer is closed');
    this.name = 'MessageWriterClosedError';
  }
}

interface Entry {
  message: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * A commit costs the same whether it carries one message or fifty: the locks, and one WAL write per page touched,
 * where a page holds many messages. At a few thousand messages a second, committing every turn of the event loop
 * wrote a handful of messages per commit and spent most of the server's time in commits. Two milliseconds apart
 * caps commits at 500 a second; a message that arrives after a quiet spell is still committed at once.
 */
export const COMMIT_INTERVAL_MS = 2;

/**
 * Commits a batch in one transaction and settles each entry's promise. One bad message (say, its conversation was
 * erased meanwhile) must not fail the others in its batch: when the batch fails, each of its messages is tried
 * alone. SQLite commits before returning; PostgreSQL returns a promise, which never rejects.
 */
type CommitBatch = (batch: Entry[]) => Promise<void> | undefined;

/**
 * SQLite, the server's hot path: prepared statements in better-sqlite3's synchronous transaction, which commits a
 * batch without leaving the event loop. They say what `openConversationsInTransaction` and `storeMessages` say.
 */
function sqliteCommitter(db: ParleyDb): CommitBatch {
  const sqlite = sqliteOf(db);
  let statements: Record<'findOpen' | 'startConversation' | 'insert' | 'find', Statement> | null = null;
  const prepared = () => {
    statements ??= {
      findOpen: sqlite.prepare(
        `SELECT id FROM conversations WHERE account_id = ? AND visitor_id = ? AND status IN ('waiting', 'active')
         ORDER BY started_at DESC LIMIT 1`,
      ),
      startConversation: sqlite.prepare(
        `INSERT INTO conversations (id, account_id, visitor_id, status, started_at, website_id, department_id)
         VALUES (?, ?, ?, 'waiting', ?, ?, ?)`,
      ),
      insert: sqlite.prepare(
        `INSERT INTO messages (id, conversation_id, account_id, visitor_id, author, agent_id, body, client_key, created_at)
         VALUES (@id, @conversationId, @accountId, @visitorId, @author, @agentId, @body, @clientKey, @createdAt)
         ON CONFLICT (conversation_id, author, client_key) DO NOTHING`,
      ),
      find: sqlite.prepare(
        `${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.author = ? AND m.client_key = ?`,
      ),
    };
    return statements;
  };

  const openConversation = (
    message: NewMessage,
    now: number,
  ): { conversationId: string; created: boolean } => {
    const { findOpen, startConversation } = prepared();
    const open = findOpen.get(message.accountId, message.visitorId) as { id: string } | undefined;
    if (open) return { conversationId: open.id, created: false };
    const conversationId = newId('cnv');
    startConversation.run(
      conversationId,
      message.accountId,
      message.visitorId,
      now,
      message.websiteId ?? null,
      message.departmentId ?? null,
    );
    return { conversationId, created: true };
  };

  const writeOne = ({ message }: Entry): AppendResult => {
    const { insert, find } = prepared();
    const createdAt = message.createdAt ?? Date.now();
    let conversationId = message.conversationId;
    let conversationStarted = false;
    if (conversationId === OPEN_CONVERSATION) {
      const open = openConversation(message, createdAt);
      conversationId = open.conversationId;
      conversationStarted = open.created;
    }
    const record = newMessageRecord(message, conversationId, createdAt);
    const created = insert.run(record).changes === 1;
    // A new row without an agent is exactly what was inserted; reading it back is only needed for a resend
    // (the stored row wins) or for the agent's name.
    if (created && record.agentId === null) return { message: record, created, conversationStarted };
    const stored = toMessageRecord(find.get(conversationId, message.author, message.clientKey) as MessageRow);
    return { message: stored, created, conversationStarted };
  };

  // Made once, not per commit: better-sqlite3 builds each transaction function with four variants.
  const writeBatch = sqlite.transaction((batch: Entry[]) => batch.map(writeOne));
  const writeAlone = sqlite.transaction(writeOne);

  // BEGIN IMMEDIATE, as every other transaction here: a deferred one reads first and then asks for the write lock,
  // which SQLite refuses at once, without waiting, when another process (`parley backup` making the ledger's key,
  // `parley erase-visitor`) wrote since the read; waiting for the lock up front lets busy_timeout do its work.
  return (batch) => {
    let results: AppendResult[];
    try {
      results = writeBatch.immediate(batch);
    } catch {
      for (const entry of batch) {
        try {
          entry.resolve(writeAlone.immediate(entry));
        } catch (error) {
          entry.reject(error);
        }
      }
      return undefined;
    }
    batch.forEach((entry, i) => {
      entry.resolve(results[i]!);
    });
    return undefined;
  };
}

/**
 * The conversation each message goes to, and whether the message started it: every visitor's open conversation of
 * the batch is looked up (or started) at once, in a number of statements that does not grow with the batch.
 */
async function conversationsOf(
  db: ParleyDb,
  messages: NewMessage[],
  createdAts: number[],
): Promise<Array<{ conversationId: string; conversationStarted: boolean }>> {
  const toOpen = messages.flatMap((message, i) =>
    message.conversationId === OPEN_CONVERSATION ? [{ ...message, now: createdAts[i]! }] : [],
  );
  const open = (await openConversationsInTransaction(db, toOpen)).values();
  return messages.map((message) => {
    if (message.conversationId !== OPEN_CONVERSATION)
      return { conversationId: message.conversationId, conversationStarted: false };
    const { conversationId, created } = open.next().value!;
    return { conversationId, conversationStarted: created };
  });
}

/** The stored rows of `records`, by `storedKey`: one statement for every resend and agent message of a batch. */
async function storedMessages(db: ParleyDb, records: MessageRecord[]): Promise<Map<string, MessageRecord>> {
  if (records.length === 0) return new Map();
  const keys = records.map((r) => sql`(${r.conversationId}, ${r.author}, ${r.clientKey})`);
  const found = await messageRows(
    db,
    sql`${sql.raw(MESSAGE_SELECT)} WHERE (m.conversation_id, m.author, m.client_key) IN (${sql.join(keys, sql`, `)})`,
  );
  return new Map(found.map((message) => [storedKey(message), message]));
}

/** The message's idempotency key: the same in the same conversation from the same author is one message. */
const storedKey = (message: MessageRecord) =>
  `${message.conversationId}\n${message.author}\n${message.clientKey}`;

/**
 * Stores messages in the caller's transaction: every row in one multi-row insert, which stores a resent key (or a
 * key twice in one batch) once and keeps the rows in the order given, which is the order messages were appended.
 */
async function storeMessages(db: ParleyDb, messages: NewMessage[]): Promise<AppendResult[]> {
  const createdAts = messages.map((message) => message.createdAt ?? Date.now());
  const targets = await conversationsOf(db, messages, createdAts);
  const records = messages.map((message, i) =>
    newMessageRecord(message, targets[i]!.conversationId, createdAts[i]!),
  );
  const inserted = await read(db, (o, { messages: m }) =>
    o
      .insert(m)
      .values(records.map(({ agentName: _agentName, file: _file, ...row }) => row))
      .onConflictDoNothing({ target: [m.conversationId, m.author, m.clientKey] })
      .returning({ id: m.id }),
  );
  const created = new Set(inserted.map((row) => row.id));
  // A new row without an agent is exactly what was inserted; the others are read back: a resend (the stored row
  // wins) and an agent's message (for the agent's name).
  const stored = await storedMessages(
    db,
    records.filter((record) => !created.has(record.id) || record.agentId !== null),
  );
  return records.map((record, i) => {
    const isNew = created.has(record.id);
    const message = isNew && record.agentId === null ? record : stored.get(storedKey(record));
    if (!message) throw new Error(`message ${record.clientKey} was neither stored nor found`);
    return { message, created: isNew, conversationStarted: targets[i]!.conversationStarted };
  });
}

/**
 * PostgreSQL: each batch in a transaction of its own (never the transaction of whoever appended or flushed), in a
 * number of round trips that does not grow with the batch: begin, the visitors' locks, their open conversations,
 * the conversations started, the messages, the rows read back (resends and agents' messages), commit. A round trip
 * per visitor (a lock and a lookup each, one after the other) held a batch's connection for as many turns of the
 * network as the batch had visitors, and capped the server at a few hundred messages a second with its CPU idle.
 */
function postgresCommitter(db: ParleyDb): CommitBatch {
  const commit = (batch: Entry[]) =>
    transaction(db, () =>
      storeMessages(
        db,
        batch.map((e) => e.message),
      ),
    );
  return (batch) =>
    outsideTransactions(async () => {
      let results: AppendResult[];
      try {
        results = await commit(batch);
      } catch {
        for (const entry of batch) {
          try {
            const [result] = await commit([entry]);
            entry.resolve(result!);
          } catch (error) {
            entry.reject(error);
          }
        }
        return;
      }
      batch.forEach((entry, i) => {
        entry.resolve(results[i]!);
      });
    });
}

export function createMessageWriter(
  db: ParleyDb,
  { commitIntervalMs = COMMIT_INTERVAL_MS }: { commitIntervalMs?: number } = {},
): MessageWriter {
  const commitBatch = db.dialect === 'postgres' ? postgresCommitter(db) : sqliteCommitter(db);
  let queue: Entry[] = [];
  /** The next commit, once one is due. */
  let scheduled: { cancel(): void } | null = null;
  let lastCommitAt = Number.NEGATIVE_INFINITY;
  /** PostgreSQL: the batch being committed. The next starts after it, so batches commit in the order appended. */
  let committing: Promise<void> | null = null;
  const schedule = () => {
    if (scheduled) return;
    // Whoever appends first schedules the commit for everyone: it must not carry that caller's transaction along.
    outsideTransactions(() => scheduleCommit());
  };
  const scheduleCommit = () => {
    const wait = lastCommitAt + commitIntervalMs - performance.now();
    // Node's timers count whole milliseconds: less than one to wait is the next turn.
    if (wait >= 1) {
      const timer = setTimeout(write, wait);
      scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(write);
      scheduled = { cancel: () => clearImmediate(immediate) };
    }
  };
  let closed = false;

  /** Writes the queue once `ready` settles; what is appended meanwhile joins that batch. */
  const after = (ready: Promise<void>): Promise<void> => {
    scheduled = { cancel: () => {} };
    return ready.then(write);
  };

  const write = (): Promise<void> | undefined => {
    scheduled = null;
    if (committing) return after(committing);
    // Committed while another's async transaction is open, the batch would be part of it; it waits its turn.
    if (blockedByTransaction(db)) return after(whenFree(db));
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    lastCommitAt = performance.now();
    const committed = commitBatch(batch);
    if (!committed) return;
    committing = committed.finally(() => {
      committing = null;
    });
    return committing;
  };

  return {
    append(message) {
      if (closed) return Promise.reject(new MessageWriterClosedError());
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ message, resolve, reject });
        schedule();
      });
    },
    async flush() {
      scheduled?.cancel();
      await write();
    },
    async close() {
      closed = true;
      scheduled?.cancel();
      await write();
    },
    get pending() {
      return queue.length;
    },
  };
}
