import { hasSecondFactor, recordStaffAction } from '@parley/db';
import { initTRPC } from '@trpc/server';
import { z } from 'zod';
import type { AdminContext } from './context.ts';
import { AdminError, toAdminError, toTRPCError } from './errors.ts';
import { mayCall } from './permissions.ts';
import { assertSameOrigin } from './same-origin.ts';
import { csrfMatches } from './staff-session.ts';

export const CSRF_HEADER = 'x-parley-csrf';

const t = initTRPC.context<AdminContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // The stack is for the server's log, not for the browser.
        stack: undefined,
        appCode:
          cause instanceof AdminError ? cause.code : error.code === 'BAD_REQUEST' ? 'invalid_input' : null,
        issues:
          cause instanceof z.ZodError
            ? cause.issues.map((issue) => ({
                path: issue.path.map(String).join('.'),
                message: issue.message,
              }))
            : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Outermost: turns domain errors into the codes of `errors.ts`. tRPC's own errors (input validation, unknown
 * procedure) pass through; an unexpected error is logged by name and path, never with its input.
 */
const mapErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (result.error.code !== 'INTERNAL_SERVER_ERROR' && !(cause instanceof AdminError)) return result;
  const error = toAdminError(cause ?? result.error);
  if (error.code === 'internal')
    ctx.deps.logError(`admin: ${path} failed: ${cause?.name ?? 'Error'}: ${cause?.message ?? ''}`);
  throw toTRPCError(error);
});

/** Every mutation, signed in or not, must come from the console's own origin. */
const sameOriginMutations = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation') assertSameOrigin(ctx.req, ctx.deps.allowedOrigins);
  return next();
});

/**
 * A signed-in staff member whose role the table in `permissions.ts` allows to call this procedure. Checked before
 * the input is read, so a refused call learns nothing from validation; each refusal is in the audit log.
 */
const requireStaff = t.middleware(async ({ ctx, type, path, next }) => {
  const session = ctx.session;
  if (session === null) throw new AdminError('unauthenticated', 'Sign in to use the admin console.');
  // SEC-1: a session from before second factors were required does nothing until its holder enrols.
  if (!(await hasSecondFactor(ctx.deps.db, { kind: 'staff', id: session.staff.id })))
    throw new AdminError('unauthenticated', 'Sign in again to set up your second factor.');
  if (type === 'mutation' && !csrfMatches(session, ctx.req.headers.get(CSRF_HEADER)))
    throw new AdminError(
      'csrf_refused',
      'The request lacks this session’s CSRF token; reload the console and try again.',
    );
  if (!mayCall(session.staff.role, path)) {
    await recordStaffAction(ctx.deps.db, {
      staffId: session.staff.id,
      action: 'staff.refused',
      detail: { procedure: path },
      now: ctx.deps.now(),
    });
    throw new AdminError('forbidden', 'Your staff role does not allow this.');
  }
  return next({ ctx: { ...ctx, session, staff: session.staff } });
});

export const publicProcedure = t.procedure.use(mapErrors).use(sameOriginMutations);
/** Signed-in staff only; mutations also need the session's CSRF token in `x-parley-csrf`. */
export const staffProcedure = publicProcedure.use(requireStaff);

/** For procedures that take nothing: anything sent is refused rather than ignored. */
export const noInput = z.void();
