import { createHmac } from 'node:crypto';
import type { PolicyContent } from '@parley/policy';
import { and, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { queueMail } from './notices.ts';
import { row, write } from './statements.ts';
import { transaction } from './transaction.ts';

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

/** What `takeMailAllowance` counts against: the limited thing and its limit, at `now`. */
export interface MailAllowance {
  scope: MailLimitScope;
  key: string;
  limit: { max: number; windowMs: number };
  now: number;
}

/**
 * Counts one more mail against a limit if it is under it, and returns a row only then. One statement, so that it
 * checks and counts at once: requests racing on any number of connections can never pass the limit together (on
 * PostgreSQL the conflicting insert waits for the other's row and checks the condition against it). A window that
 * has run out starts again with this mail. The stored row's columns are named with the table's name: PostgreSQL
 * finds a bare `count` ambiguous between the stored row and the one proposed (`excluded`).
 */
export function mailAllowanceStatement(input: MailAllowance): SQL {
  const expired = sql`mail_limits.window_start <= ${input.now - input.limit.windowMs}`;
  return sql`INSERT INTO mail_limits (scope, key, window_start, count) VALUES (${input.scope}, ${input.key}, ${input.now}, 1)
  ON CONFLICT (scope, key) DO UPDATE SET
    count = CASE WHEN ${expired} THEN 1 ELSE mail_limits.count + 1 END,
    window_start = CASE WHEN ${expired} THEN ${input.now} ELSE mail_limits.window_start END
  WHERE ${expired} OR mail_limits.count < ${input.limit.max}
  RETURNING count`;
}

/**
 * Counts one more mail against `key`'s limit if it is under it (see `mailAllowanceStatement`). Returns false,
 * counting nothing, when the limit is reached. Inside `transaction(db, …)` the count is undone if the transaction is.
 */
export async function takeMailAllowance(db: ParleyDb, input: MailAllowance): Promise<boolean> {
  return (await row(db, mailAllowanceStatement(input))) !== null;
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
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    const counted = await write(db, (o, { conversations }) =>
      o
        .update(conversations)
        .set({ transcriptsSent: sql`${conversations.transcriptsSent} + 1` })
        .where(
          and(
            eq(conversations.id, input.conversationId),
            eq(conversations.accountId, input.accountId),
            lt(conversations.transcriptsSent, MAIL_LIMITS.transcriptsPerConversation),
          ),
        ),
    );
    if (counted === 0)
      throw new MailLimitError(
        'transcript_limit',
        `a conversation's transcript can be mailed at most ${MAIL_LIMITS.transcriptsPerConversation} times`,
      );
    const allowed =
      input.recipientSecret === undefined ||
      (await takeMailAllowance(db, {
        scope: 'recipient',
        key: recipientKey(input.recipientSecret, input.to),
        limit: MAIL_LIMITS.recipient,
        now,
      }));
    if (!allowed)
      throw new MailLimitError(
        'recipient_limit',
        `this address has been sent ${MAIL_LIMITS.recipient.max} mails today; try again tomorrow`,
      );
    return queueMail(db, {
      kind: 'transcript',
      to: input.to,
      accountId: input.accountId,
      visitorId: input.visitorId,
      subject: input.subject,
      body: input.body,
      now,
    });
  });
}
