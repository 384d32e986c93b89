import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An .eml body as text: quoted-printable soft breaks joined and escapes decoded. */
export const decodeMail = (raw: string): string =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/**
 * Waits for the mailer to write, to `folder`, a mail to `to` for which `found` returns a value, and returns it. The
 * mailer drains the outbox on its own schedule, so the folder is read again until the mail is there.
 */
export async function waitForMailFile<T>(
  folder: string,
  to: string,
  found: (text: string) => T | null | undefined,
): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    let names: string[] = [];
    try {
      names = readdirSync(folder).filter((name) => name.endsWith('.eml'));
    } catch {
      // Not created yet: nothing mailed so far.
    }
    for (const name of names) {
      const text = decodeMail(readFileSync(join(folder, name), 'utf8'));
      const value = text.includes(to) ? found(text) : null;
      if (value !== null && value !== undefined) return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no such mail to ${to} was written to ${folder}`);
}
