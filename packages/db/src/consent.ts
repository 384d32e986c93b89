import { type ParleyDb, sqliteOf } from './connection.ts';
import { newId, sha256 } from './ids.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

/** Every consent or opt-out, stored with the policy version in force and a hash of the exact text that was shown. */
export async function recordConsent(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId?: string | null;
    agentId?: string | null;
    scope: 'widget' | 'signup' | 'marketing';
    choice: 'consent' | 'opt_out' | 'withdraw';
    policyVersion: string;
    text: string;
    now?: number;
  },
): Promise<{ id: string; textHash: string }> {
  if (blockedByTransaction(db)) await whenFree(db);
  const id = newId('cns');
  const textHash = sha256(input.text);
  sqliteOf(db)
    .prepare(
      'INSERT INTO consent_records (id, account_id, visitor_id, agent_id, scope, choice, policy_version, text_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      id,
      input.accountId,
      input.visitorId ?? null,
      input.agentId ?? null,
      input.scope,
      input.choice,
      input.policyVersion,
      textHash,
      input.now ?? Date.now(),
    );
  return { id, textHash };
}

/** CK-4: whether the visitor turned chat off in the widget. */
export async function visitorOptedOut(db: ParleyDb, accountId: string, visitorId: string): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db)
      .prepare(
        "SELECT 1 FROM consent_records WHERE visitor_id = ? AND account_id = ? AND scope = 'widget' AND choice = 'opt_out'",
      )
      .get(visitorId, accountId) !== undefined
  );
}
