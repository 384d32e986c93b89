import { publishedPolicyVersions, publishPolicyVersions, recordStaffAction } from '@parley/db';
import {
  dataMap,
  diffPolicies,
  isSignificant,
  type PolicyContent,
  renderPolicy,
  SemVer,
  subjectName,
  summariseChanges,
  versionHistory,
  versionInForce,
} from '@parley/policy';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

export const DiffInput = z.object({ from: SemVer, to: SemVer });
export type DiffInput = z.infer<typeof DiffInput>;

export const policyRouter = router({
  /** CHG-1: the versions published on this installation, and those in the code not yet published here. */
  versions: staffProcedure.input(noInput).query(async ({ ctx }) => {
    const published = await publishedPolicyVersions(ctx.deps.db);
    const known = new Set(published.map((v) => v.version));
    return {
      inForce: versionInForce(ctx.deps.policy, ctx.deps.now()).version,
      published: published.map(({ version, date, summary, significant }) => ({
        version,
        date,
        summary,
        significant,
      })),
      pending: versionHistory(ctx.deps.policy)
        .filter((v) => !known.has(v.version))
        .map((v) => ({ ...v, willNotify: v.significance === 'significant' && known.size > 0 })),
    };
  }),

  /** CHG-1: every difference between any two versions, each classed significant or minor. */
  diff: staffProcedure.input(DiffInput).query(async ({ ctx, input }) => {
    const contents = new Map<string, PolicyContent>();
    for (const v of await publishedPolicyVersions(ctx.deps.db)) contents.set(v.version, v.content);
    // The code's own versions win over a stored copy: they are what is, or will be, published.
    for (const v of ctx.deps.policy.versions) contents.set(v.version, v.content);
    const from = contents.get(input.from);
    const to = contents.get(input.to);
    if (!from || !to)
      throw new AdminError('not_found', `There is no policy version ${!from ? input.from : input.to}.`);
    const changes = diffPolicies(from, to);
    return {
      from: input.from,
      to: input.to,
      significant: isSignificant(changes),
      changes,
      notice: summariseChanges(changes),
    };
  }),

  /**
   * CHG-1: publishes the versions not yet published here. A significant change queues a notice to every account
   * holder; the first publication on a new installation notifies nobody.
   */
  publish: staffProcedure.input(noInput).mutation(async ({ ctx }) => {
    const { db, policy, policyUrl, now } = ctx.deps;
    const { published, noticesQueued } = await publishPolicyVersions(db, policy, {
      ...(policyUrl ? { policyUrl } : {}),
      now: now(),
    });
    await recordStaffAction(db, {
      staffId: ctx.staff.id,
      action: 'policy.published',
      detail: { versions: published.map((v) => v.version), noticesQueued },
      now: now(),
    });
    return { published, noticesQueued };
  }),

  /** The policy in force as the document tree the public site renders; the console shows it as text. */
  document: staffProcedure.input(noInput).query(({ ctx }) => renderPolicy(ctx.deps.policy, ctx.deps.now())),

  /** Per processing activity: data, people, legal basis, retention, regions and processors. */
  dataMap: staffProcedure.input(noInput).query(({ ctx }) => {
    const { content } = ctx.deps;
    const categoryName = (key: string) => content.categories.find((c) => c.key === key)?.name ?? key;
    return dataMap(content).map((entry) => ({
      activity: entry.activity,
      name: entry.name,
      use: entry.use,
      legalBasis: entry.legalBasis.replaceAll('_', ' '),
      subjects: entry.subjects.map(subjectName),
      categories: entry.categories.map((c) => ({
        key: c.key,
        name: categoryName(c.key),
        retention: c.retention.map((r) => `${subjectName(r.subject)}: ${r.text}`),
      })),
      regions: entry.regions,
      processors: entry.processors.map((p) => ({ id: p.id, name: p.name, region: p.region })),
    }));
  }),
});
