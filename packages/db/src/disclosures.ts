import { and, desc, eq } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { newId } from './ids.ts';
import { read, readOne, write } from './statements.ts';
import { transaction } from './transaction.ts';

export interface Disclosure {
  id: string;
  requester: string;
  legalBasis: string;
  categories: string[];
  accountId: string | null;
  receivedAt: number;
  approvedBy: string | null;
  approvedAt: number | null;
  disclosedAt: number | null;
  status: 'received' | 'approved' | 'refused' | 'disclosed';
}

export class DisclosureStateError extends Error {
  readonly code = 'DISCLOSURE_STATE';
}

/** SHR-1: the register of legal requests: who asked, on what basis, for which categories, when, approved by whom. */
export async function recordDisclosureRequest(
  db: ParleyDb,
  input: {
    requester: string;
    legalBasis: string;
    categories: string[];
    accountId?: string | null;
    now?: number;
  },
): Promise<Disclosure> {
  const [stored] = await read(db, (o, { disclosures }) =>
    o
      .insert(disclosures)
      .values({
        id: newId('dsc'),
        requester: input.requester,
        legalBasis: input.legalBasis,
        categories: input.categories,
        accountId: input.accountId ?? null,
        receivedAt: input.now ?? Date.now(),
        status: 'received',
      })
      .returning(),
  );
  return stored!;
}

export async function getDisclosure(db: ParleyDb, id: string): Promise<Disclosure | null> {
  return readOne(db, (o, { disclosures }) => o.select().from(disclosures).where(eq(disclosures.id, id)));
}

/** The decisions each state of a request allows; `disclosed` and `refused` are final. */
const ALLOWED: Record<Disclosure['status'], Array<Disclosure['status']>> = {
  received: ['approved', 'refused'],
  approved: ['disclosed'],
  refused: [],
  disclosed: [],
};

const cannotBecome = (status: string, decision: string) =>
  new DisclosureStateError(`A ${status} request cannot become ${decision}`);

/**
 * Moves a request on by one decision, and records who made it in the audit log. The decision applies only to the
 * state it was checked against: of two staff deciding the same request at once, one succeeds and the other is told
 * the request has moved on, and the audit log holds only what happened.
 */
export async function decideDisclosure(
  db: ParleyDb,
  input: { id: string; staffId: string; decision: 'approved' | 'refused' | 'disclosed'; now?: number },
): Promise<Disclosure> {
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    const current = await getDisclosure(db, input.id);
    if (!current) throw new DisclosureStateError(`No disclosure request ${input.id}`);
    if (!ALLOWED[current.status].includes(input.decision)) throw cannotBecome(current.status, input.decision);
    const [decided] = await read(db, (o, { disclosures }) =>
      o
        .update(disclosures)
        .set(
          input.decision === 'disclosed'
            ? { status: 'disclosed', disclosedAt: now }
            : { status: input.decision, approvedBy: input.staffId, approvedAt: now },
        )
        .where(and(eq(disclosures.id, input.id), eq(disclosures.status, current.status)))
        .returning(),
    );
    if (!decided) {
      // Another decision was made since the check above; say what the request is now.
      const moved = await getDisclosure(db, input.id);
      throw cannotBecome(moved?.status ?? 'removed', input.decision);
    }
    await write(db, (o, { auditLog }) =>
      o.insert(auditLog).values({
        actorKind: 'staff',
        actorId: input.staffId,
        accountId: current.accountId,
        action: `disclosure.${input.decision}`,
        detail: { disclosureId: input.id },
        createdAt: now,
      }),
    );
    return decided;
  });
}

export async function listDisclosures(db: ParleyDb): Promise<Disclosure[]> {
  return read(db, (o, { disclosures }) =>
    o.select().from(disclosures).orderBy(desc(disclosures.receivedAt), desc(disclosures.id)),
  );
}
