import { installationOverview } from '@parley/db';
import { noInput, router, staffProcedure } from '../trpc.ts';

export const overviewRouter = router({
  counts: staffProcedure.input(noInput).query(async ({ ctx }) => {
    const counts = await installationOverview(ctx.deps.db, ctx.deps.now());
    return {
      ...counts,
      region: ctx.deps.content.regions.installation,
      policyVersion: latest(ctx.deps.policy),
    };
  }),
});

const latest = (policy: { versions: Array<{ version: string }> }): string =>
  policy.versions[policy.versions.length - 1]?.version ?? '';
