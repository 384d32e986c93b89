import { accountsRouter } from './procedures/accounts.ts';
import { auditRouter } from './procedures/audit.ts';
import { authRouter } from './procedures/auth.ts';
import { disclosuresRouter } from './procedures/disclosures.ts';
import { handoffsRouter } from './procedures/handoffs.ts';
import { marketingRouter } from './procedures/marketing.ts';
import { noticesRouter } from './procedures/notices.ts';
import { overviewRouter } from './procedures/overview.ts';
import { policyRouter } from './procedures/policy.ts';
import { requestsRouter } from './procedures/requests.ts';
import { retentionRouter } from './procedures/retention.ts';
import { staffRouter } from './procedures/staff.ts';
import { statisticsRouter } from './procedures/statistics.ts';
import { supportRouter } from './procedures/support.ts';
import { createCallerFactory, router } from './trpc.ts';

export const adminRouter = router({
  auth: authRouter,
  overview: overviewRouter,
  accounts: accountsRouter,
  requests: requestsRouter,
  disclosures: disclosuresRouter,
  handoffs: handoffsRouter,
  retention: retentionRouter,
  policy: policyRouter,
  notices: noticesRouter,
  marketing: marketingRouter,
  statistics: statisticsRouter,
  audit: auditRouter,
  support: supportRouter,
  staff: staffRouter,
});

export type AdminRouter = typeof adminRouter;

export const createAdminCaller = createCallerFactory(adminRouter);
