import { auditPage } from '@parley/db';
import { z } from 'zod';
import { router, staffProcedure } from '../trpc.ts';

export const AuditInput = z
  .object({
    limit: z.number().int().min(1).max(200).default(50),
    /** The id of the last entry of the previous page. */
    before: z.number().int().positive().optional(),
    /** One action (`disclosure.approved`) or a family ending in a dot (`disclosure.`). */
    action: z
      .string()
      .regex(/^[a-z_]+(\.[a-z_]*)*$/, {
        message: 'An action looks like "disclosure.approved" or "disclosure.".',
      })
      .max(100)
      .optional(),
  })
  .default({ limit: 50 });
export type AuditInput = z.infer<typeof AuditInput>;

export const auditRouter = router({
  /** The audit log, newest first, a page at a time. Entries hold ids and counts, never personal data. */
  list: staffProcedure.input(AuditInput).query(({ ctx, input }) =>
    auditPage(ctx.deps.db, {
      limit: input.limit,
      ...(input.before !== undefined ? { before: input.before } : {}),
      ...(input.action !== undefined ? { action: input.action } : {}),
    }),
  ),
});
