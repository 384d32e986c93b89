import { hashPassword, newId, type ParleyDb } from '@parley/db';
import { createAccountWithOwner } from '@parley/db/chat';

// Accounts for benchmarks, made by the app's own functions; bulk visitors, conversations and messages come from
// `@parley/db/bench`.

export interface BenchAccount {
  accountId: string;
  agentId: string;
  publicKey: string;
  email: string;
  password: string;
}

export const BENCH_PASSWORD = 'bench password, not a secret';

/** Accounts with an owner agent each, all with the same password, hashed once. */
export async function createBenchAccounts(
  db: ParleyDb,
  count: number,
  prefix = 'bench',
): Promise<BenchAccount[]> {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const out: BenchAccount[] = [];
  for (let i = 0; i < count; i++) {
    const email = `agent${i}@${prefix}.test`;
    const created = await createAccountWithOwner(db, {
      organization: `${prefix} org ${i}`,
      region: 'DE',
      publicKey: `pk_${prefix}_${String(i).padStart(4, '0')}_${newId('k').slice(2, 14)}`,
      owner: { email, name: `Agent ${i}`, passwordHash },
    });
    out.push({ ...created, email, password: BENCH_PASSWORD });
  }
  return out;
}
