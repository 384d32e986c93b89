import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileRecord, FileVariant } from '@parley/db/chat';
import type { ChatFile } from '@parley/protocol';
import { FILES_PATH } from '@parley/widget';

/**
 * How long a file's link works: until the end of the hour after the one it was made in, so between one and two
 * hours. Every link to a file made within one hour is the same URL, which the browser can then keep in its cache.
 */
export const FILE_LINK_HOUR_MS = 60 * 60 * 1000;

/** A variant as a link spells it: `/files/<id>/file`, `/files/<id>/thumbnail`. */
export const FILE_VARIANTS: readonly FileVariant[] = ['file', 'thumbnail'];

/**
 * Signed links to the files of chats. Whoever holds one may fetch that file (or its thumbnail) until it expires,
 * without a cookie: the widget runs on customers' sites, where Parley's cookies may be blocked, and an image in a
 * chat is fetched by an `<img>`. Links are put into the frames and answers each client gets, fresh whenever a client
 * loads a conversation. The signature covers the file's id, the variant and the expiry, under an installation key.
 */
export class FileLinks {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  #signature(fileId: string, variant: FileVariant, expires: number): string {
    return createHmac('sha256', this.key)
      .update(`file\n${fileId}\n${variant}\n${expires}`)
      .digest('base64url');
  }

  /** A path (`/files/…?e=…&s=…`) to the file's `variant`, valid for one to two hours from now. */
  link(fileId: string, variant: FileVariant): string {
    const expires = (Math.floor(this.now() / FILE_LINK_HOUR_MS) + 2) * FILE_LINK_HOUR_MS;
    const seconds = expires / 1000;
    return `${FILES_PATH}/${encodeURIComponent(fileId)}/${variant}?e=${seconds}&s=${this.#signature(fileId, variant, seconds)}`;
  }

  /**
   * Whether a link's expiry (`e`, seconds) and signature (`s`) are this installation's for the file and variant,
   * and the link has not expired. Seconds until it does, or null.
   */
  check(fileId: string, variant: FileVariant, e: string | undefined, s: string | undefined): number | null {
    if (!e || !s || !/^\d{1,12}$/.test(e)) return null;
    const expected = Buffer.from(this.#signature(fileId, variant, Number(e)));
    const given = Buffer.from(s);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const left = Math.floor(Number(e) - this.now() / 1000);
    return left > 0 ? left : null;
  }

  /** A stored file as the protocol carries it, with fresh links. */
  chatFile(file: FileRecord): ChatFile {
    const image = file.contentType.startsWith('image/');
    return {
      name: file.name,
      type: file.contentType,
      size: file.size,
      ...(file.width === null ? {} : { width: file.width }),
      ...(file.height === null ? {} : { height: file.height }),
      url: this.link(file.id, 'file'),
      ...(image ? { thumbUrl: this.link(file.id, 'thumbnail') } : {}),
    };
  }
}
