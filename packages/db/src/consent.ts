import type { WidgetLanguage } from '@parley/protocol';
import { and, eq } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { newId, sha256 } from './ids.ts';
import { readOne, write } from './statements.ts';

/**
 * Every consent or opt-out, stored with the policy version in force, a hash of the exact text that was shown and
 * the language it was shown in: the hash proves which text was read only with the language it was read in.
 */
export async function recordConsent(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId?: string | null;
    agentId?: string | null;
    scope: 'widget' | 'signup' | 'marketing';
    choice: 'consent' | 'opt_out' | 'withdraw';
    policyVersion: string;
    /** The language of the text shown; English unless the person read it in another. */
    language?: WidgetLanguage;
    now?: number;
  } & ({ text: string } | { textHash: string }),
): Promise<{ id: string; textHash: string }> {
  const id = newId('cns');
  // A hash made when the text was shown (a sign-up confirmed later) is kept as it was made.
  const textHash = 'textHash' in input ? input.textHash : sha256(input.text);
  await write(db, (o, { consentRecords }) =>
    o.insert(consentRecords).values({
      id,
      accountId: input.accountId,
      visitorId: input.visitorId ?? null,
      agentId: input.agentId ?? null,
      scope: input.scope,
      choice: input.choice,
      policyVersion: input.policyVersion,
      textHash,
      language: input.language ?? 'en',
      createdAt: input.now ?? Date.now(),
    }),
  );
  return { id, textHash };
}

/** CK-4: whether the visitor turned chat off in the widget. */
export async function visitorOptedOut(db: ParleyDb, accountId: string, visitorId: string): Promise<boolean> {
  const found = await readOne(db, (o, { consentRecords }) =>
    o
      .select({ id: consentRecords.id })
      .from(consentRecords)
      .where(
        and(
          eq(consentRecords.visitorId, visitorId),
          eq(consentRecords.accountId, accountId),
          eq(consentRecords.scope, 'widget'),
          eq(consentRecords.choice, 'opt_out'),
        ),
      )
      .limit(1),
  );
  return found !== null;
}
