import { FileRefusedError, type NewFileMessage, storeFileMessage } from '@parley/db/chat';
import type { FileKind } from '@parley/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';
import { type CheckedFile, checkFile, tooLarge } from './file-checks.ts';

// What visitors' and agents' uploads share: the file is the request's whole body (as `fetch` sends a File), its
// name and the client's idempotency key come in headers, and it is checked, stored and refused in the same words.

/** The header that carries the file's name, percent-encoded (`encodeURIComponent`), as the device gave it. */
export const FILE_NAME_HEADER = 'x-parley-name';
/** The header that carries the client's idempotency key: a file sent again with the same key is stored once. */
export const FILE_KEY_HEADER = 'x-parley-key';

/** The largest file a chat takes unless the installation says otherwise (PARLEY_FILE_MAX_MIB): 10 MiB. */
export const FILE_MAX_BYTES = 10 * 1024 * 1024;

/** Files one visitor, or one agent, may send in a minute, counted on every node together. */
export const FILE_UPLOADS_PER_MINUTE = { visitor: 10, agent: 30 } as const;
const MINUTE_MS = 60_000;

/** Refuses a body larger than the installation's largest file, before it is read whole. */
export const uploadBodyLimit = (s: Services): MiddlewareHandler<AppEnv> =>
  bodyLimit({
    maxSize: s.config.fileMaxBytes,
    onError: () => {
      throw tooLarge(s.config.fileMaxBytes);
    },
  });

/** Counts an upload of `who`; refuses it past the minute's limit. */
export async function countUpload(
  s: Services,
  who: { accountId: string; kind: 'visitor' | 'agent'; id: string },
): Promise<void> {
  const allowed = await s.windows.take(
    `file-uploads:${who.accountId}:${who.id}`,
    FILE_UPLOADS_PER_MINUTE[who.kind],
    MINUTE_MS,
  );
  if (!allowed)
    throw new AppError('rate_limited', 'Too many files at once. Try again in a minute.', {
      headers: { 'Retry-After': '60' },
    });
}

/** The request's file, checked (see `checkFile`), with the client's idempotency key. */
export async function readUpload(
  c: Context<AppEnv>,
  s: Services,
  allowed: readonly FileKind[],
): Promise<{ file: CheckedFile; clientKey: string }> {
  const clientKey = c.req.header(FILE_KEY_HEADER) ?? '';
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(clientKey))
    throw new AppError('invalid_request', 'Send the file with an idempotency key in the {header} header.', {
      values: { header: FILE_KEY_HEADER },
    });
  const bytes = Buffer.from(await c.req.arrayBuffer());
  const file = await checkFile(bytes, {
    name: c.req.header(FILE_NAME_HEADER),
    allowed,
    maxBytes: s.config.fileMaxBytes,
  });
  return { file, clientKey };
}

/** Stores a checked file and its message within the account's quota; the store's refusals as the API says them. */
export async function storeUpload(
  s: Services,
  input: Pick<NewFileMessage, 'accountId' | 'conversationId' | 'author' | 'agentId'> & {
    file: CheckedFile;
    clientKey: string;
  },
) {
  const { file } = input;
  try {
    return await storeFileMessage(s.db, {
      accountId: input.accountId,
      conversationId: input.conversationId,
      author: input.author,
      agentId: input.agentId ?? null,
      clientKey: input.clientKey,
      name: file.name,
      contentType: file.contentType,
      bytes: file.bytes,
      thumbnail: file.thumbnail,
      width: file.width,
      height: file.height,
      quotaBytes: s.config.fileQuotaBytes,
      now: s.clock.now(),
    });
  } catch (error) {
    if (!(error instanceof FileRefusedError)) throw error;
    if (error.code === 'quota_exceeded')
      throw new AppError(
        'quota_exceeded',
        'The storage for files of this account is full: no more files can be sent until older ones are deleted.',
      );
    if (error.code === 'conversation_closed')
      throw new AppError('conversation_closed', 'This conversation has ended.');
    throw new AppError('not_found', 'There is no such conversation in this account.');
  }
}
