import { accountSuspension, DEFAULT_FILE_KINDS } from '@parley/db';
import { type FileVariant, findConversationTarget, readFileContent } from '@parley/db/chat';
import { FILES_PATH } from '@parley/widget';
import { type Context, Hono } from 'hono';
import { toAgents, toVisitor } from '../chat/notify.ts';
import { toChatMessage } from '../chat/summaries.ts';
import { AppError } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';
import { findWidgetOwner, originAllowed } from '../sockets/visitor-socket.ts';
import { FILE_VARIANTS } from './file-links.ts';
import {
  countUpload,
  FILE_KEY_HEADER,
  FILE_NAME_HEADER,
  readUpload,
  storeUpload,
  uploadBodyLimit,
} from './file-uploads.ts';
import { readUploadToken } from './upload-token.ts';

export { FILE_MAX_BYTES } from './file-uploads.ts';

/** How a file's name goes into `Content-Disposition` (RFC 6266): a plain ASCII name, and the exact one in UTF-8. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const plain = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${plain}"; filename*=UTF-8''${exact}`;
}

/** What any link that does not lead to a file gets: the same answer whether the file exists or the link is wrong. */
const noSuchFile = () => new AppError('not_found', 'There is no such file, or its link has expired.');

/**
 * The files of chats, served by signed links only (`file-links.ts`), and the route visitors' widgets upload them to:
 * `POST /w/<key>/files` with the token their socket gave them (`upload-token.ts`), from the website's origins only.
 */
export function fileRoutes(s: Services) {
  const routes = new Hono<AppEnv>();

  /**
   * A file, or an image's thumbnail. The answer is made so that nothing in it can run: the type found in its bytes
   * and `nosniff`, a CSP that allows nothing and sandboxes it (a PDF or a text opened in a tab cannot script), and
   * anything but an image as a download (`Content-Disposition: attachment`). Cached by the browser alone, until its
   * link expires.
   */
  routes.get(`${FILES_PATH}/:id/:variant`, async (c) => {
    const variant = c.req.param('variant') as FileVariant;
    const id = c.req.param('id');
    if (!FILE_VARIANTS.includes(variant)) throw noSuchFile();
    const seconds = s.fileLinks.check(id, variant, c.req.query('e'), c.req.query('s'));
    if (seconds === null) throw noSuchFile();
    const content = await readFileContent(s.db, id, variant);
    if (!content) throw noSuchFile();
    const image = content.contentType.startsWith('image/');
    const name = variant === 'thumbnail' ? `${content.name}.webp` : content.name;
    return c.body(new Uint8Array(content.bytes), 200, {
      'Content-Type': content.contentType,
      'Content-Length': String(content.bytes.length),
      'Content-Disposition': contentDisposition(image ? 'inline' : 'attachment', name),
      'Cache-Control': `private, max-age=${seconds}`,
    });
  });

  /**
   * The widget's request to upload is cross-origin, with a token header: the browser asks first. Only the origins
   * the website may be embedded on are told yes.
   */
  routes.options('/w/:key/files', async (c) => {
    const owner = await allowedOwner(s, c);
    if (!owner) return c.body(null, 403);
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header(
      'Access-Control-Allow-Headers',
      `authorization, content-type, ${FILE_NAME_HEADER}, ${FILE_KEY_HEADER}`,
    );
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });

  /**
   * A visitor's file, into the conversation their upload token names: from the website's origins, within the
   * visitor's rate, of a kind the website takes, within the account's quota. It goes to the account's agents and
   * the visitor's sockets like any message; the answer carries it too, so the widget shows it at once.
   */
  routes.post('/w/:key/files', uploadBodyLimit(s), async (c) => {
    const owner = await allowedOwner(s, c);
    if (!owner) throw new AppError('forbidden', 'Files cannot be sent to this chat from this page.');
    const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token)
      throw new AppError(
        'unauthorized',
        'Upload with the token the chat gave you, as "Authorization: Bearer <token>".',
      );
    const grant = readUploadToken(s.secrets.fileKey, token, s.clock.now());
    if (!grant || grant.widgetKey !== c.req.param('key') || grant.accountId !== owner.account.id)
      throw new AppError(
        'unauthorized',
        'This upload token is not valid or has expired: ask the chat for a new one.',
      );
    await countUpload(s, { accountId: grant.accountId, kind: 'visitor', id: grant.visitorId });
    if (await accountSuspension(s.db, grant.accountId))
      throw new AppError('forbidden', 'Nobody can chat for this site now.');
    const { file, clientKey } = await readUpload(c, s, owner.website?.fileKinds ?? DEFAULT_FILE_KINDS);
    const { message, created } = await storeUpload(s, {
      accountId: grant.accountId,
      conversationId: grant.conversationId,
      author: 'visitor',
      file,
      clientKey,
    });
    const target = await findConversationTarget(s.db, grant.accountId, grant.conversationId);
    const chatMessage = toChatMessage(message, s.fileLinks);
    // A resend is published again, as a visitor's message is: the first time may have stopped half-way.
    await toAgents(s, grant.accountId, { type: 'message', message: chatMessage });
    await toVisitor(
      s,
      { accountId: grant.accountId, chatIdHash: target?.chatIdHash ?? null },
      { type: 'message', message: chatMessage },
    );
    return c.json({ message: chatMessage }, created ? 201 : 200);
  });

  return routes;
}

/**
 * The widget's owner the path's key names, when the request comes from an origin its website may be embedded on
 * (any, while it lists none); null otherwise. The browser is told which origin may read the answer, on every answer
 * to it, errors included, so that the widget can show why a file was refused.
 */
async function allowedOwner(s: Services, c: Context<AppEnv>) {
  const key = c.req.param('key') ?? '';
  const owner = key.length <= 100 ? await findWidgetOwner(s, key) : null;
  if (!owner) return null;
  const origin = c.req.header('origin');
  if (!originAllowed(owner.website, { origin, host: c.req.header('host') }, s.config.publicUrl)) return null;
  if (origin) {
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
  }
  return owner;
}
