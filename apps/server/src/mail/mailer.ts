import {
  claimMail,
  markMailFailed,
  markMailSent,
  type OutgoingMail,
  type ParleyDb,
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

/** The `Message-ID` of the mail with outbox id `id`; a reply refers to it to thread under it. */
export const mailMessageId = (id: string): string => `<${id}@parley.local>`;

const message = (mail: OutgoingMail, from: string) => ({
  from,
  to: mail.to,
  subject: mail.subject,
  text: mail.body,
  headers: mail.headers,
  messageId: mailMessageId(mail.id),
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

/**
 * How long a mailer keeps the mail it takes before another may take it: longer than a batch takes to send (the SMTP
 * client gives up on a silent server within minutes), and short enough that mail a stopped node took goes out soon.
 */
const MAIL_LEASE_MS = 15 * 60_000;

/**
 * Sends what the outbox holds; a failure is recorded on the row and retried on a later run. The mail is claimed
 * first, so that nodes sharing the database each send different mail, and a node never starts to send a mail
 * whose lease has ended: another may have taken it by then.
 */
export async function drainOutbox(
  db: ParleyDb,
  transport: MailTransport,
  options: { from: string; limit?: number },
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const leaseEnds = Date.now() + MAIL_LEASE_MS;
  for (const mail of await claimMail(db, { limit: options.limit ?? 50, leaseMs: MAIL_LEASE_MS })) {
    if (Date.now() >= leaseEnds) break;
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
