import { openDatabase, type ParleyDb } from '@parley/db';
import {
  type AppendResult,
  type MessageWriter,
  MessageWriterClosedError,
  type NewMessage,
  newMessageRecord,
  OPEN_CONVERSATION,
  openConversationInTransaction,
} from '@parley/db/chat';
import { createApp, loadSecrets, silentLogger, startServer } from '@parley/server';
import { isMain } from './report.ts';

/**
 * Parley with its message store taken out: the same server, sockets, validation and delivery, but a visitor's
 * message is acknowledged and delivered without being written anywhere. Parley could never ship this (it would
 * acknowledge messages it has not kept). The throughput benchmark runs it to show how fast Parley's event loop goes
 * when storing a message costs nothing, which bounds what any way of storing messages could reach on the same
 * machine.
 *
 * Messages are answered in batches on the next turn of the event loop, as the real writer does; each visitor's
 * conversation is still started once in SQLite, so agents receive the same frames as from Parley.
 */
export function createUnstoredWriter(db: ParleyDb): MessageWriter {
  const conversations = new Map<string, string>();
  let queue: Array<{ message: NewMessage; resolve: (result: AppendResult) => void }> = [];
  let scheduled = false;
  let closed = false;

  const answer = async ({ message }: { message: NewMessage }): Promise<AppendResult> => {
    let conversationId = message.conversationId;
    let conversationStarted = false;
    if (conversationId === OPEN_CONVERSATION) {
      const known = conversations.get(message.visitorId);
      if (known) conversationId = known;
      else {
        const open = await openConversationInTransaction(db, message);
        conversationId = open.conversationId;
        conversationStarted = open.created;
        conversations.set(message.visitorId, conversationId);
      }
    }
    return {
      message: newMessageRecord(message, conversationId, message.createdAt ?? Date.now()),
      created: true,
      conversationStarted,
    };
  };
  const write = async () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (const entry of batch) entry.resolve(await answer(entry));
  };

  return {
    append(message) {
      if (closed) return Promise.reject(new MessageWriterClosedError());
      return new Promise((resolve) => {
        queue.push({ message, resolve });
        if (!scheduled) {
          scheduled = true;
          setImmediate(write);
        }
      });
    },
    async flush() {
      await write();
    },
    async close() {
      closed = true;
      await write();
    },
    get pending() {
      return queue.length;
    },
  };
}

if (isMain(import.meta.url)) {
  const [dbPath] = process.argv.slice(2);
  if (!dbPath) throw new Error('usage: parley-without-storage.ts <path of a migrated Parley database>');
  const db = openDatabase(dbPath);
  const parley = createApp({
    db,
    secrets: await loadSecrets(db),
    log: silentLogger,
    writer: createUnstoredWriter(db),
  });
  const running = await startServer(parley, { host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => {
    void running.shutdown().then(() => process.exit(0));
  });
  process.send?.({ port: running.port });
}
