import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markMailFailed, markMailSent, type OutgoingMail, type ParleyDb, pendingMail } from '@parley/db';
import nodemailer from 'nodemailer';

/** Where outgoing mail goes: an SMTP server when one is configured, otherwise `.eml` files in a folder. */
export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  send(mail: OutgoingMail, from: string): Promise<void>;
  close(): void;
}

const message = (mail: OutgoingMail, from: string) => ({
  from,
  to: mail.to,
  subject: mail.subject,
  text: mail.body,
  headers: mail.headers,
  messageId: `<${mail.id}@parley.local>`,
});

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    async send(mail, from) {
      await transporter.sendMail(message(mail, from));
    },
    close: () => transporter.close(),
  };
}

/**
 * Without SMTP nothing is lost: each mail is written as an RFC 822 `.eml` file that any mail client opens and that
 * an operator can send on later.
 */
export function fileTransport(directory: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail, from) {
      const info = await transporter.sendMail(message(mail, from));
      await mkdir(directory, { recursive: true });
      await writeFile(join(directory, `${mail.id}.eml`), info.message as Buffer, { mode: 0o600 });
    },
    close: () => transporter.close(),
  };
}

export function createMailTransport(settings: { smtpUrl?: string; mailDirectory: string }): MailTransport {
  return settings.smtpUrl ? smtpTransport(settings.smtpUrl) : fileTransport(settings.mailDirectory);
}

/** Sends what the outbox holds; a failure is recorded on the row and retried on a later run. */
export async function drainOutbox(
  db: ParleyDb,
  transport: MailTransport,
  options: { from: string; limit?: number },
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (const mail of await pendingMail(db, options.limit ?? 50)) {
    try {
      await transport.send(mail, options.from);
      await markMailSent(db, mail.id);
      sent++;
    } catch (error) {
      await markMailFailed(db, mail.id, error instanceof Error ? error.message : String(error));
      failed++;
    }
  }
  return { sent, failed };
}

/** Drains the outbox on a timer; runs never overlap. Returns a function that stops it and waits for the last run. */
export function startMailer(
  db: ParleyDb,
  transport: MailTransport,
  options: { from: string; intervalMs?: number; onError?: (error: unknown) => void },
) {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = drainOutbox(db, transport, { from: options.from }).catch((error) => options.onError?.(error));
  };
  const timer = setInterval(() => {
    if (!stopped) running.then(tick);
  }, options.intervalMs ?? 5_000);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    transport.close();
  };
}
