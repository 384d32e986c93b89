import {
  createStaffMember,
  hashPassword,
  hasStaff,
  type ParleyDb,
  StaffEmailTakenError,
  transaction,
} from '@parley/db';
import { createAccountWithOwner, findAgentByEmail, writeAudit } from '@parley/db/chat';
import { z } from 'zod';
import { EmailAddress, NewPassword } from '../auth/new-password.ts';
import { AppError } from '../errors.ts';

// Setting up an installation, the same whether the web page at /setup asks for it or `parley setup` does: the
// operator's first staff member of the admin console and, if wanted, the first business account with its owner.

/** What setting up creates; the web page sends it with its link's token, the command takes it from its options. */
export const Installation = z.object({
  staff: z.object({
    name: z.string().trim().min(1, { message: 'give your name' }).max(80),
    email: EmailAddress,
    password: NewPassword,
  }),
  business: z
    .object({
      organization: z.string().trim().min(1, { message: "give the business's name" }).max(200),
      ownerName: z.string().trim().min(1, { message: "give the owner's name" }).max(80),
      email: EmailAddress,
      password: NewPassword,
    })
    .optional(),
});
export type Installation = z.infer<typeof Installation>;

export const SET_UP_ALREADY =
  'This installation is set up already. Sign in to the admin console with the staff account made then.';

export interface SetUpInput {
  installation: Installation;
  /** COL-4: the installation's region, which the first business's data lives in. */
  region: string;
  now: number;
  /**
   * Runs first in the transaction that sets up: the web page uses its one-time token there, so that of two
   * requests with it one sets up and the other is refused, and a failure later leaves the token unused.
   */
  claim?: () => Promise<void>;
}

export interface SetUpResult {
  staff: { id: string; email: string; name: string };
  accountId: string | null;
}

/** Creates the first staff member (and business), once: an installation that has a staff member is refused. */
export async function setUpInstallation(db: ParleyDb, input: SetUpInput): Promise<SetUpResult> {
  const { installation, now } = input;
  const [staffHash, ownerHash] = await Promise.all([
    hashPassword(installation.staff.password),
    installation.business ? hashPassword(installation.business.password) : null,
  ]);
  return transaction(db, async () => {
    await input.claim?.();
    if (await hasStaff(db)) throw new AppError('not_found', SET_UP_ALREADY);
    const staff = await createStaffMember(db, {
      email: installation.staff.email,
      name: installation.staff.name,
      passwordHash: staffHash,
      now,
    }).catch((error: unknown) => {
      throw error instanceof StaffEmailTakenError
        ? new AppError('email_taken', 'This email address belongs to a staff member already.')
        : error;
    });
    let account: { accountId: string } | null = null;
    if (installation.business && ownerHash) {
      if (await findAgentByEmail(db, installation.business.email))
        throw new AppError('email_taken', "The owner's email address already has a Parley sign-in.");
      account = await createAccountWithOwner(db, {
        organization: installation.business.organization,
        region: input.region,
        owner: {
          email: installation.business.email,
          name: installation.business.ownerName,
          passwordHash: ownerHash,
        },
        now,
      });
    }
    await writeAudit(db, {
      actorKind: 'staff',
      actorId: staff.id,
      accountId: account?.accountId ?? null,
      action: 'installation.set_up',
      detail: { business: account !== null },
      now,
    });
    return { staff, accountId: account?.accountId ?? null };
  });
}
