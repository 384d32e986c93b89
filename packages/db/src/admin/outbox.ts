import { asc, desc, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { MAIL_MAX_ATTEMPTS, type MailKind } from '../notices.ts';
import { read, row } from '../statements.ts';

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
 * `failed` is mail the mailer has given up on (`MAIL_MAX_ATTEMPTS`).
 */
export async function outboxStatus(db: ParleyDb, limit = 50): Promise<OutboxStatus> {
  const counts = await row<OutboxStatus['counts']>(
    db,
    sql`SELECT count(*) FILTER (WHERE sent_at IS NULL AND attempts < ${MAIL_MAX_ATTEMPTS}) AS pending,
               count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,
               count(*) FILTER (WHERE sent_at IS NULL AND attempts >= ${MAIL_MAX_ATTEMPTS}) AS failed
        FROM notice_outbox`,
  );
  const latest = await read(db, (o, { noticeOutbox }) =>
    o
      .select({
        id: noticeOutbox.id,
        kind: noticeOutbox.kind,
        accountId: noticeOutbox.accountId,
        visitorId: noticeOutbox.visitorId,
        subject: noticeOutbox.subject,
        createdAt: noticeOutbox.createdAt,
        sentAt: noticeOutbox.sentAt,
        attempts: noticeOutbox.attempts,
        lastError: noticeOutbox.lastError,
      })
      .from(noticeOutbox)
      .orderBy(desc(noticeOutbox.createdAt), asc(noticeOutbox.id))
      .limit(limit),
  );
  return {
    counts: counts ?? { pending: 0, sent: 0, failed: 0 },
    latest: latest.map(({ visitorId, ...mail }) => ({
      ...mail,
      toVisitor: visitorId !== null,
      state: mail.sentAt !== null ? 'sent' : mail.attempts >= MAIL_MAX_ATTEMPTS ? 'failed' : 'pending',
      lastError: mail.lastError === null ? null : mail.lastError.replace(ADDRESS, '[address]'),
    })),
  };
}
