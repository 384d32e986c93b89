import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AdminRouter } from '../router.ts';

export type Outputs = inferRouterOutputs<AdminRouter>;
export type Inputs = inferRouterInputs<AdminRouter>;

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every change; set at sign-in or from `auth.me` after a reload. */
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

export const api = createTRPCClient<AdminRouter>({
  links: [
    httpBatchLink({
      url: '/admin/trpc',
      headers: () => (csrfToken ? { 'x-parley-csrf': csrfToken } : {}),
    }),
  ],
});

interface ErrorData {
  code?: string;
  appCode?: string | null;
  issues?: Array<{ path: string; message: string }> | null;
}

const errorData = (error: unknown): ErrorData | undefined =>
  error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;

/** The session ended (expired, signed out elsewhere, or the console restarted without a fixed keyring). */
export const isSignedOut = (error: unknown): boolean => errorData(error)?.appCode === 'unauthenticated';

/** A message to show a person: validation issues one by one, otherwise the server's own words. */
export function errorMessage(error: unknown): string {
  const data = errorData(error);
  if (data?.issues && data.issues.length > 0) return data.issues.map((issue) => issue.message).join(' ');
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof TypeError) return 'The console cannot reach its server. Check that it is running.';
  return 'Something went wrong.';
}
