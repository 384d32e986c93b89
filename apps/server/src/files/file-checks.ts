import type { FileKind } from '@parley/protocol';
import sharp from 'sharp';
import { AppError } from '../errors.ts';

/**
 * What a file sent in a chat is, decided by its bytes alone: the name and the type the sender's device declared
 * are never trusted. Images are decoded and encoded again, which leaves their metadata (EXIF with a photo's place
 * and the camera's serial number, XMP, text chunks) behind; documents are kept as they came.
 */

/** An image may have at most this many pixels: a small file that unpacks to a huge image (a "bomb") is refused. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Thumbnails fit in a square of this many pixels, as WebP. */
export const THUMBNAIL_PIXELS = 320;

/** A kind Parley takes, with the type its bytes are served as and the name endings a file of it may have. */
interface Detected {
  kind: FileKind;
  contentType: string;
  extensions: readonly string[];
  /** The format sharp re-encodes an image to: its own. */
  image?: 'png' | 'jpeg' | 'gif' | 'webp';
}

const startsWith = (bytes: Buffer, signature: readonly number[], at = 0): boolean =>
  signature.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** The kind of file `bytes` are by their first bytes (and, for text, all of them), or null for any other. */
export function detectFile(bytes: Buffer): Detected | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: 'image', contentType: 'image/png', extensions: ['png'], image: 'png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff]))
    return { kind: 'image', contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'], image: 'jpeg' };
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a')))
    return { kind: 'image', contentType: 'image/gif', extensions: ['gif'], image: 'gif' };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8))
    return { kind: 'image', contentType: 'image/webp', extensions: ['webp'], image: 'webp' };
  if (startsWith(bytes, ascii('%PDF-')))
    return { kind: 'pdf', contentType: 'application/pdf', extensions: ['pdf'] };
  if (isPlainText(bytes))
    return {
      kind: 'text',
      contentType: 'text/plain; charset=utf-8',
      extensions: ['txt', 'text', 'log', 'md', 'csv'],
    };
  return null;
}

/** Valid UTF-8 without a NUL byte: what no binary format manages by chance. */
function isPlainText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Control, format (such as right-to-left overrides, which make `gpj.exe` read as `exe.jpg`) and separator marks. */
const UNSAFE_IN_NAMES = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const NAME_MAX = 120;

/**
 * The name a file is shown and downloaded under: the last part of what the device sent (percent-encoded, as the
 * clients send it in a header), without control or direction marks, at most 120 characters, and ending in an
 * extension of its detected kind, which is added when it ends in another (`invoice.html` that is a PDF becomes
 * `invoice.html.pdf`, so that no saved file opens as something it is not).
 */
export function safeFileName(
  given: string | undefined,
  detected: Pick<Detected, 'kind' | 'extensions'>,
): string {
  let name = given ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: taken as it is.
  }
  name = (name.split(/[/\\]/).pop() ?? '').replace(UNSAFE_IN_NAMES, '').replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, '');
  const extension = detected.extensions[0] ?? 'bin';
  if (name === '') name = detected.kind === 'image' ? 'image' : detected.kind === 'pdf' ? 'document' : 'text';
  const ending = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();
  if (!ending || !detected.extensions.includes(ending)) name = `${name}.${extension}`;
  if ([...name].length > NAME_MAX) {
    const suffix = name.slice(name.lastIndexOf('.'));
    name = [...name].slice(0, NAME_MAX - suffix.length).join('') + suffix;
  }
  return name;
}

/** A file as it is stored: checked, an image re-encoded without metadata and with its thumbnail. */
export interface CheckedFile {
  kind: FileKind;
  contentType: string;
  name: string;
  bytes: Buffer;
  thumbnail: Buffer | null;
  width: number | null;
  height: number | null;
}

const MIB = 1024 * 1024;
/** A size in the words the limit is set in: `10 MiB`, or bytes below one. */
const sizeText = (bytes: number): string =>
  bytes >= MIB ? `${Math.round((bytes / MIB) * 10) / 10} MiB` : `${bytes} bytes`;

/** The refusal of a file too large for `maxBytes`. */
export const tooLarge = (maxBytes: number): AppError =>
  new AppError('payload_too_large', 'The file is larger than {size}, the most a chat takes.', {
    values: { size: sizeText(maxBytes) },
  });

/**
 * Checks a file someone sends into a chat and makes it what is stored: its kind found in its bytes and among
 * `allowed`, its name made safe, and an image decoded (at most `MAX_IMAGE_PIXELS`), turned upright by its EXIF
 * orientation and encoded again in its own format, which drops every piece of metadata, with a thumbnail. Throws an
 * `AppError` that says what is wrong: empty, too large, not a kind Parley takes, not one this chat takes, or an image
 * that cannot be read.
 */
export async function checkFile(
  bytes: Buffer,
  input: { name: string | undefined; allowed: readonly FileKind[]; maxBytes: number },
): Promise<CheckedFile> {
  if (bytes.length === 0) throw new AppError('invalid_input', 'The file is empty.');
  if (bytes.length > input.maxBytes) throw tooLarge(input.maxBytes);
  const detected = detectFile(bytes);
  if (!detected)
    throw new AppError(
      'unsupported_media_type',
      'Chats take images (PNG, JPEG, GIF, WebP), PDF documents and plain text; this file is none of them.',
    );
  if (!input.allowed.includes(detected.kind))
    throw new AppError('unsupported_media_type', 'This chat does not take this kind of file.');
  const name = safeFileName(input.name, detected);
  if (!detected.image)
    return {
      kind: detected.kind,
      contentType: detected.contentType,
      name,
      bytes,
      thumbnail: null,
      width: null,
      height: null,
    };
  const image = await reencode(bytes, detected.image);
  if (image.bytes.length > input.maxBytes) throw tooLarge(input.maxBytes);
  return { kind: detected.kind, contentType: detected.contentType, name, ...image };
}

/**
 * The image encoded again from its pixels (sharp keeps no metadata unless told to), upright, with a WebP thumbnail
 * of its first frame. An animated GIF or WebP keeps its frames; such formats carry no EXIF orientation.
 */
async function reencode(
  bytes: Buffer,
  format: NonNullable<Detected['image']>,
): Promise<Pick<CheckedFile, 'bytes' | 'thumbnail' | 'width' | 'height'>> {
  const animated = format === 'gif' || format === 'webp';
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, animated, failOn: 'error' } as const;
  try {
    const meta = await sharp(bytes, options).metadata();
    const pipeline = sharp(bytes, options);
    if ((meta.pages ?? 1) === 1) pipeline.rotate();
    const encoded =
      format === 'png'
        ? pipeline.png()
        : format === 'jpeg'
          ? pipeline.jpeg({ quality: 85 })
          : format === 'gif'
            ? pipeline.gif()
            : pipeline.webp({ quality: 85 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data, { limitInputPixels: MAX_IMAGE_PIXELS })
      .resize(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return { bytes: data, thumbnail, width: info.width, height: info.pageHeight ?? info.height };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message))
      throw new AppError(
        'payload_too_large',
        'This image has more than {count} million pixels, the most a chat takes.',
        { values: { count: MAX_IMAGE_PIXELS / 1_000_000 } },
      );
    throw new AppError('invalid_input', 'This image cannot be read: it may be damaged.');
  }
}
