import { type ParleyDb, sqliteOf } from '../connection.ts';
import { newId } from '../ids.ts';
import { MAIL_LIMITS, takeMailAllowance } from '../mail-limits.ts';
import { blockedByTransaction, transaction, whenFree } from '../transaction.ts';

export interface OfflineMessage {
  id: string;
  accountId: string;
  visitorId: string | null;
  name: string | null;
  email: string;
  body: string;
  createdAt: number;
  handledAt: number | null;
  /** Past the account's hourly limit on offline-message mail: not mailed, waiting for an agent in the dashboard. */
  mailHeld: boolean;
}

const SELECT = `SELECT id, account_id AS "accountId", visitor_id AS "visitorId", name, email, body, created_at AS "createdAt",
  handled_at AS "handledAt", mail_held AS "mailHeld" FROM offline_messages`;

const fromRow = (row: OfflineMessage): OfflineMessage => ({ ...row, mailHeld: Boolean(row.mailHeld) });

/**
 * A message left while no agent was online. A resend with the same key returns the stored one. A new message is
 * counted against the account's hourly limit on offline-message mail in the same transaction; past it, the message
 * is kept with `mailHeld` set, for the caller not to mail it.
 */
export async function saveOfflineMessage(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId: string | null;
    name?: string | null;
    email: string;
    body: string;
    clientKey: string;
    now?: number;
  },
): Promise<{ message: OfflineMessage; created: boolean }> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    const created =
      sqliteOf(db)
        .prepare(
          `INSERT INTO offline_messages (id, account_id, visitor_id, name, email, body, client_key, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, client_key) DO NOTHING`,
        )
        .run(
          newId('off'),
          input.accountId,
          input.visitorId,
          input.name ?? null,
          input.email,
          input.body,
          input.clientKey,
          now,
        ).changes === 1;
    const held =
      created &&
      !(await takeMailAllowance(db, {
        scope: 'offline_messages',
        key: input.accountId,
        limit: MAIL_LIMITS.offlineMessages,
        now,
      }));
    if (held)
      sqliteOf(db)
        .prepare('UPDATE offline_messages SET mail_held = TRUE WHERE account_id = ? AND client_key = ?')
        .run(input.accountId, input.clientKey);
    const message = sqliteOf(db)
      .prepare(`${SELECT} WHERE account_id = ? AND client_key = ?`)
      .get(input.accountId, input.clientKey) as OfflineMessage;
    return { message: fromRow(message), created };
  });
}

/** The account's offline messages, newest first; unhandled only unless asked otherwise. */
export async function listOfflineMessages(
  db: ParleyDb,
  accountId: string,
  options: { includeHandled?: boolean; limit?: number } = {},
): Promise<OfflineMessage[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  const handled = options.includeHandled ? '' : ' AND handled_at IS NULL';
  return sqliteOf(db)
    .prepare(`${SELECT} WHERE account_id = ?${handled} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .all(accountId, options.limit ?? 200)
    .map((row) => fromRow(row as OfflineMessage));
}

/** Marks an offline message as answered. False if it is not the account's. */
export async function markOfflineMessageHandled(
  db: ParleyDb,
  input: { accountId: string; id: string; now?: number },
): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db)
      .prepare(
        'UPDATE offline_messages SET handled_at = coalesce(handled_at, ?) WHERE id = ? AND account_id = ?',
      )
      .run(input.now ?? Date.now(), input.id, input.accountId).changes === 1
  );
}
