import type { PolicyContent } from '@parley/policy';
import { desc } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { newId } from './ids.ts';
import { read, write } from './statements.ts';

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
  await write(db, (o, { processorHandoffs }) =>
    o.insert(processorHandoffs).values({
      id: newId('hnd'),
      processorId: processor.id,
      activity: activity.id,
      accountId: input.accountId ?? null,
      sentFields: Object.keys(sent),
      droppedFields: dropped,
      createdAt: input.now ?? Date.now(),
    }),
  );
  const response = await send(sent);
  return { sent, dropped, response };
}

/** A recorded hand-off as the admin console reads it: the categories as JSON lists, as the columns hold them. */
export interface HandoffRecord {
  id: string;
  processor_id: string;
  activity: string;
  account_id: string | null;
  sent_fields: string;
  dropped_fields: string;
  created_at: number;
}

/** SHR-1: the latest hand-offs, newest first. */
export async function listHandoffs(db: ParleyDb, limit = 200): Promise<HandoffRecord[]> {
  const found = await read(db, (o, { processorHandoffs }) =>
    o
      .select()
      .from(processorHandoffs)
      .orderBy(desc(processorHandoffs.createdAt), desc(processorHandoffs.id))
      .limit(limit),
  );
  // Written out again from the parsed lists, so the text is the same whether SQLite or PostgreSQL's jsonb held it.
  return found.map((h) => ({
    id: h.id,
    processor_id: h.processorId,
    activity: h.activity,
    account_id: h.accountId,
    sent_fields: JSON.stringify(h.sentFields),
    dropped_fields: JSON.stringify(h.droppedFields),
    created_at: h.createdAt,
  }));
}
