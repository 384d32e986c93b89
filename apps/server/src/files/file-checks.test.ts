import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { checkFile, detectFile, MAX_IMAGE_PIXELS, safeFileName } from './file-checks.ts';

const image = (format: 'png' | 'jpeg' | 'gif' | 'webp') =>
  sharp({ create: { width: 4, height: 3, channels: 3, background: '#123456' } })
    [format]()
    .toBuffer();

describe('what a file is, by its bytes', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
  ] as const)('knows a %s image by its signature', async (format, type) => {
    expect(detectFile(await image(format))).toMatchObject({ kind: 'image', contentType: type });
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj'), 'application/pdf'],
    ['UTF-8 text', Buffer.from('Grüße, 12 roses\n'), 'text/plain; charset=utf-8'],
  ])('knows %s', (_what, bytes, type) => {
    expect(detectFile(bytes)?.contentType).toBe(type);
  });

  it.each([
    ['HTML with a NUL', Buffer.from('<html>\u0000</html>')],
    ['bytes that are not UTF-8', Buffer.from([0x61, 0xff, 0xfe, 0x62])],
    ['an executable', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03])],
    ['a ZIP', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00])],
  ])('takes %s for none of them', (_what, bytes) => {
    expect(detectFile(bytes)).toBeNull();
  });
});

describe('a safe file name', () => {
  const pdf = { kind: 'pdf' as const, extensions: ['pdf'] };
  it.each([
    ['Invoice%20M%C3%A4rz.pdf', 'Invoice März.pdf'],
    ['C:\\Users\\ada\\scan.PDF', 'scan.PDF'],
    ['../../etc/passwd', 'passwd.pdf'],
    ['report.html', 'report.html.pdf'],
    ['evil\u202Efdp.exe', 'evilfdp.exe.pdf'],
    ['line\nbreak.pdf', 'linebreak.pdf'],
    ['.hidden.pdf', 'hidden.pdf'],
    ['', 'document.pdf'],
    [undefined, 'document.pdf'],
    ['%E0%A4%A', '%E0%A4%A.pdf'],
  ])('makes %j %j', (given, expected) => {
    expect(safeFileName(given, pdf)).toBe(expected);
  });

  it('keeps a long name to 120 characters, its ending kept', () => {
    const name = safeFileName(`${'a'.repeat(300)}.pdf`, pdf);
    expect(name).toHaveLength(120);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('checking a file', () => {
  const allowed = ['image', 'pdf'] as const;

  it('re-encodes each image format in its own format, with a WebP thumbnail', async () => {
    for (const format of ['png', 'jpeg', 'gif', 'webp'] as const) {
      const checked = await checkFile(await image(format), { name: 'x', allowed, maxBytes: 1_000_000 });
      expect(await sharp(checked.bytes).metadata()).toMatchObject({ format, width: 4, height: 3 });
      expect(await sharp(checked.thumbnail!).metadata()).toMatchObject({ format: 'webp' });
      expect(checked).toMatchObject({ width: 4, height: 3 });
    }
  });

  it('keeps the frames of an animated GIF', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 4, height: 6, channels: 3, background } })
        .gif()
        .toBuffer();
    const animated = await sharp([await frame('#123456'), await frame('#654321')], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();
    const checked = await checkFile(animated, { name: 'a.gif', allowed, maxBytes: 1_000_000 });
    expect((await sharp(checked.bytes, { animated: true }).metadata()).pages).toBe(2);
    expect(checked).toMatchObject({ width: 4, height: 6 });
  });

  it('refuses an image of more pixels than it takes, without decoding it whole', async () => {
    const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS)) + 10;
    const bomb = await sharp({ create: { width: side, height: side, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(1_000_000);
    const refused = await checkFile(bomb, { name: 'bomb.png', allowed, maxBytes: 1_000_000 }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'payload_too_large' });
  });
});
