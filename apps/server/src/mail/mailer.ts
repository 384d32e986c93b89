import {
  markMailFailed,
  markMailSent,
  type OutgoingMail,
  type ParleyDb,
  pendingMail,
  type RowFileStore,
} from '@parley/db';
import nodemailer from 'nodemailer';

/** Where outgoing mail goes: an SMTP server when one is configured, otherwise `.eml` files in a folder. */
export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  send(mail: OutgoingMail, from: string): Promise<void>;
  /** Takes back what `send` left behind, when the mail's row was erased while it was being sent. */
  discard(mailId: string): Promise<void>;
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
    // What reached the relay is the email-delivery processor's, recorded as a hand-off (SHR-1).
    discard: async () => {},
    close: () => transporter.close(),
  };
}

/**
 * Without SMTP nothing is lost: each mail is written as an RFC 822 `.eml` file that any mail client opens and that
 * an operator can send on later. The files are the database's mail file store, named by the outbox row's id, so
 * that erasure and the retention sweep delete them with their rows (RET-3, RET-4).
 */
export function fileTransport(files: RowFileStore): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail, from) {
      const info = await transporter.sendMail(message(mail, from));
      await files.write(mail.id, info.message as Buffer);
    },
    discard: (mailId) => files.remove([mailId]),
    close: () => transporter.close(),
  };
}

export function createMailTransport(settings: { smtpUrl?: string; files: RowFileStore }): MailTransport {
  return settings.smtpUrl ? smtpTransport(settings.smtpUrl) : fileTransport(settings.files);
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
      if (await markMailSent(db, mail.id)) sent++;
      else await transport.discard(mail.id);
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
