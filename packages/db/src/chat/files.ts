import { and, eq, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { lockFor, read, readOne, row, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { type AppendResult, newMessageRecord } from './message-writer.ts';
import { MESSAGE_SELECT, type MessageRecord, messageRows } from './messages.ts';

/**
 * Files sent in chats. A file is stored with the message that carries it (whose text is the file's name, so that
 * transcripts, previews and search name it), in one transaction, within the account's quota. Its bytes are read
 * only when someone downloads it; reading a conversation's messages reads its details alone.
 */

/** How many bytes of files an account keeps, unless the installation says otherwise: 1 GiB. */
export const DEFAULT_FILE_QUOTA_BYTES = 1024 * 1024 * 1024;

export interface NewFileMessage {
  accountId: string;
  conversationId: string;
  author: 'visitor' | 'agent';
  /** The agent who sent it; null for the visitor. */
  agentId?: string | null;
  /** The client's idempotency key: the same key from the same author in the same conversation is one message. */
  clientKey: string;
  /** The file's name, already made safe to show. */
  name: string;
  /** The type the file's bytes were found to be. */
  contentType: string;
  bytes: Buffer;
  /** An image's thumbnail, and its size in pixels. */
  thumbnail?: Buffer | null;
  width?: number | null;
  height?: number | null;
  /** The bytes the account's files may take together. */
  quotaBytes: number;
  now?: number;
}

/** Why a file was not stored; nothing of it was. */
export class FileRefusedError extends Error {
  constructor(
    readonly code: 'quota_exceeded' | 'conversation_closed' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

/** The message a client key already names in a conversation, as a resend finds it. */
async function findKeyed(
  db: ParleyDb,
  input: Pick<NewFileMessage, 'conversationId' | 'author' | 'clientKey'>,
): Promise<MessageRecord | null> {
  const [found] = await messageRows(
    db,
    sql`${sql.raw(MESSAGE_SELECT)} WHERE m.conversation_id = ${input.conversationId} AND m.author = ${input.author}
      AND m.client_key = ${input.clientKey}`,
  );
  return found ?? null;
}

/**
 * Stores a file and the message that carries it into an open conversation of the account, in one transaction. The
 * account's quota is checked and used in that transaction, under a lock on the account, so that uploads running
 * side by side on any number of connections or nodes cannot pass it together. A resent client key stores nothing
 * and returns the message stored the first time (`created: false`). Throws `FileRefusedError` for a conversation
 * that is not the account's or has ended, and for a file the quota has no room for.
 */
export async function storeFileMessage(
  db: ParleyDb,
  input: NewFileMessage,
): Promise<Omit<AppendResult, 'conversationStarted'>> {
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    await lockFor(db, `files:${input.accountId}`);
    const resent = await findKeyed(db, input);
    if (resent) return { message: resent, created: false };
    const conversation = await readOne(db, (o, { conversations }) =>
      o
        .select({ status: conversations.status, visitorId: conversations.visitorId })
        .from(conversations)
        .where(and(eq(conversations.id, input.conversationId), eq(conversations.accountId, input.accountId))),
    );
    if (!conversation)
      throw new FileRefusedError('not_found', 'there is no such conversation in this account');
    if (conversation.status === 'closed')
      throw new FileRefusedError('conversation_closed', 'this conversation has ended');
    const fits = await row<{ fits: boolean | number }>(
      db,
      sql`SELECT coalesce(sum(size), 0) + ${input.bytes.length} <= ${input.quotaBytes} AS fits
        FROM files WHERE account_id = ${input.accountId}`,
    );
    if (!fits?.fits) throw new FileRefusedError('quota_exceeded', "the account's storage for files is full");
    const record = newMessageRecord(
      {
        conversationId: input.conversationId,
        accountId: input.accountId,
        visitorId: conversation.visitorId,
        author: input.author,
        agentId: input.agentId ?? null,
        body: input.name,
        clientKey: input.clientKey,
      },
      input.conversationId,
      now,
    );
    const { agentName: _agentName, file: _file, ...message } = record;
    await write(db, (o, { messages }) => o.insert(messages).values(message));
    await write(db, (o, { files }) =>
      o.insert(files).values({
        id: newId('fil'),
        messageId: record.id,
        conversationId: input.conversationId,
        accountId: input.accountId,
        visitorId: conversation.visitorId,
        author: input.author,
        agentId: input.agentId ?? null,
        name: input.name,
        contentType: input.contentType,
        size: input.bytes.length,
        width: input.width ?? null,
        height: input.height ?? null,
        createdAt: now,
        thumbnail: input.thumbnail ?? null,
        bytes: input.bytes,
      }),
    );
    const stored = await findKeyed(db, input);
    if (!stored) throw new Error(`file message ${input.clientKey} was neither stored nor found`);
    return { message: stored, created: true };
  });
}

/** Which of a file's bytes are asked for: the file itself, or an image's thumbnail. */
export type FileVariant = 'file' | 'thumbnail';

export interface FileContent {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * A file's bytes, or its thumbnail's (as WebP), by the file's id alone: whoever asks has been given a link to it
 * (see the server's signed links). Null when there is no such file, or no thumbnail.
 */
export async function readFileContent(
  db: ParleyDb,
  fileId: string,
  variant: FileVariant,
): Promise<FileContent | null> {
  const found = await readOne(db, (o, { files }) =>
    o
      .select({
        name: files.name,
        contentType: files.contentType,
        bytes: variant === 'file' ? files.bytes : files.thumbnail,
      })
      .from(files)
      .where(eq(files.id, fileId)),
  );
  if (!found?.bytes) return null;
  return {
    name: found.name,
    contentType: variant === 'file' ? found.contentType : 'image/webp',
    bytes: Buffer.from(found.bytes),
  };
}

/** The bytes an account's files take now, as its quota counts them. */
export async function fileUsage(db: ParleyDb, accountId: string): Promise<number> {
  const [found] = await read(db, (o, { files }) =>
    o
      .select({ bytes: sql<number | string>`coalesce(sum(${files.size}), 0)` })
      .from(files)
      .where(eq(files.accountId, accountId)),
  );
  return Number(found?.bytes ?? 0);
}
