import { type ParleyDb, sqliteOf } from '../connection.ts';
import type { MailKind } from '../notices.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

/** The mailer gives up on a message after this many attempts (see `pendingMail`). */
const MAX_ATTEMPTS = 10;

export interface OutboxRow {
  id: string;
  kind: MailKind;
  accountId: string | null;
  /** Whether the mail is to a visitor rather than an account holder or agent. */
  toVisitor: boolean;
  subject: string;
  createdAt: number;
  sentAt: number | null;
  attempts: number;
  state: 'pending' | 'sent' | 'failed';
  lastError: string | null;
}

export interface OutboxStatus {
  counts: { pending: number; sent: number; failed: number };
  latest: OutboxRow[];
}

// Delivery errors from mail servers often quote the address they refused.
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/g;

/**
 * The outbox as staff see it: counts, and the latest messages without their bodies or recipients' addresses.
 * `failed` is mail the mailer has given up on.
 */
export async function outboxStatus(db: ParleyDb, limit = 50): Promise<OutboxStatus> {
  if (blockedByTransaction(db)) await whenFree(db);
  const counts = sqliteOf(db)
    .prepare(
      `SELECT count(*) FILTER (WHERE sent_at IS NULL AND attempts < @max) AS pending,
              count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,
              count(*) FILTER (WHERE sent_at IS NULL AND attempts >= @max) AS failed
       FROM notice_outbox`,
    )
    .get({ max: MAX_ATTEMPTS }) as OutboxStatus['counts'];
  const rows = sqliteOf(db)
    .prepare(
      `SELECT id, kind, account_id, CASE WHEN visitor_id IS NULL THEN 0 ELSE 1 END AS to_visitor, subject, created_at, sent_at, attempts, last_error
       FROM notice_outbox ORDER BY created_at DESC, id LIMIT ?`,
    )
    .all(limit) as Array<{
    id: string;
    kind: MailKind;
    account_id: string | null;
    to_visitor: number;
    subject: string;
    created_at: number;
    sent_at: number | null;
    attempts: number;
    last_error: string | null;
  }>;
  return {
    counts,
    latest: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      accountId: r.account_id,
      toVisitor: r.to_visitor === 1,
      subject: r.subject,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      attempts: r.attempts,
      state: r.sent_at !== null ? 'sent' : r.attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
      lastError: r.last_error === null ? null : r.last_error.replace(ADDRESS, '[address]'),
    })),
  };
}
