import { hasStaff, isInstallationTokenOpen, sha256, useInstallationToken } from '@parley/db';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { sameOriginWrites } from '../dashboard/dashboard-api.ts';
import { AppError, readJson } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';
import { Installation, SET_UP_ALREADY, setUpInstallation } from './set-up.ts';
import { SETUP_PAGE, SETUP_SCRIPT, SETUP_STYLE } from './setup-page.ts';

// Setting up an installation: the page at /setup takes the one-time token of the link the server printed, always
// (behind a reverse proxy every request looks local, so "only from this machine" would protect nothing), and creates
// the operator's first staff member and, if wanted, the first business account.

const Token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { message: 'the setup token is not valid' });

export const SetUp = Installation.extend({ token: Token });
export type SetUp = z.infer<typeof SetUp>;

const INVALID =
  'This setup link is not valid: it has been used, it has expired, or the server printed a newer one when it ' +
  'restarted. If this installation is not set up yet, restart the server and open the link it prints.';

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
    if (await hasStaff(s.db)) throw new AppError('not_found', SET_UP_ALREADY);
    if (!(await isInstallationTokenOpen(s.db, 'setup', sha256(token), s.clock.now())))
      throw new AppError('not_found', INVALID);
    return c.json({ valid: true });
  });

  routes.post('/setup/api', async (c) => {
    const body = await readJson(c, SetUp);
    const now = s.clock.now();
    const created = await setUpInstallation(s.db, {
      installation: body,
      // COL-4: the installation's region.
      region: s.content.regions.installation,
      now,
      claim: async () => {
        if (!(await useInstallationToken(s.db, 'setup', sha256(body.token), now)))
          throw new AppError('not_found', (await hasStaff(s.db)) ? SET_UP_ALREADY : INVALID);
      },
    });
    return c.json(
      {
        staffEmail: created.staff.email,
        accountId: created.accountId,
        message: created.accountId
          ? 'Parley is set up. Sign in to the admin console with your email address and password; the business owner signs in to the dashboard at /app.'
          : 'Parley is set up. Sign in to the admin console with your email address and password.',
      },
      201,
    );
  });

  return routes;
}
