import type { ConversationCursor, ConversationStatus } from '@parley/db/chat';
import { z } from 'zod';
import { zodInputError } from '../errors.ts';

const STATUSES = ['waiting', 'active', 'closed'] as const satisfies readonly ConversationStatus[];

/**
 * `?status=closed` or `?status=waiting,active`, `?tag=`, `?spam=1` for the conversations reported as spam alone
 * (otherwise they are left out), `?limit=`, `?cursor=` from the previous page's `nextCursor`.
 */
export const ConversationQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const statuses = text.split(',').map((s) => s.trim());
      for (const status of statuses)
        if (!(STATUSES as readonly string[]).includes(status)) {
          ctx.addIssue({ code: 'custom', message: `status must be one of ${STATUSES.join(', ')}` });
          return z.NEVER;
        }
      return statuses as ConversationStatus[];
    }),
  /** `?tag=ID`: only conversations carrying this tag of the account. */
  tag: z.string().max(64).optional(),
  spam: z
    .enum(['0', '1'], { message: 'spam must be 0 or 1' })
    .optional()
    .transform((flag) => flag === '1'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .max(200)
    .optional()
    .transform((text, ctx): ConversationCursor | undefined => {
      if (text === undefined || text === '') return undefined;
      const cursor = decodeCursor(text);
      if (!cursor) {
        ctx.addIssue({ code: 'custom', message: 'cursor is not one this API returned' });
        return z.NEVER;
      }
      return cursor;
    }),
});
export type ConversationQuery = z.infer<typeof ConversationQuery>;

export const encodeCursor = (cursor: ConversationCursor | null): string | null =>
  cursor ? Buffer.from(JSON.stringify([cursor.startedAt, cursor.id])).toString('base64url') : null;

function decodeCursor(text: string): ConversationCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length <= 64
    )
      return { startedAt: value[0] as number, id: value[1] };
  } catch {}
  return null;
}

export function parseConversationQuery(query: Record<string, string>): ConversationQuery {
  const parsed = ConversationQuery.safeParse(query);
  if (!parsed.success) throw zodInputError(parsed.error);
  return parsed.data;
}
