import {
  createStaffMember,
  hashPassword,
  hasStaff,
  isInstallationTokenOpen,
  StaffEmailTakenError,
  sha256,
  transaction,
  useInstallationToken,
} from '@parley/db';
import { createAccountWithOwner, findAgentByEmail, writeAudit } from '@parley/db/chat';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { EmailAddress, NewPassword } from '../auth/new-password.ts';
import { sameOriginWrites } from '../dashboard/dashboard-api.ts';
import { AppError, readJson } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';
import { SETUP_PAGE, SETUP_SCRIPT, SETUP_STYLE } from './setup-page.ts';

// Setting up an installation: the page at /setup takes the one-time token of the link the server printed, always
// (behind a reverse proxy every request looks local, so "only from this machine" would protect nothing), and creates
// the operator's first staff member and, if wanted, the first business account.

const Token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { message: 'the setup token is not valid' });

export const SetUp = z.object({
  token: Token,
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
export type SetUp = z.infer<typeof SetUp>;

const INVALID =
  'This setup link is not valid: it has been used, it has expired, or the server printed a newer one when it ' +
  'restarted. If this installation is not set up yet, restart the server and open the link it prints.';
const DONE =
  'This installation is set up already. Sign in to the admin console with the staff account made then.';

const noStore = { 'Cache-Control': 'no-store' };

export function setupRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  routes.use('/setup/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  routes.use('/setup/api/*', sameOriginWrites(s));
  routes.use(
    '/setup/api/*',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new AppError('payload_too_large', 'The request body is larger than 16 KiB.');
      },
    }),
  );

  routes.get('/setup', (c) => c.html(SETUP_PAGE, 200, noStore));
  routes.get('/setup/setup.js', (c) =>
    c.body(SETUP_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ...noStore }),
  );
  routes.get('/setup/setup.css', (c) =>
    c.body(SETUP_STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', ...noStore }),
  );

  /** Lets the page say at once whether its link still works, before anyone types a password. */
  routes.post('/setup/api/check', async (c) => {
    const { token } = await readJson(c, z.object({ token: Token }));
    if (await hasStaff(s.db)) throw new AppError('not_found', DONE);
    if (!(await isInstallationTokenOpen(s.db, 'setup', sha256(token), s.clock.now())))
      throw new AppError('not_found', INVALID);
    return c.json({ valid: true });
  });

  routes.post('/setup/api', async (c) => {
    const body = await readJson(c, SetUp);
    const now = s.clock.now();
    const [staffHash, ownerHash] = await Promise.all([
      hashPassword(body.staff.password),
      body.business ? hashPassword(body.business.password) : null,
    ]);
    const created = await transaction(s.db, async () => {
      // The token is used in the transaction that sets up: of two requests with it, one sets up, the other is
      // refused; and a failure below leaves it unused.
      if (!(await useInstallationToken(s.db, 'setup', sha256(body.token), now)))
        throw new AppError('not_found', (await hasStaff(s.db)) ? DONE : INVALID);
      if (await hasStaff(s.db)) throw new AppError('not_found', DONE);
      const staff = await createStaffMember(s.db, {
        email: body.staff.email,
        name: body.staff.name,
        passwordHash: staffHash,
        now,
      }).catch((error: unknown) => {
        throw error instanceof StaffEmailTakenError
          ? new AppError('email_taken', 'This email address belongs to a staff member already.')
          : error;
      });
      let account: { accountId: string } | null = null;
      if (body.business && ownerHash) {
        if (await findAgentByEmail(s.db, body.business.email))
          throw new AppError('email_taken', "The owner's email address already has a Parley sign-in.");
        account = await createAccountWithOwner(s.db, {
          organization: body.business.organization,
          // COL-4: the installation's region.
          region: s.content.regions.installation,
          owner: { email: body.business.email, name: body.business.ownerName, passwordHash: ownerHash },
          now,
        });
      }
      await writeAudit(s.db, {
        actorKind: 'staff',
        actorId: staff.id,
        accountId: account?.accountId ?? null,
        action: 'installation.set_up',
        detail: { business: account !== null },
        now,
      });
      return { staff, account };
    });
    return c.json(
      {
        staffEmail: created.staff.email,
        accountId: created.account?.accountId ?? null,
        message: created.account
          ? 'Parley is set up. Sign in to the admin console with your email address and password; the business owner signs in to the dashboard at /app.'
          : 'Parley is set up. Sign in to the admin console with your email address and password.',
      },
      201,
    );
  });

  return routes;
}
