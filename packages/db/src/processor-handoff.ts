import type { PolicyContent } from '@parley/policy';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { newId } from './ids.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

/** A hand-off names each field by the policy data category it belongs to. */
export type CategorisedFields = Record<string, unknown>;

export class UnknownProcessorError extends Error {
  readonly code = 'UNKNOWN_PROCESSOR';
}

export interface HandoffResult<T> {
  sent: CategorisedFields;
  dropped: string[];
  response: T;
}

/**
 * SHR-1: the one path by which data reaches a processor. Every field whose category the policy does not declare
 * for that processor is dropped before `send` sees it, and the hand-off is recorded (categories only, no values).
 */
export async function handOffToProcessor<T>(
  db: ParleyDb,
  content: PolicyContent,
  input: {
    processorId: string;
    activity: string;
    accountId?: string;
    fields: CategorisedFields;
    now?: number;
  },
  send: (fields: CategorisedFields) => Promise<T>,
): Promise<HandoffResult<T>> {
  if (blockedByTransaction(db)) await whenFree(db);
  const processor = content.processors.find((p) => p.id === input.processorId);
  if (!processor) throw new UnknownProcessorError(`The policy declares no processor "${input.processorId}"`);
  const activity = content.activities.find((a) => a.id === input.activity);
  if (!activity?.processors.includes(processor.id))
    throw new UnknownProcessorError(`Activity "${input.activity}" does not use processor "${processor.id}"`);
  const sent: CategorisedFields = {};
  const dropped: string[] = [];
  for (const [category, value] of Object.entries(input.fields)) {
    if (processor.categories.includes(category) && activity.categories.includes(category))
      sent[category] = value;
    else dropped.push(category);
  }
  sqliteOf(db)
    .prepare(
      'INSERT INTO processor_handoffs (id, processor_id, activity, account_id, sent_fields, dropped_fields, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      newId('hnd'),
      processor.id,
      activity.id,
      input.accountId ?? null,
      JSON.stringify(Object.keys(sent)),
      JSON.stringify(dropped),
      input.now ?? Date.now(),
    );
  const response = await send(sent);
  return { sent, dropped, response };
}

export async function listHandoffs(db: ParleyDb, limit = 200) {
  if (blockedByTransaction(db)) await whenFree(db);
  return sqliteOf(db)
    .prepare('SELECT * FROM processor_handoffs ORDER BY created_at DESC LIMIT ?')
    .all(limit) as Array<{
    id: string;
    processor_id: string;
    activity: string;
    account_id: string | null;
    sent_fields: string;
    dropped_fields: string;
    created_at: number;
  }>;
}
