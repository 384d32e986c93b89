import { auditPage, recordStaffAction, sweepRetention } from '@parley/db';
import { describeRetention } from '@parley/policy';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

export const RetentionRunsInput = z
  .object({ limit: z.number().int().min(1).max(100).default(10) })
  .default({ limit: 10 });

const counts = (value: unknown): Record<string, number> =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
      )
    : {};

export const retentionRouter = router({
  /** RET-3: runs the sweep now, with the retention of the policy in force, and says what it removed. */
  run: staffProcedure.input(noInput).mutation(async ({ ctx }) => {
    const { db, content, now } = ctx.deps;
    const ranAt = now();
    const report = await sweepRetention(db, content, { now: ranAt });
    if (!report)
      throw new AdminError(
        'invalid_state',
        'A retention sweep is already running, started by the chat server or another operator; it will be listed under the latest runs when it ends.',
      );
    const total = Object.values(report.byCategory).reduce((sum, n) => sum + n, 0);
    await recordStaffAction(db, {
      staffId: ctx.staff.id,
      action: 'retention.run',
      detail: { total },
      now: ranAt,
    });
    const categoryName = (key: string) => content.categories.find((c) => c.key === key)?.name ?? key;
    return {
      ranAt,
      total,
      batches: report.batches,
      byCategory: Object.entries(report.byCategory)
        .map(([key, count]) => ({ key, name: categoryName(key), count }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      byTable: Object.entries(report.byTable)
        .map(([table, n]) => ({ table, deleted: n.deleted, cleared: n.cleared }))
        .sort((a, b) => a.table.localeCompare(b.table)),
      /** Files deleted with their rows or after them (mail written without SMTP), per file store. */
      files: Object.entries(report.files).map(([store, count]) => ({ store, count })),
    };
  }),

  /** RET-3: the latest sweeps, whoever started them (the chat server's timer or staff), from the audit log. */
  runs: staffProcedure.input(RetentionRunsInput).query(async ({ ctx, input }) => {
    const { entries } = await auditPage(ctx.deps.db, { action: 'retention.sweep', limit: input.limit });
    return entries.map((entry) => {
      const byCategory = counts(entry.detail?.byCategory);
      return {
        id: entry.id,
        at: entry.createdAt,
        total: Object.values(byCategory).reduce((sum, n) => sum + n, 0),
        byCategory: Object.entries(byCategory).map(([key, count]) => ({ key, count })),
      };
    });
  }),

  /** The periods the sweep enforces, from the policy in force. */
  rules: staffProcedure.input(noInput).query(({ ctx }) => {
    const { content } = ctx.deps;
    const categoryName = (key: string) => content.categories.find((c) => c.key === key)?.name ?? key;
    return content.retention.map((rule) => ({
      category: rule.category,
      categoryName: categoryName(rule.category),
      subject: rule.subject,
      store: rule.store ?? null,
      keptFor: describeRetention(rule.retention),
      why: rule.why,
    }));
  }),
});
