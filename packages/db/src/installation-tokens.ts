import { and, eq, gt, isNull } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { newId } from './ids.ts';
import { lockFor, read, type Tables, write } from './statements.ts';
import { transaction } from './transaction.ts';

/** `setup`: the link that creates an installation's first staff member; `signup_invitation`: a sign-up code. */
export type InstallationTokenKind = 'setup' | 'signup_invitation';

/** Keeps the hash of a new one-time token; the token itself is shown once, never stored. */
export async function createInstallationToken(
  db: ParleyDb,
  input: { kind: InstallationTokenKind; tokenHash: string; expiresAt: number; now?: number },
): Promise<{ id: string }> {
  const id = newId('itk');
  await write(db, (o, { installationTokens }) =>
    o.insert(installationTokens).values({
      id,
      kind: input.kind,
      tokenHash: input.tokenHash,
      createdAt: input.now ?? Date.now(),
      expiresAt: input.expiresAt,
    }),
  );
  return { id };
}

/**
 * Replaces every setup token with a new one: each start while setup is pending prints a fresh link, and the links
 * printed before stop working. On PostgreSQL the nodes of one installation take turns.
 */
export async function replaceSetupToken(
  db: ParleyDb,
  input: { tokenHash: string; expiresAt: number; now?: number },
): Promise<void> {
  await transaction(db, async () => {
    await lockFor(db, 'installation-token:setup');
    await write(db, (o, { installationTokens }) =>
      o.delete(installationTokens).where(eq(installationTokens.kind, 'setup')),
    );
    await createInstallationToken(db, { kind: 'setup', ...input });
  });
}

/** The token of this kind and hash, over `installationTokens`, if it can still be used: not used, not expired. */
const isOpen = (
  { installationTokens: t }: Tables,
  kind: InstallationTokenKind,
  tokenHash: string,
  now: number,
) => and(eq(t.kind, kind), eq(t.tokenHash, tokenHash), isNull(t.usedAt), gt(t.expiresAt, now));

/** Whether a token of this kind can still be used: not used, not expired. */
export async function isInstallationTokenOpen(
  db: ParleyDb,
  kind: InstallationTokenKind,
  tokenHash: string,
  now = Date.now(),
): Promise<boolean> {
  const found = await read(db, (o, t) =>
    o
      .select({ id: t.installationTokens.id })
      .from(t.installationTokens)
      .where(isOpen(t, kind, tokenHash, now)),
  );
  return found.length > 0;
}

/**
 * Uses a token once: marks it used if it is open, in one statement, so two requests with the same token cannot both
 * succeed. Called inside the transaction that does what the token allows, it is undone with it.
 */
export async function useInstallationToken(
  db: ParleyDb,
  kind: InstallationTokenKind,
  tokenHash: string,
  now = Date.now(),
): Promise<boolean> {
  const used = await write(db, (o, t) =>
    o
      .update(t.installationTokens)
      .set({ usedAt: now })
      .where(isOpen(t, kind, tokenHash, now)),
  );
  return used === 1;
}
