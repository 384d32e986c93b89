import type { Statement } from 'better-sqlite3';
import { type ParleyDb, sqliteOf } from '../connection.ts';
import { newOrderedId } from '../ids.ts';
import { blockedByTransaction, outsideTransactions, whenFree } from '../transaction.ts';
import { openConversationInTransaction } from './conversations.ts';
import { MESSAGE_SELECT, type MessageAuthor, type MessageRecord } from './messages.ts';

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
 * next one. Each caller's promise resolves only after its row is committed, which is what lets the server
 * acknowledge a message only once it is safe.
 */
export interface MessageWriter {
  append(message: NewMessage): Promise<AppendResult>;
  /** Writes whatever is queued now. */
  flush(): Promise<void>;
  /** Writes whatever is queued and refuses further appends (graceful shutdown). */
  close(): Promise<void>;
  /** Messages queued and not yet committed. */
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

export function createMessageWriter(
  db: ParleyDb,
  { commitIntervalMs = COMMIT_INTERVAL_MS }: { commitIntervalMs?: number } = {},
): MessageWriter {
  let queue: Entry[] = [];
  /** The next commit, once one is due. */
  let scheduled: { cancel(): void } | null = null;
  let lastCommitAt = Number.NEGATIVE_INFINITY;
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
  let statements: { insert: Statement; find: Statement } | null = null;

  const prepared = () => {
    statements ??= {
      insert: sqliteOf(db).prepare(
        `INSERT INTO messages (id, conversation_id, account_id, visitor_id, author, agent_id, body, client_key, created_at)
         VALUES (@id, @conversationId, @accountId, @visitorId, @author, @agentId, @body, @clientKey, @createdAt)
         ON CONFLICT (conversation_id, author, client_key) DO NOTHING`,
      ),
      find: sqliteOf(db).prepare(
        `${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.author = ? AND m.client_key = ?`,
      ),
    };
    return statements;
  };

  const writeOne = ({ message }: Entry): AppendResult => {
    const { insert, find } = prepared();
    const createdAt = message.createdAt ?? Date.now();
    let conversationId = message.conversationId;
    let conversationStarted = false;
    if (conversationId === OPEN_CONVERSATION) {
      const open = openConversationInTransaction(db, {
        accountId: message.accountId,
        visitorId: message.visitorId,
        now: createdAt,
      });
      conversationId = open.conversationId;
      conversationStarted = open.created;
    }
    const record = newMessageRecord(message, conversationId, createdAt);
    const created = insert.run(record).changes === 1;
    // A new row without an agent is exactly what was inserted; reading it back is only needed for a resend
    // (the stored row wins) or for the agent's name.
    if (created && record.agentId === null) return { message: record, created, conversationStarted };
    const stored = find.get(conversationId, message.author, message.clientKey) as MessageRecord;
    return { message: stored, created, conversationStarted };
  };

  // Made once, not per commit: better-sqlite3 builds each transaction function with four variants.
  const writeBatch = sqliteOf(db).transaction((batch: Entry[]) => batch.map(writeOne));
  const writeAlone = sqliteOf(db).transaction(writeOne);

  const write = (): Promise<void> | undefined => {
    scheduled = null;
    // Committed while another's async transaction is open, the batch would be part of it; it waits its turn.
    if (blockedByTransaction(db)) {
      scheduled = { cancel: () => {} };
      return whenFree(db).then(write);
    }
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    lastCommitAt = performance.now();
    let results: AppendResult[];
    try {
      results = writeBatch(batch);
    } catch {
      // One bad message (say, its conversation was erased meanwhile) must not fail the others in its batch.
      for (const entry of batch) {
        try {
          entry.resolve(writeAlone(entry));
        } catch (error) {
          entry.reject(error);
        }
      }
      return;
    }
    batch.forEach((entry, i) => {
      entry.resolve(results[i]!);
    });
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
