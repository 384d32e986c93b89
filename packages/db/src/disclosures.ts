import { type ParleyDb, sqliteOf } from './connection.ts';
import { newId } from './ids.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

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

const toDisclosure = (row: Record<string, unknown>): Disclosure => ({
  id: row.id as string,
  requester: row.requester as string,
  legalBasis: row.legal_basis as string,
  categories: JSON.parse(row.categories as string) as string[],
  accountId: (row.account_id as string | null) ?? null,
  receivedAt: row.received_at as number,
  approvedBy: (row.approved_by as string | null) ?? null,
  approvedAt: (row.approved_at as number | null) ?? null,
  disclosedAt: (row.disclosed_at as number | null) ?? null,
  status: row.status as Disclosure['status'],
});

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
  if (blockedByTransaction(db)) await whenFree(db);
  const id = newId('dsc');
  sqliteOf(db)
    .prepare(
      "INSERT INTO disclosures (id, requester, legal_basis, categories, account_id, received_at, status) VALUES (?, ?, ?, ?, ?, ?, 'received')",
    )
    .run(
      id,
      input.requester,
      input.legalBasis,
      JSON.stringify(input.categories),
      input.accountId ?? null,
      input.now ?? Date.now(),
    );
  return (await getDisclosure(db, id))!;
}

export async function getDisclosure(db: ParleyDb, id: string): Promise<Disclosure | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  const row = sqliteOf(db).prepare('SELECT * FROM disclosures WHERE id = ?').get(id) as
    | Record<string, unknown>
    | undefined;
  return row ? toDisclosure(row) : null;
}

export async function decideDisclosure(
  db: ParleyDb,
  input: { id: string; staffId: string; decision: 'approved' | 'refused' | 'disclosed'; now?: number },
): Promise<Disclosure> {
  if (blockedByTransaction(db)) await whenFree(db);
  const current = await getDisclosure(db, input.id);
  if (!current) throw new DisclosureStateError(`No disclosure request ${input.id}`);
  const allowed: Record<Disclosure['status'], Array<Disclosure['status']>> = {
    received: ['approved', 'refused'],
    approved: ['disclosed'],
    refused: [],
    disclosed: [],
  };
  if (!allowed[current.status].includes(input.decision))
    throw new DisclosureStateError(`A ${current.status} request cannot become ${input.decision}`);
  const now = input.now ?? Date.now();
  if (input.decision === 'disclosed')
    sqliteOf(db)
      .prepare("UPDATE disclosures SET status = 'disclosed', disclosed_at = ? WHERE id = ?")
      .run(now, input.id);
  else
    sqliteOf(db)
      .prepare('UPDATE disclosures SET status = ?, approved_by = ?, approved_at = ? WHERE id = ?')
      .run(input.decision, input.staffId, now, input.id);
  sqliteOf(db)
    .prepare(
      'INSERT INTO audit_log (actor_kind, actor_id, account_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(
      'staff',
      input.staffId,
      current.accountId,
      `disclosure.${input.decision}`,
      JSON.stringify({ disclosureId: input.id }),
      now,
    );
  return (await getDisclosure(db, input.id))!;
}

export async function listDisclosures(db: ParleyDb): Promise<Disclosure[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db).prepare('SELECT * FROM disclosures ORDER BY received_at DESC').all() as Array<
      Record<string, unknown>
    >
  ).map(toDisclosure);
}
