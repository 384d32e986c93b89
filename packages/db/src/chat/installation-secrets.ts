import { asc, eq } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { lockFor, read, readOne, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

export interface InstallationSecret {
  keyId: string;
  value: string;
  createdAt: number;
}

/** The stored secrets of one kind (e.g. the session keyring), oldest first. */
export async function listInstallationSecrets(db: ParleyDb, name: string): Promise<InstallationSecret[]> {
  return read(db, (o, { installationSecrets }) =>
    o
      .select({
        keyId: installationSecrets.keyId,
        value: installationSecrets.value,
        createdAt: installationSecrets.createdAt,
      })
      .from(installationSecrets)
      .where(eq(installationSecrets.name, name))
      .orderBy(asc(installationSecrets.createdAt), asc(installationSecrets.keyId)),
  );
}

/**
 * Stores secrets of one kind unless some already exist, and returns what is stored: when two processes start at
 * once, both end up with the first one's secrets.
 */
export async function initInstallationSecrets(
  db: ParleyDb,
  name: string,
  secrets: InstallationSecret[],
): Promise<InstallationSecret[]> {
  await transaction(db, async () => {
    // Two nodes starting at once may offer different key ids, which no unique key would keep apart: the second
    // waits here until the first has stored its secrets, and then finds them.
    await lockFor(db, `installation-secrets:${name}`);
    const existing = await readOne(db, (o, { installationSecrets }) =>
      o
        .select({ keyId: installationSecrets.keyId })
        .from(installationSecrets)
        .where(eq(installationSecrets.name, name))
        .limit(1),
    );
    if (existing || secrets.length === 0) return;
    await write(db, (o, { installationSecrets }) =>
      o.insert(installationSecrets).values(secrets.map((secret) => ({ name, ...secret }))),
    );
  });
  return listInstallationSecrets(db, name);
}
