import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type AdminAppOptions, type AdminContext, adminDeps } from './context.ts';
import { AdminError, ERROR_TABLE, toAdminError } from './errors.ts';
import { adminRouter } from './router.ts';
import { securityHeaders } from './security-headers.ts';
import { readStaffSession } from './staff-session.ts';
import { findPublicDirectory, staticUi } from './static-ui.ts';

export const TRPC_ENDPOINT = '/admin/trpc';

/** What `@hono/node-server` passes as the environment: the request's socket. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

const errorBody = (error: AdminError) => ({ error: { code: error.code, message: error.message } });

/**
 * The admin console: the tRPC API at `/admin/trpc/*` and its UI at `/admin`. Self-contained, so that the chat
 * server can mount it on a loopback port of its own, and `main.ts` can run it alone.
 */
export function createAdminApp(options: AdminAppOptions): Hono {
  const deps = adminDeps(options);
  const app = new Hono();

  app.use('/admin/*', securityHeaders());
  app.use('/admin', securityHeaders());
  app.use(
    `${TRPC_ENDPOINT}/*`,
    bodyLimit({
      maxSize: 256 * 1024,
      onError: () => {
        throw new AdminError('invalid_input', 'The request is too large.');
      },
    }),
  );

  app.all(`${TRPC_ENDPOINT}/*`, (c) =>
    fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: c.req.raw,
      router: adminRouter,
      allowBatching: true,
      maxBatchSize: 20,
      createContext: async ({ req, resHeaders }): Promise<AdminContext> => ({
        deps,
        req,
        clientAddress: (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress,
        resHeaders,
        session: await readStaffSession(deps, req, resHeaders),
      }),
    }),
  );

  app.route('/', staticUi(options.publicDirectory ?? findPublicDirectory()));

  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'There is nothing here.' } }, 404));
  app.onError((error, c) => {
    const admin = toAdminError(error);
    if (admin.code === 'internal')
      deps.logError(`admin: ${c.req.method} ${c.req.path} failed: ${error.name}`);
    return c.json(errorBody(admin), ERROR_TABLE[admin.code].status as 400);
  });
  return app;
}
