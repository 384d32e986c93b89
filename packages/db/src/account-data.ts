import { type ParleyDb, sqliteOf } from './connection.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

/** RET-2: everything held about an account holder's account, in one document (no secrets or hashes). */
export async function exportAccount(db: ParleyDb, accountId: string): Promise<Record<string, unknown>> {
  if (blockedByTransaction(db)) await whenFree(db);
  const q = (sql: string) => sqliteOf(db).prepare(sql).all(accountId);
  const [account] = q(
    'SELECT id, public_key, organization, contact_name, contact_email, phone, im_handle, region, pre_chat_form, request_deadline_days, created_at, closed_at FROM accounts WHERE id = ?',
  );
  if (!account) throw new Error(`No account ${accountId}`);
  return {
    account,
    paymentCard:
      q('SELECT brand, last4, exp_month, exp_year, updated_at FROM payment_cards WHERE account_id = ?')[0] ??
      null,
    agents: q('SELECT id, email, name, role, created_at, removed_at FROM agents WHERE account_id = ?'),
    invitations: q(
      'SELECT id, email, name, created_at, expires_at, accepted_at FROM agent_invitations WHERE account_id = ?',
    ),
    marketing:
      q('SELECT opted_in, source, changed_at FROM marketing_preferences WHERE account_id = ?')[0] ?? null,
    consents: q(
      'SELECT scope, choice, policy_version, text_hash, created_at FROM consent_records WHERE account_id = ? AND visitor_id IS NULL',
    ),
    mail: q(
      'SELECT kind, to_email, subject, created_at, sent_at FROM notice_outbox WHERE account_id = ? AND visitor_id IS NULL',
    ),
  };
}

/**
 * RET-2, RET-3: closes an account. Nobody can sign in from now on; the retention clock of the account's data starts
 * (the sweep deletes it when the policy's period after closing has passed).
 */
export async function closeAccount(
  db: ParleyDb,
  input: { accountId: string; actorId?: string; now?: number },
): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  let closed = false;
  sqliteOf(db).transaction(() => {
    closed =
      sqliteOf(db)
        .prepare('UPDATE accounts SET closed_at = ?, api_key_hash = NULL WHERE id = ? AND closed_at IS NULL')
        .run(now, input.accountId).changes === 1;
    if (!closed) return;
    sqliteOf(db)
      .prepare(
        "DELETE FROM sessions WHERE user_kind = 'agent' AND user_id IN (SELECT id FROM agents WHERE account_id = ?)",
      )
      .run(input.accountId);
    sqliteOf(db)
      .prepare('UPDATE agents SET removed_at = ?, online = FALSE WHERE account_id = ? AND removed_at IS NULL')
      .run(now, input.accountId);
    sqliteOf(db)
      .prepare('DELETE FROM agent_invitations WHERE account_id = ? AND accepted_at IS NULL')
      .run(input.accountId);
    sqliteOf(db)
      .prepare(
        'INSERT INTO audit_log (actor_kind, actor_id, account_id, action, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(input.actorId ? 'agent' : 'system', input.actorId ?? null, input.accountId, 'account.closed', now);
  })();
  return closed;
}
