import { hashChatId, hashPassword, newId, newOrderedId, type ParleyDb } from '@parley/db';
import { createAccountWithOwner } from '@parley/db/chat';

/**
 * Bulk data for benchmarks, written straight into a Parley database with prepared statements in one transaction
 * (the app's own functions insert one row at a time, which would make a million rows take minutes). Ids are the
 * app's random ids, so the indexes see the same random insertion order they do in production.
 */

export interface BenchAccount {
  accountId: string;
  agentId: string;
  publicKey: string;
  email: string;
  password: string;
}

export const BENCH_PASSWORD = 'bench password, not a secret';

/** Accounts with an owner agent each, all with the same password, hashed once. */
export async function createBenchAccounts(
  db: ParleyDb,
  count: number,
  prefix = 'bench',
): Promise<BenchAccount[]> {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const out: BenchAccount[] = [];
  for (let i = 0; i < count; i++) {
    const email = `agent${i}@${prefix}.test`;
    const created = await createAccountWithOwner(db, {
      organization: `${prefix} org ${i}`,
      region: 'DE',
      publicKey: `pk_${prefix}_${String(i).padStart(4, '0')}_${newId('k').slice(2, 14)}`,
      owner: { email, name: `Agent ${i}`, passwordHash },
    });
    out.push({ ...created, email, password: BENCH_PASSWORD });
  }
  return out;
}

export interface ConversationSpec {
  accountId: string;
  visitors: number;
  messagesPerVisitor: number;
  /** Milliseconds since the epoch: when the conversations ended, or null to leave them open. */
  closedAt: number | null;
  /** When the visitors were last seen. */
  lastSeenAt: number;
  bodyBytes?: number;
}

/** Visitors, one conversation each, and their messages. Returns the visitor ids. */
export function insertConversations(db: ParleyDb, spec: ConversationSpec): string[] {
  const s = db.sqlite;
  const insertVisitor = s.prepare(
    `INSERT INTO visitors (id, account_id, chat_id_hash, persistent, name, email, created_at, last_seen_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const insertConversation = s.prepare(
    `INSERT INTO conversations (id, account_id, visitor_id, status, started_at, closed_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = s.prepare(
    `INSERT INTO messages (id, conversation_id, account_id, visitor_id, author, body, client_key, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const body = 'x'.repeat(spec.bodyBytes ?? 100);
  const startedAt = (spec.closedAt ?? spec.lastSeenAt) - 3_600_000;
  const ids: string[] = [];
  s.transaction(() => {
    for (let v = 0; v < spec.visitors; v++) {
      const visitorId = newId('vis');
      const conversationId = newId('cnv');
      insertVisitor.run(
        visitorId,
        spec.accountId,
        hashChatId(newId('chat')),
        `Visitor ${v}`,
        `visitor${v}.${visitorId.slice(4, 12)}@example.org`,
        startedAt,
        spec.lastSeenAt,
      );
      insertConversation.run(
        conversationId,
        spec.accountId,
        visitorId,
        spec.closedAt === null ? 'active' : 'closed',
        startedAt,
        spec.closedAt,
      );
      for (let m = 0; m < spec.messagesPerVisitor; m++) {
        insertMessage.run(
          newOrderedId('msg', startedAt + m),
          conversationId,
          spec.accountId,
          visitorId,
          m % 2 === 0 ? 'visitor' : 'agent',
          body,
          `key_${String(m).padStart(8, '0')}`,
          startedAt + m,
        );
      }
      ids.push(visitorId);
    }
  })();
  return ids;
}

export function countMessages(db: ParleyDb): number {
  return (db.sqlite.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
}
