import { createHmac } from 'node:crypto';
import type { PolicyContent } from '@parley/policy';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { insertMail, type MailKind } from './notices.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * How much mail the chat may cause, so that nobody can use a website's chat to mail strangers in bulk. Counted in
 * the database: a reconnect, a second tab or a restart starts nothing afresh, and every server process shares them.
 */
export const MAIL_LIMITS = {
  /** Transcripts of one conversation, ever. */
  transcriptsPerConversation: 3,
  /** Mails a visitor asks for (transcripts) to one address, within a day of the first. */
  recipient: { max: 5, windowMs: DAY_MS },
  /** Offline messages of one account mailed to it, within an hour of the first; later ones wait in the dashboard. */
  offlineMessages: { max: 20, windowMs: HOUR_MS },
} as const;

export type MailLimitScope = 'recipient' | 'offline_messages';

/**
 * The keyed hash a recipient's address is counted under: the address is not kept, and without the installation's
 * key the hash cannot be tested against a guessed address. Case and surrounding spaces do not make a new address.
 */
export const recipientKey = (secret: Buffer, email: string): string =>
  createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('base64url');

/**
 * Counts one more mail against a limit if it is under it, and returns a row only then. One statement, so that it
 * checks and counts at once: requests racing on any number of connections can never pass the limit together. A
 * window that has run out starts again with this mail. The stored row's columns are named with the table's name:
 * PostgreSQL finds a bare `count` ambiguous between the stored row and the one proposed (`excluded`).
 */
export const TAKE_MAIL_ALLOWANCE_SQL = `INSERT INTO mail_limits (scope, key, window_start, count) VALUES (@scope, @key, @now, 1)
  ON CONFLICT (scope, key) DO UPDATE SET
    count = CASE WHEN mail_limits.window_start <= @expiredBefore THEN 1 ELSE mail_limits.count + 1 END,
    window_start = CASE WHEN mail_limits.window_start <= @expiredBefore THEN @now ELSE mail_limits.window_start END
  WHERE mail_limits.window_start <= @expiredBefore OR mail_limits.count < @max
  RETURNING count`;

/** `TAKE_MAIL_ALLOWANCE_SQL`'s arguments. */
export const mailAllowanceArgs = (input: {
  scope: MailLimitScope;
  key: string;
  limit: { max: number; windowMs: number };
  now: number;
}) => ({
  scope: input.scope,
  key: input.key,
  now: input.now,
  expiredBefore: input.now - input.limit.windowMs,
  max: input.limit.max,
});

/**
 * Counts one more mail against `key`'s limit if it is under it (see `TAKE_MAIL_ALLOWANCE_SQL`). Returns false,
 * counting nothing, when the limit is reached. For use inside a transaction of this package.
 */
export function takeMailAllowance(db: ParleyDb, input: Parameters<typeof mailAllowanceArgs>[0]): boolean {
  return sqliteOf(db).prepare(TAKE_MAIL_ALLOWANCE_SQL).get(mailAllowanceArgs(input)) !== undefined;
}

/**
 * CHG-1: whether the policy in force declares the keyed hashes mail to one address is counted under. Until a version
 * that declares them is in force at an installation, none is stored, and only the per-conversation limit applies.
 */
export const countsMailPerRecipient = (content: PolicyContent): boolean =>
  content.retention.some((rule) => rule.store === 'mail_limits');

/** Why a transcript was not queued. */
export class MailLimitError extends Error {
  constructor(
    readonly code: 'transcript_limit' | 'recipient_limit',
    message: string,
  ) {
    super(message);
    this.name = 'MailLimitError';
  }
}

/**
 * Queues a conversation's transcript to the address a visitor gave, within the limits on transcripts of one
 * conversation and on mail to one address. Both are counted and the mail queued in one transaction: either all
 * happen or, past a limit, none does and `MailLimitError` says which limit.
 */
export async function queueTranscript(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId: string;
    conversationId: string;
    to: string;
    /**
     * The installation's key for `recipientKey`; without it mail to the address is not counted, for a policy in
     * force that does not yet declare the hash (`countsMailPerRecipient`).
     */
    recipientSecret?: Buffer | undefined;
    subject: string;
    body: string;
    now?: number;
  },
): Promise<string> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  const kind: MailKind = 'transcript';
  return sqliteOf(db).transaction(() => {
    const counted = sqliteOf(db)
      .prepare(
        'UPDATE conversations SET transcripts_sent = transcripts_sent + 1 WHERE id = ? AND account_id = ? AND transcripts_sent < ?',
      )
      .run(input.conversationId, input.accountId, MAIL_LIMITS.transcriptsPerConversation).changes;
    if (counted === 0)
      throw new MailLimitError(
        'transcript_limit',
        `a conversation's transcript can be mailed at most ${MAIL_LIMITS.transcriptsPerConversation} times`,
      );
    const allowed =
      input.recipientSecret === undefined ||
      takeMailAllowance(db, {
        scope: 'recipient',
        key: recipientKey(input.recipientSecret, input.to),
        limit: MAIL_LIMITS.recipient,
        now,
      });
    if (!allowed)
      throw new MailLimitError(
        'recipient_limit',
        `this address has been sent ${MAIL_LIMITS.recipient.max} mails today; try again tomorrow`,
      );
    return insertMail(db, {
      kind,
      to: input.to,
      accountId: input.accountId,
      visitorId: input.visitorId,
      subject: input.subject,
      body: input.body,
      now,
    });
  })();
}
