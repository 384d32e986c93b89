import { listHandoffs } from '@parley/db';
import { z } from 'zod';
import { router, staffProcedure } from '../trpc.ts';

export const HandoffsInput = z
  .object({ limit: z.number().int().min(1).max(500).default(100) })
  .default({ limit: 100 });

const parseList = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.map(String) : [];
};

export const handoffsRouter = router({
  /** SHR-1: every hand-off to a processor, by category: what was sent and what was held back. Never values. */
  list: staffProcedure.input(HandoffsInput).query(async ({ ctx, input }) => {
    const { content } = ctx.deps;
    const categoryName = (key: string) => content.categories.find((c) => c.key === key)?.name ?? key;
    return (await listHandoffs(ctx.deps.db, input.limit)).map((h) => ({
      id: h.id,
      processorId: h.processor_id,
      processorName: content.processors.find((p) => p.id === h.processor_id)?.name ?? h.processor_id,
      activity: h.activity,
      activityName: content.activities.find((a) => a.id === h.activity)?.name ?? h.activity,
      accountId: h.account_id,
      sent: parseList(h.sent_fields).map((key) => ({ key, name: categoryName(key) })),
      dropped: parseList(h.dropped_fields).map((key) => ({ key, name: categoryName(key) })),
      createdAt: h.created_at,
    }));
  }),
});
