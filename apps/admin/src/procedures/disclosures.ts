import {
  accountExists,
  type Disclosure,
  decideDisclosure,
  getDisclosure,
  getStaffMember,
  listAccountSummaries,
  listDisclosures,
  type ParleyDb,
  recordDisclosureRequest,
  recordStaffAction,
} from '@parley/db';
import type { PolicyContent } from '@parley/policy';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

/** SHR-1: the only grounds on which Parley hands personal data to someone who asks, besides its processors. */
export const DisclosureGround = z.enum(['consent', 'law', 'terms', 'fraud_or_security', 'safety']);
export type DisclosureGround = z.infer<typeof DisclosureGround>;

export const DISCLOSURE_GROUND_NAMES: Record<DisclosureGround, string> = {
  consent: 'Consent of the person concerned',
  law: 'Required by law',
  terms: 'Enforcing the terms of service',
  fraud_or_security: 'Fraud or security',
  safety: "Someone's safety",
};

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}.` })
    .max(max, { message: `Keep ${what} under ${max} characters.` });

export const RecordDisclosureInput = z.object({
  requester: text(200, 'who is asking'),
  ground: DisclosureGround,
  reference: text(500, 'the legal reference (e.g. the order number)'),
  categories: z
    .array(z.string().min(1).max(100))
    .min(1, { message: 'Choose at least one kind of data.' })
    .max(50),
  accountId: z.string().trim().min(1).max(100).optional(),
});
export type RecordDisclosureInput = z.infer<typeof RecordDisclosureInput>;

export const DecideDisclosureInput = z.object({
  id: z.string().min(1).max(100),
  decision: z.enum(['approve', 'refuse', 'disclose']),
});
export type DecideDisclosureInput = z.infer<typeof DecideDisclosureInput>;

const DECISIONS = { approve: 'approved', refuse: 'refused', disclose: 'disclosed' } as const;
const STORED = /^(consent|law|terms|fraud_or_security|safety): ([\s\S]*)$/;

/** Disclosure register rows as staff see them, with names instead of ids where the console knows them. */
async function present(db: ParleyDb, content: PolicyContent, rows: Disclosure[]) {
  const organizations = new Map((await listAccountSummaries(db)).map((a) => [a.id, a.organization] as const));
  const staffNames = new Map<string, string | null>();
  for (const id of new Set(rows.flatMap((r) => (r.approvedBy ? [r.approvedBy] : []))))
    staffNames.set(id, (await getStaffMember(db, id))?.name ?? null);
  const categoryName = (key: string) => content.categories.find((c) => c.key === key)?.name ?? key;
  return rows.map((r) => {
    const stored = STORED.exec(r.legalBasis);
    const ground = stored ? (stored[1] as DisclosureGround) : null;
    return {
      id: r.id,
      requester: r.requester,
      ground,
      groundName: ground ? DISCLOSURE_GROUND_NAMES[ground] : null,
      reference: stored ? (stored[2] ?? '') : r.legalBasis,
      categories: r.categories.map((key) => ({ key, name: categoryName(key) })),
      accountId: r.accountId,
      organization: r.accountId ? (organizations.get(r.accountId) ?? null) : null,
      receivedAt: r.receivedAt,
      status: r.status,
      // The register's `approved_by` names whoever decided, approval or refusal.
      decidedBy: r.approvedBy,
      decidedByName: r.approvedBy ? (staffNames.get(r.approvedBy) ?? null) : null,
      decidedAt: r.approvedAt,
      disclosedAt: r.disclosedAt,
    };
  });
}

export const disclosuresRouter = router({
  /** SHR-1: the disclosure register, newest first. */
  list: staffProcedure
    .input(noInput)
    .query(async ({ ctx }) => present(ctx.deps.db, ctx.deps.content, await listDisclosures(ctx.deps.db))),

  /** The grounds and the kinds of data a request may name, for the form. */
  options: staffProcedure.input(noInput).query(({ ctx }) => ({
    grounds: DisclosureGround.options.map((id) => ({ id, name: DISCLOSURE_GROUND_NAMES[id] })),
    categories: ctx.deps.content.categories
      .filter((c) => c.storage === 'stored')
      .map((c) => ({ key: c.key, name: c.name, description: c.description })),
  })),

  /** SHR-1: records a request for data as it arrives; nothing is disclosed until it is approved. */
  record: staffProcedure.input(RecordDisclosureInput).mutation(async ({ ctx, input }) => {
    const { db, content, now } = ctx.deps;
    const stored = new Set(content.categories.filter((c) => c.storage === 'stored').map((c) => c.key));
    const unknown = input.categories.filter((key) => !stored.has(key));
    if (unknown.length > 0)
      throw new AdminError(
        'invalid_input',
        `Not a kind of data this installation holds: ${unknown.join(', ')}. Choose from the policy's categories.`,
      );
    if (input.accountId !== undefined && !(await accountExists(db, input.accountId)))
      throw new AdminError('not_found', `There is no account ${input.accountId}.`);
    const disclosure = await recordDisclosureRequest(db, {
      requester: input.requester,
      legalBasis: `${input.ground}: ${input.reference}`,
      categories: [...new Set(input.categories)],
      accountId: input.accountId ?? null,
      now: now(),
    });
    await recordStaffAction(db, {
      staffId: ctx.staff.id,
      action: 'disclosure.recorded',
      accountId: disclosure.accountId,
      detail: { disclosureId: disclosure.id },
      now: now(),
    });
    const [row] = await present(db, content, [disclosure]);
    return row!;
  }),

  /** SHR-1: approve or refuse a request, then record the disclosure; the deciding staff member is recorded. */
  decide: staffProcedure.input(DecideDisclosureInput).mutation(async ({ ctx, input }) => {
    const { db, content, now } = ctx.deps;
    if (!(await getDisclosure(db, input.id)))
      throw new AdminError('not_found', `There is no disclosure request ${input.id}.`);
    const disclosure = await decideDisclosure(db, {
      id: input.id,
      staffId: ctx.staff.id,
      decision: DECISIONS[input.decision],
      now: now(),
    });
    const [row] = await present(db, content, [disclosure]);
    return row!;
  }),
});
