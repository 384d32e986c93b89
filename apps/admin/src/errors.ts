import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** Every failure the console reports, with a stable code that the UI and tests can rely on. */
export type AdminErrorCode =
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'origin_refused'
  | 'csrf_refused'
  | 'forbidden'
  | 'invalid_input'
  | 'not_found'
  | 'invalid_state'
  | 'already_exists'
  | 'unavailable'
  | 'internal';

/** The one table from error code to tRPC code and HTTP status. */
export const ERROR_TABLE: Record<AdminErrorCode, { trpc: TRPC_ERROR_CODE_KEY; status: number }> = {
  unauthenticated: { trpc: 'UNAUTHORIZED', status: 401 },
  invalid_credentials: { trpc: 'UNAUTHORIZED', status: 401 },
  too_many_attempts: { trpc: 'TOO_MANY_REQUESTS', status: 429 },
  origin_refused: { trpc: 'FORBIDDEN', status: 403 },
  csrf_refused: { trpc: 'FORBIDDEN', status: 403 },
  forbidden: { trpc: 'FORBIDDEN', status: 403 },
  invalid_input: { trpc: 'BAD_REQUEST', status: 400 },
  not_found: { trpc: 'NOT_FOUND', status: 404 },
  invalid_state: { trpc: 'CONFLICT', status: 409 },
  already_exists: { trpc: 'CONFLICT', status: 409 },
  unavailable: { trpc: 'PRECONDITION_FAILED', status: 412 },
  internal: { trpc: 'INTERNAL_SERVER_ERROR', status: 500 },
};

export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/**
 * Domain errors from `@parley/db` carry a stable `code` of their own; this says which of ours each one is. Anything
 * else is internal, and its message is not shown (it may quote data).
 */
const DOMAIN_CODES: Record<string, AdminErrorCode> = {
  DISCLOSURE_STATE: 'invalid_state',
  STAFF_EMAIL_TAKEN: 'already_exists',
  SUPPORT_THREAD_NOT_FOUND: 'not_found',
  UNKNOWN_PROCESSOR: 'not_found',
};

export function toAdminError(error: unknown): AdminError {
  if (error instanceof AdminError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const mapped = typeof code === 'string' ? DOMAIN_CODES[code] : undefined;
  if (mapped && error instanceof Error) return new AdminError(mapped, error.message);
  return new AdminError('internal', 'Something went wrong on the server; the error has been logged.');
}

export const toTRPCError = (error: AdminError): TRPCError =>
  new TRPCError({ code: ERROR_TABLE[error.code].trpc, message: error.message, cause: error });
