import { DisclosureStateError, StaffEmailTakenError } from '@parley/db';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describe, expect, it } from 'vitest';
import { AdminError, type AdminErrorCode, ERROR_TABLE, toAdminError, toTRPCError } from './errors.ts';

describe('error table', () => {
  it.each(Object.entries(ERROR_TABLE))(
    '%s has the same HTTP status through tRPC as in the table',
    (code, row) => {
      const error = toTRPCError(new AdminError(code as AdminErrorCode, 'x'));
      expect(error.code).toBe(row.trpc);
      expect(getHTTPStatusCodeFromError(error)).toBe(row.status);
    },
  );

  it.each([
    [new DisclosureStateError('A refused request cannot become disclosed'), 'invalid_state'],
    [new StaffEmailTakenError(), 'already_exists'],
    [new AdminError('not_found', 'gone'), 'not_found'],
  ] as const)('maps %s to %s', (error, code) => {
    expect(toAdminError(error).code).toBe(code);
  });

  it('hides the message of an unexpected error, which may quote data', () => {
    const error = toAdminError(new Error('UNIQUE constraint failed: olivia@acme.test'));
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('olivia');
  });
});
