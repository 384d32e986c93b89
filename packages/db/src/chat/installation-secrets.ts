import { asc, eq } from 'drizzle-orm';
import { ormOf, type ParleyDb, sqliteOf } from '../connection.ts';
import { installationSecrets } from '../schema.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

export interface InstallationSecret {
  keyId: string;
  value: string;
  createdAt: number;
}

/** The stored secrets of one kind (e.g. the session keyring), oldest first. */
export async function listInstallationSecrets(db: ParleyDb, name: string): Promise<InstallationSecret[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  return ormOf(db)
    .select({
      keyId: installationSecrets.keyId,
      value: installationSecrets.value,
      createdAt: installationSecrets.createdAt,
    })
    .from(installationSecrets)
    .where(eq(installationSecrets.name, name))
    .orderBy(asc(installationSecrets.createdAt), asc(installationSecrets.keyId))
    .all();
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
  if (blockedByTransaction(db)) await whenFree(db);
  sqliteOf(db).transaction(() => {
    const existing = ormOf(db)
      .select({ keyId: installationSecrets.keyId })
      .from(installationSecrets)
      .where(eq(installationSecrets.name, name))
      .get();
    if (existing) return;
    for (const secret of secrets)
      ormOf(db)
        .insert(installationSecrets)
        .values({ name, ...secret })
        .run();
  })();
  return listInstallationSecrets(db, name);
}
