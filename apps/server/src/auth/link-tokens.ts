import { sha256 } from '@parley/db';
import { AppError } from '../errors.ts';

/** What `newSecret` makes; anything else in a link is refused before it reaches the store. */
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * The stored hash of a single-use link's token (invitations, email confirmations, password resets): the token
 * itself is only ever in the link. A malformed token gets the same not-found answer as an unknown one.
 */
export function linkTokenHash(token: string, notFound: string): string {
  if (!TOKEN.test(token)) throw new AppError('not_found', notFound);
  return sha256(token);
}
